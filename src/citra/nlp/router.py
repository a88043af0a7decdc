"""Routing learned from a city's own history: text -> the agency (OPD) its staff routed such texts to.

A Pemda has months of complaints that its staff already dispositioned (SP4N-LAPOR! exports, its own portal); a
model trained on them knows the city's own agency names and everyday topics that no shipped taxonomy lists. The
features are the sentiment model's (``citra.nlp.sentiment.Featuriser``: sublinear TF-IDF word 1-2-grams and char
2-5-grams of the normalised text), the classifier a one-vs-rest linear SVM with balanced class weights, and the
probabilities a temperature-scaled softmax of its scores, the temperature fitted on out-of-fold scores (whose
figures are recorded as ``metrics.cv``). On disk: ``model.json``, ``vocab.json``, ``arrays.npz`` (plain arrays,
loaded with ``allow_pickle=False``). Inputs are texts normalised by ``citra.nlp.normalize.Normalizer``.

When the training texts come with sentence vectors (the deep tier's encoder, ``citra.nlp.encoder``), a second
linear SVM is fitted on the vectors and the two are fused: probabilities ``softmax(a * text scores + b * vector
scores)``, ``a`` and ``b`` fitted on the out-of-fold scores of both (``vectors.npz``; docs/benchmarks.md: on the
Purbalingga complaints the vectors add about 0.04-0.09 macro-F1). A text without a vector (the fast tier, before
the deep tier reaches it) is scored from its n-grams alone, as before.
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
VECTORS = "vectors.npz"  # the vector head's arrays, beside arrays.npz


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
    vector_C: float = 2.0  # the vector head's C, chosen on validation rows (bench/routing_vectors.py)


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
    vectors: VectorHead | None = None  # the head on sentence vectors, when trained with them
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
            head = VectorHead.read(folder, meta["vectors"], len(agencies)) if meta.get("vectors") else None
        except (OSError, ValueError, KeyError, TypeError, IndexError) as exc:
            raise CitraError(f"cannot load the routing model in {folder}: {exc}") from None
        return cls(str(meta["version"]), agencies, featuriser, coef, intercept, temperature, meta, vectors=head)

    def save(self, folder: Path) -> None:
        """Write ``model.json``, ``vocab.json`` and ``arrays.npz`` into ``folder``."""
        meta = {
            **self.meta,
            "format": FORMAT,
            "name": self.name,
            "version": self.version,
            "agencies": list(self.agencies),
            "calibration": {**self.meta.get("calibration", {}), "temperature": self.temperature},
            "vectors": self.vectors.params() if self.vectors is not None else None,
        }
        write_linear(folder, meta, self.featuriser, self.coef, self.intercept)
        if self.vectors is not None:
            self.vectors.write(folder)

    def decision(self, normalized_texts: Sequence[str]) -> np.ndarray:
        """Raw linear scores (texts x agencies), before calibration; equal to ``featuriser.transform(texts) @
        coef.T + intercept`` (``LinearScorer``: the char block from a bounded per-token table)."""
        if self._scorer is None:
            self._scorer = LinearScorer(self.featuriser, self.coef, self.intercept)
        return self._scorer.decision(normalized_texts)

    def proba(self, normalized_texts: Sequence[str], vectors: Sequence[np.ndarray | None] | None = None) -> np.ndarray:
        """Calibrated probabilities (texts x agencies; rows sum to 1). ``vectors``: each text's sentence vector
        (None where it has none) from the encoder the model was trained with; used when the model has a vector
        head, ignored otherwise."""
        text_scores = self.decision(normalized_texts)
        out = softmax(text_scores / self.temperature)
        if self.vectors is None or vectors is None:
            return out
        if len(vectors) != len(normalized_texts):
            raise CitraError("routing: one vector (or None) per text is needed")
        rows = [i for i, v in enumerate(vectors) if v is not None]
        if rows:
            matrix = np.vstack([np.asarray(vectors[i], dtype=np.float64).ravel() for i in rows])
            out[rows] = self.vectors.fused(text_scores[rows], matrix)
        return out

    def scores(
        self, normalized_texts: Sequence[str], vectors: Sequence[np.ndarray | None] | None = None
    ) -> list[dict[str, float]]:
        """The probability of each agency for each text, best first (``vectors`` as in ``proba``)."""
        out = []
        for row in self.proba(normalized_texts, vectors):
            order = np.argsort(-row, kind="stable")
            out.append({self.agencies[i]: float(row[i]) for i in order})
        return out

    def predict(self, normalized_texts: Sequence[str], vectors: Sequence[np.ndarray | None] | None = None) -> list[str]:
        """The most likely agency of each text."""
        return [self.agencies[i] for i in self.proba(normalized_texts, vectors).argmax(axis=1)]


@dataclass(frozen=True, eq=False)
class VectorHead:
    """A linear SVM on sentence vectors of encoder ``model`` and its fusion with the text scores: probabilities
    ``softmax(weights[0] * text scores + weights[1] * (vectors @ coef.T + intercept))``."""

    model: str
    coef: np.ndarray  # agencies x dim
    intercept: np.ndarray  # agencies
    weights: tuple[float, float]

    def decision(self, matrix: np.ndarray) -> np.ndarray:
        return np.asarray(matrix, dtype=np.float64) @ self.coef.T + self.intercept

    def fused(self, text_scores: np.ndarray, matrix: np.ndarray) -> np.ndarray:
        """Probabilities from the text scores (raw, before the temperature) and the vectors of the same texts."""
        if matrix.shape[1] != self.coef.shape[1]:
            raise CitraError(f"routing: vectors of {matrix.shape[1]} numbers; the model takes {self.coef.shape[1]}")
        a, b = self.weights
        return softmax(a * text_scores + b * self.decision(matrix))

    def params(self) -> dict[str, Any]:
        return {"model": self.model, "dim": int(self.coef.shape[1]), "weights": [*self.weights], "file": VECTORS}

    def write(self, folder: Path) -> None:
        np.savez_compressed(
            Path(folder) / VECTORS, coef=self.coef.astype(np.float32), intercept=self.intercept.astype(np.float32)
        )

    @classmethod
    def read(cls, folder: Path, params: dict[str, Any], k: int) -> VectorHead:
        with np.load(Path(folder) / VECTORS, allow_pickle=False) as arrays:
            coef, intercept = arrays["coef"].astype(np.float64), arrays["intercept"].astype(np.float64)
        if coef.shape != (k, int(params["dim"])) or intercept.shape != (k,):
            raise ValueError(f"{VECTORS} does not fit {k} agencies and {params['dim']} numbers")
        a, b = (float(w) for w in params["weights"])
        return cls(str(params["model"]), coef, intercept, (a, b))


def fit_fusion(text_scores: np.ndarray, vector_scores: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """Weights (a, b) >= 0 minimising the log loss of softmax(a * text_scores + b * vector_scores)."""
    from scipy.optimize import minimize

    rows = np.arange(len(y))

    def loss(w: np.ndarray) -> float:
        z = w[0] * text_scores + w[1] * vector_scores
        z = z - z.max(axis=1, keepdims=True)
        return float(-(z[rows, y] - np.log(np.exp(z).sum(axis=1))).mean())

    found = minimize(loss, np.array([1.0, 1.0]), method="L-BFGS-B", bounds=[(0.0, 50.0), (0.0, 50.0)])
    return float(found.x[0]), float(found.x[1])


def train_router(
    normalized_texts: Sequence[str],
    agencies: Sequence[str],
    *,
    config: RouterConfig | None = None,
    normalizer_version: str = "",
    data_notes: list[dict[str, Any]] | None = None,
    today: date | None = None,
    vectors: np.ndarray | None = None,
    vector_model: str = "",
) -> LearnedRouter:
    """Fit a router on (normalised text, agency) rows; out-of-fold figures and the temperature come from
    ``config.folds`` stratified folds (repeated texts kept in one fold) when every agency has two rows or more.
    ``vectors`` (one unit vector per text, of encoder ``vector_model``) add a vector head fused with the text
    scores; its weights come from the same folds (1, 1 without them)."""
    config = config or RouterConfig()
    if len(normalized_texts) != len(agencies):
        raise CitraError("routing: as many agencies as texts are needed")
    labels = [" ".join(str(a).split())[:MAX_LABEL] for a in agencies]
    names = tuple(sorted(set(labels)))
    if len(names) < 2:
        raise CitraError(f"routing needs texts of at least two agencies; found {', '.join(names) or 'none'}")
    y = np.array([names.index(a) for a in labels], dtype=np.int64)
    texts = list(normalized_texts)
    if vectors is not None and len(vectors) != len(texts):
        raise CitraError("routing: as many vectors as texts are needed")
    matrix = None if vectors is None else np.asarray(vectors, dtype=np.float64)
    oof, oof_vec = _out_of_fold(texts, y, len(names), config, matrix)
    temperature = fit_temperature(oof, y) if oof is not None else 1.0
    featuriser, coef, intercept = _fit(texts, y, len(names), config)
    head = None
    if matrix is not None:
        weights = fit_fusion(oof, oof_vec, y) if oof is not None and oof_vec is not None else (1.0, 1.0)
        head = VectorHead(vector_model, *_fit_vectors(matrix, y, len(names), config), weights)
    arrays = coef.astype(np.float32).tobytes() + (head.coef.astype(np.float32).tobytes() if head else b"")
    digest = hashlib.sha256(arrays + "\x00".join(names).encode()).hexdigest()
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
        if head is not None and oof_vec is not None:
            fused = head.weights[0] * oof + head.weights[1] * oof_vec
            meta["metrics"]["cv_vectors"] = {
                "folds": _folds(y, config),
                **evaluate(labels, [names[i] for i in fused.argmax(axis=1)]),
            }
    version = f"{(today or date.today()):%Y%m%d}-{digest[:8]}"
    return LearnedRouter(version, names, featuriser, coef, intercept, temperature, meta, vectors=head)


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


def _fit_vectors(matrix: np.ndarray, y: np.ndarray, k: int, config: RouterConfig) -> tuple[np.ndarray, np.ndarray]:
    from sklearn.svm import LinearSVC

    classifier = LinearSVC(
        C=config.vector_C, class_weight=config.class_weight, max_iter=10_000, random_state=config.seed
    )
    classifier.fit(matrix, y)
    coef, intercept = classifier.coef_, classifier.intercept_
    if k == 2:
        coef, intercept = np.vstack([-coef[0], coef[0]]), np.array([-intercept[0], intercept[0]])
    return coef, intercept


def _folds(y: np.ndarray, config: RouterConfig) -> int:
    return min(config.folds, min(Counter(y.tolist()).values()))


def _out_of_fold(
    texts: Sequence[str], y: np.ndarray, k: int, config: RouterConfig, matrix: np.ndarray | None = None
) -> tuple[np.ndarray | None, np.ndarray | None]:
    """Out-of-fold scores (texts x agencies) of the text model and, given vectors, of the vector head (same
    folds); (None, None) when an agency has fewer than two rows."""
    from sklearn.model_selection import StratifiedGroupKFold

    folds = _folds(y, config)
    if folds < 2:
        return None, None
    groups = np.unique(np.array(texts, dtype=object), return_inverse=True)[1]
    oof = np.zeros((len(texts), k))
    oof_vec = None if matrix is None else np.zeros((len(texts), k))
    for train, test in StratifiedGroupKFold(folds, shuffle=True, random_state=config.seed).split(texts, y, groups):
        present = np.unique(y[train])
        if len(present) < 2:
            return None, None
        sub = np.searchsorted(present, y[train])
        featuriser, coef, intercept = _fit([texts[i] for i in train], sub, len(present), config)
        scores = np.full((len(test), k), -1e3)  # an agency missing from a training fold cannot be chosen
        scores[:, present] = np.asarray(featuriser.transform([texts[i] for i in test]) @ coef.T) + intercept
        oof[test] = scores
        if matrix is not None and oof_vec is not None:
            vcoef, vintercept = _fit_vectors(matrix[train], sub, len(present), config)
            scores = np.full((len(test), k), -1e3)
            scores[:, present] = matrix[test] @ vcoef.T + vintercept
            oof_vec[test] = scores
    return oof, oof_vec


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
