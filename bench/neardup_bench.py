"""Near-duplicate search (citra.analytics.neardup): speed on random unit vectors, and the pairs it finds on real posts.

    .venv/bin/python bench/neardup_bench.py speed 20000 100000
    .venv/bin/python bench/neardup_bench.py pairs      # x-political-issues-2025 (../shared/data), e5 vectors cached

``pairs`` prints the pair counts per stratum (cosine x shingle Jaccard) and writes a seeded sample of pairs to label
by hand (``--sample out.json``): the rule's positives and the pairs just outside it."""

from __future__ import annotations

import glob
import json
import random
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))
from citra.analytics.neardup import MIN_CHARS, MIN_JACCARD, SHINGLE, THRESHOLD, jaccard, shingles, similar_pairs
from embed_cache import cached_embed

DATA = Path(__file__).parents[2] / "shared" / "data" / "x-political-issues-2025" / "posts"


def speed(sizes: list[int], window_hours: float | None = None, repeats: int = 1) -> None:
    """All pairs, or (``window_hours``) pairs of posts at most that far apart, posts spread over 72 hours."""
    rng = np.random.default_rng(0)
    for n in sizes:
        x = rng.standard_normal((n, 384)).astype(np.float32)
        x /= np.linalg.norm(x, axis=1, keepdims=True)
        when = rng.uniform(0, 72 * 3600, n)
        window = window_hours * 3600 if window_hours else None
        took = []
        for _ in range(repeats):
            t = time.perf_counter()
            similar_pairs(x, THRESHOLD, times=when if window else None, window=window)
            took.append(time.perf_counter() - t)
        what = f"window {window_hours} h over 72 h" if window else "all pairs"
        print(f"{n:>7} vectors, {what}: {statistics.median(took):.1f} s (median of {repeats})")


def pairs(sample_path: str | None, seed: int = 2026) -> None:
    texts = [r["content"] for f in sorted(glob.glob(str(DATA / "*.json"))) for r in json.loads(Path(f).read_text())]
    v = cached_embed(texts, "x-political-issues")
    p = similar_pairs(v, 0.0)
    s = np.einsum("ij,ij->i", v[p[:, 0]], v[p[:, 1]])
    sh = [shingles(t) for t in texts]
    short = np.array([len(x) + SHINGLE - 1 < MIN_CHARS for x in sh])
    j = np.array([jaccard(sh[a], sh[b]) for a, b in p])
    pred = (s >= THRESHOLD) & (j >= MIN_JACCARD) & ~(short[p[:, 0]] | short[p[:, 1]])
    strata = {
        "P": pred,
        "N1": (s >= THRESHOLD) & ~pred,
        "N2": (s >= 0.85) & (s < THRESHOLD) & (j >= 0.2),
        "N3": (s < 0.85) & (j >= MIN_JACCARD),
    }
    print(f"{len(texts)} posts, {len(p)} pairs; " + ", ".join(f"{k}: {int(m.sum())}" for k, m in strata.items()))
    if sample_path:
        rng = random.Random(seed)
        wanted = {"P": 40, "N1": 25, "N2": 25, "N3": 10}
        out = {}
        for k, m in strata.items():
            idx = [int(x) for x in np.nonzero(m)[0]]
            out[k] = [
                [int(p[x, 0]), int(p[x, 1]), float(s[x]), float(j[x])]
                for x in rng.sample(idx, min(wanted[k], len(idx)))
            ]
        Path(sample_path).write_text(json.dumps(out))


if __name__ == "__main__":
    if sys.argv[1] == "speed":  # speed N... [--window HOURS]
        args = sys.argv[2:]
        hours = None
        if "--window" in args:
            at = args.index("--window")
            hours, args = float(args[at + 1]), args[:at] + args[at + 2 :]
        speed([int(n) for n in args], hours)
    else:
        pairs(sys.argv[2] if len(sys.argv) > 2 else None)
