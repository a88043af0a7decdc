"""Training the deep tier's sentiment head (``citra.nlp.deep_sentiment``) on e5 vectors computed by the caller.

``train_deep_sentiment`` fits the head from scratch (the shipped head: ``bench/build_deep_sentiment.py``);
``adapt_deep_sentiment`` moves a trained head toward a team's labels (``citra train sentiment``): it refits both
blocks of the head (e5 and n-gram) with the old ones as a Gaussian prior, so the shipped data's knowledge stays
without embedding it again (about 17,000 texts, several minutes of one core). On the vaccine tweets, retraining on
the shipped data + 200 labels scored about as well (docs/benchmarks.md). Vectors come in as an argument so a
benchmark can take them from a cache and the CLI from ``Encoder.embed``; nothing here embeds.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

import numpy as np
import scipy.sparse as sp

from citra.errors import CitraError
from citra.nlp.deep_sentiment import DeepSentimentModel
from citra.nlp.normalize import Normalizer
from citra.nlp.sentiment import LABELS, LinearScorer, softmax
from citra.nlp.train import expected_calibration_error, fit_featuriser, fit_temperature, scores, weights_version

if TYPE_CHECKING:
    from citra.nlp.encoder import Encoder

Labelled = tuple[Sequence[str], np.ndarray, np.ndarray]  # raw texts, label indices, e5 vectors


@dataclass(frozen=True)
class DeepConfig:
    """Head settings, chosen by 5-fold CV on SmSA train (bench/deep_sentiment_bench.py --parts select)."""

    classifier: str = "logistic"  # or "linear-svm"
    C: float = 1.0
    class_weight: str | None = "balanced"
    ngram: bool = False  # add the fast model's word + char n-gram features to the e5 vector
    e5_scale: float = 0.1  # weight of the standardised e5 block beside the L2-normalised n-gram block
    folds: int = 5
    seed: int = 0


def fit_head(
    texts: Sequence[str], vecs: np.ndarray, y: np.ndarray, weights: np.ndarray, config: DeepConfig
) -> tuple[np.ndarray, np.ndarray, LinearScorer | None]:
    """(coef on raw vectors, intercept, n-gram block or None) of one fit; ``texts`` are normalised (n-gram block)."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.svm import LinearSVC

    mean, sd = vecs.mean(axis=0), vecs.std(axis=0) + 1e-6
    dense = (vecs - mean) / sd
    featuriser = None
    if config.ngram:
        featuriser = fit_featuriser(texts)
        x: Any = sp.hstack([featuriser.transform(texts), sp.csr_matrix(dense * config.e5_scale)], format="csr")
    else:
        x = dense
    if config.classifier == "logistic":
        clf: Any = LogisticRegression(C=config.C, class_weight=config.class_weight, max_iter=3000)
    else:
        clf = LinearSVC(C=config.C, class_weight=config.class_weight, max_iter=20_000, random_state=config.seed)
    clf.fit(x, y, sample_weight=weights)
    coef, intercept = np.asarray(clf.coef_, dtype=np.float64), np.asarray(clf.intercept_, dtype=np.float64)
    ngram = None
    if featuriser is not None:
        width = featuriser.n_features
        ngram = LinearScorer(featuriser, coef[:, :width], np.zeros(len(LABELS)))
        coef = coef[:, width:] * config.e5_scale
    e5 = coef / sd
    return e5.astype(np.float32), intercept - e5 @ mean, ngram


def head_scores(
    coef: np.ndarray, intercept: np.ndarray, ngram: LinearScorer | None, texts: Sequence[str], vecs: np.ndarray
) -> np.ndarray:
    """Raw scores of a fitted head on normalised texts and their vectors."""
    out = (vecs @ coef.T).astype(np.float64) + intercept
    return out + ngram.decision(texts) if ngram is not None else out


def out_of_fold(
    texts: Sequence[str], vecs: np.ndarray, y: np.ndarray, weights: np.ndarray, config: DeepConfig
) -> np.ndarray:
    """Out-of-fold raw scores (exact duplicates kept in one fold), for the temperature and the CV figures."""
    from sklearn.model_selection import StratifiedGroupKFold

    folds = max(2, min(config.folds, min(Counter(y.tolist()).values())))
    groups = np.unique(np.array(texts, dtype=object), return_inverse=True)[1]
    oof = np.zeros((len(texts), len(LABELS)))
    for train, test in StratifiedGroupKFold(folds, shuffle=True, random_state=config.seed).split(texts, y, groups):
        coef, b, ngram = fit_head([texts[i] for i in train], vecs[train], y[train], weights[train], config)
        oof[test] = head_scores(coef, b, ngram, [texts[i] for i in test], vecs[test])
    return oof


