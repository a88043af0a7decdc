"""citra commands: report."""

from __future__ import annotations

import getpass
import sys
from pathlib import Path
from typing import Annotated

import typer

from citra import private
from citra.cli.common import WorkspaceOpt, _open, app
from citra.errors import CitraError


@app.command("report")
def report_cmd(
    period: Annotated[
        str | None,
        typer.Option("--period", "--month", help="Month as YYYY-MM (default: the last month with data)."),
    ] = None,
    fmt: Annotated[
        str, typer.Option("--format", help="html, pdf, xlsx, or json (the report's numbers, as the PDF shows them).")
    ] = "html",
    out: Annotated[
        Path | None, typer.Option("--out", help="File to write (default: <workspace>/reports/laporan-citra-YYYY-MM.*).")
    ] = None,
    workspace: WorkspaceOpt = None,
    history: Annotated[
        bool, typer.Option("--history/--no-history", hidden=True, help="Record the report in the history.")
    ] = True,
) -> None:
    """Write the monthly Laporan Citra (in Indonesian) as HTML, PDF or XLSX, or its data model as JSON, and print
    its path."""
    from citra import reports

    if fmt not in reports.FORMATS:
        raise CitraError(f"--format {fmt!r}: choose one of {', '.join(reports.FORMATS)}")
    if period is not None:
        period = "{:04d}-{:02d}".format(*reports.parse_period(period))
    ws, store = _open(workspace)
    with store:
        period = period or reports.default_period(store, ws)
        content = reports.build(store, ws, period, fmt)
    target = out or ws.root / "reports" / f"laporan-citra-{period}.{fmt}"
    try:
        private.make_dir(target.parent)
        private.write_bytes(target, content)
    except OSError as exc:
        raise CitraError(f"cannot write {target}: {exc}") from None
    if history:  # the Laporan page lists it (downloadable there while it is in the reports folder)
        kept = target.name if target.resolve().parent == (ws.root / "reports").resolve() else ""
        with store:
            store.report_history.add(period, fmt, via="cli", by=_who(), file=kept, detail=str(target))
    sys.stdout.write(f"{target}\n")


def _who() -> str:
    """The system user running the command (empty when the system has no name for it)."""
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return ""
