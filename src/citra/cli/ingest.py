"""citra commands: ingest."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from citra import vocab
from citra.cli.common import WorkspaceOpt, _echo_json, _open, _pairs, _zone, app, err
from citra.records import Platform


@app.command()
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="Export files (CSV, XLSX, JSON, JSONL, optionally .gz).")],
    fmt: Annotated[
        str,
        typer.Option(
            "--format", help="auto, tweet-harvest, x-v2, 4cat, meta-graph, youtube, lapor, csv, jsonl or xlsx."
        ),
    ] = "auto",
    platform: Annotated[
        str | None, typer.Option("--platform", help="Platform of the posts (x, instagram, lapor, ...).")
    ] = None,
    maps: Annotated[list[str] | None, typer.Option("--map", help="FIELD=COLUMN for generic tables.")] = None,
    tz: Annotated[str | None, typer.Option("--tz", help="Zone of timestamps without one (default: workspace).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON summary object.")] = False,
    workspace: WorkspaceOpt = None,
) -> None:
    """Import export files into the store, exactly once (re-imports update engagement)."""
    from citra.ingest import ingest as run_ingest
    from citra.sources.base import ReadOptions

    column_map = dict(_pairs(maps or [], "--map", "FIELD=COLUMN, e.g. --map text=isi"))
    ws, store = _open(workspace)
    chosen = vocab.optional(Platform, platform, "--platform")
    opts = ReadOptions(chosen, _zone(tz, ws.tz), column_map, ws.official_handles())
    with store, _progress(enabled=not as_json and err.is_terminal) as progress:
        try:
            summary = run_ingest(store, ws, paths, fmt, opts, progress=progress)
        except KeyboardInterrupt:
            err.print("Interrupted: everything committed so far is kept; run the same command again to finish.")
            raise typer.Exit(130) from None
    if as_json:
        _echo_json(summary.as_dict())
    else:
        _print_summary(summary)
    if summary.status != "done":
        raise typer.Exit(3)


class _progress:
    """A Rich progress line per file on a terminal; a no-op otherwise."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self._bar: Any = None
        self._tasks: dict[str, Any] = {}

    def __enter__(self) -> Any:
        if not self.enabled:
            return None
        from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

        self._bar = Progress(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            TextColumn("{task.completed:,} rows"),
            TimeElapsedColumn(),
            console=err,
        )
        self._bar.__enter__()
        return self.update

    def update(self, path: str, rows: int) -> None:
        if path not in self._tasks:
            self._tasks[path] = self._bar.add_task(Path(path).name, total=None)
        self._bar.update(self._tasks[path], completed=rows)

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.__exit__(*exc)


def _print_summary(summary: Any) -> None:
    from rich.table import Table

    table = Table(title=f"Import {summary.batch}: {summary.status}")
    for column in ("file", "format", "read", "inserted", "updated", "rejected"):
        table.add_column(column, justify="right" if column not in ("file", "format") else "left")
    for f in summary.files:
        table.add_row(f.path, f.format or "-", f"{f.read:,}", f"{f.inserted:,}", f"{f.updated:,}", f"{f.rejected:,}")
    err.print(table)
    for f in summary.files:
        for warning in f.warnings:
            err.print(f"[yellow]warning[/yellow] {f.path}: {warning}", markup=True, highlight=False)
        if f.error:
            err.print(f"[red]error[/red] {f.error}")
    if summary.rejects_path:
        err.print(f"Rejected rows and why: {summary.rejects_path}")


@app.command("imports")
def imports_list(
    limit: Annotated[int, typer.Option("--limit", help="How many runs, newest first.")] = 20,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object per line.")] = False,
    workspace: WorkspaceOpt = None,
) -> None:
    """List recent import runs; a run whose process is gone (killed) is marked interrupted first."""
    from rich.table import Table

    _ws, store = _open(workspace)
    with store:
        runs = store.runs.recent(limit)
    if as_json:
        for run in runs:
            _echo_json(run)
        return
    table = Table(title="Imports")
    for column in ("id", "command", "status", "started", "read", "inserted", "updated", "rejected"):
        table.add_column(column, justify="right" if column in ("read", "inserted", "updated", "rejected") else "left")
    for r in runs:
        started = f"{r['started_at']:%Y-%m-%d %H:%M}"
        counts = (f"{r[k]:,}" for k in ("read", "inserted", "updated", "rejected"))
        table.add_row(r["id"], r["command"], r["status"], started, *counts)
    err.print(table)
