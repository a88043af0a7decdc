"""Training the sentiment model: fit the featuriser vocabulary, a linear classifier and its temperature.

``train_sentiment`` is the one entry point; ``bench/build_sentiment_model.py`` calls it to build the shipped model and
``citra train sentiment`` a workspace's own one (optionally with human labels, weighted). Texts are normalised here
with the given ``Normalizer``, exactly as the pipeline does before predicting.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from datetime import date
from itertools import chain, pairwise
from pathlib import Path
from typing import Any

import numpy as np

from citra.errors import CitraError
from citra.nlp.datasets import parse_label_map, read_labelled
from citra.nlp.normalize import Normalizer
from citra.nlp.sentiment import LABELS, Featuriser, SentimentModel, char_ngrams, softmax, tokenize
from citra.records import Sentiment

WeightedExample = tuple[str, Sentiment, float]
NAME = "citra-sentiment"
PACKAGE_DATA = Path(__file__).parent / "data"


@dataclass(frozen=True)
class TrainConfig:
    """Model settings, chosen by cross-validation on SmSA train (see docs/benchmarks.md)."""

    classifier: str = "linear-svm"  # or "logistic"
    C: float = 0.5
    class_weight: str | None = "balanced"
    min_df_word: int = 2
    min_df_char: int = 2
    char_ngrams: tuple[int, int] = (2, 5)
    char_weight: float = 1.0
    folds: int = 5
    seed: int = 0


def train_sentiment(
    examples: Sequence[WeightedExample],
    out: Path | None,
    *,
    data_notes: list[dict[str, Any]],
    config: TrainConfig | None = None,
    normalizer: Normalizer | None = None,
    evaluate: Mapping[str, Sequence[tuple[str, Sentiment]]] | None = None,
    today: date | None = None,
    calibration: Sequence[tuple[str, Sentiment]] = (),
    calibrate_bias: bool = False,
) -> SentimentModel:
    """Train on (text, label, weight) examples and save to ``out`` (when given).

    The temperature is fitted on out-of-fold scores of ``config.folds`` folds (exact duplicates kept together), whose
    scores are recorded as ``metrics.cv`` (``folds=0``: no calibration, temperature 1); ``evaluate`` names labelled
    sets to score the final model on. ``calibration``: a domain's labelled texts held apart from ``examples`` (e.g.
    part of the team's labels, see ``calibration_split``); the temperature (and a class bias with ``calibrate_bias``
    and at least ``BIAS_MIN_LABELS`` labels of every class) is then refitted on them, and the calibration error
    before and after (cross-fitted) is recorded under ``calibration.domain``. A bias fitted by log loss moves
    predictions toward the domain's commonest label: better probabilities, often a lower macro-F1."""
    config = config or TrainConfig()
    normalizer = normalizer or Normalizer.default()
    texts = [normalizer.normalize(t) for t, _, _ in examples]
    y = np.array([LABELS.index(label) for _, label, _ in examples])
    weights = np.array([float(w) for _, _, w in examples])
    if len(set(y.tolist())) < len(LABELS):
        raise CitraError("training needs examples of all three labels (positive, neutral, negative)")
    if (weights <= 0).any():
        raise CitraError("example weights must be positive")
    oof = _out_of_fold(texts, y, weights, config) if config.folds >= 2 else None  # None: too few to calibrate
    temperature = fit_temperature(oof, y, weights) if oof is not None else 1.0
    featuriser, coef, intercept = _fit(texts, y, weights, config)
    weights_bytes = coef.astype(np.float32).tobytes() + intercept.astype(np.float32).tobytes()
    meta: dict[str, Any] = {
        "trained": (today or date.today()).isoformat(),
        "normalizer": getattr(normalizer, "version", "citra.nlp.normalize"),
        "training": {"settings": asdict(config), "examples": len(examples), "data": data_notes},
        "calibration": {"method": "temperature scaling of the linear scores, fitted on out-of-fold scores"},
        "metrics": {},
    }
    if oof is not None:
        cv = {"folds": config.folds, **scores(y, oof.argmax(axis=1))}
        meta["metrics"]["cv"] = {**cv, "ece": expected_calibration_error(softmax(oof / temperature), y)}
    model = SentimentModel(NAME, "", featuriser, coef, intercept, temperature, meta)
    if calibration:
        domain = calibrate_domain(model, normalizer, calibration, calibrate_bias)
        meta["calibration"]["domain"] = domain
        meta["calibration"]["method"] += "; then refitted on held-apart labels of the domain"
        model.temperature, model.bias = domain["temperature"], np.array(domain["bias"])
        # a domain calibration changes the probabilities (and, with a bias, labels): it is part of the version
        weights_bytes += np.array([model.temperature, *model.class_bias], dtype=np.float32).tobytes()
    model.version = weights_version(weights_bytes, today)
    for name, labelled in (evaluate or {}).items():
        meta["metrics"][name] = evaluate_model(model, normalizer, labelled)
    if out is not None:
        model.save(out)
    return model


