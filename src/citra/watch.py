"""Orchestration of ``citra watch``: collect, analyse and scan on a schedule (APScheduler), and send the monthly
report when it is due (``citra.reports.schedule``)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from citra.config import Workspace
from citra.errors import CitraError
from citra.store import Store

log = logging.getLogger("citra.watch")


@dataclass(frozen=True)
class Cycle:
    """What one watch cycle did."""

    collected: int
    annotated: int
    alerts: int
    new_alerts: int
    errors: tuple[str, ...]
    opd_notices: int = 0  # OPDs told of an assignment
    deadline_notices: int = 0  # OPDs warned of a deadline about to pass
    report: str = ""  # the scheduled report sent this cycle: "2026-08 sent", "" when none was due
    deep: int = 0  # posts the deep tier labelled in the cycle (``citra watch --once``)

    def as_dict(self) -> dict[str, Any]:
        return {
            "collected": self.collected,
            "annotated": self.annotated,
            "alerts": self.alerts,
            "new_alerts": self.new_alerts,
            "opd_notices": self.opd_notices,
            "deadline_notices": self.deadline_notices,
            "errors": list(self.errors),
            "report": self.report,
            "deep": self.deep,
        }


def cycle(store: Store, ws: Workspace, deep_limit: int = 0) -> Cycle:
    """Collect the feeds (when there are any), annotate new posts (marking inbox items answered) and deep-label up
    to ``deep_limit`` of them (a running watch leaves that to its background worker), scan for crises and push
    alerts, and tell OPDs of their new and nearly late inbox items.

    A failing step is reported in ``errors`` and the later steps still run."""
    from citra.alerts.scan import scan
    from citra.analyze import analyze
    from citra.collect import collect
    from citra.inbox_notify import notify
    from citra.nlp.pipeline import Pipeline
    from citra.reports import schedule

    errors: list[str] = []
    collected = annotated = 0
    if ws.settings.feeds:
        try:
            summary = collect(store, ws)
            collected = summary.total("inserted")
            errors += [f.error for f in summary.files if f.error]
        except CitraError as exc:
            errors.append(f"collect: {exc}")
    try:
        annotated = analyze(store, Pipeline.for_workspace(ws)).annotated
    except CitraError as exc:
        errors.append(f"analyze: {exc}")
    deeper = 0
    if deep_limit:
        from citra import deep

        try:
            deeper = deep.run(store, ws, limit=deep_limit).labelled
        except CitraError as exc:
            errors.append(f"deep: {exc}")
    result = scan(store, ws)
    notices = notify(store, ws)  # the inbox's word to OPDs: new assignments, deadlines about to pass
    errors += [f"inbox notice: {e}" for e in notices.errors]
    report = ""
    try:  # the monthly report, on the first working day of the month
        sent = schedule.run(store, ws)
    except CitraError as exc:
        errors.append(f"report: {exc}")
    else:
        if sent is not None:
            report = f"{sent.month} {sent.status}"
            errors += [f"report: {e}" for e in sent.errors]
    return Cycle(
        collected,
        annotated,
        len(result.alerts),
        result.new,
        tuple(errors),
        notices.assigned,
        notices.warned,
        report=report,
        deep=deeper,
    )


def current(ws: Workspace) -> Workspace:
    """The workspace as citra.toml says now (keywords, feeds, channels changed in Pengaturan apply from the next
    cycle); the one loaded before when the file cannot be loaded any more. The interval keeps its start value."""
    from citra import config

    try:
        return config.load(ws.root)
    except CitraError as exc:
        log.warning("citra.toml could not be reloaded, the settings loaded before are kept: %s", exc)
        return ws


def run(store: Store, ws: Workspace, minutes: int, report: Callable[[Cycle], None]) -> None:
    """Run a cycle now and then every ``minutes`` until interrupted; the deep tier labels the analysed posts in a
    background thread meanwhile (``citra.deep.DeepWorker``)."""
    from apscheduler.schedulers.blocking import BlockingScheduler

    from citra.deep import DeepWorker

    def job() -> None:
        report(cycle(store, current(ws)))

    scheduler = BlockingScheduler(timezone=ws.tz)
    scheduler.add_job(job, "interval", minutes=minutes, max_instances=1, coalesce=True)
    job()
    worker = DeepWorker(store, ws)
    worker.start()
    try:
        scheduler.start()
    except (KeyboardInterrupt, SystemExit):
        scheduler.shutdown(wait=False)
    finally:
        worker.shutdown(10.0)
