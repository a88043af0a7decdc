"""Evaluate ``citra.analytics.spikes`` on the NAB realTweets series of ``../shared/data/nab-tweets`` (NAB scoring).

    .venv/bin/python bench/nab_bench.py                    # default threshold, leave-one-series-out, best-on-5
    .venv/bin/python bench/nab_bench.py --thresholds 4 5 6 --json

Scoring follows NAB's sweeper, standard profile (A_TP = 1, A_FP = -0.11, A_FN = -1): a detection at relative
position ``y`` of a window (``-1`` at its start, ``0`` at its end) scores ``sigma(y) / sigma(-1)`` with the scaled
sigmoid ``sigma(y) = 2 / (1 + exp(5 y)) - 1``; only the best (= first) detection of a window counts; a detection
outside windows scores ``0.11 * sigma(d)`` where ``d`` is its distance past the end of the previous window in
window widths (``-0.11`` before any window); a window without detection costs 1; detections in the probationary
period (the first ``min(15 % of the series, 750)`` points) are ignored. Normalised score: ``100 (raw - null) /
(perfect - null)`` with ``null`` = no detections and ``perfect`` = a detection at the start of every window.
Only 5 of the 10 realTweets series are here; the published scores cover all 58 NAB series: indicative only.
"""

from __future__ import annotations

import argparse
import json
import math
import platform
import sys
import time
from dataclasses import dataclass, replace
from pathlib import Path

import pandas as pd

from citra.analytics.spikes import SpikeConfig, detect

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data" / "nab-tweets"
A_TP, A_FP, A_FN = 1.0, 0.11, 1.0
PUBLISHED = {"ARTime": 74.9, "Numenta HTM": 70.5, "Twitter ADVec (Seasonal Hybrid ESD)": 47.1, "random": 11.0}


@dataclass(frozen=True)
class Series:
    name: str
    times: list
    values: list[float]
    windows: list[tuple[int, int]]  # index of the first and last point of each window


@dataclass(frozen=True)
class Result:
    name: str
    windows: int
    hits: int
    false: int
    raw: float
    null: float
    perfect: float

    @property
    def score(self) -> float:
        return 100 * (self.raw - self.null) / (self.perfect - self.null)


def load(folder: Path = DATA) -> list[Series]:
    labels = json.loads((folder / "anomaly_windows.json").read_text())
    out = []
    for path in sorted(folder.glob("Twitter_volume_*.csv")):
        frame = pd.read_csv(path, parse_dates=["timestamp"])
        times = [t.to_pydatetime() for t in frame["timestamp"]]
        index = {t: i for i, t in enumerate(frame["timestamp"])}
        windows = [(index[pd.Timestamp(a)], index[pd.Timestamp(b)]) for a, b in labels[path.name]]
        out.append(Series(path.stem, times, frame["value"].astype(float).tolist(), windows))
    return out


def probation(n: int) -> int:
    return int(min(math.floor(0.15 * n), 0.15 * 5000))


def sigma(y: float) -> float:
    return -1.0 if y > 3.0 else 2.0 / (1.0 + math.exp(5.0 * y)) - 1.0


def nab_score(n: int, windows: list[tuple[int, int]], detections: list[int]) -> Result:
    """NAB standard-profile score of one series (window and detection indices)."""
    start = probation(n)
    scored = [w for w in windows if w[1] >= start]
    best: dict[int, float] = {}
    fp_score, false = 0.0, 0
    for i in sorted(set(detections)):
        if i < start:
            continue
        inside = [k for k, (a, b) in enumerate(scored) if a <= i <= b]
        if inside:
            a, b = scored[inside[0]]
            value = A_TP * sigma(-(b - i + 1) / (b - a + 1)) / sigma(-1.0)
            best[inside[0]] = max(best.get(inside[0], -math.inf), value)
            continue
        before = [(a, b) for a, b in scored if b < i]
        if before:
            a, b = before[-1]
            fp_score += A_FP * sigma(abs(i - b) / (b - a))
        else:
            fp_score -= A_FP
        false += 1
    raw = sum(best.values()) + fp_score - A_FN * (len(scored) - len(best))
    return Result("", len(scored), len(best), false, raw, -A_FN * len(scored), A_TP * len(scored))


