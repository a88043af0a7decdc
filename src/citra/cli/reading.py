"""citra commands: reading."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from itertools import islice
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from citra import config, vocab
from citra.cli.common import WorkspaceOpt, _open, _query, app, err
from citra.errors import CitraError
from citra.records import Intent, Sentiment, StoredPost
from citra.store import Order, PostQuery, Store


@app.command()
def posts(
    since: Annotated[str | None, typer.Option(help="From this date or time (workspace zone).")] = None,
    until: Annotated[str | None, typer.Option(help="Before this date or time (a date includes that day).")] = None,
    platform: Annotated[str | None, typer.Option(help="Only this platform.")] = None,
    query: Annotated[
        str | None,
        typer.Option(
            "--query",
            "-q",
            "--search",
            help='Text query: words (all must occur), "exact phrase", OR, -exclude, (groups), prefix*.',
        ),
    ] = None,
    sentiment: Annotated[str | None, typer.Option(help="negative, neutral or positive (a team label wins).")] = None,
    topic: Annotated[str | None, typer.Option(help="Only posts of this topic id.")] = None,
    opd: Annotated[str | None, typer.Option(help="Only posts routed to this OPD.")] = None,
    target: Annotated[str | None, typer.Option(help="Only posts about KIND:NAME, e.g. leader:Hendra.")] = None,
    intent: Annotated[
        str | None, typer.Option(help="complaint, question, praise, information, request or other.")
    ] = None,
    needs_response: Annotated[
        bool | None,
        typer.Option("--needs-response/--no-needs-response", help="Only posts needing an answer (or not)."),
    ] = None,
    official: Annotated[
        bool | None, typer.Option("--official/--citizen", help="Only official accounts' posts, or only citizens'.")
    ] = None,
    with_annotations: Annotated[
        bool, typer.Option("--with-annotations", help="Add what citra says of each post (csv and jsonl).")
    ] = False,
    limit: Annotated[int, typer.Option(help="At most this many (0: all).")] = 20,
    fmt: Annotated[str, typer.Option("--format", help="table, csv or jsonl.")] = "table",
    workspace: WorkspaceOpt = None,
) -> None:
    """Show stored posts, newest first, filtered in the database."""
    from citra import export as out

    if fmt not in ("table", "csv", "jsonl"):
        raise CitraError(f"--format {fmt!r}: choose table, csv or jsonl")
    ws, store = _open(workspace)
    chosen = _query(
        ws,
        since,
        until,
        platform,
        query,
        official=official,
        sentiment=vocab.optional(Sentiment, sentiment, "--sentiment"),
        topic=topic.strip() if topic and topic.strip() else None,
        opd=opd.strip() if opd and opd.strip() else None,
        target=vocab.target(target, "--target"),
        intent=vocab.optional(Intent, intent, "--intent"),
        needs_response=needs_response,
    )
    with store:
        found = islice(store.each(chosen, batch=min(limit or 2000, 2000)), limit or None)
        if fmt == "csv":
            out.write_csv(found, sys.stdout, ws.tz, annotations=with_annotations)
        elif fmt == "jsonl":
            out.write_jsonl(found, sys.stdout.buffer, ws.tz, raw=False, annotations=with_annotations)
        else:
            _posts_table(store, chosen, found, ws)


def _posts_table(store: Store, query: PostQuery, found: Iterable[StoredPost], ws: config.Workspace) -> None:
    from rich.markup import escape
    from rich.table import Table

    console = Console()
    table = Table(show_lines=False)
    for column in ("waktu", "platform", "akun", "teks", "sentimen", "suka", "id"):
        table.add_column(column, overflow="fold")
    shown = 0
    for stored in found:
        post = stored.post
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
            stored.sentiment.value if stored.sentiment else "-",
            str(post.engagement.likes if post.engagement.likes is not None else "-"),
            post.native_id,
        )
    console.print(table)
    err.print(f"{shown:,} shown of {store.count(query):,} matching posts")


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
    query = replace(_query(ws, since, until, platform), order=Order.OLDEST)
    with store:
        n = out_mod.export(store.each(query, raw=True), fmt, out, ws.tz)
    err.print(f"Wrote {n:,} posts to {out}")
