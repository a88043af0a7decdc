"""Time share of voice and spillover on a workspace: the library calls behind the CLI, the API and the Jaringan
section, median of ``--runs`` runs each, over the whole history of the workspace (the worst case: every post).

    .venv/bin/python bench/voice_bench.py /tmp/voice-demo [--runs 3]
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from citra import config, voice
from citra.store import Store
from citra.web.voice import voice_section


def _median(fn: Callable[[], Any], runs: int) -> tuple[float, Any]:
    times, out = [], None
    for _ in range(runs):
        start = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("workspace", type=Path)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    ws = config.load(args.workspace)
    with Store.open(ws.database_url) as store:
        for freq in ("day", "week", "month"):
            seconds, result = _median(lambda f=freq: voice.share_of_voice(store, ws, f), args.runs)
            volume = sum(r.volume for r in result.totals)
            print(f"share_of_voice {freq:5s} {seconds:7.2f} s  ({len(result.rows)} rows, {volume:,} mentions)")
        for freq in ("day", "week"):
            seconds, result = _median(lambda f=freq: voice.spillover(store, ws, f), args.runs)
            n = result.total.negative if result.total else 0
            print(f"spillover      {freq:5s} {seconds:7.2f} s  ({len(result.rows)} rows, {n:,} negative)")
        first = min((r.period for r in result.rows), default=None)
        if first is not None:
            last = max(r.period for r in result.rows)
            seconds, _ = _median(lambda: voice_section(store, ws, first, last), args.runs)
            print(f"voice_section  all   {seconds:7.2f} s  (the Jaringan section over the whole history)")


if __name__ == "__main__":
    main()