def _fit(
    texts: Sequence[str], y: np.ndarray, weights: np.ndarray, config: TrainConfig
) -> tuple[Featuriser, np.ndarray, np.ndarray]:
    from sklearn.linear_model import LogisticRegression
    from sklearn.svm import LinearSVC

    featuriser = fit_featuriser(
        texts,
        char_ngrams_range=config.char_ngrams,
        min_df_word=config.min_df_word,
        min_df_char=config.min_df_char,
        char_weight=config.char_weight,
    )
    if config.classifier == "logistic":
        classifier: Any = LogisticRegression(C=config.C, class_weight=config.class_weight, max_iter=5000)
    else:
        classifier = LinearSVC(C=config.C, class_weight=config.class_weight, max_iter=10_000, random_state=config.seed)
    classifier.fit(featuriser.transform(texts), y, sample_weight=weights)
    return featuriser, classifier.coef_, classifier.intercept_


def _out_of_fold(texts: Sequence[str], y: np.ndarray, weights: np.ndarray, config: TrainConfig) -> np.ndarray | None:
    from sklearn.model_selection import StratifiedGroupKFold

    smallest = min(Counter(y.tolist()).values())
    folds = max(2, min(config.folds, smallest))
    groups = np.unique(np.array(texts, dtype=object), return_inverse=True)[1]
    split = StratifiedGroupKFold(folds, shuffle=True, random_state=config.seed)
    oof = np.zeros((len(texts), len(LABELS)))
    for train, test in split.split(texts, y, groups):
        if len(np.unique(y[train])) < len(LABELS):
            return None
        featuriser, coef, intercept = _fit([texts[i] for i in train], y[train], weights[train], config)
        oof[test] = np.asarray(featuriser.transform([texts[i] for i in test]) @ coef.T) + intercept
    return oof


def fit_temperature(scores: np.ndarray, y: np.ndarray, weights: np.ndarray | None = None) -> float:
    """The temperature T minimising the (weighted) log loss of softmax(scores / T)."""
    from scipy.optimize import minimize_scalar

    w = np.ones(len(y)) if weights is None else weights

    def loss(log_t: float) -> float:
        z = scores / np.exp(log_t)
        z = z - z.max(axis=1, keepdims=True)
        log_p = z[np.arange(len(y)), y] - np.log(np.exp(z).sum(axis=1))
        return float(-(w * log_p).sum() / w.sum())

    return float(np.exp(minimize_scalar(loss, bounds=(-3.0, 3.0), method="bounded").x))


BIAS_MIN_LABELS = 60  # with fewer domain labels (or a class missing) only the temperature is fitted
BIAS_PRIOR = 10.0  # the class bias is shrunk toward 0 as if by this many pseudo-labels


def fit_calibration(
    scores: np.ndarray, y: np.ndarray, weights: np.ndarray | None = None, *, bias: bool = False
) -> tuple[float, np.ndarray]:
    """Temperature T and class bias b minimising the (weighted) log loss of softmax(scores / T + b); the bias has
    an L2 penalty (``BIAS_PRIOR`` pseudo-labels) and is zero when ``bias`` is False."""
    from scipy.optimize import minimize

    k = scores.shape[1]
    if not bias:
        return fit_temperature(scores, y, weights), np.zeros(k)
    w = np.ones(len(y)) if weights is None else np.asarray(weights, dtype=np.float64)
    w = w / w.sum()
    penalty = BIAS_PRIOR / (BIAS_PRIOR + len(y))

    def loss(params: np.ndarray) -> float:
        z = scores / np.exp(params[0]) + params[1:]
        z = z - z.max(axis=1, keepdims=True)
        log_p = z[np.arange(len(y)), y] - np.log(np.exp(z).sum(axis=1))
        return float(-(w * log_p).sum() + penalty * (params[1:] ** 2).sum())

    start = np.concatenate([[np.log(fit_temperature(scores, y, weights))], np.zeros(k)])
    found = minimize(loss, start, method="L-BFGS-B", bounds=[(-3.0, 3.0)] + [(-5.0, 5.0)] * k)
    b = found.x[1:] - found.x[1:].mean()
    return float(np.exp(found.x[0])), b


