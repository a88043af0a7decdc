"""Keyed background jobs: one per key (a second start joins it), a bound on how many run at once, a time bound, a
queued job nobody waits for is dropped, and shutdown stops everything."""

from __future__ import annotations

import threading

from citra.web.jobs import Jobs, Progress


def test_a_second_start_for_the_same_key_joins_the_first() -> None:
    jobs, gate, calls = Jobs(workers=2), threading.Event(), []

    def work(progress: Progress) -> str:
        calls.append(1)
        progress("halfway")
        gate.wait(5)
        return "file.pdf"

    _, started = jobs.start(("2026-09", "pdf"), "report", "rina", work)
    again, started_again = jobs.start(("2026-09", "pdf"), "report", "budi", work)
    assert started and not started_again and again.by == "rina" and again.running
    assert [j.key for j in jobs.active("rina")] == [("2026-09", "pdf")] and jobs.active("budi") == []
    gate.set()
    done = jobs.wait(("2026-09", "pdf"), 5)
    assert (done.state, done.result, done.message, len(calls)) == ("done", "file.pdf", "halfway", 1)
    assert jobs.start(("2026-09", "pdf"), "report", "budi", work)[1]  # finished: a new start is a new job
    assert jobs.wait(("2026-09", "pdf"), 5).by == "budi"


def test_workers_bound_how_many_run_at_once() -> None:
    jobs, gate = Jobs(workers=1), threading.Event()
    jobs.start("a", "report", "rina", lambda p: gate.wait(5))
    jobs.start("b", "report", "budi", lambda p: 2)
    assert jobs.state("b").state == "queued"
    gate.set()
    assert jobs.wait("b", 5).state == "done"


def test_a_job_past_its_time_is_stopped() -> None:
    jobs = Jobs(workers=1, timeout=0.2)

    def stubborn(progress: Progress) -> None:
        assert progress.cancelled.wait(5)  # the work sees it must stop
        raise RuntimeError("child terminated")

    jobs.start("k", "report", "rina", stubborn)
    ended = jobs.wait("k", 5)
    assert ended.state == "failed" and "stopped after 0 s" in ended.message


def test_a_queued_job_nobody_waits_for_does_not_start() -> None:
    jobs, gate, ran = Jobs(workers=1), threading.Event(), []
    jobs.start("busy", "report", "rina", lambda p: gate.wait(5))
    jobs.start("left", "report", "budi", lambda p: ran.append(1), abandon_after=0.1)
    threading.Timer(0.3, gate.set).start()  # its turn comes after its page was closed
    assert jobs.wait("left", 5).state == "cancelled" and ran == []


def test_shutdown_drops_queued_jobs_and_stops_running_ones() -> None:
    jobs, ran = Jobs(workers=1), []

    def long(progress: Progress) -> None:
        progress.cancelled.wait(30)

    jobs.start("running", "report", "rina", long)
    jobs.start("queued", "report", "budi", lambda p: ran.append(1))
    jobs.shutdown(5)
    assert jobs.state("running").state == "cancelled" and jobs.state("queued").state == "cancelled" and ran == []
    assert jobs.start("new", "report", "rina", long)[1] is False  # a stopping server starts nothing
