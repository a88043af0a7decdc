"""Background jobs of the dashboard (a report build, retraining, rolling back), keyed by what they make: one job per
key at a time (a second start for the same key joins the first), at most ``workers`` running at once (the others
queue), each bounded in time, their state readable by any request, so a page shows "queued", "running", the result,
or why it failed.

A job is a thread; it cannot be killed, so it is asked to stop: ``Progress.cancelled`` is set when its time is up
or the server shuts down, and long work checks it (a report build runs in a child process that is then
terminated). A queued job nobody has asked about for ``abandon_after`` seconds (its page was closed) is dropped
before it starts."""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

log = logging.getLogger(__name__)
ONLY = "job"  # the key of ``Job``, the one-at-a-time jobs


@dataclass(frozen=True, slots=True)
class JobState:
    """``state`` idle, queued, running, done, failed or cancelled; ``message`` the last progress line or the error."""

    state: str = "idle"
    kind: str = ""
    by: str = ""
    started_at: datetime | None = None
    finished_at: datetime | None = None
    message: str = ""
    result: Any = None
    key: Hashable = None

    @property
    def running(self) -> bool:
        """Queued or running: not finished."""
        return self.state in ("queued", "running")

    @property
    def seconds(self) -> int:
        """Seconds since the job was asked for (to its end when it has ended)."""
        if self.started_at is None:
            return 0
        return int(((self.finished_at or datetime.now(UTC)) - self.started_at).total_seconds())


class Progress:
    """What a job's work gets: call it with a progress line; ``cancelled`` is set when the job must stop."""

    def __init__(self, say: Callable[[str], None]) -> None:
        self._say = say
        self.cancelled = threading.Event()

    def __call__(self, message: str) -> None:
        self._say(message)


@dataclass
class _Slot:
    state: JobState
    progress: Progress
    thread: threading.Thread | None = None
    wanted_at: float = field(default_factory=time.monotonic)
    timed_out: bool = False