def train_deep_sentiment(
    texts: Sequence[str],
    y: np.ndarray,
    weights: np.ndarray,
    vecs: np.ndarray,
    *,
    data_notes: list[dict[str, Any]],
    config: DeepConfig | None = None,
    normalizer: Normalizer | None = None,
    evaluate: Mapping[str, Labelled] | None = None,
    today: date | None = None,
    encoder_version: str = "",
) -> DeepSentimentModel:
    """A head fitted on raw ``texts`` (label indices ``y`` in ``Sentiment`` order, ``weights``) and their e5
    ``vecs`` (from the encoder ``encoder_version``, recorded); the temperature is fitted on out-of-fold scores
    (``config.folds`` < 2: temperature 1, no CV)."""
    config = config or DeepConfig()
    normalizer = normalizer or Normalizer.default()
    y, weights = np.asarray(y, dtype=np.int64), np.asarray(weights, dtype=np.float64)
    if len(set(y.tolist())) < len(LABELS):
        raise CitraError("training needs examples of all three labels (positive, neutral, negative)")
    norm = [normalizer.normalize(t) for t in texts] if config.ngram else list(texts)
    meta: dict[str, Any] = {
        "trained": (today or date.today()).isoformat(),
        "encoder": encoder_version,
        "normalizer": normalizer.version if config.ngram else None,
        "training": {"settings": asdict(config), "examples": len(y), "data": data_notes},
        "calibration": {"method": "temperature scaling of the head's scores, fitted on out-of-fold scores"},
        "metrics": {},
    }
    temperature = 1.0
    if config.folds >= 2:
        oof = out_of_fold(norm, vecs, y, weights, config)
        temperature = fit_temperature(oof, y, weights)
        cv = {"folds": config.folds, **scores(y, oof.argmax(axis=1))}
        meta["metrics"]["cv"] = {**cv, "ece": expected_calibration_error(softmax(oof / temperature), y)}
    coef, intercept, ngram = fit_head(norm, vecs, y, weights, config)
    model = DeepSentimentModel("", coef, intercept, temperature, ngram=ngram, meta=meta, normalizer=normalizer)
    model.version = _version(model, today)
    for name, labelled in (evaluate or {}).items():
        meta["metrics"][name] = evaluate_deep(model, *labelled)
    return model


def adapt_deep_sentiment(
    base: DeepSentimentModel,
    texts: Sequence[str],
    y: np.ndarray,
    weights: np.ndarray,
    vecs: np.ndarray,
    *,
    strength: float = 1.0,
    ngram_strength: float | None = None,
    data_notes: list[dict[str, Any]],
    today: date | None = None,
) -> DeepSentimentModel:
    """``base`` refitted on a domain's labelled texts with a Gaussian prior centred on its own head: minimises the
    weighted log loss of softmax((base scores + vecs @ dW.T + ngrams @ dN.T + db) / T) + strength * |dW|^2 +
    ngram_strength * |dN|^2 (per unit of weight). ``ngram_strength`` None keeps the n-gram block as it is (its
    vocabulary is always kept); the temperature and bias of ``base`` are kept."""
    from scipy.optimize import minimize

    y, w = np.asarray(y, dtype=np.int64), np.asarray(weights, dtype=np.float64)
    if not len(y):
        raise CitraError("no labelled texts to adapt the deep head to")
    k, d = len(LABELS), vecs.shape[1]
    start = base.decision_vectors(vecs, texts)
    x = vecs.astype(np.float64)
    xn: Any = None
    if base.ngram is not None and ngram_strength is not None:
        normalizer = base.normalizer or Normalizer.default()
        xn = base.ngram.featuriser.transform([normalizer.normalize(t) for t in texts])
    f = xn.shape[1] if xn is not None else 0
    total = w.sum()

    def loss(params: np.ndarray) -> tuple[float, np.ndarray]:
        dw, dn, db = params[: k * d].reshape(k, d), params[k * d : k * (d + f)].reshape(k, f), params[k * (d + f) :]
        z = start + x @ dw.T + db
        if f:
            z += np.asarray(xn @ dn.T)
        p = softmax(z / base.temperature + base.bias)
        logp = np.log(np.maximum(p[np.arange(len(y)), y], 1e-300))
        value = -(w * logp).sum() / total + strength * (dw**2).sum()
        g = p.copy()
        g[np.arange(len(y)), y] -= 1.0
        g *= (w / total)[:, None] / base.temperature
        grads = [(g.T @ x + 2 * strength * dw).ravel()]
        if f:
            value += float(ngram_strength) * (dn**2).sum()
            grads.append((np.asarray((xn.T @ g).T) + 2 * float(ngram_strength) * dn).ravel())
        return float(value), np.concatenate([*grads, g.sum(axis=0)])

    found = minimize(loss, np.zeros(k * (d + f) + k), jac=True, method="L-BFGS-B", options={"maxiter": 500})
    dw, dn, db = found.x[: k * d].reshape(k, d), found.x[k * d : k * (d + f)].reshape(k, f), found.x[k * (d + f) :]
    ngram = base.ngram
    if f and ngram is not None:
        ngram = LinearScorer(ngram.featuriser, ngram.coef + dn, ngram.intercept)
    meta = {
        **base.meta,
        "trained": (today or date.today()).isoformat(),
        "adapted": {
            "from": f"{base.name}@{base.version}",
            "method": "head refitted on the labels with a Gaussian prior centred on the base head",
            "strength": strength,
            "ngram_strength": ngram_strength,
            "examples": len(y),
            "data": data_notes,
        },
        "metrics": {},
    }
    model = DeepSentimentModel(
        "",
        (base.coef + dw).astype(np.float32),
        base.intercept + db,
        base.temperature,
        base.bias.copy(),
        ngram,
        meta,
        base.encoder,
        base.normalizer,
    )
    model.version = _version(model, today)
    return model