def calibration_split(
    labels: Sequence[tuple[str, Sentiment]], share: float = 0.3, seed: int = 0
) -> tuple[list[tuple[str, Sentiment]], list[tuple[str, Sentiment]]]:
    """(training part, calibration part) of labelled texts: a fixed hash of the text with ``seed`` decides, so equal
    texts fall together and the parts never change as labels are added."""
    train: list[tuple[str, Sentiment]] = []
    held: list[tuple[str, Sentiment]] = []
    for text, label in labels:
        (held if text_hash(text, seed) < share else train).append((text, label))
    return train, held


CALIBRATION_SHARE = 0.25  # of the team's training labels, held apart to fit the domain's temperature
CALIBRATION_MIN_LABELS = 40  # fewer held-apart labels than this: keep the training-data temperature


def domain_calibration_split(
    labels: Sequence[tuple[str, Sentiment]],
    share: float = CALIBRATION_SHARE,
    minimum: int = CALIBRATION_MIN_LABELS,
) -> tuple[list[tuple[str, Sentiment]], list[tuple[str, Sentiment]]]:
    """(labels to train on, labels to calibrate on) for ``train_sentiment(..., calibration=...)``: ``calibration_split``
    when that leaves at least ``minimum`` labels to calibrate on, else all labels to train on and none apart."""
    train, held = calibration_split(labels, share)
    return (list(labels), []) if len(held) < minimum else (train, held)


def text_hash(text: str, seed: int = 0) -> float:
    """A stable number in [0, 1) from the case- and space-folded text and a seed."""
    key = " ".join(text.casefold().split())
    digest = hashlib.sha256(f"{seed}\x00{key}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def calibrate_domain(
    model: SentimentModel,
    normalizer: Normalizer,
    labelled: Sequence[tuple[str, Sentiment]],
    bias: bool = False,
) -> dict[str, Any]:
    """A temperature (and class bias) for ``model`` fitted on a domain's labelled texts, with the calibration error
    and macro-F1 before (the model's own calibration) and after. "After" is cross-fitted (2 halves, each scored with
    the calibration fitted on the other), so it is not measured on the labels it was fitted to."""
    raw = model.decision([normalizer.normalize(t) for t, _ in labelled])
    y = np.array([LABELS.index(label) for _, label in labelled], dtype=np.int64)
    use_bias = bias and len(y) >= BIAS_MIN_LABELS and len(set(y.tolist())) == len(LABELS)
    temperature, b = fit_calibration(raw, y, bias=use_bias)
    before = model.calibrated(raw)
    half = np.array([text_hash(t, 1) < 0.5 for t, _ in labelled])
    crossed = before.copy()
    if half.any() and (~half).any():
        for part in (half, ~half):
            t_other, b_other = fit_calibration(raw[~part], y[~part], bias=use_bias)
            crossed[part] = softmax(raw[part] / t_other + b_other)
    return {
        "n": len(y),
        "temperature": temperature,
        "bias": [round(float(v), 6) for v in b],
        "fitted": "temperature and class bias" if use_bias else "temperature",
        "before": {
            "ece": expected_calibration_error(before, y),
            "macro_f1": scores(y, before.argmax(axis=1))["macro_f1"],
        },
        "after_cross_fitted": {
            "ece": expected_calibration_error(crossed, y),
            "macro_f1": scores(y, crossed.argmax(axis=1))["macro_f1"],
        },
    }


