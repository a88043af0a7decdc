"""Sentiment benchmark: the shipped model on held-out sets, clean cross-validation on SmSA train, the in-domain
learning curve on vaccine-programme tweets, and throughput on one core (normalisation included).

    OMP_NUM_THREADS=1 taskset -c 0 .venv/bin/python bench/sentiment_bench.py [--parts held,baseline,cv,curve,speed]
        [--seeds 3] [--weight 3] [--shared-data DIR] [--json-out FILE] [--model DIR]

Figures go to docs/benchmarks.md (## Sentiment). The vaccine set has no license: it is only scored here and used for
the learning-curve models, which are thrown away.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp

from citra.nlp.datasets import parse_label_map, read_labelled
from citra.nlp.normalize import Normalizer
from citra.nlp.sentiment import LABELS, SentimentModel
from citra.nlp.train import TrainConfig, default_shared_data, default_training_set, evaluate_model, train_sentiment
from citra.records import Sentiment

VACCINE_MAP = ["-1.0=negative", "0.0=neutral", "1.0=positive"]
Labelled = list[tuple[str, Sentiment]]


def vaccine(shared: Path) -> Labelled:
    path = shared / "gov-vaccine-id" / "train.csv"
    return read_labelled(path, text_col="norm", label_col="posneg", label_map=parse_label_map(VACCINE_MAP))


def short(metrics: dict[str, Any]) -> dict[str, Any]:
    keep = ("n", "macro_f1", "accuracy", "ece")
    out = {k: metrics[k] for k in keep if k in metrics}
    out["f1"] = {label: m["f1"] for label, m in metrics["per_class"].items()}
    return out


# held-out sets ------------------------------------------------------------------------------------------------------


def held(shared: Path, folder: Path | None = None) -> dict[str, Any]:
    model, normalizer = SentimentModel.load(folder), Normalizer.default()
    sets = {
        "smsa_valid": read_labelled(shared / "smsa" / "valid_preprocess.tsv"),
        "nusax_valid": read_labelled(shared / "nusax-senti-id" / "valid.csv"),
        "vaccine_all": vaccine(shared),
    }
    result = {name: evaluate_model(model, normalizer, rows) for name, rows in sets.items()}
    return {"model": f"{model.name}@{model.version}", **result}


def baseline(shared: Path) -> dict[str, Any]:
    """The published classical baseline (IndoNLU tutorial: word 1-3-gram counts, min_df=3, logistic regression;
    0.779 macro-F1 on the SmSA test set), trained on SmSA train and scored on the same held-out sets."""
    from sklearn.feature_extraction.text import CountVectorizer
    from sklearn.linear_model import LogisticRegression

    from citra.nlp.train import scores

    train = read_labelled(shared / "smsa" / "train_preprocess.tsv")
    vectorizer = CountVectorizer(ngram_range=(1, 3), min_df=3)
    classifier = LogisticRegression(max_iter=2000)
    classifier.fit(vectorizer.fit_transform([t for t, _ in train]), [LABELS.index(label) for _, label in train])
    sets = {
        "smsa_valid": read_labelled(shared / "smsa" / "valid_preprocess.tsv"),
        "nusax_valid": read_labelled(shared / "nusax-senti-id" / "valid.csv"),
        "vaccine_all": vaccine(shared),
    }
    out = {}
    for name, rows in sets.items():
        predicted = classifier.predict(vectorizer.transform([t for t, _ in rows]))
        out[name] = short(scores([LABELS.index(label) for _, label in rows], predicted))
    return out


# cross-validation -----------------------------------------------------------------------------------------------


def char5_sets(texts: list[str]) -> sp.csr_matrix:
    """Binary char-5-gram sets of lower-cased texts with every non-[a-z0-9] character deleted (as in SOURCE.md)."""
    vocab: dict[str, int] = {}
    rows, cols = [], []
    for i, text in enumerate(texts):
        s = re.sub(r"[^a-z0-9]", "", text.lower())
        for g in {s[j : j + 5] for j in range(max(len(s) - 4, 1))}:
            rows.append(i)
            cols.append(vocab.setdefault(g, len(vocab)))
    return sp.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(texts), len(vocab)))


def near_duplicates(a: list[str], b: list[str], threshold: float = 0.5) -> list[set[int]]:
    """For each text of ``a``, the indices of ``b`` with char-5-gram Jaccard >= threshold."""
    both = char5_sets(a + b)
    ma, mb = both[: len(a)], both[len(a) :]
    inter = (ma @ mb.T).tocoo()
    size_a, size_b = np.asarray(ma.sum(1)).ravel(), np.asarray(mb.sum(1)).ravel()
    jaccard = inter.data / (size_a[inter.row] + size_b[inter.col] - inter.data)
    out: list[set[int]] = [set() for _ in a]
    for r, c in zip(inter.row[jaccard >= threshold], inter.col[jaccard >= threshold], strict=True):
        out[r].add(int(c))
    return out


def cross_validation(shared: Path, folds: int = 5) -> dict[str, Any]:
    """Folds of SmSA train; the other shipped data is added to each training part, minus NusaX rows that
    near-duplicate the test fold."""
    from sklearn.model_selection import StratifiedKFold

    smsa = read_labelled(shared / "smsa" / "train_preprocess.tsv")
    nusax = read_labelled(shared / "nusax-senti-id" / "train.csv")
    extra, _ = default_training_set(shared, names=("prdect-id",))
    dups = near_duplicates([t for t, _ in nusax], [t for t, _ in smsa])
    y = [LABELS.index(label) for _, label in smsa]
    config = replace(TrainConfig(), folds=0)
    normalizer = Normalizer.default()
    runs = []
    for train, test in StratifiedKFold(folds, shuffle=True, random_state=0).split(smsa, y):
        held_out = set(test.tolist())
        examples = [(*smsa[i], 1.0) for i in train] + extra
        examples += [(*e, 1.0) for e, d in zip(nusax, dups, strict=True) if not d & held_out]
        model = train_sentiment(examples, None, data_notes=[], config=config, normalizer=normalizer)
        runs.append(evaluate_model(model, normalizer, [smsa[i] for i in test]))
        print(f"  cv fold {len(runs)}: macro-F1 {runs[-1]['macro_f1']:.4f}", flush=True)
    f1 = [r["macro_f1"] for r in runs]
    acc = [r["accuracy"] for r in runs]
    return {
        "folds": folds,
        "macro_f1": round(float(np.mean(f1)), 4),
        "macro_f1_sd": round(float(np.std(f1)), 4),
        "accuracy": round(float(np.mean(acc)), 4),
        "per_fold": f1,
        "nusax_near_duplicates_of_smsa_train": sum(bool(d) for d in dups),
    }


# learning curve -------------------------------------------------------------------------------------------------


def split_vaccine(rows: Labelled, normalizer: Normalizer, test_share: float, seed: int) -> tuple[Labelled, Labelled]:
    """A stratified held-apart part and a pool; texts equal after normalisation stay on one side."""
    rng = np.random.default_rng(seed)
    groups: dict[str, list[int]] = {}
    for i, (text, _) in enumerate(rows):
        groups.setdefault(normalizer.normalize(text), []).append(i)
    test: list[int] = []
    for label in LABELS:
        members = [g for g in groups.values() if rows[g[0]][1] == label]
        target = round(test_share * sum(len(g) for g in members))
        taken = 0
        for k in rng.permutation(len(members)):
            if taken >= target:
                break
            test += members[k]
            taken += len(members[k])
    chosen = set(test)
    return [rows[i] for i in sorted(chosen)], [r for i, r in enumerate(rows) if i not in chosen]


def learning_curve(
    shared: Path, seeds: int, weight: float, sizes: tuple[int, ...] = (50, 100, 200), test_share: float = 0.3
) -> dict[str, Any]:
    normalizer = Normalizer.default()
    config = replace(TrainConfig(), folds=0)
    base, _ = default_training_set(shared)
    test, pool = split_vaccine(vaccine(shared), normalizer, test_share, seed=0)
    print(f"  vaccine: {len(test)} held apart, {len(pool)} in the pool", flush=True)

    def score(examples: list[tuple[str, Sentiment, float]]) -> dict[str, Any]:
        model = train_sentiment(examples, None, data_notes=[], config=config, normalizer=normalizer)
        return short(evaluate_model(model, normalizer, test))

    zero = score(base)
    print(f"  0 labels: {zero['macro_f1']:.4f}", flush=True)
    runs: dict[str, list[dict[str, Any]]] = {}
    for seed in range(seeds):
        order = np.random.default_rng(1000 + seed).permutation(len(pool))
        for size in sizes:
            labels = [(*pool[i], weight) for i in order[:size]]
            runs.setdefault(f"{size}", []).append(score(base + labels))
            print(f"  seed {seed} {size} labels (w={weight}): {runs[f'{size}'][-1]['macro_f1']:.4f}", flush=True)
        top = sizes[-1]
        for other in (1.0, 10.0):
            labels = [(*pool[i], other) for i in order[:top]]
            runs.setdefault(f"{top} w={other:g}", []).append(score(base + labels))
        only = [(*pool[i], 1.0) for i in order[:top]]
        runs.setdefault(f"{top} only (no shipped data)", []).append(score(only))
        runs.setdefault(f"all {len(pool)} pool + shipped data (w={weight:g})", [])
        if seed == 0:
            runs[f"all {len(pool)} pool + shipped data (w={weight:g})"].append(
                score(base + [(*r, weight) for r in pool])
            )
    summary = {
        key: {
            "macro_f1": round(float(np.mean([r["macro_f1"] for r in rs])), 4),
            "macro_f1_sd": round(float(np.std([r["macro_f1"] for r in rs])), 4),
            "accuracy": round(float(np.mean([r["accuracy"] for r in rs])), 4),
            "runs": len(rs),
        }
        for key, rs in runs.items()
    }
    return {"test_rows": len(test), "pool_rows": len(pool), "weight": weight, "0": zero, "curve": summary}


# speed ---------------------------------------------------------------------------------------------------------------


def speed(shared: Path, repeats: int = 10, batch: int = 5000, folder: Path | None = None) -> dict[str, Any]:
    """Texts/s of normalise + predict_proba in batches of ``batch``, by wall clock and by CPU time of this process:
    one pass over every distinct labelled text at hand (caches cold at the start), then repeated texts (warm)."""
    reviews = [t for t, _ in read_labelled(shared / "smsa" / "valid_preprocess.tsv")]
    reviews += [t for t, _ in read_labelled(shared / "nusax-senti-id" / "valid.csv")]
    tweets = [t for t, _ in vaccine(shared)]
    others, _ = default_training_set(shared)
    distinct = list(dict.fromkeys(tweets + reviews + [t for t, _, _ in others]))
    started = time.perf_counter()
    model, normalizer = SentimentModel.load(folder), Normalizer.default()
    load_seconds = time.perf_counter() - started
    model.predict_proba(["siap"])  # builds the lookup index
    index_seconds = time.perf_counter() - started - load_seconds

    def rate(items: list[str], step: Any) -> dict[str, int]:
        wall, cpu = time.perf_counter(), time.process_time()
        for i in range(0, len(items), batch):
            step(items[i : i + batch])
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        return {"texts": len(items), "wall_per_s": round(len(items) / wall), "cpu_per_s": round(len(items) / cpu)}

    def both(chunk: list[str]) -> None:
        model.predict_proba([normalizer.normalize(t) for t in chunk])

    normalized = [normalizer.normalize(t) for t in tweets]
    return {
        "cpu_affinity": sorted(os.sched_getaffinity(0)),
        "omp_num_threads": os.environ.get("OMP_NUM_THREADS"),
        "load_seconds": round(load_seconds, 3),
        "index_seconds": round(index_seconds, 3),
        "mean_chars_tweets": round(float(np.mean([len(t) for t in tweets]))),
        "mean_chars_reviews": round(float(np.mean([len(t) for t in reviews]))),
        "cold_first_pass": rate(distinct, both),
        "warm_tweets": rate(tweets * repeats, both),
        "warm_reviews": rate(reviews * repeats, both),
        "normalize_only_tweets": rate(tweets * repeats, lambda c: [normalizer.normalize(t) for t in c]),
        "model_only_tweets": rate(normalized * repeats, model.predict_proba),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--parts", default="held,baseline,cv,curve,speed")
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--weight", type=float, default=3.0)
    parser.add_argument("--shared-data", type=Path, default=None)
    parser.add_argument("--json-out", type=Path, default=None)
    parser.add_argument("--model", type=Path, default=None, help="Model folder for held and speed (default: shipped).")
    args = parser.parse_args()
    shared = args.shared_data or default_shared_data()
    parts = args.parts.split(",")
    result: dict[str, Any] = {}
    if "held" in parts:
        result["held"] = held(shared, args.model)
        for name, m in result["held"].items():
            if isinstance(m, dict):
                print(f"{name}: macro-F1 {m['macro_f1']:.4f} acc {m['accuracy']:.4f} ECE {m['ece']:.4f}", flush=True)
    if "baseline" in parts:
        result["baseline"] = baseline(shared)
        print("baseline:", json.dumps({k: v["macro_f1"] for k, v in result["baseline"].items()}), flush=True)
    if "cv" in parts:
        result["cv"] = cross_validation(shared)
        print("cv:", json.dumps({k: v for k, v in result["cv"].items() if k != "per_fold"}), flush=True)
    if "curve" in parts:
        result["curve"] = learning_curve(shared, args.seeds, args.weight)
        print("curve:", json.dumps(result["curve"]["curve"], indent=1), flush=True)
    if "speed" in parts:
        result["speed"] = speed(shared, folder=args.model)
        print("speed:", json.dumps(result["speed"]), flush=True)
    if args.json_out:
        args.json_out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
