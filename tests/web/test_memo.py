"""The aggregate cache under concurrency: one computation per key however many requests miss it at once, a bound
on background computations, and a request that cannot wait longer than its deadline."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from citra.store.deadline import within
from citra.web.cache import Memo, StillComputing


def test_fifty_concurrent_misses_compute_once() -> None:
    memo = Memo(ttl=60)
    calls: list[int] = []
    release = threading.Event()

    def compute() -> str:
        calls.append(1)
        release.wait(5)
        return "nilai"

    with ThreadPoolExecutor(50) as pool:
        waiting = [pool.submit(memo.get, ("index", "win"), compute) for _ in range(50)]
        release.set()
        assert [f.result(10) for f in waiting] == ["nilai"] * 50
    assert len(calls) == 1


def test_an_error_reaches_every_waiter_and_is_not_cached() -> None:
    memo = Memo(ttl=60)
    calls: list[int] = []
    release = threading.Event()

    def boom() -> int:
        calls.append(1)
        release.wait(5)
        raise ValueError("database gone")

    with ThreadPoolExecutor(10) as pool:
        waiting = [pool.submit(memo.get, ("k",), boom) for _ in range(10)]
        release.set()
        for f in waiting:
            with pytest.raises(ValueError, match="database gone"):
                f.result(10)
    assert len(calls) == 1
    assert memo.get(("k",), lambda: 3) == 3


def test_background_computations_are_bounded() -> None:
    memo = Memo(ttl=60, workers=2)
    running, most = [0], [0]
    lock = threading.Lock()
    release = threading.Event()

    def compute() -> int:
        with lock:
            running[0] += 1
            most[0] = max(most[0], running[0])
        release.wait(0.2)
        with lock:
            running[0] -= 1
        return 1

    with ThreadPoolExecutor(8) as pool:
        waiting = [pool.submit(memo.get, ("k", i), compute) for i in range(8)]
        assert sum(f.result(10) for f in waiting) == 8
    assert most[0] == 2


def test_a_request_waits_until_its_deadline_and_the_value_is_kept() -> None:
    memo = Memo(ttl=60)
    release = threading.Event()

    def slow() -> str:
        release.wait(5)
        return "selesai"

    with within(0.05), pytest.raises(StillComputing):
        memo.get(("slow",), slow)
    release.set()
    assert memo.get(("slow",), slow) == "selesai"  # the computation went on and filled the cache


def test_forget_while_computing_drops_the_result() -> None:
    memo = Memo(ttl=60)
    release = threading.Event()
    with ThreadPoolExecutor(1) as pool:
        first = pool.submit(memo.get, ("inbox", None), lambda: release.wait(5) and "lama")
        while ("inbox", None) not in memo._pending:
            pass
        memo.forget("inbox")
        release.set()
        assert first.result(5) == "lama"
    assert memo.get(("inbox", None), lambda: "baru") == "baru"


def test_drop_forgets_one_key_and_keeps_its_neighbours() -> None:
    memo = Memo(ttl=60)
    calls: list[str] = []

    def value(name: str):  # type: ignore[no-untyped-def]
        def compute() -> str:
            calls.append(name)
            return name

        return compute

    memo.get(("inbox", None), value("counts"))
    memo.get(("inbox", "page", 1), value("page"))
    memo.drop(("inbox", None))
    assert memo.get(("inbox", None), value("counts")) == "counts"
    assert memo.get(("inbox", "page", 1), value("page")) == "page"
    assert calls == ["counts", "page", "counts"]  # the page was kept, the counts computed again
