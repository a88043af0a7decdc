"""citra commands: spikes."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from citra.cli.common import _echo_json, app, err
from citra.errors import CitraError


@app.command("spikes")
def spikes_cmd(
    path: Annotated[Path, typer.Argument(help="CSV file with a time column and a count column.")],
    time_col: Annotated[str, typer.Option("--time-col", help="Column of the timestamps.")] = "timestamp",
    value_col: Annotated[str, typer.Option("--value-col", help="Column of the counts.")] = "value",
    threshold: Annotated[
        float | None, typer.Option("--threshold", help="Score that flags a spike (default 5.5).", min=0.0)
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help='Print {"detections": [{"time", "score"}, ...]}.')] = False,
) -> None:
    """Find spikes in any regularly spaced count series (CSV) with the crisis detector; needs no workspace."""
    from dataclasses import replace

    from citra.analytics import spikes as sp

    times, values = _spike_series(path, time_col, value_col)
    config = sp.SpikeConfig() if threshold is None else replace(sp.SpikeConfig(), threshold=threshold)
    try:
        found = sp.detect(times, values, config=config)
    except ValueError as exc:
        raise CitraError(f"{path}: {exc}") from None
    if as_json:
        _echo_json({"detections": [{"time": d.time.isoformat(), "score": round(d.score, 3)} for d in found]})
        return
    from rich.table import Table

    table = Table(title=f"Spikes in {path.name} (threshold {config.threshold:g})")
    for column in ("time", "score", "observed", "expected"):
        table.add_column(column, justify="left" if column == "time" else "right")
    for d in found:
        table.add_row(d.time.isoformat(sep=" "), f"{d.score:.1f}", f"{d.observed:,.0f}", f"{d.expected:,.1f}")
    Console().print(table)
    err.print(f"{len(found):,} spike episodes in {len(values):,} points")


def _spike_series(path: Path, time_col: str, value_col: str) -> tuple[list[datetime], list[float]]:
    """Times (sorted) and values of a CSV series; every problem becomes a CitraError naming the file."""
    import pandas as pd

    try:
        frame = pd.read_csv(path)
    except FileNotFoundError:
        raise CitraError(f"{path}: no such file") from None
    except (OSError, ValueError, UnicodeDecodeError) as exc:  # pandas' parser and empty-data errors are ValueErrors
        raise CitraError(f"{path}: cannot read as CSV ({exc})") from None
    missing = [c for c in (time_col, value_col) if c not in frame.columns]
    if missing:
        columns = ", ".join(map(str, frame.columns)) or "none"
        names = ", ".join(map(repr, missing))
        raise CitraError(f"{path}: no column {names} (columns: {columns}); use --time-col/--value-col")
    try:
        stamps = pd.to_datetime(frame[time_col])
    except (ValueError, TypeError) as exc:
        raise CitraError(f"{path}: column {time_col!r} has values that are not timestamps ({exc})") from None
    values = pd.to_numeric(frame[value_col], errors="coerce")
    bad = frame.index[values.isna() & frame[value_col].notna()]
    if len(bad) or stamps.isna().any():
        row = int(bad[0]) if len(bad) else int(stamps.isna().to_numpy().argmax())
        raise CitraError(f"{path}: line {row + 2}: {time_col!r} or {value_col!r} is not a timestamp or a number")
    order = stamps.argsort(kind="stable").to_numpy()
    return [t.to_pydatetime() for t in stamps.iloc[order]], values.iloc[order].astype(float).tolist()