def evaluate_deep(model: DeepSentimentModel, texts: Sequence[str], y: np.ndarray, vecs: np.ndarray) -> dict[str, Any]:
    """``scores`` of the head on raw texts with their vectors, and the expected calibration error."""
    probs = model.predict_proba_vectors(vecs, texts)
    y = np.asarray(y, dtype=np.int64)
    return {**scores(y, probs.argmax(axis=1)), "ece": expected_calibration_error(probs, y)}


def _version(model: DeepSentimentModel, today: date | None) -> str:
    parts = [model.coef.astype(np.float32).tobytes(), np.asarray(model.intercept, np.float32).tobytes()]
    parts.append(np.array([model.temperature, *model.bias], dtype=np.float32).tobytes())
    if model.ngram is not None:
        parts.append(model.ngram.coef.astype(np.float32).tobytes())
    return weights_version(b"".join(parts), today)


# prior strengths of adapt_deep_sentiment (e5 block, n-gram block), chosen on the vaccine tweets' pool with 200 labels
# (never on its held-apart part; bench/deep_sentiment_bench.py --parts curve)
ADAPT_STRENGTH = 1e-2
ADAPT_NGRAM_STRENGTH = 3e-5


def train_deep_head(
    examples: Sequence[tuple[str, Any, float]],
    *,
    base: bool = True,
    encoder: Encoder | None = None,
    data_notes: list[dict[str, Any]],
    strength: float = ADAPT_STRENGTH,
    ngram_strength: float = ADAPT_NGRAM_STRENGTH,
    today: date | None = None,
) -> DeepSentimentModel:
    """The deep head for a workspace's own (text, Sentiment, weight) examples, NOT the shipped data: with ``base``,
    the shipped head (trained on the shipped data) adapted to them; without, a head trained on them alone. Embeds
    the examples (tens of texts a second on one core)."""
    shipped = DeepSentimentModel.load()
    shipped.encoder = encoder
    texts = [t for t, _, _ in examples]
    y = np.array([LABELS.index(label) for _, label, _ in examples], dtype=np.int64)
    weights = np.array([float(w) for _, _, w in examples])
    if base and not examples:
        return shipped
    vecs = shipped.embed(texts)
    if base:
        return adapt_deep_sentiment(
            shipped,
            texts,
            y,
            weights,
            vecs,
            strength=strength,
            ngram_strength=ngram_strength,
            data_notes=data_notes,
            today=today,
        )
    folds = 5 if len(y) and min(Counter(y.tolist()).values()) >= 5 else 0
    version = shipped.encoder.version if shipped.encoder is not None else ""
    model = train_deep_sentiment(
        texts,
        y,
        weights,
        vecs,
        data_notes=data_notes,
        config=DeepConfig(folds=folds),
        today=today,
        encoder_version=version,
    )
    model.encoder = shipped.encoder
    return model
