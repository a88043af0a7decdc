"""citra commands: data subjects' requests (``citra privacy forget|export``)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import orjson
import typer

from citra import curate, private
from citra.cli.common import WorkspaceOpt, _open, app, err

privacy_app = typer.Typer(
    no_args_is_help=True, help="Data subjects' requests: what is held about a person, and forgetting it."
)
app.add_typer(privacy_app, name="privacy")

AuthorOpt = Annotated[str | None, typer.Option("--author", help="The person's handle (any case, with or without @).")]
PlatformOpt = Annotated[str | None, typer.Option("--platform", help="Only the handle's posts on this platform.")]
PostOpt = Annotated[list[int] | None, typer.Option("--post", help="A stored post's id (repeatable).")]


@privacy_app.command("forget")
def forget(
    author: AuthorOpt = None,
    platform: PlatformOpt = None,
    post: PostOpt = None,
    pseudonymise: Annotated[
        bool,
        typer.Option(
            "--pseudonymise",
            help="Keep the posts' measures, replacing the author by a keyed pseudonym and removing text, link and "
            "raw record (default: remove the posts and everything derived from them).",
        ),
    ] = False,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Only say how many posts would be forgotten.")] = False,
    workspace: WorkspaceOpt = None,
) -> None:
    """Forget a person's posts everywhere citra keeps them (posts, raw records, search index, annotations, labels,
    inbox, alert samples, audit details, rejects logs); later imports leave them out. Audited under a pseudonym."""
    from citra import privacy

    ws, store = _open(workspace)
    with store:
        who = {"author": author, "platform": platform, "post_ids": post or ()}
        if dry_run:
            ids, _ = privacy.posts_of(store, author, platform, post or ())
            err.print(f"Would forget {len(ids):,} posts (and the rows derived from them); nothing changed.")
            return
        done = privacy.forget(store, ws, curate.os_actor(), pseudonymise=pseudonymise, **who)
    rows = ", ".join(f"{n:,} {name}" for name, n in sorted(done.changed.items()) if n) or "no other rows"
    err.print(f"{done.mode.capitalize()} {done.posts:,} posts ({rows}); {done.rejects_lines} rejects log lines removed")
    err.print(f"Deleted {done.cached_reports} reports the dashboard had built. Audited as {done.subject}.")
    if done.reports:
        err.print(
            f"{len(done.reports)} report files in {done.reports[0].parent} were written before and may quote these "
            "posts: write them again (citra report) or delete them."
        )


@privacy_app.command("export")
def export(
    author: AuthorOpt = None,
    platform: PlatformOpt = None,
    post: PostOpt = None,
    out: Annotated[Path | None, typer.Option("--out", help="Write to this file (0600) instead of stdout.")] = None,
    workspace: WorkspaceOpt = None,
) -> None:
    """Everything citra holds about a person, as one JSON object: posts with raw records, annotations, topics,
    targets, routes, labels, inbox entries, audit entries, alert samples, rejects log lines. Audited."""
    from citra import privacy

    ws, store = _open(workspace)
    with store:
        who = {"author": author, "platform": platform, "post_ids": post or ()}
        data = privacy.export(store, ws, curate.os_actor(), **who)
    body = orjson.dumps(data, default=str, option=orjson.OPT_INDENT_2 | orjson.OPT_NON_STR_KEYS) + b"\n"
    if out is None:
        sys.stdout.buffer.write(body)
        return
    private.write_bytes(out, body)
    err.print(f"Wrote {len(data['posts']):,} posts and what is held about them to {out}")
