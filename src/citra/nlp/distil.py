"""Distillation: the fast sentiment model (same features, file format and speed) fitted to a teacher's labels.

A slow, better teacher (the deep tier) labels many texts, including unlabelled and augmented ones, with
probabilities; the student learns them on ``Featuriser`` features, mixed with the gold labels where a text has one
(Tang et al. 2019, arXiv:1903.12136, with an n-gram student). Two students: the shipped recipe (linear SVM) on the
teacher's top label weighted by its probability (the default: it scored best), or a multinomial logistic regression
fitted to the soft targets by cross-entropy. scikit-learn's classifiers take hard labels only, so that soft
cross-entropy (class weights, L2 penalty) is minimised here with SciPy's L-BFGS, one sparse product each way per step.
The result is a ``SentimentModel``: the fast tier loads and runs it unchanged.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

import numpy as np
import scipy.sparse as sp

from citra.nlp.normalize import Normalizer
from citra.nlp.sentiment import LABELS, Featuriser, SentimentModel, softmax
from citra.nlp.train import NAME, fit_featuriser, fit_temperature, weights_version

SoftExample = tuple[str, np.ndarray, float]  # normalised text, target probabilities (3), weight


@dataclass(frozen=True)
class StudentConfig:
    """Settings of the student, chosen on fold 0 of SmSA train (bench/build_student.py --select; each fold with a
    teacher trained without it): the linear SVM on gold labels plus the teacher's top labels of unlabelled and
    augmented texts at weight 0.3 scored best (0.859; the soft cross-entropy students 0.834-0.855, the shipped recipe
    0.858)."""

    classifier: str = "linear-svm"  # or "logistic-soft": multinomial logistic regression on the soft targets
    C: float = 0.5  # inverse L2 strength (of the summed weighted loss, as scikit-learn's C); 10 suits logistic-soft
    gold_share: float = 1.0  # target of a labelled text: this much of its gold label, the rest the teacher's
    teacher_temperature: float = 1.0  # < 1 sharpens the teacher's probabilities, > 1 softens them
    unlabelled_weight: float = 0.3  # weight of a text with only a teacher label
    balanced: bool = True  # class weights inversely proportional to each class's share of the targets
    min_df_word: int = 2
    min_df_char: int = 2
    char_ngrams: tuple[int, int] = (2, 5)
    max_iter: int = 400  # L-BFGS steps of logistic-soft


def targets(
    gold: Sequence[int | None], teacher: np.ndarray | None, config: StudentConfig
) -> tuple[np.ndarray, np.ndarray]:
    """(targets n x 3, mask of rows with a usable target) from gold class indices (None: unlabelled) and the
    teacher's probabilities (rows of NaN: no teacher label)."""
    n = len(gold)
    out = np.zeros((n, len(LABELS)))
    has_gold = np.array([g is not None for g in gold])
    onehot = np.zeros((n, len(LABELS)))
    onehot[has_gold, [g for g in gold if g is not None]] = 1.0
    if teacher is None:
        return onehot, has_gold
    taught = np.isfinite(teacher).all(axis=1)
    soft = np.zeros_like(out)
    soft[taught] = sharpen(teacher[taught], config.teacher_temperature)
    both = has_gold & taught
    out[both] = config.gold_share * onehot[both] + (1 - config.gold_share) * soft[both]
    out[has_gold & ~taught] = onehot[has_gold & ~taught]
    out[taught & ~has_gold] = soft[taught & ~has_gold]
    return out, has_gold | taught


def sharpen(probs: np.ndarray, temperature: float) -> np.ndarray:
    """Probabilities raised to 1 / temperature and renormalised."""
    if temperature == 1.0:
        return probs
    logp = np.log(np.clip(probs, 1e-12, 1.0)) / temperature
    return softmax(logp)


@dataclass(frozen=True)
class Design:
    """The feature matrix of texts with its char block kept factored: ``[words, left @ right]``, where ``left`` (texts x
    distinct tokens) holds each text's token counts over sqrt(tokens) and ``right`` (tokens x char n-grams) each
    token's char vector, as ``Featuriser.transform`` sums them. Products with it cost a fraction of the full matrix's
    (a token's char n-grams are stored once, not once per text it occurs in)."""

    words: sp.csr_matrix
    left: sp.csr_matrix
    right: sp.csr_matrix

    @classmethod
    def of(cls, featuriser: Featuriser, texts: Sequence[str]) -> Design:
        words, scale, counts, chars = featuriser.factored(texts)
        return cls(words, sp.csr_matrix(sp.diags(scale) @ counts), chars)

    @property
    def shape(self) -> tuple[int, int]:
        return self.words.shape[0], self.words.shape[1] + self.right.shape[1]

    def dot(self, coef: np.ndarray) -> np.ndarray:
        """features @ coef (coef: features x k)."""
        split_at = self.words.shape[1]
        return np.asarray(self.words @ coef[:split_at]) + np.asarray(self.left @ (self.right @ coef[split_at:]))

    def transposed(self) -> tuple[sp.csr_matrix, sp.csr_matrix, sp.csr_matrix]:
        return self.words.T.tocsr(), self.left.T.tocsr(), self.right.T.tocsr()


