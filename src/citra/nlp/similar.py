"""Nearest routed complaints: the past complaints most like a new one, and the OPD each was routed to.

Shown beside the routing suggestion ("Mirip dengan aduan yang dulu ke Dinas PUPR"), so the person who routes sees
the precedent and not only a score. Pure: an index of unit vectors (the deep tier's sentence vectors of complaints
already routed) in, neighbours out; gathering the index from the store is ``citra.similar``.

The search is exact: one matrix product of the query vectors with the whole index (cosine similarity of unit
vectors) and a partial sort. The index costs 1.5 KB a complaint in float32 (100,000 routed complaints: 154 MB) and
one query row scans all of it; that is fine up to about 100,000 routed complaints (see docs/benchmarks.md for the
time per page). Beyond that an approximate index (IVF or HNSW) would be the next step.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from citra.errors import CitraError

K = 3  # neighbours shown per complaint
MIN_SIMILARITY = 0.90  # chosen on validation rows (bench/routing_vectors.py): 0.72 of shown neighbours right


@dataclass(frozen=True, slots=True)
class Neighbour:
    """One past complaint like the query: its post id, the OPD it was routed to, the cosine similarity."""

    post_id: int
    opd: str
    similarity: float


@dataclass(frozen=True, eq=False)
class RoutedIndex:
    """Unit vectors of routed complaints (rows of ``matrix``, float32), their post ids and OPDs (``opds[codes[i]]``
    is row i's), all made by the encoder ``model``."""

    ids: np.ndarray  # int64, one per row
    codes: np.ndarray  # int32 index into ``opds``, one per row
    opds: tuple[str, ...]
    matrix: np.ndarray  # rows x dim, float32
    model: str = ""

    @classmethod
    def build(cls, rows: Sequence[tuple[int, str, np.ndarray]], model: str = "") -> RoutedIndex:
        """An index of (post id, OPD, vector) rows; vectors are normalised to unit length (a zero vector stays 0)."""
        if not rows:
            return cls.empty(model)
        opds = tuple(sorted({opd for _, opd, _ in rows}))
        code = {o: i for i, o in enumerate(opds)}
        matrix = np.vstack([np.asarray(v, dtype=np.float32).ravel() for _, _, v in rows])
        norms = np.linalg.norm(matrix, axis=1, keepdims=True)
        matrix /= np.where(norms > 0, norms, 1.0)
        ids = np.array([int(i) for i, _, _ in rows], dtype=np.int64)
        codes = np.array([code[o] for _, o, _ in rows], dtype=np.int32)
        return cls(ids, codes, opds, matrix, model)

    @classmethod
    def empty(cls, model: str = "") -> RoutedIndex:
        return cls(np.zeros(0, np.int64), np.zeros(0, np.int32), (), np.zeros((0, 0), np.float32), model)

    def __len__(self) -> int:
        return len(self.ids)

    @property
    def nbytes(self) -> int:
        return int(self.matrix.nbytes + self.ids.nbytes + self.codes.nbytes)


def nearest(
    index: RoutedIndex,
    vectors: np.ndarray,
    *,
    k: int = K,
    min_similarity: float = MIN_SIMILARITY,
    exclude: Sequence[int] | None = None,
) -> list[list[Neighbour]]:
    """The ``k`` routed complaints most similar to each query vector (rows of ``vectors``, unit length), most
    similar first, at least ``min_similarity``; ``exclude`` gives each query's own post id (never its own
    neighbour)."""
    queries = np.atleast_2d(np.asarray(vectors, dtype=np.float32))
    if exclude is not None and len(exclude) != len(queries):
        raise CitraError("nearest: one post id to exclude per query vector")
    if len(index) == 0 or len(queries) == 0 or k <= 0:
        return [[] for _ in range(len(queries))]
    if queries.shape[1] != index.matrix.shape[1]:
        raise CitraError(f"nearest: vectors of {queries.shape[1]} numbers, the index has {index.matrix.shape[1]}")
    sims = queries @ index.matrix.T  # queries x rows
    take = min(k + (exclude is not None), len(index))
    top = (
        np.argpartition(-sims, take - 1, axis=1)[:, :take]
        if take < len(index)
        else np.tile(np.arange(take), (len(queries), 1))
    )
    out: list[list[Neighbour]] = []
    for q, cols in enumerate(top):
        cols = cols[np.lexsort((index.ids[cols], -sims[q, cols]))]  # most similar first, ties by post id
        own = None if exclude is None else int(exclude[q])
        found = [
            Neighbour(int(index.ids[c]), index.opds[index.codes[c]], round(float(sims[q, c]), 4))
            for c in cols
            if sims[q, c] >= min_similarity and int(index.ids[c]) != own
        ]
        out.append(found[:k])
    return out


def by_opd(neighbours: Sequence[Neighbour]) -> list[tuple[str, list[Neighbour]]]:
    """Neighbours grouped by OPD, the OPD of the most similar complaint first (what the page shows)."""
    groups: dict[str, list[Neighbour]] = {}
    for n in neighbours:
        groups.setdefault(n.opd, []).append(n)
    return list(groups.items())


def vote(neighbours: Sequence[Neighbour]) -> str | None:
    """The OPD with the largest summed similarity among the neighbours (None without any)."""
    totals: dict[str, float] = {}
    for n in neighbours:
        totals[n.opd] = totals.get(n.opd, 0.0) + n.similarity
    return max(totals, key=totals.__getitem__, default=None)  # ties: the OPD seen first (most similar)
