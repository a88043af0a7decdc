"""A small in-process cache for slow aggregates (index series, engagement, inbox counts).

A value younger than ``ttl`` seconds is served as is; an older one is still served while one background
thread recomputes it (stale-while-revalidate), so only the very first request for a key waits. Bounded in
size (least recently used first out); one computation per key at a time."""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any, TypeVar

T = TypeVar("T")
log = logging.getLogger(__name__)


@dataclass
class _Entry:
    value: Any
    at: float


class Memo:
    """Cached results of library calls, keyed by the caller."""

    def __init__(self, ttl: float = 300.0, max_items: int = 512) -> None:
        self.ttl, self.max_items = ttl, max_items
        self._items: OrderedDict[Hashable, _Entry] = OrderedDict()
        self._lock = threading.Lock()
        self._busy: dict[Hashable, threading.Lock] = {}
        self._refreshing: set[Hashable] = set()

    def get(self, key: Hashable, compute: Callable[[], T]) -> T:
        """The cached value of ``key``, computing it now when absent (or when ``ttl`` is 0)."""
        if self.ttl <= 0:
            return compute()
        with self._lock:
            entry = self._items.get(key)
            if entry is not None:
                self._items.move_to_end(key)
                if time.monotonic() - entry.at > self.ttl and key not in self._refreshing:
                    self._refreshing.add(key)
                    threading.Thread(target=self._refresh, args=(key, compute), daemon=True).start()
                return entry.value  # type: ignore[no-any-return]
            busy = self._busy.setdefault(key, threading.Lock())
        with busy:  # one computation per key; the others wait for it
            with self._lock:
                entry = self._items.get(key)
            if entry is not None:
                return entry.value  # type: ignore[no-any-return]
            try:
                value = compute()
                self._put(key, value)
            finally:
                with self._lock:
                    self._busy.pop(key, None)
            return value

    def peek(self, key: Hashable, compute: Callable[[], T]) -> T | None:
        """The cached value of ``key`` without waiting: None while it is first computed in the background."""
        if self.ttl <= 0:
            return compute()
        with self._lock:
            entry = self._items.get(key)
            if entry is None and key not in self._refreshing:
                self._refreshing.add(key)
                threading.Thread(target=self._refresh, args=(key, compute), daemon=True).start()
        return self.get(key, compute) if entry is not None else None

    def _put(self, key: Hashable, value: Any) -> None:
        with self._lock:
            self._items[key] = _Entry(value, time.monotonic())
            self._items.move_to_end(key)
            while len(self._items) > self.max_items:
                self._items.popitem(last=False)

    def _refresh(self, key: Hashable, compute: Callable[[], Any]) -> None:
        try:
            self._put(key, compute())
        except Exception:  # the stale value stays; the next request after ttl tries again
            log.exception("refreshing cached %r failed", key)
        finally:
            with self._lock:
                self._refreshing.discard(key)

    def forget(self, prefix: str) -> None:
        """Drop every key whose first element is ``prefix`` (after a change through the web)."""
        with self._lock:
            for key in [k for k in self._items if isinstance(k, tuple) and k and k[0] == prefix]:
                del self._items[key]
