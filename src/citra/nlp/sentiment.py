"""Sentiment: positive / neutral / negative with a calibrated probability, from a small linear model.

Features are TF-IDF word unigrams + bigrams and a block of character 2-5 grams of each token (see ``Featuriser``); the
classifier is linear and probabilities are a temperature-scaled softmax of its scores, plus an optional per-class bias
fitted on a domain's labels (``citra.nlp.train.fit_calibration``). On disk a model is plain arrays
and JSON (``model.json``, ``vocab.json``, ``arrays.npz``, loaded with ``allow_pickle=False``). ``Featuriser.transform``
defines the features (training uses it); ``SentimentModel.decision`` computes the same scores faster, from a per-token
table. Input texts are the output of ``citra.nlp.normalize.Normalizer.normalize``.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import chain, repeat
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp

from citra.errors import CitraError
from citra.records import Sentiment

SHIPPED = Path(__file__).parent / "models" / "sentiment"
LABELS: tuple[Sentiment, ...] = tuple(Sentiment)
FORMAT = 1
MAX_CHARS = 2000  # post text is untrusted: longer inputs are cut before featurising
_SEP = "\x00"  # joins texts for one fast split; never left inside a token
_CACHE_LIMIT = 300_000  # tokens whose ids and char scores a model keeps


def tokenize(text: str) -> list[str]:
    """The tokens of a normalised text (the normaliser writes single-spaced tokens)."""
    return _cut(text).split()


def _cut(text: str) -> str:
    text = text[:MAX_CHARS]
    return text.replace(_SEP, " ") if _SEP in text else text


def char_ngrams(token: str, lo: int, hi: int) -> list[str]:
    """Character ``lo``..``hi``-grams of a token padded with one space on each side (as sklearn's ``char_wb``)."""
    padded = f" {token} "
    size = len(padded)
    return [padded[i : i + n] for n in range(lo, hi + 1) for i in range(size - n + 1)]


@dataclass(eq=False)
class Featuriser:
    """Word unigrams + bigrams (TF-IDF) and a character-n-gram block, as a sparse matrix, from a fitted vocabulary.

    Columns: one per token of ``tokens``, one per row of ``bigrams`` (pairs of token ids), one per char n-gram of
    ``chars``. The word block is sublinear TF-IDF, L2-normalised. The char block is the sum over the text's tokens of
    each token's L2-normalised IDF-weighted char n-gram vector, divided by sqrt(number of tokens) and multiplied by
    ``char_weight``: it is additive over tokens, so a model can score it from a per-token table."""

    tokens: list[str]
    bigrams: np.ndarray  # (m, 2) token ids
    chars: list[str]
    word_idf: np.ndarray  # tokens, then bigrams
    char_idf: np.ndarray
    char_ngrams: tuple[int, int] = (2, 5)
    char_weight: float = 1.0
    _index: dict[str, Any] = field(default_factory=dict, repr=False)

    @property
    def n_word_features(self) -> int:
        return len(self.tokens) + len(self.bigrams)

    @property
    def n_features(self) -> int:
        return self.n_word_features + len(self.chars)

    def params(self) -> dict[str, Any]:
        """The featuriser settings as stored in ``model.json``."""
        return {
            "tokens": "whitespace-separated tokens of the normalised text, cut at max_chars",
            "max_chars": MAX_CHARS,
            "word_ngrams": [1, 2],
            "word_block": "tf 1 + log(count), idf 1 + ln((1 + n) / (1 + df)), L2-normalised",
            "char_ngrams": list(self.char_ngrams),
            "char_block": "sum over tokens of L2-normalised idf-weighted char n-grams of ' token ', / sqrt(tokens)",
            "char_weight": self.char_weight,
            "n_tokens": len(self.tokens),
            "n_bigrams": len(self.bigrams),
            "n_chars": len(self.chars),
        }

    def transform(self, texts: Sequence[str]) -> sp.csr_matrix:
        """The feature matrix (texts x features): word block, then char block."""
        words, scale, counts, chars = self.factored(texts)
        return sp.hstack([words, sp.diags(scale) @ (counts @ chars)], format="csr")

    def factored(self, texts: Sequence[str]) -> tuple[sp.csr_matrix, np.ndarray, sp.csr_matrix, sp.csr_matrix]:
        """The word block and the char block's factors: the char block is ``diag(scale) @ counts @ chars``, with
        ``counts`` (texts x distinct tokens) and ``chars`` (distinct tokens x char n-grams); a trainer multiplies
        through the small factors instead of the full block."""
        flat, lengths = split(texts)
        n = len(texts)
        rows = np.repeat(np.arange(n), lengths)
        words = self.word_block(self.token_ids(flat), rows, n)
        unique = list(dict.fromkeys(flat))
        position = {tok: i for i, tok in enumerate(unique)}
        local = np.fromiter(map(position.__getitem__, flat), dtype=np.int64, count=len(flat))
        counts = sp.csr_matrix((np.ones(len(flat)), (rows, local)), shape=(n, len(unique)))
        scale = self.char_weight / np.sqrt(np.maximum(lengths, 1))
        return words, scale, counts, self.char_vectors(unique)

    def token_ids(self, tokens: Sequence[str]) -> np.ndarray:
        """Vocabulary id of each token, -1 when unknown."""
        get = self._built()["token"].get
        return np.fromiter(map(get, tokens, repeat(-1)), dtype=np.int64, count=len(tokens))

    def word_block(self, ids: np.ndarray, rows: np.ndarray, n: int) -> sp.csr_matrix:
        """The word block of ``n`` texts from the token ids of their tokens, in order (``rows``: text of each)."""
        index = self._built()
        known = ids >= 0
        pair = known[1:] & known[:-1] & (rows[1:] == rows[:-1])
        keys = ids[:-1][pair] * len(self.tokens) + ids[1:][pair]
        found = index["bigrams"].get(keys)
        hit = found >= 0
        cols = np.concatenate([ids[known], found[hit]])
        where = np.concatenate([rows[known], rows[:-1][pair][hit]])
        raw = sp.csr_matrix((np.ones(len(cols)), (where, cols)), shape=(n, self.n_word_features))
        raw.sum_duplicates()
        np.log(raw.data, out=raw.data)
        raw.data += 1.0
        raw.data *= self.word_idf[raw.indices]
        per_row = np.diff(raw.indptr)
        norms = np.sqrt(np.bincount(np.repeat(np.arange(n), per_row), weights=raw.data**2, minlength=n))
        raw.data /= np.repeat(np.where(norms > 0, norms, 1.0), per_row)
        return raw

    def char_vectors(self, tokens: Sequence[str]) -> sp.csr_matrix:
        """One L2-normalised IDF-weighted char n-gram row per token (all zero when none is in the vocabulary)."""
        get = self._built()["char"].get
        lo, hi = self.char_ngrams
        found = [np.fromiter((i for i in map(get, char_ngrams(t, lo, hi)) if i is not None), np.int64) for t in tokens]
        sizes = np.fromiter(map(len, found), dtype=np.int64, count=len(found))
        indptr = np.concatenate([[0], np.cumsum(sizes)])
        indices = np.concatenate(found) if found else np.zeros(0, dtype=np.int64)
        matrix = sp.csr_matrix((self.char_idf[indices], indices, indptr), shape=(len(tokens), len(self.chars)))
        matrix.sum_duplicates()
        norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
        return sp.csr_matrix(sp.diags(1.0 / np.where(norms > 0, norms, 1.0)) @ matrix)

    def _built(self) -> dict[str, Any]:
        if not self._index:
            keys = self.bigrams[:, 0].astype(np.int64) * len(self.tokens) + self.bigrams[:, 1]
            self._index.update(
                token={t: i for i, t in enumerate(self.tokens)},
                char={g: i for i, g in enumerate(self.chars)},
                bigrams=IntTable(keys, np.arange(len(keys)) + len(self.tokens)),
            )
        return self._index


def split(texts: Sequence[str]) -> tuple[list[str], np.ndarray]:
    """All tokens of ``texts`` in one list, and the number of tokens of each text."""
    tokens = [tokenize(t) for t in texts]
    lengths = np.fromiter(map(len, tokens), dtype=np.int64, count=len(tokens))
    return list(chain.from_iterable(tokens)), lengths


class IntTable:
    """A fixed mapping of non-negative int64 keys to int64 values, looked up for a whole array at once
    (open addressing with linear probing, load factor at most 1/2)."""

    def __init__(self, keys: np.ndarray, values: np.ndarray) -> None:
        self.bits = max(4, int(np.ceil(np.log2(2 * len(keys) + 1))))
        mask = (1 << self.bits) - 1
        self.keys = np.full(1 << self.bits, -1, dtype=np.int64)
        self.values = np.full(1 << self.bits, -1, dtype=np.int64)
        pending = np.arange(len(keys))
        where = self._slot(keys)
        while len(pending):
            free = self.keys[where[pending]] < 0
            _, first = np.unique(where[pending[free]], return_index=True)
            placed = pending[free][first]
            self.keys[where[placed]] = keys[placed]
            self.values[where[placed]] = values[placed]
            pending = np.setdiff1d(pending, placed, assume_unique=True)
            where[pending] = (where[pending] + 1) & mask

    def _slot(self, keys: np.ndarray) -> np.ndarray:
        mixed = keys.astype(np.uint64) * np.uint64(0x9E3779B97F4A7C15)
        return (mixed >> np.uint64(64 - self.bits)).astype(np.int64)

    def get(self, keys: np.ndarray) -> np.ndarray:
        """The value of each key, -1 for keys not in the table."""
        out = np.full(len(keys), -1, dtype=np.int64)
        where = self._slot(keys)
        active = np.arange(len(keys))
        mask = (1 << self.bits) - 1
        while len(active):
            stored = self.keys[where[active]]
            hit = stored == keys[active]
            out[active[hit]] = self.values[where[active[hit]]]
            active = active[~hit & (stored >= 0)]
            where[active] = (where[active] + 1) & mask
        return out


def read_linear(folder: Path) -> tuple[dict[str, Any], Featuriser, np.ndarray, np.ndarray]:
    """``model.json``, the featuriser, ``coef`` and ``intercept`` of a linear model folder written by ``write_linear``
    (arrays loaded with ``allow_pickle=False``); raises OSError, ValueError or KeyError when unreadable."""
    meta = json.loads((folder / "model.json").read_text(encoding="utf-8"))
    vocab = json.loads((folder / "vocab.json").read_text(encoding="utf-8"))
    with np.load(folder / "arrays.npz", allow_pickle=False) as arrays:
        data = {k: arrays[k] for k in arrays.files}
    params = meta["featuriser"]
    featuriser = Featuriser(
        tokens=list(vocab["tokens"]),
        bigrams=data["bigrams"].astype(np.int64).reshape(-1, 2),
        chars=list(vocab["chars"]),
        word_idf=data["word_idf"].astype(np.float64),
        char_idf=data["char_idf"].astype(np.float64),
        char_ngrams=(int(params["char_ngrams"][0]), int(params["char_ngrams"][1])),
        char_weight=float(params["char_weight"]),
    )
    return meta, featuriser, data["coef"].astype(np.float64), data["intercept"].astype(np.float64)


def write_linear(folder: Path, meta: dict[str, Any], f: Featuriser, coef: np.ndarray, intercept: np.ndarray) -> None:
    """Write a linear model as ``model.json`` (``meta`` plus the featuriser's parameters), ``vocab.json`` and
    ``arrays.npz``: plain JSON and arrays, never pickles."""
    folder.mkdir(parents=True, exist_ok=True)
    meta = {**meta, "featuriser": f.params()}
    vocab = {"tokens": f.tokens, "chars": f.chars}
    (folder / "model.json").write_text(json.dumps(meta, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    (folder / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False, separators=(",", ":")), "utf-8")
    np.savez_compressed(
        folder / "arrays.npz",
        coef=coef.astype(np.float32),
        intercept=intercept.astype(np.float32),
        bigrams=f.bigrams.astype(np.int32),
        word_idf=f.word_idf.astype(np.float32),
        char_idf=f.char_idf.astype(np.float32),
    )


@dataclass(eq=False)
class LinearScorer:
    """``featuriser.transform(texts) @ coef.T + intercept`` without building the char block: each token's
    char-block score (per class) comes from a bounded per-token table of (token id, score), filled as tokens are
    first seen; most tokens of a batch were seen in earlier ones. Shared by the sentiment model and the router."""

    featuriser: Featuriser
    coef: np.ndarray  # classes x features
    intercept: np.ndarray  # classes
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)
    _table: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    def decision(self, normalized_texts: Sequence[str]) -> np.ndarray:
        """Raw linear scores (texts x classes)."""
        f = self.featuriser
        n = len(normalized_texts)
        flat = f" {_SEP} ".join(map(_cut, normalized_texts)).split()
        ids, char_scores, rows = self._lookup(flat)
        scores = np.asarray(f.word_block(ids, rows, n) @ self.coef[:, : f.n_word_features].T)
        scale = 1.0 / np.sqrt(np.maximum(np.bincount(rows, minlength=n), 1))
        for c in range(len(self.intercept)):
            scores[:, c] += np.bincount(rows, weights=char_scores[:, c], minlength=n) * scale
        return scores + self.intercept

    def _lookup(self, flat: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Token id, char-block score (times ``char_weight``) and text number of each token of ``flat`` (texts
        joined by separators), from the per-token table."""
        f = self.featuriser
        with self._lock:
            table = self._table
            if not table or len(table["slot"]) > _CACHE_LIMIT:
                table.update(slot=_Slots({_SEP: 0}), ids=np.array([-1]), scores=np.zeros((1, len(self.intercept))))
            slot = table["slot"]
            slots = np.fromiter(map(slot.__getitem__, flat), dtype=np.int64, count=len(flat))
            missing = np.flatnonzero(slots < 0)
            if len(missing):
                new = list(dict.fromkeys(flat[i] for i in missing))
                start = len(slot)
                slot.update((tok, start + i) for i, tok in enumerate(new))
                char_coef = self.coef[:, f.n_word_features :]
                new_scores = np.asarray(f.char_vectors(new) @ char_coef.T) * f.char_weight
                table["ids"] = np.concatenate([table["ids"], f.token_ids(new)])
                table["scores"] = np.concatenate([table["scores"], new_scores])
                slots[missing] = np.fromiter((slot[flat[i]] for i in missing), dtype=np.int64, count=len(missing))
            separator = slots == 0
            rows = np.cumsum(separator)[~separator]
            slots = slots[~separator]
            return table["ids"][slots], table["scores"][slots], rows


@dataclass(eq=False)
class SentimentModel:
    """A linear sentiment classifier with temperature-calibrated probabilities (columns in ``Sentiment`` order).

    Scores are ``features @ coef.T + intercept``; ``decision`` computes them without building the char block, from a
    bounded per-token table of (token id, char-block score), filled as tokens are first seen."""

    name: str
    version: str
    featuriser: Featuriser
    coef: np.ndarray  # classes x features
    intercept: np.ndarray  # classes
    temperature: float = 1.0
    meta: dict[str, Any] = field(default_factory=dict)
    bias: np.ndarray | None = None  # classes; added after temperature scaling (a domain's class-prior correction)
    _scorer: LinearScorer | None = field(default=None, repr=False, compare=False)

    @classmethod
    def load(cls, path: Path | None = None) -> SentimentModel:
        """Load a model folder (``None``: the model shipped with citra)."""
        folder = SHIPPED if path is None else Path(path)
        try:
            meta, featuriser, coef, intercept = read_linear(folder)
            if meta.get("format") != FORMAT or meta.get("classes") != [s.value for s in LABELS]:
                raise ValueError(f"not a citra sentiment model of format {FORMAT}")
            _check(featuriser, coef, intercept)
            temperature = float(meta["calibration"]["temperature"])
            bias = np.asarray(meta["calibration"].get("bias", [0.0] * len(LABELS)), dtype=np.float64)
            if bias.shape != (len(LABELS),) or not np.isfinite(bias).all() or not temperature > 0:
                raise ValueError("calibration needs a positive temperature and one finite bias per class")
        except (OSError, ValueError, KeyError, TypeError, IndexError) as exc:
            raise CitraError(f"cannot load the sentiment model in {folder}: {exc}") from None
        return cls(meta["name"], meta["version"], featuriser, coef, intercept, temperature, meta, bias)

    def save(self, folder: Path) -> None:
        """Write ``model.json``, ``vocab.json`` and ``arrays.npz`` into ``folder``."""
        meta = {
            **self.meta,
            "format": FORMAT,
            "name": self.name,
            "version": self.version,
            "classes": [s.value for s in LABELS],
            "calibration": {
                **self.meta.get("calibration", {}),
                "temperature": self.temperature,
                "bias": [round(float(b), 6) for b in self.class_bias],
            },
        }
        write_linear(folder, meta, self.featuriser, self.coef, self.intercept)

    def decision(self, normalized_texts: Sequence[str]) -> np.ndarray:
        """Raw linear scores (n x 3), before calibration; equal to ``featuriser.transform(texts) @ coef.T + b``."""
        if self._scorer is None:
            self._scorer = LinearScorer(self.featuriser, self.coef, self.intercept)
        return self._scorer.decision(normalized_texts)

    @property
    def class_bias(self) -> np.ndarray:
        """The per-class bias added to the temperature-scaled scores (zeros when none was fitted)."""
        return np.zeros(len(LABELS)) if self.bias is None else self.bias

    def calibrated(self, scores: np.ndarray) -> np.ndarray:
        """Probabilities from raw scores: softmax(scores / temperature + bias)."""
        return softmax(scores / self.temperature + self.class_bias)

    def predict_proba(self, normalized_texts: Sequence[str]) -> np.ndarray:
        """Calibrated probabilities (n x 3, columns negative, neutral, positive; rows sum to 1)."""
        return self.calibrated(self.decision(normalized_texts))

    def predict(self, normalized_texts: Sequence[str]) -> list[tuple[Sentiment, float]]:
        """The most likely label of each text and its probability."""
        probs = self.predict_proba(normalized_texts)
        best = probs.argmax(axis=1)
        return [(LABELS[b], float(p[b])) for b, p in zip(best, probs, strict=True)]


def _check(f: Featuriser, coef: np.ndarray, intercept: np.ndarray) -> None:
    """Raise ValueError unless the arrays fit the vocabulary."""
    if coef.shape != (len(LABELS), f.n_features) or intercept.shape != (len(LABELS),):
        raise ValueError(f"coefficients {coef.shape} do not match the vocabulary")
    if f.word_idf.shape != (f.n_word_features,) or f.char_idf.shape != (len(f.chars),):
        raise ValueError("idf arrays do not match the vocabulary")
    if len(f.bigrams) and (f.bigrams.min() < 0 or f.bigrams.max() >= len(f.tokens)):
        raise ValueError("bigram token ids out of range")
    if not all(isinstance(t, str) for t in chain(f.tokens, f.chars)):
        raise ValueError("vocabulary entries must be strings")


class _Slots(dict[str, int]):
    """Token -> row of the per-token table; -1 for tokens not seen yet."""

    def __missing__(self, key: str) -> int:
        return -1


def softmax(scores: np.ndarray) -> np.ndarray:
    """Row-wise softmax."""
    shifted = np.exp(scores - scores.max(axis=1, keepdims=True))
    return shifted / shifted.sum(axis=1, keepdims=True)
