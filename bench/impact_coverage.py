"""Coverage study of ``citra.analytics.impact.estimate`` on simulated daily metrics with a known effect.

For each scenario, many seeded series are drawn from a process resembling citra's metrics (negative share with a
weekly pattern, AR(1) noise, outliers, drift, missing days; daily volumes with Poisson noise; a control series
sharing a common shock) with a step effect of known size after the intervention date. Reported per scenario:
coverage of the 95% interval, mean interval width, bias, rate of p < 0.05 (false positives when the effect is 0,
power otherwise) and seconds per estimate.

    .venv/bin/python bench/impact_coverage.py --reps 500 --jobs 2 --methods sts,its --append docs/benchmarks.md
"""

from __future__ import annotations

import argparse
import math
import platform
import sys
import time
from dataclasses import dataclass
from multiprocessing import Pool
from pathlib import Path

import numpy as np
import pandas as pd

from citra.analytics.impact import estimate
from citra.errors import CitraError

POST = 28
DAY0 = pd.Timestamp("2026-01-01")


@dataclass(frozen=True)
class Scenario:
    """One simulated setting; ``effect`` is the true average daily effect in the metric's units."""

    name: str
    kind: str  # share | counts | volume | shock
    pre: int
    effect: float
    drift: float = 0.0  # sd of a daily random-walk step in the level
    outliers: float = 0.02  # probability of an outlier day
    control: bool = False
    target: bool = True  # counts toward the coverage target (False: a deliberate threat demonstration)


SCENARIOS = (
    Scenario("share, AR(1), 90 pre-days, no effect", "share", 90, 0.0),
    Scenario("share, AR(1), 90 pre-days, +0.05", "share", 90, 0.05),
    Scenario("share, AR(1) + drift, 56 pre-days, -0.04", "share", 56, -0.04, drift=0.004),
    Scenario("share, AR(1), 28 pre-days (minimum), no effect", "share", 28, 0.0),
    Scenario("share, 6% outlier days, 60 pre-days, no effect", "share", 60, 0.0, outliers=0.06),
    Scenario("share from ~20 posts/day, 10% days missing, +0.05", "counts", 60, 0.05),
    Scenario("volume, Poisson, 90 pre-days, no effect", "volume", 90, 0.0),
    Scenario("volume, Poisson, 90 pre-days, +30/day", "volume", 90, 30.0),
    Scenario("share + common shock, with control, no effect", "shock", 90, 0.0, control=True),
    Scenario("share + common shock, with control, +0.05", "shock", 90, 0.05, control=True),
    Scenario("share + common shock, NO control, +0.05", "shock", 90, 0.05, target=False),
)


def _ar1(rng: np.random.Generator, n: int, phi: float, sd: float) -> np.ndarray:
    """Stationary AR(1) with marginal standard deviation ``sd``."""
    e = rng.normal(0.0, sd * math.sqrt(1 - phi**2), n)
    x = np.empty(n)
    x[0] = rng.normal(0.0, sd)
    for i in range(1, n):
        x[i] = phi * x[i - 1] + e[i]
    return x


def _weekly(rng: np.random.Generator, n: int, sd: float) -> np.ndarray:
    dow = rng.normal(0.0, sd, 7)
    return (dow - dow.mean())[(np.arange(n) + int(rng.integers(7))) % 7]


def simulate(sc: Scenario, seed: int) -> tuple[pd.Series, pd.DataFrame | None, pd.Timestamp]:
    """One simulated daily series (and control), and the intervention date."""
    rng = np.random.default_rng(seed)
    n = sc.pre + POST
    post = np.arange(n) >= sc.pre
    index = pd.date_range(DAY0, periods=n, freq="D")
    start = index[sc.pre]
    controls = None
    if sc.kind == "volume":
        level = rng.uniform(80, 200)
        lam = level * np.exp(_weekly(rng, n, 0.15) + _ar1(rng, n, rng.uniform(0.3, 0.7), 0.12))
        y = rng.poisson(lam + sc.effect * post).astype(float)
        return pd.Series(y, index=index), None, start
    base = rng.uniform(0.2, 0.4) + _weekly(rng, n, 0.03) + np.cumsum(rng.normal(0.0, sc.drift, n))
    noise = _ar1(rng, n, rng.uniform(0.3, 0.7), 0.04)
    if sc.kind == "shock":
        common = _ar1(rng, n, 0.8, 0.04)
        lag = np.arange(n) - sc.pre - int(rng.integers(0, 5))
        common += np.where(lag >= 0, 0.1 * 0.9 ** np.clip(lag, 0, None), 0.0)  # shock felt by both
        noise = 0.5 * noise + rng.uniform(0.6, 1.2) * common
        other = rng.uniform(0.2, 0.4) + _weekly(rng, n, 0.03) + common + _ar1(rng, n, 0.5, 0.015)
        if sc.control:
            controls = pd.DataFrame({"kota lain": other}, index=index)
    outlier = rng.random(n) < sc.outliers
    noise += outlier * rng.choice([-1.0, 1.0], n) * rng.uniform(0.1, 0.25, n)
    p = np.clip(base + noise + sc.effect * post, 0.0, 1.0)
    if sc.kind == "counts":
        size = rng.poisson(20, n)
        y = np.where(size > 0, rng.binomial(size, p) / np.maximum(size, 1), np.nan)
        y[rng.random(n) < 0.10] = np.nan
    else:
        y = p
    return pd.Series(y, index=index), controls, start


