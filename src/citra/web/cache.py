"""A small in-process cache for slow aggregates (index series, engagement, inbox counts).

A value younger than ``ttl`` seconds is served as is; an older one is still served while one background
thread recomputes it (stale-while-revalidate). A missing value is computed once however many requests ask for it
at the same time (single flight): in a background thread, at most ``workers`` at a time, so a burst of first
requests cannot take every database connection; the requests wait for it until their deadline
(``citra.store.deadline``) and then get HTTP 503 while the computation goes on to fill the cache. Bounded in size
(least recently used first out)."""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from typing import Any, TypeVar

from citra.errors import CitraError
from citra.store import deadline

T = TypeVar("T")
log = logging.getLogger(__name__)


class StillComputing(CitraError):
    """A first computation took longer than the request may wait; it goes on in the background."""

    http_status = 503
    retry_after = 5


@dataclass
class _Entry:
    value: Any
    at: float


class Memo:
    """Cached results of library calls, keyed by the caller."""

    def __init__(self, ttl: float = 300.0, max_items: int = 512, workers: int = 2) -> None:
        self.ttl, self.max_items = ttl, max_items
        self._items: OrderedDict[Hashable, _Entry] = OrderedDict()
        self._lock = threading.Lock()
        self._pending: dict[Hashable, Future[Any]] = {}
        self._slots = threading.BoundedSemaphore(workers)

    def get(self, key: Hashable, compute: Callable[[], T]) -> T:
        """The cached value of ``key``; when absent, computed once for every caller (or at once when ``ttl`` is 0)."""
        if self.ttl <= 0:
            return compute()
        with self._lock:
            entry = self._items.get(key)
            if entry is not None:
                self._items.move_to_end(key)
                if time.monotonic() - entry.at > self.ttl and key not in self._pending:
                    self._start(key, compute)
                return entry.value  # type: ignore[no-any-return]
            future = self._pending.get(key) or self._start(key, compute)
        left = deadline.remaining()
        try:
            return future.result(timeout=None if left is None else max(left, 0.0))  # type: ignore[no-any-return]
        except FutureTimeout:
            raise StillComputing("the figures are still being computed; try again in a moment") from None

    def peek(self, key: Hashable, compute: Callable[[], T]) -> T | None:
        """The cached value of ``key`` without waiting: None while it is first computed in the background."""
        if self.ttl <= 0:
            return compute()
        with self._lock:
            present = key in self._items
            if not present and key not in self._pending:
                self._start(key, compute)
        return self.get(key, compute) if present else None

    def _start(self, key: Hashable, compute: Callable[[], Any]) -> Future[Any]:
        """Compute ``key`` in a thread of its own (no request's deadline applies); called holding the lock."""
        future: Future[Any] = Future()
        self._pending[key] = future
        threading.Thread(target=self._run, args=(key, compute, future), name="citra-memo", daemon=True).start()
        return future

    def _run(self, key: Hashable, compute: Callable[[], Any], future: Future[Any]) -> None:
        try:
            with self._slots:
                value = compute()
        except Exception as exc:  # a stale value stays; the waiters of a first computation get the error
            log.exception("computing cached %r failed", key)
            with self._lock:
                if self._pending.get(key) is future:
                    del self._pending[key]
            future.set_exception(exc)
            return
        with self._lock:
            if self._pending.get(key) is future:  # not forgotten meanwhile
                del self._pending[key]
                self._items[key] = _Entry(value, time.monotonic())
                self._items.move_to_end(key)
                while len(self._items) > self.max_items:
                    self._items.popitem(last=False)
        future.set_result(value)

    def clear(self) -> None:
        """Drop everything (the workspace's settings changed); computations already running are not stored."""
        with self._lock:
            self._items.clear()
            self._pending.clear()

    def forget(self, prefix: str) -> None:
        """Drop every key whose first element is ``prefix`` (after a change through the web); a computation of such
        a key already running is not stored."""
        with self._lock:
            for items in (self._items, self._pending):
                for key in [k for k in items if isinstance(k, tuple) and k and k[0] == prefix]:
                    del items[key]

    def drop(self, key: Hashable) -> None:
        """Drop one key (a value that moved while its neighbours did not)."""
        with self._lock:
            self._items.pop(key, None)
            self._pending.pop(key, None)
