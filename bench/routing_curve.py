"""Learning curve of the router learned from routed complaints, beside the taxonomy alone and the two combined.

Run from the repository root:  .venv/bin/python bench/routing_curve.py [--seeds 10] [--test 0.3] [--sizes 100 500 0]

Data: ../shared/data/purbalingga-complaints/complaints.csv (834 complaints, 6 project categories; no license:
evaluation only, never copied, never in a shipped model). It is the only real routed set in ../shared/data.

For each seed, the distinct texts are shuffled and ``--test`` of them (with every repeat of a text) are held apart;
models are trained on the first 100, 500 and all (0) of the other rows, in the shuffled order, with the fixed
settings of ``citra.nlp.router.RouterConfig`` (nothing is tuned here). The learned router is measured on every
held-apart row. The shipped taxonomy was developed by looking at the DEV half of this set (bench/routing_eval.py),
so the comparison with the taxonomy and the combination (``citra.nlp.routing.Router.route(..., learned=...)``) is
measured on the held-apart rows that fall in its HELD-OUT half only.

Taxonomy routes are read in category space: every service key's agency is named after its category
(bench/routing_eval.py's SERVICE_CATEGORY, fixed before measuring), as a workspace's ``[opd]`` table would, so the
taxonomy, the learned model (trained on category labels) and their combination speak of the same six names.
Names are written ``cat:<category>`` with no space so that no category word in a text reads as a named agency.
Output: one JSON object with the median and range (min, max) over seeds of macro-F1, accuracy and coverage.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any

from citra.nlp.normalize import Normalizer
from citra.nlp.routed import read_routed
from citra.nlp.router import evaluate, train_router
from routing_eval import SERVICE_CATEGORY, split_of

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "purbalingga-complaints" / "complaints.csv"


def label(category: str) -> str:
    return "cat:" + category.replace(" ", "_")


def category_router() -> Any:
    """A ranked taxonomy router whose agencies are the six categories."""
    from citra.nlp import services
    from citra.nlp.routing import Router
    from citra.nlp.topics import Taxonomy

    missing = sorted(set(services.shipped()) - set(SERVICE_CATEGORY))
    if missing:
        sys.exit(f"bench/routing_eval.py SERVICE_CATEGORY has no category for {', '.join(missing)}")
    agencies = {key: label(SERVICE_CATEGORY[key]) for key in services.shipped()}
    return Router(Taxonomy.default(agencies))


def summary(values: list[float]) -> dict[str, float]:
    return {"median": round(statistics.median(values), 3), "min": round(min(values), 3), "max": round(max(values), 3)}


def paired(figures: dict[str, dict[str, list[float]]]) -> dict[str, dict[str, Any]]:
    """Per-seed macro-F1 differences from the taxonomy on the same rows: median, range, seeds better."""
    base = figures["taxonomy/heldout-half"]["macro_f1"]
    out = {}
    for name, metrics in figures.items():
        if name.endswith("/heldout-half") and not name.startswith("taxonomy"):
            diffs = [a - b for a, b in zip(metrics["macro_f1"], base, strict=True)]
            out[name] = {**summary(diffs), "seeds_better": sum(d > 0 for d in diffs), "seeds": len(diffs)}
    return out


def run(seeds: int, test_share: float, sizes: list[int]) -> dict[str, Any]:
    routed = read_routed(DATA, text_col="text", label_col="kategori")
    normalizer = Normalizer.default()
    rows = [(t, normalizer.normalize(t), label(k)) for t, k in routed.rows]
    router = category_router()
    taxonomy_top = [(r[0].opd if (r := router.route(t, n)) else None) for t, n, _ in rows]
    figures: dict[str, dict[str, list[float]]] = {}
    sizes_used: dict[str, list[int]] = {}

    def add(name: str, gold: list[str], predicted: list[str | None]) -> None:
        result = evaluate(gold, predicted)
        for metric in ("n", "macro_f1", "accuracy", "coverage"):
            figures.setdefault(name, {}).setdefault(metric, []).append(result[metric])

    started = time.perf_counter()
    for seed in range(seeds):
        texts = sorted({t for t, _, _ in rows})
        random.Random(seed).shuffle(texts)
        held = set(texts[: round(len(texts) * test_share)])
        order = {t: i for i, t in enumerate(texts)}
        pool = sorted((i for i, r in enumerate(rows) if r[0] not in held), key=lambda i: order[rows[i][0]])
        test = [i for i, r in enumerate(rows) if r[0] in held]
        blind = [i for i in test if split_of(rows[i][0]) == "heldout"]
        gold = [rows[i][2] for i in test]
        add("taxonomy/heldout-half", [rows[i][2] for i in blind], [taxonomy_top[i] for i in blind])
        for size in sizes:
            chosen = pool[:size] if size else pool
            name = f"{size or 'all'}"
            sizes_used.setdefault(name, []).append(len(chosen))
            model = train_router([rows[i][1] for i in chosen], [rows[i][2] for i in chosen])
            scores = model.scores([rows[i][1] for i in test])
            add(f"learned@{name}", gold, [next(iter(s)) for s in scores])
            by_row = dict(zip(test, scores, strict=True))
            add(f"learned@{name}/heldout-half", [rows[i][2] for i in blind], [next(iter(by_row[i])) for i in blind])
            combined = [router.route(rows[i][0], rows[i][1], learned=by_row[i]) for i in blind]
            add(
                f"combined@{name}/heldout-half",
                [rows[i][2] for i in blind],
                [r[0].opd if r else None for r in combined],
            )
    return {
        "data": str(DATA.name),
        "rows": len(rows),
        "categories": dict(sorted({k: sum(r[2] == k for r in rows) for _, _, k in rows}.items())),
        "seeds": seeds,
        "test_share": test_share,
        "train_rows": {k: summary([float(v) for v in vs]) for k, vs in sizes_used.items()},
        "taxonomy": router.version,
        "results": {name: {m: summary(v) for m, v in metrics.items()} for name, metrics in figures.items()},
        "paired_vs_taxonomy": paired(figures),
        "seconds": round(time.perf_counter() - started, 1),
    }


def markdown(result: dict[str, Any]) -> str:
    """The results as a Markdown table: median [min, max] over seeds."""

    def cell(m: dict[str, float]) -> str:
        return f"{m['median']:.3f} [{m['min']:.3f}, {m['max']:.3f}]"

    lines = [
        "| router | rows measured on (median n) | macro-F1 | accuracy | coverage |",
        "| --- | --- | --- | --- | --- |",
    ]
    for name, m in result["results"].items():
        model, _, part = name.partition("/")
        where = f"{'held-apart, HELD-OUT half' if part else 'held-apart, all'} ({m['n']['median']:.0f})"
        lines.append(f"| {model} | {where} | {cell(m['macro_f1'])} | {cell(m['accuracy'])} | {cell(m['coverage'])} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=10)
    parser.add_argument("--test", type=float, default=0.3, help="share of distinct texts held apart per seed")
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 500, 0], help="training rows; 0: all")
    parser.add_argument("--markdown", action="store_true", help="also print a Markdown table")
    args = parser.parse_args()
    result = run(args.seeds, args.test, args.sizes)
    print(json.dumps(result, ensure_ascii=False, indent=1))
    if args.markdown:
        print(markdown(result))


if __name__ == "__main__":
    main()
