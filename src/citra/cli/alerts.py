"""citra commands: alerts."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

import typer
from rich.console import Console

from citra import config
from citra.cli.common import WorkspaceOpt, _echo_json, _open, app, err

alerts_app = typer.Typer(no_args_is_help=True, help="Crisis alerts.")
app.add_typer(alerts_app, name="alerts")


@alerts_app.command("scan")
def alerts_scan(
    no_notify: Annotated[bool, typer.Option("--no-notify", help="Store alerts but do not push them.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    workspace: WorkspaceOpt = None,
) -> None:
    """Find spikes of negative volume or share, keep one alert per crisis, and push open ones to the channels."""
    from citra.alerts.scan import scan

    ws, store = _open(workspace)
    with store:
        result = scan(store, ws, notify=not no_notify)
    if as_json:
        _echo_json(result.as_dict())
        return
    _print_alerts(result.alerts, ws)
    err.print(f"{result.new} new, {result.updated} updated; {sum(d['ok'] for d in result.deliveries)} messages sent")
    for d in result.deliveries:
        if not d["ok"]:
            err.print(f"[red]delivery failed[/red] {d['channel']}: {d['error']}", highlight=False)


@alerts_app.command("list")
def alerts_list(
    status: Annotated[str | None, typer.Option(help="open or closed.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    workspace: WorkspaceOpt = None,
) -> None:
    """Show stored alerts, newest first."""
    from citra.alerts.scan import alert_dict

    ws, store = _open(workspace)
    with store:
        found = store.alerts(status)
    if as_json:
        _echo_json({"alerts": [alert_dict(a) for a in found]})
    else:
        _print_alerts(found, ws)


def _print_alerts(found: list[Any], ws: config.Workspace) -> None:
    from rich.markup import escape
    from rich.table import Table

    from citra.alerts.wording import leader_roles, target_words

    roles = leader_roles(ws)

    table = Table(title="Peringatan krisis")
    for column in ("mulai", "cakupan", "tingkat", "status", "negatif", "topik", "sasaran", "kata kunci"):
        table.add_column(column)
    for a in found:
        d = a.drivers
        table.add_row(
            a.start.astimezone(ws.tz).strftime("%Y-%m-%d %H:%M"),
            escape(a.scope_name or "seluruh kota"),
            a.severity,
            a.status,
            f"{d.get('volume', {}).get('negative', 0):,}",
            escape(", ".join(t["name"] for t in d.get("topics", [])[:3])),
            escape(", ".join(target_words(t["target"], roles) for t in d.get("targets", [])[:3])),
            escape(", ".join(d.get("terms", [])[:5])),
        )
    Console().print(table)


ONCE_DEEP = 512  # posts `citra watch --once` deep-labels per cycle: half a minute to a minute of one core


@app.command()
def watch(
    every: Annotated[int | None, typer.Option("--every", help="Minutes between cycles (default: citra.toml).")] = None,
    once: Annotated[bool, typer.Option("--once", help="Run one cycle and exit (for cron).")] = False,
    workspace: WorkspaceOpt = None,
) -> None:
    """Collect feeds, analyse new posts and scan for crises on a schedule; send the monthly report when due
    ([reports] in citra.toml). The deep tier labels new posts in a background thread meanwhile (with --once: up to
    512 of them in the cycle)."""
    from citra import watch as watcher

    ws, store = _open(workspace)

    def report(done: Any) -> None:
        _echo_json({"time": datetime.now(ws.tz).isoformat(timespec="seconds")} | done.as_dict())

    with store:
        if once:
            report(watcher.cycle(store, ws, deep_limit=ONCE_DEEP))
        else:
            minutes = every or ws.settings.alerts.watch_minutes
            err.print(f"Watching every {minutes} minutes; Ctrl-C stops.")
            watcher.run(store, ws, minutes, report)
