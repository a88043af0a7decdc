"""Orchestration of ``citra demo``: a fictional city's workspace filled by the simulator, analysed, scanned,
reported, with an admin account, ready for the dashboard. Every step calls the same library as its command."""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from citra import config, curate, deep, private
from citra.errors import CitraError
from citra.records import Role
from citra.store import Store

ADMIN = "admin"
DEEP_POSTS = 200  # the deep tier labels the most urgent, newest posts in a few seconds; the dashboard does the rest
ACTOR = "citra demo"


@dataclass
class DemoResult:
    workspace: Path
    rows: int = 0
    annotated: int = 0
    alerts: int = 0
    interventions: int = 0
    report: Path | None = None
    password: str | None = None
    steps: list[tuple[str, float]] = field(default_factory=list)


def build(root: Path, *, days: int = 120, seed: int = 7, say: Callable[[str], None] = print) -> DemoResult:
    """Create (or recreate) the demo workspace at ``root`` and fill it; returns what was made."""
    from citra.alerts.scan import scan
    from citra.analyze import analyze
    from citra.ingest import ingest
    from citra.nlp.pipeline import Pipeline
    from citra.simulate import Scenario, generate, write_csv, write_truth

    result = DemoResult(root.resolve())
    started = time.perf_counter()

    def step(name: str) -> None:
        result.steps.append((name, round(time.perf_counter() - started, 1)))
        say(f"[{time.perf_counter() - started:5.1f} s] {name}")

    scenario = Scenario.default(days, seed)
    private.make_dir(root)
    (root / config.DB_NAME).unlink(missing_ok=True)
    for suffix in ("-wal", "-shm"):
        (root / (config.DB_NAME + suffix)).unlink(missing_ok=True)
    ws = config.init(root, "placeholder", force=True)
    (root / config.CONFIG_NAME).write_text(scenario.workspace_toml(), encoding="utf-8")
    ws = config.load(root)
    sim = generate(scenario)
    export = root / "data" / "simulasi-tweet-harvest.csv"
    export.parent.mkdir(exist_ok=True)
    result.rows = write_csv(sim, export)
    write_truth(sim, root / "data" / "kebenaran-simulasi.json")
    step(f"simulated {result.rows:,} posts over {days} days of {scenario.organisation}")
    with Store.open(ws.database_url) as store:
        store.upgrade()
        summary = ingest(store, ws, [export])
        step(f"ingested {summary.total('inserted'):,} posts ({summary.total('rejected')} rejected)")
        result.annotated = analyze(store, Pipeline.for_workspace(ws)).annotated
        step(f"analysed {result.annotated:,} posts")
        deeper = deep.run(store, ws, limit=DEEP_POSTS)
        step(f"deep tier labelled {deeper.labelled:,} posts ({deeper.remaining:,} left to the dashboard's worker)")
        for item in sim.truth.interventions:
            curate.add_intervention(
                store,
                ACTOR,
                item.name,
                item.date,
                item.kind,
                "Direncanakan dalam simulasi",
                item.metric,  # the metric and window of the truth file, so the report measures what was planted
                item.window_days,
            )
        result.interventions = len(sim.truth.interventions)
        alerts = scan(store, ws, notify=False)
        result.alerts = len(alerts.alerts)
        step(f"recorded {result.interventions} interventions, found {result.alerts} crisis alerts")
        result.report = _report(store, ws)
        if result.report is not None:
            step(f"wrote the monthly report {result.report.name}")
        result.password = secrets.token_urlsafe(12)
        curate.add_user(store, ACTOR, ADMIN, result.password, Role.ADMIN)
        step("created the admin account")
    return result


def _report(store: Store, ws: config.Workspace) -> Path | None:
    """The PDF report of the last month with data (None when the report builder cannot run here)."""
    try:
        from citra import reports
    except ImportError:
        return None
    period = reports.default_period(store, ws)
    out = ws.root / "reports" / f"laporan-citra-{period}.pdf"
    private.make_dir(out.parent)
    try:
        private.write_bytes(out, reports.build(store, ws, period, "pdf"))
    except (CitraError, OSError) as exc:
        raise CitraError(f"the demo report could not be written: {exc}") from exc
    return out
