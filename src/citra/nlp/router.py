"""Routing learned from a city's own history: text -> the agency (OPD) its staff routed such texts to.

A Pemda has months of complaints that its staff already dispositioned (SP4N-LAPOR! exports, its own portal); a
model trained on them knows the city's own agency names and everyday topics that no shipped taxonomy lists. The
features are the sentiment model's (``citra.nlp.sentiment.Featuriser``: sublinear TF-IDF word 1-2-grams and char
2-5-grams of the normalised text), the classifier a one-vs-rest linear SVM with balanced class weights, and the
probabilities a temperature-scaled softmax of its scores, the temperature fitted on out-of-fold scores (whose
figures are recorded as ``metrics.cv``). On disk: ``model.json``, ``vocab.json``, ``arrays.npz`` (plain arrays,
loaded with ``allow_pickle=False``). Inputs are texts normalised by ``citra.nlp.normalize.Normalizer``.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np

from citra.errors import CitraError
from citra.nlp.sentiment import Featuriser, LinearScorer, read_linear, softmax, write_linear

NAME = "citra-routing"
FORMAT = 1
MAX_LABEL = 128  # characters of an agency name (the store's OPD columns)


def default_dir(root: Path) -> Path:
    """Where a workspace keeps its learned router: ``<workspace>/models/routing``."""
    return root / "models" / "routing"


@dataclass(frozen=True)
class RouterConfig:
    """Model settings, fixed before any measurement (the sentiment model's, see docs/benchmarks.md)."""

    C: float = 0.5
    class_weight: str | None = "balanced"
    min_df_word: int = 2
    min_df_char: int = 2
    char_ngrams: tuple[int, int] = (2, 5)
    folds: int = 5
    seed: int = 0


@dataclass(eq=False)
class LearnedRouter:
    """A linear text -> agency classifier with temperature-calibrated probabilities (columns in ``agencies``
    order)."""

    version: str
    agencies: tuple[str, ...]
    featuriser: Featuriser
    coef: np.ndarray  # agencies x features
    intercept: np.ndarray  # agencies
    temperature: float = 1.0
    meta: dict[str, Any] = field(default_factory=dict)
    name: str = NAME
    _scorer: LinearScorer | None = field(default=None, repr=False)

    @classmethod
    def load(cls, path: Path) -> LearnedRouter:
        """Load a model folder written by ``save``."""
        folder = Path(path)
        try:
            meta, featuriser, coef, intercept = read_linear(folder)
            if meta.get("format") != FORMAT or meta.get("name") != NAME:
                raise ValueError(f"not a citra routing model of format {FORMAT}")
            agencies = tuple(str(a) for a in meta["agencies"])
            if coef.shape != (len(agencies), featuriser.n_features) or intercept.shape != (len(agencies),):
                raise ValueError(f"arrays do not fit {len(agencies)} agencies and {featuriser.n_features} features")
            temperature = float(meta["calibration"]["temperature"])
        except (OSError, ValueError, KeyError, TypeError, IndexError) as exc:
            raise CitraError(f"cannot load the routing model in {folder}: {exc}") from None
        return cls(str(meta["version"]), agencies, featuriser, coef, intercept, temperature, meta)

    def save(self, folder: Path) -> None:
        """Write ``model.json``, ``vocab.json`` and ``arrays.npz`` into ``folder``."""
        meta = {
            **self.meta,
            "format": FORMAT,
            "name": self.name,
            "version": self.version,
            "agencies": list(self.agencies),
            "calibration": {**self.meta.get("calibration", {}), "temperature": self.temperature},
        }
        write_linear(folder, meta, self.featuriser, self.coef, self.intercept)

    def decision(self, normalized_texts: Sequence[str]) -> np.ndarray:
        """Raw linear scores (texts x agencies), before calibration; equal to ``featuriser.transform(texts) @
        coef.T + intercept`` (``LinearScorer``: the char block from a bounded per-token table)."""
        if self._scorer is None:
            self._scorer = LinearScorer(self.featuriser, self.coef, self.intercept)
        return self._scorer.decision(normalized_texts)

    def proba(self, normalized_texts: Sequence[str]) -> np.ndarray:
        """Calibrated probabilities (texts x agencies; rows sum to 1)."""
        return softmax(self.decision(normalized_texts) / self.temperature)

    def scores(self, normalized_texts: Sequence[str]) -> list[dict[str, float]]:
        """The probability of each agency for each text, best first."""
        out = []
        for row in self.proba(normalized_texts):
            order = np.argsort(-row, kind="stable")
            out.append({self.agencies[i]: float(row[i]) for i in order})
        return out

    def predict(self, normalized_texts: Sequence[str]) -> list[str]:
        """The most likely agency of each text."""
        return [self.agencies[i] for i in self.proba(normalized_texts).argmax(axis=1)]


def train_router(
    normalized_texts: Sequence[str],
    agencies: Sequence[str],
    *,
    config: RouterConfig | None = None,
    normalizer_version: str = "",
    data_notes: list[dict[str, Any]] | None = None,
    today: date | None = None,
) -> LearnedRouter:
    """Fit a router on (normalised text, agency) rows; out-of-fold figures and the temperature come from
    ``config.folds`` stratified folds (repeated texts kept in one fold) when every agency has two rows or more."""
    config = config or RouterConfig()
    if len(normalized_texts) != len(agencies):
        raise CitraError("routing: as many agencies as texts are needed")
    labels = [" ".join(str(a).split())[:MAX_LABEL] for a in agencies]
    names = tuple(sorted(set(labels)))
    if len(names) < 2:
        raise CitraError(f"routing needs texts of at least two agencies; found {', '.join(names) or 'none'}")
    y = np.array([names.index(a) for a in labels], dtype=np.int64)
    texts = list(normalized_texts)
    oof = _out_of_fold(texts, y, len(names), config)
    temperature = fit_temperature(oof, y) if oof is not None else 1.0
    featuriser, coef, intercept = _fit(texts, y, len(names), config)
    digest = hashlib.sha256(coef.astype(np.float32).tobytes() + "\x00".join(names).encode()).hexdigest()
    counts = Counter(labels)
    meta: dict[str, Any] = {
        "trained": (today or date.today()).isoformat(),
        "normalizer": normalizer_version,
        "training": {
            "settings": asdict(config),
            "examples": len(texts),
            "per_agency": {a: counts[a] for a in names},
            "data": data_notes or [],
        },
        "calibration": {"method": "temperature scaling of the linear scores, fitted on out-of-fold scores"},
        "metrics": {},
    }
    if oof is not None:
        predicted = [names[i] for i in oof.argmax(axis=1)]
        meta["metrics"]["cv"] = {"folds": _folds(y, config), **evaluate(labels, predicted)}
    version = f"{(today or date.today()):%Y%m%d}-{digest[:8]}"
    return LearnedRouter(version, names, featuriser, coef, intercept, temperature, meta)


def _fit(
    texts: Sequence[str], y: np.ndarray, k: int, config: RouterConfig
) -> tuple[Featuriser, np.ndarray, np.ndarray]:
    from sklearn.svm import LinearSVC

    from citra.nlp.train import fit_featuriser

    featuriser = fit_featuriser(
        texts, char_ngrams_range=config.char_ngrams, min_df_word=config.min_df_word, min_df_char=config.min_df_char
    )
    classifier = LinearSVC(C=config.C, class_weight=config.class_weight, max_iter=10_000, random_state=config.seed)
    classifier.fit(featuriser.transform(texts), y)
    coef, intercept = classifier.coef_, classifier.intercept_
    if k == 2:  # sklearn keeps one score for two classes: the second class's; the first gets its negation
        coef, intercept = np.vstack([-coef[0], coef[0]]), np.array([-intercept[0], intercept[0]])
    return featuriser, coef, intercept


def _folds(y: np.ndarray, config: RouterConfig) -> int:
    return min(config.folds, min(Counter(y.tolist()).values()))


def _out_of_fold(texts: Sequence[str], y: np.ndarray, k: int, config: RouterConfig) -> np.ndarray | None:
    """Out-of-fold scores (texts x agencies), or None when an agency has fewer than two rows."""
    from sklearn.model_selection import StratifiedGroupKFold

    folds = _folds(y, config)
    if folds < 2:
        return None
    groups = np.unique(np.array(texts, dtype=object), return_inverse=True)[1]
    oof = np.zeros((len(texts), k))
    for train, test in StratifiedGroupKFold(folds, shuffle=True, random_state=config.seed).split(texts, y, groups):
        present = np.unique(y[train])
        if len(present) < 2:
            return None
        sub = np.searchsorted(present, y[train])
        featuriser, coef, intercept = _fit([texts[i] for i in train], sub, len(present), config)
        scores = np.full((len(test), k), -1e3)  # an agency missing from a training fold cannot be chosen
        scores[:, present] = np.asarray(featuriser.transform([texts[i] for i in test]) @ coef.T) + intercept
        oof[test] = scores
    return oof


def fit_temperature(scores: np.ndarray, y: np.ndarray) -> float:
    """The temperature T minimising the log loss of softmax(scores / T)."""
    from citra.nlp.train import fit_temperature as fit

    return fit(scores, y)


def evaluate(gold: Sequence[str], predicted: Sequence[str | None]) -> dict[str, Any]:
    """Macro-F1 (over the agencies of ``gold``), accuracy, coverage (share with any prediction) and per-agency
    precision, recall, F1 and support. A missing prediction (None) counts as wrong."""
    if len(gold) != len(predicted):
        raise CitraError("evaluate: as many predictions as gold labels are needed")
    n = len(gold)
    truth = Counter(gold)
    said = Counter(p for p in predicted if p is not None)
    hits = Counter(g for g, p in zip(gold, predicted, strict=True) if g == p)
    per_agency: dict[str, dict[str, float]] = {}
    for agency in sorted(set(truth) | set(said)):
        tp = hits[agency]
        precision = tp / said[agency] if said[agency] else 0.0
        recall = tp / truth[agency] if truth[agency] else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        per_agency[agency] = {
            "precision": round(precision, 4),
            "recall": round(recall, 4),
            "f1": round(f1, 4),
            "support": truth[agency],
        }
    scored = [m["f1"] for a, m in per_agency.items() if truth[a]]
    return {
        "n": n,
        "macro_f1": round(float(np.mean(scored)), 4) if scored else 0.0,
        "accuracy": round(sum(hits.values()) / n, 4) if n else 0.0,
        "coverage": round(sum(p is not None for p in predicted) / n, 4) if n else 0.0,
        "per_agency": per_agency,
    }
