"""Orchestration of ``citra watch``: collect, analyse and scan on a schedule (APScheduler)."""

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

    def as_dict(self) -> dict[str, Any]:
        return {
            "collected": self.collected,
            "annotated": self.annotated,
            "alerts": self.alerts,
            "new_alerts": self.new_alerts,
            "errors": list(self.errors),
        }


def cycle(store: Store, ws: Workspace) -> Cycle:
    """Collect the feeds (when there are any), annotate new posts, scan for crises and push alerts.

    A failing step is reported in ``errors`` and the later steps still run."""
    from citra.alerts.scan import scan
    from citra.analyze import analyze
    from citra.collect import collect
    from citra.nlp.pipeline import Pipeline

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
    result = scan(store, ws)
    return Cycle(collected, annotated, len(result.alerts), result.new, tuple(errors))


def run(store: Store, ws: Workspace, minutes: int, report: Callable[[Cycle], None]) -> None:
    """Run a cycle now and then every ``minutes`` until interrupted."""
    from apscheduler.schedulers.blocking import BlockingScheduler

    def job() -> None:
        report(cycle(store, ws))

    scheduler = BlockingScheduler(timezone=ws.tz)
    scheduler.add_job(job, "interval", minutes=minutes, max_instances=1, coalesce=True)
    job()
    try:
        scheduler.start()
    except (KeyboardInterrupt, SystemExit):
        scheduler.shutdown(wait=False)