def _one(args: tuple[int, int, str]) -> tuple[int, str, float, float, float, float, float] | None:
    i, seed, method = args
    sc = SCENARIOS[i]
    series, controls, start = simulate(sc, seed)
    t = time.perf_counter()
    try:
        r = estimate(series, start, controls=controls, method=method)  # type: ignore[arg-type]
    except CitraError:
        return None
    return i, method, r.effect, r.ci_low, r.ci_high, r.p_value, time.perf_counter() - t


def run(reps: int, jobs: int, methods: list[str], only: list[int]) -> pd.DataFrame:
    """Run every scenario ``reps`` times per method and summarise."""
    tasks = [(i, 1000 * i + s, m) for i in only for m in methods for s in range(reps)]
    with Pool(jobs) as pool:
        rows = [r for r in pool.imap_unordered(_one, tasks, chunksize=8) if r is not None]
    df = pd.DataFrame(rows, columns=["i", "method", "effect", "lo", "hi", "p", "sec"])
    df["truth"] = [SCENARIOS[i].effect for i in df["i"]]
    df["covered"] = (df["lo"] <= df["truth"]) & (df["truth"] <= df["hi"])
    out = df.groupby(["i", "method"]).agg(
        n=("effect", "size"),
        coverage=("covered", "mean"),
        width=("hi", "mean"),
        lo=("lo", "mean"),
        bias=("effect", "mean"),
        truth=("truth", "first"),
        sig=("p", lambda p: float((p < 0.05).mean())),
        sec=("sec", "mean"),
    )
    out["width"] -= out.pop("lo")
    out["bias"] -= out.pop("truth")
    return out.reset_index()


def _fmt(x: float) -> str:
    return f"{x:.3f}" if abs(x) < 10 else f"{x:.1f}"


def table(summary: pd.DataFrame) -> str:
    """The summary as a Markdown table."""
    lines = [
        "| scenario | method | n | coverage | mean width | bias | p<0.05 rate | s/estimate |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for row in summary.itertuples():
        sc = SCENARIOS[row.i]
        rate = f"{row.sig:.3f} ({'FPR' if sc.effect == 0 else 'power'})"
        name = sc.name + ("" if sc.target else " (threat demo)")
        lines.append(
            f"| {name} | {row.method} | {row.n} | {row.coverage:.3f} | {_fmt(row.width)} | {_fmt(row.bias)} "
            f"| {rate} | {row.sec:.3f} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reps", type=int, default=200)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--methods", default="sts,its")
    ap.add_argument("--only", default="", help="comma-separated scenario numbers (default: all)")
    ap.add_argument("--append", type=Path, help="append the results section to this Markdown file")
    args = ap.parse_args(argv)
    only = [int(x) for x in args.only.split(",") if x] or list(range(len(SCENARIOS)))
    t = time.perf_counter()
    summary = run(args.reps, args.jobs, args.methods.split(","), only)
    wall = time.perf_counter() - t
    print(table(summary))
    print(f"wall time {wall:.0f} s")
    for m, g in summary.groupby("method"):
        tg = g[[SCENARIOS[i].target for i in g["i"]]]
        print(f"{m}: min coverage over target scenarios {tg['coverage'].min():.3f}, mean {tg['coverage'].mean():.3f}")
    if args.append:
        _append(args.append, summary, wall, args)
    return 0


def _append(path: Path, summary: pd.DataFrame, wall: float, args: argparse.Namespace) -> None:
    """Append the section with one write, re-reading the file just before (others append too)."""
    cmd = f".venv/bin/python bench/impact_coverage.py --reps {args.reps} --jobs {args.jobs} --methods {args.methods}"
    section = "\n".join(
        [
            "## Strategy impact: interval coverage",
            "",
            f"Machine: 2 cores, Python {platform.python_version()}; date 2026-11-23; wall time {wall:.0f} s.",
            f"Command: `{cmd}`. Scenarios: `bench/impact_coverage.py`; method: `docs/impact-method.md`.",
            "Coverage = share of replications whose 95% interval contains the true average daily effect"
            " (target >= 0.90); width = mean interval width in the metric's units;",
            "p<0.05 rate = false-positive rate when the effect is 0,",
            "power otherwise. 'sts' is the default method.",
            "",
            table(summary),
            "",
        ]
    )
    current = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n"
    path.write_text(current.rstrip("\n") + "\n\n" + section, encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
