"""Orchestration of ``citra analyze``: annotate stored posts that lack annotations of the current pipeline.

Incremental and resumable: each batch is committed on its own, so an interrupted run loses at most one batch
and the next run picks up the posts still lacking current annotations."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from citra.config import Workspace
from citra.nlp.pipeline import Pipeline
from citra.records import Post
from citra.store import Store

BATCH = 2000


@dataclass(frozen=True)
class AnalyzeSummary:
    annotated: int
    version: str
    seconds: float
    models: dict[str, str]
    answered: int = 0  # inbox items marked answered because an official account replied

    def as_dict(self) -> dict[str, object]:
        rate = self.annotated / self.seconds if self.seconds > 0 else 0.0
        return {
            "annotated": self.annotated,
            "answered": self.answered,
            "version": self.version,
            "seconds": round(self.seconds, 3),
            "posts_per_second": round(rate, 1),
            "models": self.models,
        }


def stored_vectors(
    store: Store, pipeline: Pipeline, chunk: Sequence[tuple[int, Post]]
) -> list[np.ndarray | None] | None:
    """The posts' stored sentence vectors (None each without one) when the learned router reads vectors."""
    model = pipeline.vector_model
    if model is None:
        return None
    found = store.vectors([post_id for post_id, _ in chunk], model=model)
    return [found.get(post_id) for post_id, _ in chunk]


def analyze(
    store: Store,
    pipeline: Pipeline,
    *,
    rebuild: bool = False,
    batch: int = BATCH,
    progress: Callable[[int, int], None] | None = None,
) -> AnalyzeSummary:
    """Annotate posts lacking annotations of ``pipeline.version`` (every post with ``rebuild``)."""
    started = time.perf_counter()
    total = store.count() if rebuild else store.count_to_annotate(pipeline.version)
    done = 0
    for chunk in store.posts_to_annotate(pipeline.version, rebuild=rebuild, batch=batch):
        notes = pipeline.annotate([post for _, post in chunk], stored_vectors(store, pipeline, chunk))
        store.save_annotations(
            [(post_id, note) for (post_id, _), note in zip(chunk, notes, strict=True)], pipeline.version
        )
        done += len(chunk)
        if progress is not None:
            progress(done, total)
    if done:
        store.refresh_statistics()
    # an official reply imported with these posts answers inbox items: mark them now, not when someone looks
    answered = store.inbox.mark_answered()
    return AnalyzeSummary(done, pipeline.version, time.perf_counter() - started, pipeline.models, answered)


def reroute(store: Store, pipeline: Pipeline, post_ids: Sequence[int]) -> int:
    """Annotate posts again with their stored vectors (the deep tier just embedded them) when the learned router
    reads vectors, so their routes use them; the deep sentiment label stays (``Store.save_annotations``)."""
    if pipeline.vector_model is None or not post_ids:
        return 0
    chunk = [(int(i), store.get(int(i)).post) for i in post_ids]
    notes = pipeline.annotate([post for _, post in chunk], stored_vectors(store, pipeline, chunk))
    store.save_annotations([(post_id, note) for (post_id, _), note in zip(chunk, notes, strict=True)], pipeline.version)
    return len(chunk)


def rerouter(store: Store, workspace: Workspace) -> Callable[[Sequence[int]], int] | None:
    """``reroute`` with the workspace's pipeline, for the deep tier to call after each batch (the pipeline is built
    on the first call); None when the workspace's learned router reads no vectors (its model.json says so)."""
    import json

    from citra.nlp.router import default_dir

    meta = default_dir(workspace.root) / "model.json"
    try:
        reads_vectors = bool(json.loads(meta.read_text(encoding="utf-8")).get("vectors"))
    except (OSError, ValueError, AttributeError):
        return None
    if not reads_vectors:
        return None
    built: list[Pipeline] = []

    def call(post_ids: Sequence[int]) -> int:
        if not built:
            built.append(Pipeline.for_workspace(workspace))
        return reroute(store, built[0], post_ids)

    return call
