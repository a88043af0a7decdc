"""citra commands: what the team should label next (``citra label queue``) and going back to the previous
sentiment model (``citra train rollback``)."""

from __future__ import annotations

import sys
from typing import Annotated, Any

import typer

from citra import csvsafe
from citra.cli.analysis import label_app
from citra.cli.common import WorkspaceOpt, _echo_json, _open, _query, err
from citra.cli.sentiment import train_app
from citra.labelqueue import SHEET_COLUMNS, Task


@label_app.command("queue")
def label_queue(
    n: Annotated[int, typer.Option("--n", help="How many posts.", min=1, max=1000)] = 50,
    task: Annotated[Task, typer.Option("--task", help="What to label.")] = Task.SENTIMENT,
    random: Annotated[
        bool,
        typer.Option("--random", help="A uniform random sample, recorded as audit sample (unbiased measurement)."),
    ] = False,
    since: Annotated[str | None, typer.Option("--since", help="From this date (YYYY-MM-DD, workspace zone).")] = None,
    until: Annotated[str | None, typer.Option("--until", help="Up to and including this date.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print a JSON array.")] = False,
    as_csv: Annotated[bool, typer.Option("--csv", help="Print CSV for a spreadsheet (the default).")] = False,
    workspace: WorkspaceOpt = None,
) -> None:
    """Citizens' posts to label next: where the model is least sure, spread over distinct texts and topics; or,
    with --random, a random audit sample. Fill the sentiment, opd or needs_response column and load the file
    back with `citra label import FILE --label-col sentiment --opd-col opd --needs-response-col needs_response`."""
    from citra import labelqueue
    from citra.curate import os_actor

    ws, store = _open(workspace)
    window = _query(ws, since, until, None)
    with store:
        if random:
            items = labelqueue.draw_audit(store, os_actor(), task, n, since=window.since, until=window.until)
        else:
            items = labelqueue.queue(store, task, n, since=window.since, until=window.until)
    rows = [labelqueue.sheet_row(item) for item in items]
    if as_json:
        _echo_json(rows)
    else:
        writer = csvsafe.DictWriter(sys.stdout, fieldnames=SHEET_COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    what = "drawn at random into the audit sample" if random else "to label"
    err.print(f"{len(rows):,} posts {what} ({task.value})")


@train_app.command("rollback")
def train_rollback(
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    no_analyze: Annotated[
        bool, typer.Option("--no-analyze", help="Do not re-analyse posts with the restored model.")
    ] = False,
    workspace: WorkspaceOpt = None,
) -> None:
    """Go back to the sentiment model the last retrain replaced (run it again to undo)."""
    from citra.retrain import rollback

    ws, store = _open(workspace)
    with store:
        done: dict[str, Any] = rollback(ws, store, reanalyse=not no_analyze)
    if as_json:
        _echo_json(done)
        return
    err.print(f"Sentiment model now {done['version']} (was {done['replaced']}).")
    if done["stale"]:
        err.print(f"{done['stale']:,} posts still carry the other model's labels: run citra analyze")
    elif done["reanalysed"]:
        err.print(f"Re-analysed {done['reanalysed']:,} posts.")