def fit_featuriser(
    texts: Sequence[str],
    *,
    char_ngrams_range: tuple[int, int] = (2, 5),
    min_df_word: int = 2,
    min_df_char: int = 2,
    char_weight: float = 1.0,
) -> Featuriser:
    """A featuriser whose vocabulary holds the n-grams seen in at least ``min_df`` texts, with smooth IDF."""
    token_df: Counter[str] = Counter()
    bigram_df: Counter[tuple[str, str]] = Counter()
    char_df: Counter[str] = Counter()
    lo, hi = char_ngrams_range
    for text in texts:
        tokens = tokenize(text)
        unique = set(tokens)
        token_df.update(unique)
        bigram_df.update(set(pairwise(tokens)))
        char_df.update(set(chain.from_iterable(char_ngrams(t, lo, hi) for t in unique)))
    n = len(texts)
    vocab = sorted(t for t, df in token_df.items() if df >= min_df_word)
    token_id = {t: i for i, t in enumerate(vocab)}
    pairs = sorted(p for p, df in bigram_df.items() if df >= min_df_word)
    chars = sorted(g for g, df in char_df.items() if df >= min_df_char)
    return Featuriser(
        tokens=vocab,
        bigrams=np.array([(token_id[a], token_id[b]) for a, b in pairs], dtype=np.int64).reshape(-1, 2),
        chars=chars,
        word_idf=_idf(chain((token_df[t] for t in vocab), (bigram_df[p] for p in pairs)), n),
        char_idf=_idf((char_df[g] for g in chars), n),
        char_ngrams=char_ngrams_range,
        char_weight=char_weight,
    )


def _idf(df: Iterable[int], n: int) -> np.ndarray:
    counts = np.fromiter(df, dtype=np.float64)
    return np.log((1.0 + n) / (1.0 + counts)) + 1.0


# evaluation -----------------------------------------------------------------------------------------------------


def scores(gold: Sequence[int] | np.ndarray, predicted: Sequence[int] | np.ndarray) -> dict[str, Any]:
    """Macro-F1, accuracy, per-class precision/recall/F1 and the confusion matrix (rows gold, columns predicted),
    for class indices in ``Sentiment`` order."""
    g = np.asarray(gold, dtype=np.int64)
    p = np.asarray(predicted, dtype=np.int64)
    k = len(LABELS)
    confusion = np.bincount(g * k + p, minlength=k * k).reshape(k, k)
    per_class: dict[str, dict[str, float]] = {}
    for i, label in enumerate(LABELS):
        tp = confusion[i, i]
        precision = tp / confusion[:, i].sum() if confusion[:, i].sum() else 0.0
        recall = tp / confusion[i].sum() if confusion[i].sum() else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        per_class[label.value] = {
            "precision": round(float(precision), 4),
            "recall": round(float(recall), 4),
            "f1": round(float(f1), 4),
            "support": int(confusion[i].sum()),
        }
    present = [c for c in per_class.values() if c["support"]]
    return {
        "n": len(g),
        "macro_f1": round(float(np.mean([c["f1"] for c in present])) if present else 0.0, 4),
        "accuracy": round(float((g == p).mean()) if len(g) else 0.0, 4),
        "per_class": per_class,
        "confusion": {"labels": [s.value for s in LABELS], "matrix": confusion.tolist()},
    }


def evaluate_model(
    model: SentimentModel, normalizer: Normalizer, examples: Sequence[tuple[str, Sentiment]]
) -> dict[str, Any]:
    """``scores`` of the model on labelled raw texts, with the expected calibration error."""
    probs = model.predict_proba([normalizer.normalize(t) for t, _ in examples])
    gold = np.array([LABELS.index(label) for _, label in examples], dtype=np.int64)
    return {**scores(gold, probs.argmax(axis=1)), "ece": expected_calibration_error(probs, gold)}


def expected_calibration_error(probs: np.ndarray, gold: np.ndarray, bins: int = 10) -> float:
    """Confidence-binned ECE of the top label."""
    if not len(gold):
        return 0.0
    confidence = probs.max(axis=1)
    correct = probs.argmax(axis=1) == gold
    which = np.minimum((confidence * bins).astype(int), bins - 1)
    total = 0.0
    for b in range(bins):
        inside = which == b
        if inside.any():
            total += inside.mean() * abs(correct[inside].mean() - confidence[inside].mean())
    return round(float(total), 4)


# training data ----------------------------------------------------------------------------------------------------


