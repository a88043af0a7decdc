"""Sentence vectors in the learned router, and the nearest routed complaint, on the Purbalingga complaints.

Run from the repository root:  .venv/bin/python bench/routing_vectors.py [--seeds 10] [--markdown]

The protocol of bench/routing_curve.py (same data, seeds, 30 % of distinct texts held apart, models trained on the
first 100, 500 and all other rows), with the held-apart rows read in two parts: VALIDATION = those in the DEV half of
bench/routing_eval.py's split, where the variant and the similarity threshold are chosen, and HELD-OUT = those in
its HELD-OUT half, reported. Vectors: ``citra.nlp.encoder.Encoder`` through bench/embed_cache.py (one embedding of
the raw texts per encoder version).

Variants, all from one ``train_router(..., vectors=...)`` per seed and size: n-gram (the text model alone, what
the fast tier uses), vectors (the vector head alone), both (the fused probabilities a model with vectors gives),
and each with the taxonomy (``Router.route(..., learned=...)``; HELD-OUT only: the taxonomy was developed on DEV).
Nearest complaint (``citra.nlp.similar.nearest`` over the vectors of the training rows): whether the category of
the most similar training complaint is the held-apart complaint's, overall and above similarity thresholds.
Speed: ``nearest`` for a page of 25 items against 10,000 and 100,000 random unit vectors (median of 20).
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import time
from typing import Any

import numpy as np

from citra.nlp.normalize import Normalizer
from citra.nlp.routed import read_routed
from citra.nlp.router import evaluate, train_router
from citra.nlp.similar import RoutedIndex, nearest
from embed_cache import cached_embed, encoder
from routing_curve import DATA, category_router, label, summary
from routing_eval import split_of

THRESHOLDS = (0.0, 0.85, 0.88, 0.9, 0.92)
PARTS = ("validation", "heldout")


def run(seeds: int, test_share: float, sizes: list[int]) -> dict[str, Any]:
    routed = read_routed(DATA, text_col="text", label_col="kategori")
    vectors = cached_embed(routed.texts, "purbalingga-complaints")
    normalizer = Normalizer.default()
    rows = [(t, normalizer.normalize(t), label(k)) for t, k in routed.rows]
    router = category_router()
    figures: dict[str, dict[str, list[float]]] = {}
    near: dict[str, dict[str, list[float]]] = {}
    seconds: list[float] = []

    def add(name: str, gold: list[str], predicted: list[str | None]) -> None:
        result = evaluate(gold, predicted)
        for metric in ("n", "macro_f1", "accuracy"):
            figures.setdefault(name, {}).setdefault(metric, []).append(result[metric])

    for seed in range(seeds):
        texts = sorted({t for t, _, _ in rows})
        random.Random(seed).shuffle(texts)
        held = set(texts[: round(len(texts) * test_share)])
        order = {t: i for i, t in enumerate(texts)}
        pool = sorted((i for i, r in enumerate(rows) if r[0] not in held), key=lambda i: order[rows[i][0]])
        test = [i for i, r in enumerate(rows) if r[0] in held]
        part = {"validation": [j for j, i in enumerate(test) if split_of(rows[i][0]) == "dev"]}
        part["heldout"] = [j for j, i in enumerate(test) if split_of(rows[i][0]) == "heldout"]
        gold = [rows[i][2] for i in test]
        for size in sizes:
            chosen = pool[:size] if size else pool
            name = f"{size or 'all'}"
            started = time.perf_counter()
            model = train_router(
                [rows[i][1] for i in chosen],
                [rows[i][2] for i in chosen],
                vectors=vectors[chosen],
                vector_model=encoder().version,
            )
            seconds.append(time.perf_counter() - started)
            assert model.vectors is not None
            normalized = [rows[i][1] for i in test]
            text_only = model.scores(normalized)
            fused = model.scores(normalized, list(vectors[test]))
            head = model.vectors.decision(vectors[test]).argmax(axis=1)
            variants = {
                "n-gram": [next(iter(s)) for s in text_only],
                "vectors": [model.agencies[c] for c in head],
                "both": [next(iter(s)) for s in fused],
            }
            for p in PARTS:
                for variant, predicted in variants.items():
                    add(f"{variant}@{name}/{p}", [gold[j] for j in part[p]], [predicted[j] for j in part[p]])
            for variant, scores in (("n-gram", text_only), ("both", fused)):
                js = part["heldout"]
                routes = [router.route(rows[test[j]][0], rows[test[j]][1], learned=scores[j]) for j in js]
                add(
                    f"{variant} + taxonomy@{name}/heldout",
                    [gold[j] for j in js],
                    [r[0].opd if r else None for r in routes],
                )
            index = RoutedIndex.build([(i, rows[i][2], vectors[i]) for i in chosen])
            found = nearest(index, vectors[test], k=1, min_similarity=-1.0)
            for p in PARTS:
                for threshold in THRESHOLDS:
                    js = [j for j in part[p] if found[j][0].similarity >= threshold]
                    key = f"nearest@{name}/{p}/>={threshold}"
                    right = sum(found[j][0].opd == gold[j] for j in js)
                    near.setdefault(key, {}).setdefault("right", []).append(right / len(js) if js else 0.0)
                    near[key].setdefault("shown", []).append(len(js) / len(part[p]))
        print(f"seed {seed} done", flush=True, file=__import__("sys").stderr)
    return {
        "data": DATA.name,
        "rows": len(rows),
        "encoder": encoder().version,
        "seeds": seeds,
        "results": {n: {m: summary(v) for m, v in ms.items()} for n, ms in figures.items()},
        "paired": paired(figures),
        "nearest": {n: {m: summary(v) for m, v in ms.items()} for n, ms in near.items()},
        "train_seconds_median": round(statistics.median(seconds), 2),
        "search": search_speed(),
    }


def paired(figures: dict[str, dict[str, list[float]]]) -> dict[str, dict[str, Any]]:
    """Per seed, macro-F1 of vectors and both minus n-gram on the same rows: median, range, seeds better."""
    out = {}
    for name, metrics in figures.items():
        variant, _, rest = name.partition("@")
        if variant in ("vectors", "both", "both + taxonomy"):
            base = figures[f"{'n-gram + taxonomy' if 'taxonomy' in variant else 'n-gram'}@{rest}"]["macro_f1"]
            diffs = [a - b for a, b in zip(metrics["macro_f1"], base, strict=True)]
            out[name] = {**summary(diffs), "seeds_better": sum(d > 0 for d in diffs), "seeds": len(diffs)}
    return out


def search_speed(page: int = 25, repeats: int = 20) -> dict[str, float]:
    rng = np.random.default_rng(0)
    out = {}
    for n in (10_000, 100_000):
        matrix = rng.standard_normal((n, 384)).astype(np.float32)
        rows = [(i, f"opd{i % 20}", matrix[i]) for i in range(n)]
        started = time.perf_counter()
        index = RoutedIndex.build(rows)
        build = time.perf_counter() - started
        queries = index.matrix[:page]
        times = []
        for _ in range(repeats):
            started = time.perf_counter()
            nearest(index, queries, k=3, exclude=list(range(page)))
            times.append(time.perf_counter() - started)
        out[f"{n}"] = {
            "build_s": round(build, 3),
            "page_ms_median": round(statistics.median(times) * 1000, 1),
            "index_mb": round(index.nbytes / 1e6, 1),
        }
    return out


def markdown(result: dict[str, Any]) -> str:
    def cell(m: dict[str, float]) -> str:
        return f"{m['median']:.3f} [{m['min']:.3f}, {m['max']:.3f}]"

    lines = [
        "| router | trained on | rows (median n) | macro-F1 | accuracy |",
        "| --- | --- | --- | --- | --- |",
    ]
    for name, m in sorted(result["results"].items(), key=lambda x: (x[0].split("/")[1], x[0])):
        variant, _, rest = name.partition("@")
        size, _, p = rest.partition("/")
        lines.append(
            f"| {variant} | {size} | {p} ({m['n']['median']:.0f}) | {cell(m['macro_f1'])} | {cell(m['accuracy'])} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=10)
    parser.add_argument("--test", type=float, default=0.3)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 500, 0])
    parser.add_argument("--markdown", action="store_true")
    args = parser.parse_args()
    result = run(args.seeds, args.test, args.sizes)
    print(json.dumps(result, ensure_ascii=False, indent=1))
    if args.markdown:
        print(markdown(result))


if __name__ == "__main__":
    main()
