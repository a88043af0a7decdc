"""Time of the deep tier per 1,000 posts on the demo workspace (SQLite), split into the encoder + head and the
database (the queue query, saving vectors and labels, replacing the annotations).

Works on a copy of the demo's database, so the demo is left as it was. Each run labels the next ``--posts`` posts
of the queue (the most urgent, newest first) through ``citra.deep.deepen``, as ``citra analyze`` does; the texts go
through ``bench/embed_cache.py`` so each set is embedded once for every benchmark (a run on texts already cached
times the database side only, and says so). Run by hand after ``citra demo --no-serve -w /tmp/h2-demo``:

    .venv/bin/python bench/deep_bench.py --workspace /tmp/h2-demo --posts 1000 --runs 3
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))
from citra import config, deep
from citra.nlp.deep_sentiment import DeepSentimentModel
from citra.nlp.deeptier import DeepTier
from citra.store import Store
from embed_cache import cached_embed, encoder


class TimedTier(DeepTier):
    """The deep tier with its embedding through the shared cache, and the time spent in it counted."""

    spent = 0.0

    def label(self, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        started = time.perf_counter()
        vecs = cached_embed(list(texts), "deep-bench-demo")
        probs = self.model.predict_proba_vectors(vecs, texts)
        self.spent += time.perf_counter() - started
        return vecs, probs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workspace", type=Path, default=Path("/tmp/h2-demo"))
    parser.add_argument("--posts", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "ws"
        shutil.copytree(args.workspace, root, ignore=shutil.ignore_patterns("reports", "data"))
        ws = config.load(root)
        tier = TimedTier(encoder(), DeepSentimentModel.load())
        rows = []
        with Store.open(ws.database_url) as store:
            mode = ws.settings.nlp.deep
            started = time.perf_counter()
            queue = store.deep.count(tier.version, mode)
            count_s = time.perf_counter() - started
            started = time.perf_counter()
            store.deep.pending(tier.version, mode, deep.BATCH)
            pending_s = time.perf_counter() - started
            for _ in range(args.runs):
                tier.spent = 0.0
                started = time.perf_counter()
                done = deep.deepen(store, tier, mode, limit=args.posts)
                total = time.perf_counter() - started
                rows.append((done.labelled, total, tier.spent, total - tier.spent))
        per = [(t / n * 1000, e / n * 1000, d / n * 1000) for n, t, e, d in rows]
        print(f"queue ({mode}): {queue:,} posts; count {count_s:.2f} s, one batch's query {pending_s * 1000:.0f} ms")
        for n, t, e, d in rows:
            print(f"run: {n:,} posts in {t:.1f} s (encoder + head {e:.1f} s, database {d:.1f} s)")
        for name, k in (("total", 0), ("encoder + head", 1), ("database", 2)):
            print(f"median per 1,000 posts, {name}: {statistics.median(p[k] for p in per):.1f} s")


if __name__ == "__main__":
    main()