def default_shared_data() -> Path:
    """``$CITRA_SHARED_DATA``, else the ``shared/data`` folder next to the repository (or the current folder)."""
    import os

    env = os.environ.get("CITRA_SHARED_DATA")
    if env:
        return Path(env).expanduser()
    here = Path(__file__).resolve()
    for parent in here.parents:
        candidate = parent.parent / "shared" / "data"
        if (parent / "pyproject.toml").exists() and candidate.is_dir():
            return candidate
    return Path.cwd() / "shared" / "data"


SHIPPABLE: dict[str, dict[str, Any]] = {
    "smsa": {
        "file": "smsa/train_preprocess.tsv",
        "weight": 1.0,
        "license": "Apache-2.0 (IndoNLU repository file; SEACrowd lists CC BY-SA 4.0)",
        "attribution": "IndoNLU (Wilie et al., AACL-IJCNLP 2020); data by Prosa.ai (Purwarianti & Crisdayanti 2019)",
        "source": "https://github.com/IndoNLP/indonlu dataset/smsa_doc-sentiment-prosa/train_preprocess.tsv",
    },
    "nusax-senti-id": {
        "file": "nusax-senti-id/train.csv",
        "weight": 1.0,
        "license": "CC BY-SA 4.0",
        "attribution": "NusaX (Winata et al., EACL 2023), Indonesian sentiment subset",
        "source": "https://github.com/IndoNLP/nusax datasets/sentiment/indonesian/train.csv",
        # NusaX sentences are edited SmSA ones: drop those that near-duplicate an evaluation row
        "dedupe_against": ["smsa/valid_preprocess.tsv", "nusax-senti-id/valid.csv"],
    },
    "prdect-id": {
        "file": "prdect-id/PRDECT-ID Dataset.csv",
        "columns": ["Customer Review", "Sentiment"],
        "weight": 0.5,
        "license": "MIT (repository file, Copyright (c) 2024 Rhio Sutoyo); Mendeley Data release CC BY 4.0",
        "attribution": "PRDECT-ID (Sutoyo et al., Data in Brief 44, 2022), Indonesian product reviews",
        "source": "https://github.com/rhiosutoyo/PRDECT-ID-Indonesian-Product-Reviews-Dataset"
        " Dataset/PRDECT-ID Dataset.csv",
    },
    "posp-news": {
        "file": "indonlu-text/posp_pos-prosa/train_preprocess.txt",
        "reader": "conll-neutral",
        "weight": 0.1,
        "license": "Apache-2.0 (IndoNLU repository file); text by Prosa.ai",
        "attribution": "IndoNLU (Wilie et al., AACL-IJCNLP 2020), POSP news sentences by Prosa.ai",
        "source": "https://github.com/IndoNLP/indonlu dataset/posp_pos-prosa/train_preprocess.txt",
        "note": "news sentences labelled neutral by citra (weak labels: factual reporting is neutral)",
    },
    "citra-gov": {
        "file": "package:sentiment-gov-id.tsv",
        "weight": 6.0,
        "license": "Apache-2.0 (written for citra)",
        "attribution": "written by the citra developers: government-domain questions, announcements, praise, "
        "thanks for fixed problems and complaints (src/citra/nlp/data/sentiment-gov-id.tsv)",
        "source": "src/citra/nlp/data/sentiment-gov-id.tsv",
    },
}
DEFAULT_SETS = ("smsa", "nusax-senti-id", "prdect-id", "posp-news", "citra-gov")


def default_training_set(
    shared: Path, names: Sequence[str] = DEFAULT_SETS
) -> tuple[list[WeightedExample], list[dict[str, Any]]]:
    """The redistributable training data and notes on it: SmSA train, NusaX train, PRDECT-ID (weight 0.5), IndoNLU
    POSP news sentences as neutral (weight 0.1) and the government-domain sentences written for citra (weight 6,
    shipped in the package)."""
    examples: list[WeightedExample] = []
    notes: list[dict[str, Any]] = []
    for name in names:
        info = SHIPPABLE[name]
        packaged = info["file"].startswith("package:")
        path = PACKAGE_DATA / info["file"].removeprefix("package:") if packaged else shared / info["file"]
        if not path.exists():
            raise CitraError(f"{path} not found: set --shared-data (or CITRA_SHARED_DATA) to the shared data folder")
        text_col, label_col = info.get("columns", (None, None))
        if info.get("reader") == "conll-neutral":
            rows = [(text, Sentiment.NEUTRAL) for text in conll_sentences(path)]
        else:
            rows = read_labelled(path, text_col=text_col, label_col=label_col)
        dropped = 0
        if info.get("dedupe_against"):
            against = [t for f in info["dedupe_against"] if (shared / f).exists() for t, _ in read_labelled(shared / f)]
            kept = drop_near_duplicates(rows, against)
            rows, dropped = kept, len(rows) - len(kept)
        examples.extend((text, label, info["weight"]) for text, label in rows)
        note = {"name": name, **info, "rows": len(rows), "labels": _counts(rows)}
        notes.append({**note, "near_duplicates_dropped": dropped} if info.get("dedupe_against") else note)
    return examples, notes


