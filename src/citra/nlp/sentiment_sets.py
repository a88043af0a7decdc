"""Real government-domain sentiment sets in ``../shared/data`` (evaluation only), and the seeded dev / held-out split.

The government sets may not go into a shipped model (no licence to redistribute), and SmSA / NusaX valid are kept for
evaluation; the bench and the real-data tests read them from the shared data folder. Any choice tuned on a set uses
its DEV part only; figures are reported on HELD. The split is a hash of the case- and space-folded text with a seed,
so equal texts always fall on the same side.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from citra.nlp.datasets import parse_label_map, read_labelled
from citra.nlp.normalize import Normalizer
from citra.nlp.sentiment import LABELS, SentimentModel
from citra.nlp.train import expected_calibration_error, scores, text_hash
from citra.records import Sentiment

DEV_SHARE = 0.4
SEED = 0
VACCINE_MAP = ("-1.0=negative", "0.0=neutral", "1.0=positive")


@dataclass(frozen=True)
class LabelledSet:
    """Texts with gold labels; ``binary``: gold has no neutral, so the model is scored on positive vs negative."""

    name: str
    rows: list[tuple[str, Sentiment]]
    binary: bool = False


def is_dev(text: str, seed: int = SEED, share: float = DEV_SHARE) -> bool:
    """Whether a text belongs to the dev part (a stable hash of its case- and space-folded form)."""
    return text_hash(text, seed) < share


def split(rows: list[tuple[str, Sentiment]], seed: int = SEED) -> tuple[list, list]:
    """(dev, held) parts of labelled rows."""
    dev = [r for r in rows if is_dev(r[0], seed)]
    held = [r for r in rows if not is_dev(r[0], seed)]
    return dev, held


def vaccine(shared: Path) -> LabelledSet:
    """gov-vaccine-id (COVID-19 vaccination tweets, 3 classes, ``norm`` column)."""
    path = shared / "gov-vaccine-id" / "train.csv"
    rows = read_labelled(path, text_col="norm", label_col="posneg", label_map=parse_label_map(VACCINE_MAP))
    return LabelledSet("gov-vaccine-id", rows)


def pilkada(shared: Path) -> LabelledSet:
    """gov-pilkada-dki2017 (Jakarta election tweets, positive / negative)."""
    path = shared / "gov-pilkada-dki2017" / "train.csv"
    return LabelledSet("gov-pilkada-dki2017", read_labelled(path, text_col="Text Tweet", label_col="Sentiment"), True)


def sapawarga(shared: Path) -> LabelledSet:
    """sapawarga-reviews (citizen-service app reviews; 4-5 stars positive, 1-2 stars negative)."""
    path = shared / "sapawarga-reviews" / "reviews.csv"
    mapping = parse_label_map(["1=positive", "0=negative"])
    return LabelledSet(
        "sapawarga-reviews",
        read_labelled(path, text_col="content", label_col="label_sentiment", label_map=mapping),
        True,
    )


def smsa_valid(shared: Path) -> LabelledSet:
    return LabelledSet("smsa-valid", read_labelled(shared / "smsa" / "valid_preprocess.tsv"))


def nusax_valid(shared: Path) -> LabelledSet:
    return LabelledSet("nusax-valid", read_labelled(shared / "nusax-senti-id" / "valid.csv"))


def complaints(shared: Path) -> list[str]:
    """The 834 Purbalingga complaint texts (every one is a complaint: none should read as positive)."""
    with (shared / "purbalingga-complaints" / "complaints.csv").open(encoding="utf-8", newline="") as f:
        return [row["text"] for row in csv.DictReader(f) if row["text"].strip()]


def x_posts(shared: Path) -> list[str]:
    """The texts of the x-political-issues-2025 posts (unlabelled)."""
    texts: list[str] = []
    for path in sorted((shared / "x-political-issues-2025" / "posts").glob("*.json")):
        texts.extend(p["content"] for p in json.loads(path.read_text(encoding="utf-8")) if p.get("content"))
    return texts


def evaluate(model: SentimentModel, normalizer: Normalizer, data: LabelledSet, rows: list | None = None) -> dict:
    """Macro-F1, accuracy, ECE and predicted shares of ``model`` on ``rows`` (default: all rows of ``data``).

    Binary sets are scored on the larger of the positive and negative probabilities (renormalised over the two), as
    their gold has no neutral; the three-way predicted shares are reported as well."""
    rows = data.rows if rows is None else rows
    probs = model.predict_proba([normalizer.normalize(t) for t, _ in rows])
    gold = np.array([LABELS.index(label) for _, label in rows], dtype=np.int64)
    shares = np.bincount(probs.argmax(axis=1), minlength=len(LABELS)) / max(len(rows), 1)
    predicted = {f"predicted_{s.value}": round(float(v), 4) for s, v in zip(LABELS, shares, strict=True)}
    if not data.binary:
        return {**scores(gold, probs.argmax(axis=1)), "ece": expected_calibration_error(probs, gold), **predicted}
    neg, pos = LABELS.index(Sentiment.NEGATIVE), LABELS.index(Sentiment.POSITIVE)
    two = probs[:, [neg, pos]] / probs[:, [neg, pos]].sum(axis=1, keepdims=True)
    gold2 = (gold == pos).astype(np.int64)
    result = _binary_scores(gold2, two.argmax(axis=1))
    return {**result, "ece": expected_calibration_error(two, gold2), **predicted}


def _binary_scores(gold: np.ndarray, predicted: np.ndarray) -> dict:
    f1s = []
    for c in (0, 1):
        tp = float(((predicted == c) & (gold == c)).sum())
        precision = tp / max(float((predicted == c).sum()), 1.0)
        recall = tp / max(float((gold == c).sum()), 1.0)
        f1s.append(2 * precision * recall / (precision + recall) if precision + recall else 0.0)
    return {
        "n": len(gold),
        "macro_f1": round(float(np.mean(f1s)), 4),
        "accuracy": round(float((gold == predicted).mean()) if len(gold) else 0.0, 4),
        "f1_negative": round(f1s[0], 4),
        "f1_positive": round(f1s[1], 4),
    }


def predicted_shares(model: SentimentModel, normalizer: Normalizer, texts: list[str]) -> dict[str, float]:
    """The share of texts given each label."""
    labels = model.predict_proba([normalizer.normalize(t) for t in texts]).argmax(axis=1)
    counts = np.bincount(labels, minlength=len(LABELS)) / max(len(texts), 1)
    return {s.value: round(float(v), 4) for s, v in zip(LABELS, counts, strict=True)}