def evaluate(series: list[Series], config: SpikeConfig) -> tuple[list[Result], float]:
    """Results per series and the detector's speed in points per CPU second."""
    results, seconds, points = [], 0.0, 0
    for s in series:
        t0 = time.process_time()
        found = detect(s.times, s.values, config=config)
        seconds += time.process_time() - t0
        points += len(s.values)
        result = nab_score(len(s.values), s.windows, [d.index for d in found])
        results.append(replace(result, name=s.name))
    return results, points / seconds


def total(results: list[Result], name: str = "all") -> Result:
    return Result(
        name,
        sum(r.windows for r in results),
        sum(r.hits for r in results),
        sum(r.false for r in results),
        sum(r.raw for r in results),
        sum(r.null for r in results),
        sum(r.perfect for r in results),
    )


def loso(table: dict[float, list[Result]]) -> tuple[list[Result], list[float]]:
    """Leave one series out: each series is scored with the threshold best on the others (ties: the lower)."""
    chosen, results = [], []
    for k in range(len(next(iter(table.values())))):
        best = max(sorted(table), key=lambda t: total([r for j, r in enumerate(table[t]) if j != k]).raw)
        chosen.append(best)
        results.append(table[best][k])
    return results, chosen


def markdown(results: list[Result]) -> str:
    lines = [
        "| series | windows | hit | recall | false detections | raw | normalised |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in [*results, total(results)]:
        name = f"**{r.name}**" if r.name == "all" else r.name
        lines.append(
            f"| {name} | {r.windows} | {r.hits} | {r.hits / r.windows:.2f} | {r.false} | {r.raw:.2f} | {r.score:.1f} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--thresholds", type=float, nargs="+", default=[3.5, 4, 4.5, 5, 5.5, 6, 7, 8, 10])
    parser.add_argument("--json", action="store_true", help="Print JSON instead of markdown.")
    args = parser.parse_args()
    series = load(args.data)
    base = SpikeConfig()
    runs = {t: evaluate(series, replace(base, threshold=t)) for t in sorted({base.threshold, *args.thresholds})}
    table = {t: results for t, (results, _) in runs.items()}
    fixed = table[base.threshold]
    speed = sum(pps for _, pps in runs.values()) / len(runs)
    held, chosen = loso({t: table[t] for t in args.thresholds})
    sweep = {t: total(table[t]) for t in args.thresholds}
    best = max(sorted(sweep), key=lambda t: sweep[t].raw)
    best_results = table[best]
    if args.json:
        out = {
            "default": {"threshold": base.threshold, "series": [vars(r) | {"score": r.score} for r in fixed]},
            "loso_thresholds": chosen,
            "loso_score": total(held).score,
            "best_threshold": best,
            "sweep": {t: r.score for t, r in sweep.items()},
            "points_per_second": round(speed),
        }
        json.dump(out, sys.stdout, indent=1, default=str)
        print()
        return
    print(f"Python {platform.python_version()}, {len(series)} series, {sum(len(s.values) for s in series):,} points")
    print(f"\nDefault threshold {base.threshold} (speed {speed:,.0f} points per CPU second):\n")
    print(markdown(fixed))
    print(f"\nLeave-one-series-out (thresholds chosen: {', '.join(f'{t:g}' for t in chosen)}):\n")
    print(markdown(held))
    print(f"\nBest on these 5 (threshold {best:g}, optimistic):\n")
    print(markdown(best_results))
    points = "; ".join(f"{t:g}: {r.score:.1f} ({r.hits} hit, {r.false} false)" for t, r in sweep.items())
    print(f"\nSweep (threshold: normalised score over the 5 series): {points}")


if __name__ == "__main__":
    main()
