"""Orchestration of the deep tier: label citizens' posts with the sentence encoder after the fast tier.

Which posts: citizens' posts (never official accounts') with a fast annotation and no deep label of the current
deep version, all of them or, with ``[nlp] deep = "attention"`` (the default), only those negative or needing a
response. Order: the most urgent first (needing a response, then negative, then the rest), newest first within each.
Each batch is committed on its own (vectors, deep labels, and the annotation's sentiment replaced), so the pass can
be stopped at any time and the next one picks up where it left off.

Where it runs: ``citra analyze`` runs it after the fast tier (``--tier fast`` skips it, ``--deep-limit`` bounds it);
``citra serve`` and ``citra watch`` run it in a background thread (``DeepWorker``) that labels new posts as they
arrive; ``citra demo`` labels a few hundred posts and leaves the rest to the dashboard's worker."""

from __future__ import annotations

import contextlib
import logging
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from citra.config import Workspace
from citra.store import Store

if TYPE_CHECKING:
    from citra.nlp.deeptier import DeepTier

BATCH = 64  # posts per commit: about two seconds of encoding on one core
FETCH = 512  # posts taken from the queue per query: its sort costs about 0.35 s on the demo's 57,000 posts
log = logging.getLogger("citra.deep")


@dataclass(frozen=True)
class DeepSummary:
    labelled: int
    remaining: int  # posts of the mode still lacking a current deep label
    version: str
    seconds: float
    mode: str

    def as_dict(self) -> dict[str, object]:
        rate = self.labelled / self.seconds if self.seconds > 0 else 0.0
        return {
            "labelled": self.labelled,
            "remaining": self.remaining,
            "version": self.version,
            "mode": self.mode,
            "seconds": round(self.seconds, 3),
            "posts_per_second": round(rate, 1),
        }


def deepen(
    store: Store,
    tier: DeepTier,
    mode: str,
    *,
    limit: int | None = None,
    batch: int = BATCH,
    progress: Callable[[int, int], None] | None = None,
    stop: threading.Event | None = None,
    after: Callable[[list[int]], object] | None = None,
) -> DeepSummary:
    """Label up to ``limit`` posts (all pending when None) with ``tier``, batch by batch, until none is left or
    ``stop`` is set; ``after`` gets each stored batch's post ids (``citra.analyze.rerouter``: routes again with the
    vectors)."""
    started = time.perf_counter()
    if mode not in ("all", "attention"):
        return DeepSummary(0, 0, tier.version, 0.0, mode)
    version = tier.version
    total = store.deep.count(version, mode)
    goal = total if limit is None else min(limit, total)
    done = 0
    stopped = False
    while done < goal and not stopped:
        queue = store.deep.pending(version, mode, min(max(FETCH, batch), goal - done))
        if not queue:
            break
        for start in range(0, len(queue), batch):
            if stop is not None and stop.is_set():
                stopped = True
                break
            chunk = queue[start : start + batch]
            vecs, probs = tier.label([text for _, text in chunk])
            ids = [post_id for post_id, _ in chunk]
            store.deep.save(
                list(zip(ids, probs, strict=True)), version, list(zip(ids, vecs, strict=True)), tier.encoder.version
            )
            if after is not None:
                after(ids)
            done += len(chunk)
            if progress is not None:
                progress(done, goal)
    if done:
        store.refresh_statistics()
    return DeepSummary(done, max(total - done, 0), version, time.perf_counter() - started, mode)


def run(
    store: Store,
    workspace: Workspace,
    *,
    limit: int | None = None,
    progress: Callable[[int, int], None] | None = None,
    stop: threading.Event | None = None,
    tier: DeepTier | None = None,
) -> DeepSummary:
    """The deep tier as the workspace says (``[nlp] deep``); with ``off`` nothing is loaded or labelled."""
    mode = workspace.settings.nlp.deep
    if mode == "off" or limit == 0:
        return DeepSummary(0, 0, "", 0.0, mode)
    if tier is None:
        from citra.nlp.deeptier import DeepTier

        tier = DeepTier.for_workspace(workspace)
    from citra.analyze import rerouter

    after = rerouter(store, workspace)
    return deepen(store, tier, mode, limit=limit, progress=progress, stop=stop, after=after)


class DeepWorker:
    """The deep tier in a background thread of a long-running process (the dashboard, ``citra watch``): it labels
    a batch at a time at low priority, re-reads citra.toml between rounds (``[nlp] deep`` may change) and sleeps
    ``idle_s`` when nothing is pending. The encoder is loaded on the first round the tier is on."""

    def __init__(
        self, store: Store, workspace: Workspace, *, idle_s: float = 60.0, batch: int = BATCH, fetch: int = FETCH
    ) -> None:
        self.store, self.workspace, self.idle_s, self.batch, self.fetch = store, workspace, idle_s, batch, fetch
        self.stop = threading.Event()
        self.labelled = 0
        self.error = ""
        self._thread: threading.Thread | None = None
        self._tier: DeepTier | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="citra-deep", daemon=True)
        self._thread.start()

    def shutdown(self, timeout: float) -> None:
        """Ask the worker to stop after its batch and wait up to ``timeout`` seconds."""
        self.stop.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def _run(self) -> None:
        _lower_priority()
        from threadpoolctl import threadpool_limits

        with threadpool_limits(limits=1, user_api="blas"):  # one core for the encoder: requests keep the others
            while not self.stop.is_set():
                try:
                    done = self.round()
                except Exception as exc:  # a worker outlives a bad round; the reason is logged
                    self.error = str(exc)
                    log.exception("deep tier round failed")
                    done = 0
                if not done:
                    self.stop.wait(self.idle_s)

    def round(self) -> int:
        """Label up to ``fetch`` posts, a batch at a time (fewer when asked to stop); returns how many were
        labelled (0: nothing pending or the tier is off)."""
        from citra.watch import current

        ws = current(self.workspace)
        if ws.settings.nlp.deep == "off":
            return 0
        from citra.nlp.deeptier import DeepTier

        # the head is read again each round (a few kB: retraining may have replaced it); the encoder is kept
        self._tier = DeepTier.for_workspace(ws, self._tier.encoder if self._tier else None)
        mode = ws.settings.nlp.deep
        from citra.analyze import rerouter

        after = rerouter(self.store, ws)
        found = deepen(self.store, self._tier, mode, limit=self.fetch, batch=self.batch, stop=self.stop, after=after)
        done = found.labelled
        self.labelled += done
        return done


def _lower_priority() -> None:
    """Nice this thread (Linux sets priority per thread) so that the encoder yields to requests."""
    with contextlib.suppress(OSError, AttributeError):
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 10)
