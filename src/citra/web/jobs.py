"""A background job of the dashboard (retraining, rolling back): one at a time, in a thread, its state readable by
any request, so a page shows "running", the result, or why it failed, and a second start is refused."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class JobState:
    """``state`` idle, running, done or failed; ``message`` the last progress line or the error."""

    state: str = "idle"
    kind: str = ""
    by: str = ""
    started_at: datetime | None = None
    finished_at: datetime | None = None
    message: str = ""
    result: Any = None

    @property
    def running(self) -> bool:
        return self.state == "running"


class Job:
    """Runs one function at a time in a daemon thread; a failure is kept as a message, never raised."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._state = JobState()
        self._thread: threading.Thread | None = None

    @property
    def state(self) -> JobState:
        with self._lock:
            return self._state

    def start(self, kind: str, by: str, work: Callable[[Callable[[str], None]], Any]) -> bool:
        """Start ``work(say)`` unless a job is running (then False); ``say`` records a progress line."""
        with self._lock:
            if self._state.running:
                return False
            self._state = JobState("running", kind, by, datetime.now(UTC))
            self._thread = threading.Thread(target=self._run, args=(work,), name=f"citra-{kind}", daemon=True)
            self._thread.start()
        return True

    def wait(self, timeout: float | None = None) -> JobState:
        """Block until the current job ends (tests, shutdown); returns its state."""
        thread = self._thread
        if thread is not None:
            thread.join(timeout)
        return self.state

    def _say(self, message: str) -> None:
        with self._lock:
            self._state = _replace(self._state, message=message)

    def _run(self, work: Callable[[Callable[[str], None]], Any]) -> None:
        try:
            result = work(self._say)
        except Exception as exc:  # any failure becomes the job's message, shown on the page
            log.exception("background job %s failed", self._state.kind)
            with self._lock:
                self._state = _replace(
                    self._state, state="failed", finished_at=datetime.now(UTC), message=str(exc) or type(exc).__name__
                )
            return
        with self._lock:
            self._state = _replace(self._state, state="done", finished_at=datetime.now(UTC), result=result)


def _replace(current: JobState, **changes: Any) -> JobState:
    return replace(current, **changes)
