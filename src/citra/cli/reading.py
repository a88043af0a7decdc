"""citra commands: reading."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from citra import config
from citra.cli.common import WorkspaceOpt, _open, _query, app, err
from citra.errors import CitraError
from citra.store import PostQuery, Store


@app.command()
def posts(
    since: Annotated[str | None, typer.Option(help="From this date or time (workspace zone).")] = None,
    until: Annotated[str | None, typer.Option(help="Before this date or time.")] = None,
    platform: Annotated[str | None, typer.Option(help="Only this platform.")] = None,
    search: Annotated[str | None, typer.Option(help="Only posts whose text contains this (any case).")] = None,
    limit: Annotated[int, typer.Option(help="At most this many (0: all).")] = 20,
    fmt: Annotated[str, typer.Option("--format", help="table, csv or jsonl.")] = "table",
    workspace: WorkspaceOpt = None,
) -> None:
    """Show stored posts, newest first."""
    from citra import export as out

    ws, store = _open(workspace)
    query = _query(ws, since, until, platform, search, limit or None)
    with store:
        if fmt == "csv":
            out.write_csv(store.posts(query), sys.stdout, ws.tz)
        elif fmt == "jsonl":
            out.write_jsonl(store.posts(query), sys.stdout.buffer, ws.tz, raw=False)
        elif fmt == "table":
            _posts_table(store, query, ws)
        else:
            raise CitraError(f"--format {fmt!r}: choose table, csv or jsonl")


def _posts_table(store: Store, query: PostQuery, ws: config.Workspace) -> None:
    from rich.markup import escape
    from rich.table import Table

    console = Console()
    table = Table(show_lines=False)
    for column in ("waktu", "platform", "akun", "teks", "suka", "id"):
        table.add_column(column, overflow="fold")
    shown = 0
    for post in store.posts(query):
        shown += 1
        when = post.created_at.astimezone(ws.tz).strftime("%Y-%m-%d %H:%M")
        who = ("@" + post.author.handle if post.author.handle else post.author.name or "-") + (
            " ✓" if post.is_official else ""
        )
        text = post.text.replace("\n", " ")
        table.add_row(
            when,
            post.platform.value,
            escape(who),
            escape(text[:200]),
            str(post.engagement.likes if post.engagement.likes is not None else "-"),
            post.native_id,
        )
    console.print(table)
    total = store.count_posts(PostQuery(query.since, query.until, query.platform, query.search))
    err.print(f"{shown:,} shown of {total:,} matching posts")


@app.command()
def export(
    fmt: Annotated[str, typer.Option("--format", help="csv, jsonl or parquet.")],
    out: Annotated[Path, typer.Option("--out", help="File to write.")],
    since: Annotated[str | None, typer.Option(help="From this date or time.")] = None,
    until: Annotated[str | None, typer.Option(help="Before this date or time.")] = None,
    platform: Annotated[str | None, typer.Option(help="Only this platform.")] = None,
    workspace: WorkspaceOpt = None,
) -> None:
    """Export stored posts (oldest first) to CSV, JSON lines (with raw records) or Parquet."""
    from dataclasses import replace

    from citra import export as out_mod

    ws, store = _open(workspace)
    query = replace(_query(ws, since, until, platform, None, None), newest_first=False)
    with store:
        n = out_mod.export(store.posts(query), fmt, out, ws.tz)
    err.print(f"Wrote {n:,} posts to {out}")