NEAR_DUPLICATE = 0.5  # character 5-gram Jaccard of the folded texts (the research note's measure)


def drop_near_duplicates(rows: Sequence[tuple[str, Sentiment]], against: Sequence[str]) -> list[tuple[str, Sentiment]]:
    """``rows`` without those whose character 5-gram Jaccard with any text of ``against`` is >= ``NEAR_DUPLICATE``."""
    import scipy.sparse as sp

    if not rows or not against:
        return list(rows)
    index: dict[str, int] = {}

    def incidence(texts: Iterable[str]) -> sp.csr_matrix:
        cells = [[index.setdefault(g, len(index)) for g in _grams(t)] for t in texts]
        indptr = np.cumsum([0, *map(len, cells)])
        data = np.ones(indptr[-1])
        return sp.csr_matrix((data, np.fromiter(chain.from_iterable(cells), np.int64), indptr))

    mine, theirs = incidence(t for t, _ in rows), incidence(against)
    mine.resize(mine.shape[0], len(index))
    theirs.resize(theirs.shape[0], len(index))
    both = (mine @ theirs.T).tocoo()
    sizes_mine, sizes_theirs = np.diff(mine.indptr), np.diff(theirs.indptr)
    jaccard = both.data / (sizes_mine[both.row] + sizes_theirs[both.col] - both.data)
    near = set(both.row[jaccard >= NEAR_DUPLICATE].tolist())
    return [row for i, row in enumerate(rows) if i not in near]


def _grams(text: str) -> set[str]:
    folded = " ".join("".join(c for c in text.casefold() if c.isalnum() or c.isspace()).split())
    return {folded[i : i + 5] for i in range(max(1, len(folded) - 4))}


def conll_sentences(path: Path) -> list[str]:
    """The sentences of a CoNLL-style file (``token<TAB>tag`` lines, a blank line between sentences)."""
    sentences: list[str] = []
    current: list[str] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            current.append(line.split("\t", 1)[0])
        elif current:
            sentences.append(" ".join(current))
            current = []
    if current:
        sentences.append(" ".join(current))
    return sentences


def labelled_file(
    path: Path,
    *,
    text_col: str | None = None,
    label_col: str | None = None,
    label_map: Sequence[str] = (),
    weight: float = 1.0,
) -> tuple[list[WeightedExample], dict[str, Any]]:
    """A user's labelled file as weighted examples, and a note on it."""
    rows = read_labelled(path, text_col=text_col, label_col=label_col, label_map=parse_label_map(label_map))
    note = {"name": path.name, "license": "user data (not redistributed)", "rows": len(rows), "weight": weight}
    return [(t, label, weight) for t, label in rows], {**note, "labels": _counts(rows)}


def human_labels(
    labels: Iterable[tuple[str, Sentiment]], weight: float = 3.0
) -> tuple[list[WeightedExample], dict[str, Any]]:
    """Human labels (from ``Store.labels()``) as weighted examples, and a note on them."""
    rows = [(text, label) for text, label in labels if text and text.strip()]
    note = {"name": "human labels", "license": "workspace data (not redistributed)", "rows": len(rows)}
    return [(t, label, weight) for t, label in rows], {**note, "weight": weight, "labels": _counts(rows)}


def _counts(rows: Sequence[tuple[str, Sentiment]]) -> dict[str, int]:
    counted = Counter(label.value for _, label in rows)
    return {s.value: counted.get(s.value, 0) for s in LABELS}


def weights_version(weights: bytes, today: date | None = None) -> str:
    """A model's version: the training day and a digest of its weights (same inputs, same version)."""
    return f"{(today or date.today()):%Y%m%d}-{hashlib.sha256(weights).hexdigest()[:8]}"
