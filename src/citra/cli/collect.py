"""citra commands: collect."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from citra.cli.common import WorkspaceOpt, _echo_json, _open, app, err


@app.command()
def collect(
    timeout: Annotated[float, typer.Option("--timeout", help="Seconds to wait for each feed.", min=1)] = 20.0,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON summary object.")] = False,
    workspace: WorkspaceOpt = None,
) -> None:
    """Fetch the news feeds of citra.toml once and store new articles (exit 3 when a feed failed)."""
    from citra.collect import collect as run_collect

    ws, store = _open(workspace)
    with store:
        summary = run_collect(store, ws, timeout=timeout)
    if as_json:
        totals = {k: summary.total(k) for k in ("inserted", "updated", "rejected")}
        extra = {"batch": summary.batch, "status": summary.status, "rejects": summary.rejects_path}
        _echo_json({"feeds": [f.as_dict() for f in summary.files], **totals, **extra})
    else:
        _print_collect(summary)
    if summary.status != "done":
        raise typer.Exit(3)


def _print_collect(summary: Any) -> None:
    from rich.markup import escape
    from rich.table import Table

    if not summary.files:
        err.print("No feeds configured: add [[feeds]] entries to citra.toml.")
        return
    table = Table(title=f"Collect {summary.batch}: {summary.status}")
    for column in ("feed", "http", "new", "updated", "rejected", "filtered"):
        table.add_column(column, justify="left" if column == "feed" else "right")
    for f in summary.files:
        http = "not modified" if f.http_status == 304 else str(f.http_status or "-")
        counts = (f"{f.inserted:,}", f"{f.updated:,}", f"{f.rejected:,}", f"{f.skipped:,}")
        table.add_row(escape(f.name), "failed" if f.error else http, *counts)
    err.print(table)
    for f in summary.files:
        if f.error:
            err.print(f"[red]error[/red] {escape(f.name)}: {escape(f.error)}", soft_wrap=True)
    if summary.rejects_path:
        err.print(f"Rejected entries and why: {summary.rejects_path}")
