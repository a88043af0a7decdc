"""citra commands: ``citra network ...`` (who is speaking: interactions, coordinated groups, share of voice)."""

from __future__ import annotations

import typer

from citra.cli.common import app

network_app = typer.Typer(
    no_args_is_help=True,
    help="Who is speaking: the interaction network, coordinated groups, share of voice and spillover.",
)
app.add_typer(network_app, name="network")
