"""Writing a simulation: the tweet-harvest CSV (every value quoted, UTF-8) and the ground-truth JSON."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from citra.simulate.generator import Simulation
from citra.simulate.rows import COLUMNS


def write_csv(sim: Simulation, path: Path) -> int:
    """Write every row of ``sim`` as a tweet-harvest export; returns the number of rows.

    The one CSV citra writes without ``csvsafe``: it is input for ``citra ingest`` in a third party's layout and must
    be byte-faithful to it (a reply's text starts with "@handle", which csvsafe would prefix with an apostrophe);
    its text is the simulator's own, never the public's."""
    n = 0
    with Path(path).open("w", encoding="utf-8", newline="") as f:
        out = csv.writer(f, quoting=csv.QUOTE_ALL, lineterminator="\n")
        out.writerow(COLUMNS)
        for row in sim.rows():
            out.writerow(row.values())
            n += 1
    return n


def write_truth(sim: Simulation, path: Path) -> None:
    """Write the ground truth (crises, interventions with true effects, daily expected shares) as JSON."""
    text = json.dumps(sim.truth.as_dict(), ensure_ascii=False, indent=1)
    Path(path).write_text(text + "\n", encoding="utf-8")
