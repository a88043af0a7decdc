"""citra commands: demo."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from citra.cli.common import app, err


@app.command()
def demo(
    workspace: Annotated[Path, typer.Option("--workspace", "-w", help="Folder of the demo workspace.")] = Path("demo"),
    no_serve: Annotated[bool, typer.Option("--no-serve", help="Set up only; do not start the dashboard.")] = False,
    days: Annotated[int, typer.Option("--days", help="Days of simulated posts.", min=30, max=730)] = 120,
    seed: Annotated[int, typer.Option("--seed", help="Seed of the simulated city.")] = 7,
    host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Port to listen on.", min=1, max=65535)] = 8000,
) -> None:
    """The whole of citra on a fictional city: simulate, ingest, analyse, scan, report, and serve the dashboard."""
    from citra.cli.web import serve
    from citra.demo import ADMIN, build

    result = build(workspace, days=days, seed=seed, say=lambda line: err.print(line, highlight=False))
    err.print(
        f"\nDemo ready in {result.steps[-1][1]:.0f} s: {result.rows:,} posts, {result.alerts} alerts, "
        f"{result.interventions} interventions" + (f", report {result.report}" if result.report else ""),
        highlight=False,
    )
    sys.stdout.write(f"user: {ADMIN}\npassword: {result.password}\n")
    sys.stdout.flush()
    if no_serve:
        err.print(f"Start the dashboard with: citra serve --workspace {workspace}", highlight=False)
        return
    serve(host=host, port=port, secure_cookies=False, workspace=workspace)
