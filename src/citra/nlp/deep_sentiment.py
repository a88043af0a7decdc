"""The deep tier's sentiment model: a linear head on multilingual-e5-small sentence vectors (``citra.nlp.encoder``),
optionally plus an n-gram block, with temperature-calibrated probabilities in ``Sentiment`` order.

Input is the RAW post text (what a citizen wrote, not ``Normalizer`` output): e5 was pretrained on raw web text and
reads casing, emoji and slang itself. When the head has an n-gram block, the model normalises the texts for it
with its own ``Normalizer`` (``Normalizer.default()`` unless one is set). Scores are
``vecs @ coef.T + ngram(normalised texts) + intercept``; probabilities are ``softmax(scores / T + bias)``.

``predict_proba_vectors(vecs, texts)`` takes vectors already computed by ``Encoder.embed(texts)`` (the analyze tier
stores them and must not embed twice); vectors from another encoder version may be used if it is the same model
(``encoder_version`` records the one the head was trained on). On disk: ``model.json``, ``head.npz`` and, when there
is an n-gram block, an ``ngram/`` folder in the fast model's layout; plain arrays and JSON, loaded with
``allow_pickle=False``.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from citra.errors import CitraError
from citra.nlp.sentiment import LABELS, LinearScorer, _check, read_linear, softmax, write_linear
from citra.records import Sentiment

if TYPE_CHECKING:
    from citra.nlp.encoder import Encoder
    from citra.nlp.normalize import Normalizer

SHIPPED = Path(__file__).parent / "models" / "sentiment-deep"
NAME = "citra-sentiment-deep"
FORMAT = 1
DIM = 384
DEEP_DIR = "deep"  # a trained model folder keeps its deep head here, next to the fast model's files
INPUT = "raw post text (e5 'passage:' embedding of the text as written; the n-gram block normalises it itself)"


def deep_head_folder(folder: Path | None, *, strict: bool = False) -> Path:
    """The deep head that goes with a model folder: ``folder/deep`` when it exists, ``folder`` itself when it is a
    deep head, else the shipped head (``strict``: raise CitraError instead of falling back)."""
    if folder is not None:
        folder = Path(folder)
        for candidate in (folder / DEEP_DIR, folder):
            if (candidate / "head.npz").is_file():
                return candidate
        if strict:
            raise CitraError(f"no deep sentiment head in {folder} (nor in {folder / DEEP_DIR})")
    return SHIPPED


@dataclass(eq=False)
class DeepSentimentModel:
    """A calibrated linear head over e5 vectors (and optionally n-gram features); columns negative, neutral,
    positive. ``encoder`` and ``normalizer`` are built on first use unless given (share one ``Encoder`` per
    process: it holds about 100 MB of weights)."""

    version: str
    coef: np.ndarray  # (3, 384): weights of the e5 vector
    intercept: np.ndarray  # (3,)
    temperature: float = 1.0
    bias: np.ndarray = field(default_factory=lambda: np.zeros(len(LABELS)))
    ngram: LinearScorer | None = None  # n-gram block (its intercept is zero), scored on normalised text
    meta: dict[str, Any] = field(default_factory=dict)
    encoder: Encoder | None = field(default=None, repr=False)
    normalizer: Normalizer | None = field(default=None, repr=False)
    name: str = NAME

    @property
    def encoder_version(self) -> str:
        return str(self.meta.get("encoder", ""))

    @classmethod
    def load(cls, path: Path | None = None) -> DeepSentimentModel:
        """Load a head folder (``None``: the head shipped with citra)."""
        folder = SHIPPED if path is None else Path(path)
        try:
            meta = json.loads((folder / "model.json").read_text(encoding="utf-8"))
            if meta.get("format") != FORMAT or meta.get("classes") != [s.value for s in LABELS]:
                raise ValueError(f"not a citra deep sentiment head of format {FORMAT}")
            with np.load(folder / "head.npz", allow_pickle=False) as arrays:
                coef = arrays["coef"].astype(np.float32)
                intercept = arrays["intercept"].astype(np.float64)
            if coef.shape != (len(LABELS), DIM) or intercept.shape != (len(LABELS),):
                raise ValueError(f"head arrays {coef.shape} {intercept.shape} do not fit {DIM}-dim vectors")
            calibration = meta["calibration"]
            temperature = float(calibration["temperature"])
            bias = np.asarray(calibration.get("bias", [0.0] * len(LABELS)), dtype=np.float64)
            if bias.shape != (len(LABELS),) or not np.isfinite(bias).all() or not temperature > 0:
                raise ValueError("calibration needs a positive temperature and one finite bias per class")
            ngram = None
            if meta.get("ngram"):
                _, featuriser, ng_coef, ng_intercept = read_linear(folder / "ngram")
                _check(featuriser, ng_coef, ng_intercept)
                ngram = LinearScorer(featuriser, ng_coef, np.zeros(len(LABELS)))
        except (OSError, ValueError, KeyError, TypeError, IndexError) as exc:
            raise CitraError(f"cannot load the deep sentiment head in {folder}: {exc}") from None
        return cls(meta["version"], coef, intercept, temperature, bias, ngram, meta, name=meta.get("name", NAME))

    def save(self, folder: Path) -> None:
        """Write ``model.json``, ``head.npz`` (and ``ngram/`` when the head has an n-gram block) into ``folder``."""
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        meta = {
            **self.meta,
            "format": FORMAT,
            "name": self.name,
            "version": self.version,
            "classes": [s.value for s in LABELS],
            "input": INPUT,
            "ngram": self.ngram is not None,
            "calibration": {
                **self.meta.get("calibration", {}),
                "temperature": float(self.temperature),
                "bias": [round(float(b), 6) for b in self.bias],
            },
        }
        np.savez_compressed(
            folder / "head.npz", coef=self.coef.astype(np.float32), intercept=self.intercept.astype(np.float32)
        )
        if self.ngram is not None:
            ngram_meta = {"name": f"{self.name}-ngram", "version": self.version, "role": "n-gram block of the head"}
            write_linear(folder / "ngram", ngram_meta, self.ngram.featuriser, self.ngram.coef, self.ngram.intercept)
        elif (folder / "ngram").is_dir():
            shutil.rmtree(folder / "ngram")
        (folder / "model.json").write_text(json.dumps(meta, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")

    # prediction ----------------------------------------------------------------------------------------------------

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """The e5 vectors of raw texts (the encoder is loaded on first use)."""
        if self.encoder is None:
            from citra.nlp.encoder import Encoder

            self.encoder = Encoder()
        return self.encoder.embed(list(texts))

    def decision_vectors(self, vecs: np.ndarray, texts: Sequence[str]) -> np.ndarray:
        """Raw scores (n, 3) from e5 vectors and the raw texts they came from (texts are used by the n-gram block
        only)."""
        vecs = np.asarray(vecs, dtype=np.float32)
        if vecs.ndim != 2 or vecs.shape[1] != DIM or len(vecs) != len(texts):
            raise CitraError(f"expected ({len(texts)}, {DIM}) vectors, got {vecs.shape}")
        scores = (vecs @ self.coef.T).astype(np.float64) + self.intercept
        if self.ngram is not None and len(texts):
            if self.normalizer is None:
                from citra.nlp.normalize import Normalizer

                self.normalizer = Normalizer.default()
            scores += self.ngram.decision([self.normalizer.normalize(t) for t in texts])
        return scores

    def calibrated(self, scores: np.ndarray) -> np.ndarray:
        """Probabilities from raw scores: softmax(scores / temperature + bias)."""
        return softmax(scores / self.temperature + self.bias)

    def predict_proba_vectors(self, vecs: np.ndarray, texts: Sequence[str]) -> np.ndarray:
        """Calibrated probabilities (n, 3; negative, neutral, positive) from precomputed ``Encoder.embed(texts)``."""
        return self.calibrated(self.decision_vectors(vecs, texts))

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        """Calibrated probabilities (n, 3; negative, neutral, positive) of raw post texts."""
        return self.predict_proba_vectors(self.embed(texts), texts)

    def predict(self, texts: Sequence[str]) -> list[tuple[Sentiment, float]]:
        """The most likely label of each raw text and its probability."""
        probs = self.predict_proba(texts)
        return [(LABELS[b], float(p[b])) for b, p in zip(probs.argmax(axis=1), probs, strict=True)]