def fit_soft(
    x: Design, q: np.ndarray, weights: np.ndarray, C: float, balanced: bool = True, max_iter: int = 400
) -> tuple[np.ndarray, np.ndarray]:
    """(coef classes x features, intercept) minimising C * sum_i w_i * CE(q_i, softmax(x_i W + b)) + |W|^2 / 2, the
    weights rescaled to mean 1 and, when ``balanced``, each class's target mass to an equal share."""
    from scipy.optimize import minimize
    from threadpoolctl import threadpool_limits

    d = x.shape[1]
    k = q.shape[1]
    w = weights / weights.mean()
    cls = np.ones(k)
    if balanced:
        mass = (w[:, None] * q).sum(axis=0)
        cls = mass.sum() / (k * np.maximum(mass, 1e-9))
    wq = w[:, None] * q * cls  # per-row, per-class weight of -log p
    row_mass = wq.sum(axis=1)
    words_t, left_t, right_t = x.transposed()

    def loss(params: np.ndarray) -> tuple[float, np.ndarray]:
        coef, bias = params[: k * d].reshape(d, k), params[k * d :]
        z = x.dot(coef) + bias
        z -= z.max(axis=1, keepdims=True)
        logp = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
        value = -C * float((wq * logp).sum()) + 0.5 * float((coef**2).sum())
        residual = C * (row_mass[:, None] * np.exp(logp) - wq)
        back = np.concatenate([np.asarray(words_t @ residual), np.asarray(right_t @ (left_t @ residual))])
        grad = np.concatenate([(back + coef).ravel(), residual.sum(axis=0)])
        return value, grad

    # one BLAS thread: the optimiser's many short vector products only lose time to thread hand-offs (10x on 2 cores)
    with threadpool_limits(1):
        found = minimize(loss, np.zeros(k * d + k), jac=True, method="L-BFGS-B", options={"maxiter": max_iter})
    coef = found.x[: k * d].reshape(d, k).T.copy()
    return coef, found.x[k * d :].copy()


def fit_hard(
    x: sp.csr_matrix, q: np.ndarray, weights: np.ndarray, C: float, balanced: bool = True
) -> tuple[np.ndarray, np.ndarray]:
    """(coef, intercept) of the shipped classifier (one-vs-rest linear SVM, squared hinge) on each text's most likely
    target label, weighted by that label's probability: a hard-label student, for comparison with ``fit_soft``."""
    from sklearn.svm import LinearSVC

    classifier = LinearSVC(C=C, class_weight="balanced" if balanced else None, max_iter=10_000, random_state=0)
    classifier.fit(x, q.argmax(axis=1), sample_weight=weights * q.max(axis=1))
    return classifier.coef_, classifier.intercept_


def train_student(
    texts: Sequence[str],
    gold: Sequence[int | None],
    teacher: np.ndarray | None,
    weights: Sequence[float],
    config: StudentConfig | None = None,
    *,
    calibration: tuple[np.ndarray, np.ndarray] | None = None,
    meta: dict[str, Any] | None = None,
    today: date | None = None,
    normalizer: Normalizer | None = None,
) -> SentimentModel:
    """The student fitted on normalised ``texts``: gold class indices (None where unlabelled), the teacher's
    probabilities (n x 3, NaN rows where it gave none) and per-text weights (unlabelled texts are further scaled by
    ``config.unlabelled_weight``). ``calibration``: (raw scores, gold indices) of held-apart texts to fit the
    temperature on (out-of-fold scores); without it the temperature is 1. ``normalizer``: the one that normalised the
    texts (its version is recorded; default ``Normalizer.default()``)."""
    config = config or StudentConfig()
    q, usable = targets(gold, teacher, config)
    has_gold = np.array([g is not None for g in gold])
    w = np.asarray(weights, dtype=np.float64) * np.where(has_gold, 1.0, config.unlabelled_weight)
    keep = np.flatnonzero(usable & (w > 0))
    kept = [texts[i] for i in keep]
    featuriser = fit_featuriser(
        kept,
        char_ngrams_range=config.char_ngrams,
        min_df_word=config.min_df_word,
        min_df_char=config.min_df_char,
    )
    if config.classifier == "linear-svm":
        coef, intercept = fit_hard(featuriser.transform(kept), q[keep], w[keep], config.C, config.balanced)
    else:
        design = Design.of(featuriser, kept)
        coef, intercept = fit_soft(design, q[keep], w[keep], config.C, config.balanced, config.max_iter)
    temperature = fit_temperature(*calibration) if calibration is not None else 1.0
    info = {
        "trained": (today or date.today()).isoformat(),
        "normalizer": (normalizer or Normalizer.default()).version,
        "calibration": {"method": "temperature scaling of the linear scores, fitted on out-of-fold scores"},
        "metrics": {},
        **(meta or {}),
    }
    info.setdefault("training", {})["student"] = {"settings": asdict(config), "texts": len(keep)}
    version = weights_version(coef.astype(np.float32).tobytes() + intercept.astype(np.float32).tobytes(), today)
    return SentimentModel(NAME, version, featuriser, coef, intercept, temperature, info)