class Jobs:
    """Keyed background jobs; a failure is kept as a message, never raised. ``timeout``: seconds a job may run
    before it is asked to stop; ``keep``: finished jobs remembered."""

    def __init__(self, workers: int = 1, *, timeout: float | None = None, keep: int = 64) -> None:
        self.timeout, self.keep = timeout, keep
        self._lock = threading.Lock()
        self._slots: OrderedDict[Hashable, _Slot] = OrderedDict()
        self._turns = threading.BoundedSemaphore(workers)
        self._closing = False

    def state(self, key: Hashable) -> JobState:
        with self._lock:
            slot = self._slots.get(key)
            return slot.state if slot else JobState(key=key)

    def active(self, by: str) -> list[JobState]:
        """The queued or running jobs started by ``by``."""
        with self._lock:
            return [s.state for s in self._slots.values() if s.state.running and s.state.by == by]

    def touch(self, key: Hashable) -> None:
        """Someone is still waiting for ``key`` (its page asked for it)."""
        with self._lock:
            slot = self._slots.get(key)
            if slot is not None:
                slot.wanted_at = time.monotonic()

    def start(
        self,
        key: Hashable,
        kind: str,
        by: str,
        work: Callable[[Progress], Any],
        *,
        abandon_after: float | None = None,
    ) -> tuple[JobState, bool]:
        """Start ``work(progress)`` for ``key``, or join the job of ``key`` that is queued or running; returns its
        state and whether this call started it (never while the server shuts down)."""
        with self._lock:
            slot = self._slots.get(key)
            if slot is not None and slot.state.running:
                slot.wanted_at = time.monotonic()
                return slot.state, False
            if self._closing:
                return JobState(key=key, state="cancelled", message="the server is shutting down"), False
            slot = _Slot(JobState("queued", kind, by, datetime.now(UTC), key=key), Progress(lambda m: None))
            slot.progress = Progress(lambda message: self._update(key, slot, message=message))
            self._slots[key] = slot
            self._slots.move_to_end(key)
            self._forget_old()
            slot.thread = threading.Thread(
                target=self._run, args=(key, slot, work, abandon_after), name=f"citra-{kind}", daemon=True
            )
            slot.thread.start()
            return slot.state, True

    def wait(self, key: Hashable, timeout: float | None = None) -> JobState:
        """Block until the job of ``key`` ends (tests, shutdown); returns its state."""
        with self._lock:
            slot = self._slots.get(key)
        if slot is not None and slot.thread is not None:
            slot.thread.join(timeout)
        return self.state(key)

    def shutdown(self, timeout: float) -> None:
        """Refuse new jobs, drop queued ones, ask running ones to stop, and wait up to ``timeout`` seconds."""
        with self._lock:
            self._closing = True
            slots = list(self._slots.values())
        for slot in slots:
            slot.progress.cancelled.set()
        end = time.monotonic() + timeout
        for slot in slots:
            if slot.thread is not None:
                slot.thread.join(max(0.0, end - time.monotonic()))

    def _update(self, key: Hashable, slot: _Slot, **changes: Any) -> None:
        with self._lock:
            slot.state = replace(slot.state, **changes)

    def _forget_old(self) -> None:
        finished = [k for k, s in self._slots.items() if not s.state.running]
        for k in finished[: max(0, len(finished) - self.keep)]:
            del self._slots[k]

    def _end(self, key: Hashable, slot: _Slot, state: str, message: str | None = None, result: Any = None) -> None:
        changes: dict[str, Any] = {"state": state, "finished_at": datetime.now(UTC), "result": result}
        if message is not None:
            changes["message"] = message
        self._update(key, slot, **changes)

    def _run(self, key: Hashable, slot: _Slot, work: Callable[[Progress], Any], abandon_after: float | None) -> None:
        cancelled = slot.progress.cancelled
        while not self._turns.acquire(timeout=0.2):  # wait for a turn, unless the server shuts down meanwhile
            if cancelled.is_set():
                self._end(key, slot, "cancelled", "the server is shutting down")
                return
        try:
            idle = time.monotonic() - slot.wanted_at
            if cancelled.is_set() or (abandon_after is not None and idle > abandon_after):
                self._end(key, slot, "cancelled", "nobody was waiting for it any more")
                return
            self._update(key, slot, state="running")
            timer = None
            if self.timeout is not None:
                timer = threading.Timer(self.timeout, self._time_up, args=(slot,))
                timer.daemon = True
                timer.start()
            try:
                result = work(slot.progress)
            except Exception as exc:  # any failure becomes the job's message, shown on the page
                if cancelled.is_set():  # asked to stop (time up, shutdown): expected, no traceback
                    log.info("background job %s %r stopped: %s", slot.state.kind, key, self._why(slot, exc))
                else:
                    log.exception("background job %s %r failed", slot.state.kind, key)
                self._end(key, slot, "failed", self._why(slot, exc))
                return
            finally:
                if timer is not None:
                    timer.cancel()
            if cancelled.is_set():
                self._end(key, slot, "cancelled" if not slot.timed_out else "failed", self._why(slot, None))
            else:
                self._end(key, slot, "done", result=result)
        finally:
            self._turns.release()

    def _time_up(self, slot: _Slot) -> None:
        slot.timed_out = True
        slot.progress.cancelled.set()

    def _why(self, slot: _Slot, exc: Exception | None) -> str:
        if slot.timed_out:
            return f"stopped after {self.timeout:.0f} s"
        if slot.progress.cancelled.is_set():
            return "the server is shutting down"
        return (str(exc) or type(exc).__name__) if exc is not None else ""


class Job:
    """One job at a time (retraining and rolling back the model share one key): a second start is refused."""

    def __init__(self) -> None:
        self._jobs = Jobs(workers=1)

    @property
    def state(self) -> JobState:
        return self._jobs.state(ONLY)

    def start(self, kind: str, by: str, work: Callable[[Progress], Any]) -> bool:
        """Start ``work(say)`` unless a job is running (then False); ``say`` records a progress line."""
        return self._jobs.start(ONLY, kind, by, work)[1]

    def wait(self, timeout: float | None = None) -> JobState:
        """Block until the current job ends (tests, shutdown); returns its state."""
        return self._jobs.wait(ONLY, timeout)

    def shutdown(self, timeout: float) -> None:
        self._jobs.shutdown(timeout)
