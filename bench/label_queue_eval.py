"""Does the label queue teach the model more than random labels? On real government-domain text: the vaccine-programme
tweets (gov-vaccine-id), split as in bench/sentiment_bench.py (942 tweets held apart, stratified, seed 0; a pool of
2,195). A team labels N tweets of the pool chosen (a) at random (3 orders, the orders of sentiment_bench's learning
curve), (b) least certain first by the shipped model (``labelqueue.sentiment_uncertainty``), (c) least certain
first with ``labelqueue.diversify`` (what ``citra label queue`` and "Beri label" offer); the model is retrained on the
shipped data plus those labels (weight 3, the ``citra train sentiment`` default; no cross-validation) and scored on
the held-apart tweets. It also shows why the audit sample must be random: the shipped model's accuracy on queue
labels against random labels and the held-apart truth.

    OMP_NUM_THREADS=1 .venv/bin/python bench/label_queue_eval.py [--sizes 50,100,200,400] [--json-out FILE]
    .venv/bin/python bench/label_queue_eval.py --part diversity    # near-duplicates in the queue, real X posts

Nothing here is tuned: the queue's settings are the shipped ones. The vaccine set has no license: the models are
thrown away. Figures go to docs/benchmarks.md (## The team teaches citra).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))

from citra.labelqueue import QueueItem, Task, diversify, sentiment_uncertainty, shingles
from citra.nlp.normalize import Normalizer
from citra.nlp.sentiment import LABELS, SentimentModel
from citra.nlp.train import TrainConfig, default_shared_data, default_training_set, evaluate_model, train_sentiment
from citra.records import Annotation, Platform, Post, StoredPost
from sentiment_bench import short, split_vaccine, vaccine

T0 = datetime(2021, 6, 20, tzinfo=UTC)


def queue_items(pool: list[tuple[str, Any]], probs: np.ndarray) -> list[QueueItem]:
    """The pool as the label queue sees it, least certain first (no topics: the spread is by text alone)."""
    items = []
    for i, ((text, _), p) in enumerate(zip(pool, probs, strict=True)):
        best = LABELS[int(p.argmax())]
        note = Annotation("id", 1.0, best, (float(p[0]), float(p[1]), float(p[2])))
        post = StoredPost(i, Post(Platform.X, str(i), text, T0), note)
        items.append(QueueItem(post, Task.SENTIMENT, best.value, float(p.max()), sentiment_uncertainty(p)))
    items.sort(key=lambda it: (-it.uncertainty, it.post.id))
    return items


def near_duplicate_pairs(texts: list[str], threshold: float = 0.5) -> int:
    grams = [shingles(t) for t in texts]
    return sum(
        1
        for i in range(len(grams))
        for j in range(i)
        if grams[i] and grams[j] and len(grams[i] & grams[j]) / len(grams[i] | grams[j]) >= threshold
    )


def diversity_on_x(shared: Path, n: int = 50) -> dict[str, Any]:
    """Real posts with copy-paste campaigns (x-political-issues-2025, 2,594 posts, no labels needed): near-duplicate
    pairs among the first ``n`` of the queue, least certain first without and with ``diversify``."""
    texts: list[str] = []
    for path in sorted((shared / "x-political-issues-2025" / "posts").glob("*.json")):
        texts += [str(r.get("content") or "") for r in json.loads(path.read_text(encoding="utf-8"))]
    texts = [t for t in texts if t.strip()]
    normalizer = Normalizer.default()
    probs = SentimentModel.load().predict_proba([normalizer.normalize(t) for t in texts])
    ranked = queue_items([(t, None) for t in texts], probs)
    plain = [it.post.post.text for it in ranked[:n]]
    diverse = [it.post.post.text for it in diversify(ranked, n)]
    return {
        "posts": len(texts),
        "first": n,
        "near_duplicate_pairs": {
            "uncertain": near_duplicate_pairs(plain),
            "uncertain + diverse": near_duplicate_pairs(diverse),
        },
        "distinct_normalised_texts": {
            "uncertain": len({shingles(t) for t in plain}),
            "uncertain + diverse": len({shingles(t) for t in diverse}),
        },
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--part", choices=("all", "diversity"), default="all")
    parser.add_argument("--sizes", default="50,100,200,400")
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--weight", type=float, default=3.0)
    parser.add_argument("--shared-data", type=Path, default=None)
    parser.add_argument("--json-out", type=Path, default=None)
    args = parser.parse_args()
    sizes = tuple(int(s) for s in args.sizes.split(","))
    shared = args.shared_data or default_shared_data()
    if args.part == "diversity":
        print(json.dumps(diversity_on_x(shared), indent=1))
        return
    normalizer = Normalizer.default()
    shipped = SentimentModel.load()
    test, pool = split_vaccine(vaccine(shared), normalizer, 0.3, seed=0)
    base, _ = default_training_set(shared)
    config = replace(TrainConfig(), folds=0)
    print(f"vaccine: {len(test)} held apart, {len(pool)} in the pool; shipped {shipped.version}", flush=True)
    probs = shipped.predict_proba([normalizer.normalize(t) for t, _ in pool])
    ranked = queue_items(pool, probs)
    biggest = max(sizes)
    orders: dict[str, list[list[int]]] = {
        "random": [list(np.random.default_rng(1000 + s).permutation(len(pool))) for s in range(args.seeds)],
        "uncertain": [[it.post.id for it in ranked]],
        "uncertain + diverse (citra)": [[it.post.id for it in diversify(ranked, biggest)]],
    }
    result: dict[str, Any] = {
        "machine": "2-core AMD EPYC VM (shared with other jobs)",
        "date": datetime.now(UTC).date().isoformat(),
        "shipped": f"{shipped.name}@{shipped.version}",
        "test_rows": len(test),
        "pool_rows": len(pool),
        "weight": args.weight,
    }

    # what each selection says about the shipped model (no training): the bias of non-random labels
    truth = short(evaluate_model(shipped, normalizer, test))
    estimate: dict[str, Any] = {"held-apart truth": {"n": truth["n"], "accuracy": truth["accuracy"]}}
    for name, runs in orders.items():
        for n in (100, 200):
            accs = [evaluate_model(shipped, normalizer, [pool[i] for i in order[:n]])["accuracy"] for order in runs]
            estimate[f"{name}, first {n}"] = {"n": n, "accuracy": round(float(np.mean(accs)), 4)}
    result["accuracy_estimates"] = estimate
    result["near_duplicate_pairs_in_first_100"] = {
        name: round(float(np.mean([near_duplicate_pairs([pool[i][0] for i in o[:100]]) for o in runs])), 1)
        for name, runs in orders.items()
    }
    print(json.dumps(estimate), json.dumps(result["near_duplicate_pairs_in_first_100"]), flush=True)

    def score(examples: list[tuple[str, Any, float]]) -> dict[str, Any]:
        model = train_sentiment(examples, None, data_notes=[], config=config, normalizer=normalizer)
        return short(evaluate_model(model, normalizer, test))

    started = time.perf_counter()
    zero = score(base)
    result["0"] = zero
    print(f"0 labels: {zero['macro_f1']:.4f}", flush=True)
    curve: dict[str, dict[str, Any]] = {}
    for name, runs in orders.items():
        for n in sizes:
            scored = [score(base + [(*pool[i], args.weight) for i in order[:n]]) for order in runs]
            curve[f"{name} {n}"] = {
                "labels": n,
                "macro_f1": round(float(np.mean([r["macro_f1"] for r in scored])), 4),
                "macro_f1_sd": round(float(np.std([r["macro_f1"] for r in scored])), 4),
                "accuracy": round(float(np.mean([r["accuracy"] for r in scored])), 4),
                "runs": len(scored),
                "labels_drawn": {s.value: sum(pool[i][1] is s for i in runs[0][:n]) for s in LABELS},
            }
            print(f"{name} {n}: {curve[f'{name} {n}']}", flush=True)
    result["curve"] = curve
    result["train_seconds"] = round(time.perf_counter() - started, 1)
    text = json.dumps(result, indent=1, ensure_ascii=False)
    if args.json_out:
        args.json_out.write_text(text + "\n", encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
