"""Embeddings of a benchmark's texts, computed once per encoder version and kept in a cache folder.

Several benchmarks embed the same real sets (SmSA, NusaX, the vaccine tweets ...); on a 2-core machine that is the
slow part, so the vectors are saved as ``.npy`` under ``$CITRA_EMBED_CACHE`` (default ``/tmp/citra-embed-cache``),
keyed by the encoder version and a hash of the texts. Delete the folder to recompute.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from citra.nlp.encoder import Encoder

_ENCODER: Encoder | None = None


def encoder() -> Encoder:
    global _ENCODER
    if _ENCODER is None:
        _ENCODER = Encoder()
    return _ENCODER


def cached_embed(texts: Sequence[str], name: str = "texts") -> np.ndarray:
    """(len(texts), 384) float32 vectors of ``texts``, from the cache when the same texts were embedded before."""
    enc = encoder()
    digest = hashlib.sha256("\x00".join(texts).encode()).hexdigest()[:16]
    folder = Path(os.environ.get("CITRA_EMBED_CACHE", "/tmp/citra-embed-cache")) / enc.version.replace("/", "_")
    path = folder / f"{name}-{len(texts)}-{digest}.npy"
    if path.is_file():
        return np.load(path)
    vecs = enc.embed(list(texts))
    folder.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp.npy")
    np.save(tmp, vecs)
    tmp.replace(path)
    return vecs
