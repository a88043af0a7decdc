"""citra commands: simulate."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from citra.cli.common import app, err
from citra.errors import CitraError


@app.command()
def simulate(
    out: Annotated[Path, typer.Option("--out", help="CSV file to write (tweet-harvest layout).")],
    days: Annotated[int, typer.Option("--days", help="Days to simulate.", min=1, max=3650)] = 120,
    seed: Annotated[int, typer.Option("--seed", help="Random seed: the same seed gives the same file.")] = 0,
    truth: Annotated[Path | None, typer.Option("--truth", help="Also write the ground truth as JSON.")] = None,
    start: Annotated[str | None, typer.Option("--start", help="First day (YYYY-MM-DD, default 2024-07-01).")] = None,
) -> None:
    """Write a simulated city's tweet-harvest export (a crisis and interventions planted); no workspace needed."""
    from datetime import date

    from citra.simulate import Scenario, generate, write_csv, write_truth

    try:
        first = date.fromisoformat(start) if start else None
    except ValueError:
        raise CitraError(f"--start: {start!r} is not a date (use YYYY-MM-DD)") from None
    sim = generate(Scenario.default(days, seed, first))
    try:
        rows = write_csv(sim, out)
        if truth is not None:
            write_truth(sim, truth)
    except OSError as exc:
        raise CitraError(f"cannot write: {exc}") from None
    onset = sim.truth.crises[0].onset.strftime("%Y-%m-%dT%H:%M:%SZ") if sim.truth.crises else "none"
    err.print(f"Wrote {rows:,} rows over {days} days to {out} (crisis onset {onset})", highlight=False, soft_wrap=True)
