"""Deep-tier sentiment benchmark: head selection by 5-fold CV on SmSA train, SmSA valid, the vaccine-tweet learning
curve with team labels, zero-shot government sets beside the fast model, and speed on one core.

    OMP_NUM_THREADS=1 nice -n 10 .venv/bin/python bench/deep_sentiment_bench.py [--parts select,valid,curve,zero,speed]
        [--json-out FILE]

Vectors come from the shared cache (``bench/deep_sets.py`` fills it). Settings are chosen on CV folds of SmSA train
(and, for adaptation, on the vaccine pool), never on the figures reported for SmSA valid or the held-apart tweets.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))

import deep_sets as ds
from citra.nlp.deep_sentiment import DeepSentimentModel
from citra.nlp.deep_train import (
    DeepConfig,
    adapt_deep_sentiment,
    evaluate_deep,
    fit_head,
    head_scores,
    train_deep_sentiment,
)
from citra.nlp.normalize import Normalizer
from citra.nlp.sentiment import LABELS, SentimentModel
from citra.nlp.train import default_shared_data, expected_calibration_error, scores
from citra.records import Sentiment
from sentiment_bench import near_duplicates, split_vaccine

CANDIDATES: dict[str, DeepConfig] = {
    "e5 LR C0.1": DeepConfig(C=0.1),
    "e5 LR C1": DeepConfig(C=1.0),
    "e5 LR C0.3 unweighted": DeepConfig(C=0.3, class_weight=None),
    "e5+ngram SVM C0.5 s0.03": DeepConfig(classifier="linear-svm", C=0.5, ngram=True, e5_scale=0.03),
    "e5+ngram SVM C0.5 s0.05": DeepConfig(classifier="linear-svm", C=0.5, ngram=True, e5_scale=0.05),
    "e5+ngram SVM C0.5 s0.1": DeepConfig(classifier="linear-svm", C=0.5, ngram=True, e5_scale=0.1),
    "e5+ngram SVM C0.5 s0.2": DeepConfig(classifier="linear-svm", C=0.5, ngram=True, e5_scale=0.2),
    "e5+ngram LR C10 s0.1": DeepConfig(classifier="logistic", C=10.0, ngram=True, e5_scale=0.1),
}


def concat(parts: list[ds.Embedded]) -> ds.Embedded:
    return ds.Embedded(
        "+".join(p.name for p in parts),
        [t for p in parts for t in p.texts],
        np.concatenate([p.y for p in parts]),
        np.concatenate([p.weights for p in parts]),
        np.concatenate([p.vecs for p in parts]),
    )


def shipped_sets(shared: Path) -> dict[str, ds.Embedded]:
    return {name: ds.shipped_part(shared, name) for name in ds.SHIPPED_SETS}


def short(m: dict[str, Any]) -> dict[str, Any]:
    out = {k: m[k] for k in ("n", "macro_f1", "accuracy", "ece") if k in m}
    if "per_class" in m:
        out["f1"] = {label: c["f1"] for label, c in m["per_class"].items()}
    return out


def fit_eval(train: ds.Embedded, test: ds.Embedded, config: DeepConfig, normalizer: Normalizer) -> np.ndarray:
    """Raw scores on ``test`` of a head fitted on ``train`` (no calibration)."""
    norm = (lambda ts: [normalizer.normalize(t) for t in ts]) if config.ngram else list
    coef, b, ngram = fit_head(norm(train.texts), train.vecs, train.y, train.weights, config)
    return head_scores(coef, b, ngram, norm(test.texts), test.vecs)


# selection ----------------------------------------------------------------------------------------------------------


def select(shared: Path, names: list[str], folds: int = 5) -> dict[str, Any]:
    """5-fold CV on SmSA train (the other shipped sets added to each training part, minus NusaX rows that
    near-duplicate the test fold) and SmSA valid, for each candidate."""
    from sklearn.model_selection import StratifiedKFold

    sets = shipped_sets(shared)
    smsa, nusax = sets["smsa"], sets["nusax-senti-id"]
    others = concat([sets[n] for n in ds.SHIPPED_SETS if n not in ("smsa", "nusax-senti-id")])
    dups = near_duplicates(nusax.texts, smsa.texts)
    valid = ds.smsa_valid(shared)
    normalizer = Normalizer.default()
    out: dict[str, Any] = {}
    for name in names:
        config = CANDIDATES[name]
        f1s, started = [], time.perf_counter()
        for train, test in StratifiedKFold(folds, shuffle=True, random_state=0).split(smsa.texts, smsa.y):
            held = set(test.tolist())
            keep = [i for i, d in enumerate(dups) if not d & held]
            part = concat([smsa.take(train), nusax.take(keep), others])
            raw = fit_eval(part, smsa.take(test), config, normalizer)
            f1s.append(scores(smsa.y[test], raw.argmax(axis=1))["macro_f1"])
        full = concat([smsa, nusax, others])
        on_valid = scores(valid.y, fit_eval(full, valid, config, normalizer).argmax(axis=1))
        out[name] = {
            "cv_macro_f1": round(float(np.mean(f1s)), 4),
            "cv_sd": round(float(np.std(f1s)), 4),
            "per_fold": f1s,
            "valid_macro_f1": on_valid["macro_f1"],
            "seconds": round(time.perf_counter() - started, 1),
        }
        print(
            f"  {name}: CV {out[name]['cv_macro_f1']:.4f} ± {out[name]['cv_sd']:.4f}, valid "
            f"{out[name]['valid_macro_f1']:.4f} ({out[name]['seconds']} s)",
            flush=True,
        )
    return out


# SmSA valid, shipped head -------------------------------------------------------------------------------------------


def valid(shared: Path, config: DeepConfig) -> dict[str, Any]:
    """The head trained on all shipped sets (temperature on 5-fold out-of-fold scores), scored on SmSA valid; the
    fast model beside it."""
    full = concat(list(shipped_sets(shared).values()))
    model = train_deep_sentiment(full.texts, full.y, full.weights, full.vecs, data_notes=[], config=config)
    v = ds.smsa_valid(shared)
    fast, normalizer = SentimentModel.load(), Normalizer.default()
    fast_probs = fast.predict_proba([normalizer.normalize(t) for t in v.texts])
    return {
        "deep": short(evaluate_deep(model, v.texts, v.y, v.vecs)),
        "deep_cv": short(model.meta["metrics"]["cv"]),
        "temperature": model.temperature,
        "fast": short({**scores(v.y, fast_probs.argmax(axis=1)), "ece": expected_calibration_error(fast_probs, v.y)}),
    }


# vaccine learning curve ---------------------------------------------------------------------------------------------


def curve(
    shared: Path,
    chosen: DeepConfig,
    seeds: int = 3,
    weight: float = 3.0,
    sizes: tuple[int, ...] = (50, 100, 200),
    retrain: bool = True,
) -> dict:
    """The docs/benchmarks.md protocol (942 held apart, stratified, seed 0; pool 2,195; orders rng(1000 + seed)):
    (a) the shipped head adapted to the first N pool tweets (weight 3; prior strengths of the e5 and n-gram blocks
    chosen on the rest of the pool, order 0, 200 labels); (b) a head retrained on the shipped sets + the N tweets
    (weight 3, the chosen settings, the shipped head's temperature)."""
    normalizer = Normalizer.default()
    vac = ds.vaccine(shared)
    rows = list(zip(vac.texts, (LABELS[i] for i in vac.y), strict=True))
    test_rows, pool_rows = split_vaccine(rows, normalizer, 0.3, seed=0)
    index = {t: i for i, t in enumerate(vac.texts)}
    test, pool = vac.take([index[t] for t, _ in test_rows]), vac.take([index[t] for t, _ in pool_rows])
    shipped = DeepSentimentModel.load()
    base = concat(list(shipped_sets(shared).values()))
    config = replace(chosen, folds=0)

    def adapted(labels: ds.Embedded, strengths: tuple[float, float | None]) -> DeepSentimentModel:
        w = np.full(len(labels), weight)
        e5, ngram = strengths
        return adapt_deep_sentiment(
            shipped, labels.texts, labels.y, w, labels.vecs, strength=e5, ngram_strength=ngram, data_notes=[]
        )

    order0 = np.random.default_rng(1000).permutation(len(pool))
    dev, first = pool.take(order0[200:]), pool.take(order0[:200])
    choice = {}
    for strengths in [(e5, ng) for e5 in (1e-3, 3e-3, 1e-2) for ng in (None, 3e-5, 1e-4, 3e-4)]:
        choice[strengths] = evaluate_deep(adapted(first, strengths), dev.texts, dev.y, dev.vecs)["macro_f1"]
    best = max(choice, key=lambda k: choice[k])
    print(f"  adaptation strengths (e5, n-gram) on the pool (dev): {choice} -> {best}", flush=True)
    result: dict[str, Any] = {"test_rows": len(test), "pool_rows": len(pool), "strength": best}
    result["strength_dev"] = {str(k): v for k, v in choice.items()}
    result["0"] = short(evaluate_deep(shipped, test.texts, test.y, test.vecs))
    fast_probs = SentimentModel.load().predict_proba([normalizer.normalize(t) for t in test.texts])
    result["0 fast"] = short(scores(test.y, fast_probs.argmax(axis=1)))
    runs: dict[str, list[dict]] = {}
    for seed in range(seeds):
        order = np.random.default_rng(1000 + seed).permutation(len(pool))
        for size in sizes:
            labels = pool.take(order[:size])
            runs.setdefault(f"adapt {size}", []).append(
                short(evaluate_deep(adapted(labels, best), test.texts, test.y, test.vecs))
            )
            print(f"  seed {seed} {size}: adapt {runs[f'adapt {size}'][-1]['macro_f1']:.4f}", flush=True)
            if not retrain:
                continue
            labels.weights = np.full(size, weight)
            both = concat([base, labels])
            model = train_deep_sentiment(both.texts, both.y, both.weights, both.vecs, data_notes=[], config=config)
            model.temperature = shipped.temperature
            runs.setdefault(f"retrain {size}", []).append(short(evaluate_deep(model, test.texts, test.y, test.vecs)))
            print(f"  seed {seed} {size}: retrain {runs[f'retrain {size}'][-1]['macro_f1']:.4f}", flush=True)
    runs["adapt all pool (1 run)"] = [short(evaluate_deep(adapted(pool, best), test.texts, test.y, test.vecs))]
    result["curve"] = {
        key: {
            "macro_f1": round(float(np.mean([r["macro_f1"] for r in rs])), 4),
            "macro_f1_sd": round(float(np.std([r["macro_f1"] for r in rs])), 4),
            "accuracy": round(float(np.mean([r["accuracy"] for r in rs])), 4),
        }
        for key, rs in runs.items()
    }
    return result


# zero-shot government sets ------------------------------------------------------------------------------------------


def binary(y: np.ndarray, probs: np.ndarray) -> dict[str, Any]:
    """Positive vs negative: the larger of the two probabilities (gold has no neutral)."""
    neg, pos = LABELS.index(Sentiment.NEGATIVE), LABELS.index(Sentiment.POSITIVE)
    pred = np.where(probs[:, pos] > probs[:, neg], pos, neg)
    s = scores(y, pred)
    f1 = [s["per_class"][label.value]["f1"] for label in (Sentiment.NEGATIVE, Sentiment.POSITIVE)]
    two = probs[:, [neg, pos]] / probs[:, [neg, pos]].sum(axis=1, keepdims=True)
    ece = expected_calibration_error(two, (y == pos).astype(np.int64))
    return {"n": len(y), "macro_f1": round(float(np.mean(f1)), 4), "accuracy": s["accuracy"], "ece_two_way": ece}


def zero(shared: Path) -> dict[str, Any]:
    """The shipped heads of both tiers on government sets they never saw."""
    from sklearn.metrics import roc_auc_score

    deep, fast, normalizer = DeepSentimentModel.load(), SentimentModel.load(), Normalizer.default()

    def both(data: ds.Embedded) -> tuple[np.ndarray, np.ndarray]:
        return deep.predict_proba_vectors(data.vecs, data.texts), fast.predict_proba(
            [normalizer.normalize(t) for t in data.texts]
        )

    out: dict[str, Any] = {}
    vac = ds.vaccine(shared)
    for tier, probs in zip(("deep", "fast"), both(vac), strict=True):
        out.setdefault("gov-vaccine-id (all 3,137, 3 classes)", {})[tier] = short(
            {**scores(vac.y, probs.argmax(axis=1)), "ece": expected_calibration_error(probs, vac.y)}
        )
    for load in (ds.pilkada, ds.sapawarga):
        data = load(shared)
        for tier, probs in zip(("deep", "fast"), both(data), strict=True):
            shares = np.bincount(probs.argmax(axis=1), minlength=3) / len(data)
            out.setdefault(data.name, {})[tier] = {**binary(data.y, probs), "predicted_neutral": round(shares[1], 4)}
    texts, is_complaint, vecs = ds.complaint_or_not(shared)
    item = ds.Embedded("complaint-or-not", texts, is_complaint, np.ones(len(texts)), vecs)
    for tier, probs in zip(("deep", "fast"), both(item), strict=True):
        neg = probs[:, LABELS.index(Sentiment.NEGATIVE)]
        label = probs.argmax(axis=1)
        out.setdefault("purbalingga complaint-or-not", {})[tier] = {
            "n": len(texts),
            "auc_p_negative": round(float(roc_auc_score(is_complaint, neg)), 4),
            "negative_share_complaints": round(float((label[is_complaint == 1] == 0).mean()), 4),
            "negative_share_not": round(float((label[is_complaint == 0] == 0).mean()), 4),
        }
    return out


# speed ---------------------------------------------------------------------------------------------------------------


def speed(shared: Path, n: int = 600) -> dict[str, Any]:
    """Texts/s on one core (OMP_NUM_THREADS=1, Encoder(threads=1)): the head alone on stored vectors, and
    encoder + head on vaccine tweets (cold: distinct texts); CPU time of the process and wall clock."""
    from citra.nlp.encoder import Encoder

    vac = ds.vaccine(shared)
    texts = vac.texts[:n]
    deep = DeepSentimentModel.load()

    def rate(fn: Any, count: int) -> dict[str, float]:
        wall, cpu = time.perf_counter(), time.process_time()
        fn()
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        return {"texts": count, "wall_per_s": round(count / wall, 1), "cpu_per_s": round(count / max(cpu, 1e-9), 1)}

    big = np.concatenate([vac.vecs] * 10)
    many = vac.texts * 10
    head = rate(lambda: deep.predict_proba_vectors(big, many), len(many))
    deep.encoder = Encoder(threads=1)
    deep.predict_proba(["pemanasan"])
    full = rate(lambda: deep.predict_proba(texts), len(texts))
    return {
        "omp_num_threads": os.environ.get("OMP_NUM_THREADS"),
        "encoder": deep.encoder.version,
        "mean_chars": round(float(np.mean([len(t) for t in texts]))),
        "head_only": head,
        "encoder_and_head": full,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--parts", default="select,valid,curve,zero,speed")
    parser.add_argument("--candidates", default=",".join(CANDIDATES))
    parser.add_argument("--config", default="e5+ngram SVM C0.5 s0.03", help="Candidate of --parts valid, curve.")
    parser.add_argument("--json-out", type=Path, default=None)
    parser.add_argument("--no-retrain", action="store_true", help="Curve: adaptation only (retraining is slow).")
    args = parser.parse_args()
    shared = default_shared_data()
    result: dict[str, Any] = {}
    for part in args.parts.split(","):
        print(f"== {part}", flush=True)
        if part == "select":
            result[part] = select(shared, args.candidates.split(","))
        elif part == "valid":
            result[part] = valid(shared, CANDIDATES[args.config])
        elif part == "curve":
            result[part] = curve(shared, CANDIDATES[args.config], retrain=not args.no_retrain)
        elif part == "zero":
            result[part] = zero(shared)
        elif part == "speed":
            result[part] = speed(shared)
        print(json.dumps(result[part], indent=1, default=str), flush=True)
        if args.json_out:
            args.json_out.write_text(json.dumps(result, indent=2, default=str) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
