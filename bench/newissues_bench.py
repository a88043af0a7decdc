"""New issues (citra.analytics.newissues): clustering time by number of posts, and how well the clusters follow the
five issues of the x-political-issues-2025 posts (../shared/data; never used to choose the settings).

    .venv/bin/python bench/newissues_bench.py

Purity: the share of clustered posts whose issue is their cluster's most common one. Coverage: the share of posts
in some cluster (at least 5 posts from 3 authors). The time includes naming the clusters."""

from __future__ import annotations

import glob
import json
import statistics
import sys
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))
from citra.analytics.newissues import Candidate, cluster
from citra.nlp.normalize import Normalizer
from embed_cache import cached_embed

DATA = Path(__file__).parents[2] / "shared" / "data" / "x-political-issues-2025" / "posts"


def main() -> None:
    rows = [(Path(f).stem, r) for f in sorted(glob.glob(str(DATA / "*.json"))) for r in json.loads(Path(f).read_text())]
    texts = [r["content"] for _, r in rows]
    vecs = cached_embed(texts, "x-political-issues")
    norm = Normalizer.default()
    t0 = datetime(2025, 9, 1, tzinfo=UTC)
    items = [
        Candidate(k, norm.normalize(r["content"]), r["userName"], t0 + timedelta(minutes=k))
        for k, (_, r) in enumerate(rows)
    ]
    issue = [name for name, _ in rows]
    times = []
    for _ in range(3):
        t = time.perf_counter()
        found = cluster(items, vecs)
        times.append(time.perf_counter() - t)
    inside = sum(c.size for c in found)
    pure = sum(Counter(issue[i] for i in c.post_ids).most_common(1)[0][1] for c in found)
    print(f"{len(items)} real posts: {len(found)} clusters, {statistics.median(times):.2f} s (median of 3)")
    print(f"purity {pure / max(inside, 1):.3f}, coverage {inside / len(items):.3f}")
    for c in found[:12]:
        top = Counter(issue[i] for i in c.post_ids).most_common(1)[0]
        print(f"  {c.size:>4} posts, {c.authors:>3} authors, {top[0]} {top[1]}/{c.size}: {', '.join(c.terms)}")
    rng = np.random.default_rng(0)
    for n in (1000, 3000):  # the stage clusters at most MAX_POSTS = 3000
        picks = rng.integers(0, len(items), n)
        sample = [Candidate(k, items[p].text, items[p].author, items[p].created_at) for k, p in enumerate(picks)]
        x = vecs[picks] + rng.normal(scale=0.01, size=(n, vecs.shape[1])).astype(np.float32)
        x /= np.linalg.norm(x, axis=1, keepdims=True)
        t = time.perf_counter()
        cluster(sample, x)
        print(f"{n} posts (real vectors resampled with noise): {time.perf_counter() - t:.2f} s")


if __name__ == "__main__":
    main()
