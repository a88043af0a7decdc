"""Coverage of the corrected share intervals (docs/citra-index.md) by simulation: a classifier with a known
confusion matrix labels simulated posts whose true sentiment is known; a random audit of 50, 100 or 200 posts
estimates the matrix; each replication scores the 95 % intervals of several periods against their true shares.

Uncorrected = what citra shows without an audit: the Jeffreys interval of the model's label counts. Corrected =
``Correction.shares`` (bootstrap over the audit posts + Dirichlet draws of the period). Run by hand:

    .venv/bin/python bench/index_coverage.py --reps 400 --periods 6
"""

from __future__ import annotations

import argparse
import time

import numpy as np
from scipy import stats

from citra.analytics.correction import Correction

# P(model label | true label), rows/columns positive, neutral, negative: close to the shipped model off its domain
# (it calls many neutral questions and some polite complaints negative, and some praise neutral)
CONFUSION = np.array([[0.70, 0.20, 0.10], [0.10, 0.55, 0.35], [0.05, 0.10, 0.85]])
MEAN_SHARES = np.array([0.25, 0.45, 0.30])  # true shares of a period are drawn around these


def classify(rng: np.random.Generator, truth: np.ndarray) -> np.ndarray:
    u = rng.random(len(truth))[:, None]
    return (u > np.cumsum(CONFUSION[truth], axis=1)).sum(axis=1)


def replicate(rng: np.random.Generator, audit: int, periods: int, volume: int, rep: int) -> dict[str, np.ndarray]:
    """One audit and ``periods`` periods: hits and widths of both intervals, (periods, 3) each."""
    base = rng.dirichlet(MEAN_SHARES * 40)  # the city's share mix, different each replication
    truth = rng.choice(3, size=audit, p=base)
    table = np.zeros((3, 3), dtype=int)
    np.add.at(table, (truth, classify(rng, truth)), 1)
    shares = rng.dirichlet(base * 60, size=periods)  # each period's true shares (a super-population)
    model = np.array([np.bincount(classify(rng, rng.choice(3, size=volume, p=p)), minlength=3) for p in shares])
    corrected = Correction(table, seed=rep).shares(model, np.zeros_like(model))
    a = model + 0.5
    lo = stats.beta.ppf(0.025, a, a.sum(1, keepdims=True) - a)
    hi = stats.beta.ppf(0.975, a, a.sum(1, keepdims=True) - a)
    return {
        "hit_u": (lo <= shares) & (shares <= hi),
        "width_u": hi - lo,
        "hit_c": (corrected.low <= shares) & (shares <= corrected.high),
        "width_c": corrected.high - corrected.low,
        "err_u": np.abs(model / volume - shares),
        "err_c": np.abs(corrected.point - shares),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=400)
    parser.add_argument("--periods", type=int, default=6)
    parser.add_argument("--volume", type=int, nargs="+", default=[300, 3000])
    parser.add_argument("--audits", type=int, nargs="+", default=[50, 100, 200])
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    print("| audit labels | posts per period | intervals | share | coverage uncorrected | coverage corrected |")
    print("| ---: | ---: | ---: | --- | ---: | ---: |")
    widths = []
    for volume in args.volume:
        for audit in args.audits:
            rng = np.random.default_rng([args.seed, audit, volume])
            started = time.perf_counter()
            runs = [replicate(rng, audit, args.periods, volume, rep) for rep in range(args.reps)]
            took = (time.perf_counter() - started) / args.reps
            got = {k: np.concatenate([r[k] for r in runs]) for k in runs[0]}
            for j, name in enumerate(("positive", "neutral", "negative")):
                print(
                    f"| {audit} | {volume:,} | {len(got['hit_c'])} | {name} | {got['hit_u'][:, j].mean():.3f} | "
                    f"{got['hit_c'][:, j].mean():.3f} |"
                )
            widths.append(
                (audit, volume, got["width_u"].mean(0), got["width_c"].mean(0), got["err_u"].mean(0),
                 got["err_c"].mean(0), took)
            )  # fmt: skip
    print("\n| audit labels | posts per period | mean width uncorrected (pos/neu/neg) | mean width corrected | "
          "mean abs. error uncorrected | mean abs. error corrected | s per replication |")  # fmt: skip
    print("| ---: | ---: | --- | --- | --- | --- | ---: |")
    for audit, volume, wu, wc, eu, ec, took in widths:
        fmt = lambda v: " / ".join(f"{x:.3f}" for x in v)  # noqa: E731
        print(f"| {audit} | {volume:,} | {fmt(wu)} | {fmt(wc)} | {fmt(eu)} | {fmt(ec)} | {took:.3f} |")


if __name__ == "__main__":
    main()
