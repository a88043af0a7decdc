"""The ``citra`` command line: one Typer app; each command parses input, calls the library, formats output.

The commands live in one module per area; importing them registers them on ``app``."""

from __future__ import annotations

import sys

from citra.cli import (  # noqa: F401  (registers the commands)
    alerts,
    analysis,
    backup,
    collect,
    demo,
    ingest,
    labelling,
    measure,
    network,
    network_voice,
    privacy,
    reading,
    report,
    routing,
    sentiment,
    simulate,
    spikes,
    web,
    workspace,
)
from citra.cli.common import app, err
from citra.errors import CitraError

__all__ = ["app", "main"]


def main() -> None:
    """Entry point: domain errors become one line on stderr and a non-zero exit."""
    try:
        app()
    except CitraError as exc:
        err.print(f"[red]error:[/red] {exc}", highlight=False, soft_wrap=True)
        sys.exit(exc.exit_code)
