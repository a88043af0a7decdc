"""Orchestration of ``citra analyze``: annotate stored posts that lack annotations of the current pipeline.

Incremental and resumable: each batch is committed on its own, so an interrupted run loses at most one batch
and the next run picks up the posts still lacking current annotations."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from citra.nlp.pipeline import Pipeline
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
        notes = pipeline.annotate([post for _, post in chunk])
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
