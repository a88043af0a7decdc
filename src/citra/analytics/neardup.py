"""Near-duplicate posts: groups of recent posts whose sentence vectors are almost the same, confirmed on their text.

Copy-paste campaigns post one message many times with small edits (a different mention, an emoji, a word); the
coordination analysis looks for such groups. Pure: takes ids, unit vectors (``citra.nlp.encoder``) and, when
given, the texts; returns groups of ids. All pairs are compared exactly with blocked matrix products (no
approximate index to tune or ship): at most ``block`` rows at a time against the rest, so memory stays
``block x n`` floats whatever ``n`` is.

e5 vectors of one conversation are close (replies to one thread reach a cosine of 0.95 with nothing in common
but the mentions), so the vectors only propose pairs: a pair counts when the texts' character 5-shingles overlap
enough (Jaccard; a campaign's shared headline with different tails scores 0.3 to 0.5) and both texts are long
enough to say something."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import regex
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

THRESHOLD = 0.92  # cosine of e5-small vectors; chosen on 100 labelled pairs of real posts (bench/neardup_bench.py)
MIN_JACCARD = 0.3  # character 5-shingles of the texts, mentions, links and punctuation left out
MIN_CHARS = 30  # shorter cleaned texts ("@x sama #mositidakpercaya") share a hashtag, not a message
SHINGLE = 5
BLOCK = 512  # rows per matrix product: 512 x 100,000 floats = 200 MB
_NOISE = regex.compile(r"@\w+|https?://\S+|[^\w\s]+")


def similar_pairs(
    vecs: np.ndarray,
    threshold: float = THRESHOLD,
    block: int = BLOCK,
    *,
    times: np.ndarray | None = None,
    window: float | None = None,
) -> np.ndarray:
    """Every pair ``(i, j)``, ``i < j``, of rows of ``vecs`` (unit vectors) with cosine ``>= threshold``: an
    ``(m, 2)`` int array. Each block of rows is compared with itself and the rows after it only. With ``times``
    (one number per row, e.g. epoch seconds) and ``window``, only posts at most ``window`` apart are compared:
    a campaign posts within hours, and the work then grows with the posts per window, not with all pairs."""
    x = np.ascontiguousarray(vecs, dtype=np.float32)
    n = len(x)
    order = np.arange(n)
    when = None
    if times is not None and window is not None:
        order = np.argsort(np.asarray(times, dtype=np.float64), kind="stable")
        x, when = x[order], np.asarray(times, dtype=np.float64)[order]
    found: list[np.ndarray] = []
    for start in range(0, n, block):
        stop = min(start + block, n)
        end = n if when is None else int(np.searchsorted(when, when[stop - 1] + window, side="right"))
        sims = x[start:stop] @ x[start:end].T  # rows start..stop against start..end
        sims[np.tril_indices(stop - start, 0, sims.shape[1])] = -1.0  # the diagonal and pairs seen as (j, i)
        if when is not None:  # rows of the block earlier than a column by more than the window
            sims[when[start:stop, None] + window < when[None, start:end]] = -1.0
        i, j = np.nonzero(sims >= threshold)
        if len(i):
            a, b = order[i + start], order[j + start]
            found.append(np.column_stack((np.minimum(a, b), np.maximum(a, b))))
    return np.concatenate(found) if found else np.empty((0, 2), dtype=np.int64)


def shingles(text: str, n: int = SHINGLE) -> frozenset[str]:
    """Character ``n``-grams of a text in lower case, mentions, links and punctuation left out, spaces folded."""
    clean = " ".join(_NOISE.sub(" ", text.lower()).split())
    if len(clean) <= n:
        return frozenset([clean]) if clean else frozenset()
    return frozenset(clean[k : k + n] for k in range(len(clean) - n + 1))


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    """|a & b| / |a | b| (0 for two empty sets)."""
    union = len(a | b)
    return len(a & b) / union if union else 0.0


def near_duplicates(
    ids: Sequence[int],
    vecs: np.ndarray,
    threshold: float = THRESHOLD,
    *,
    texts: Sequence[str] | None = None,
    min_jaccard: float = MIN_JACCARD,
    min_chars: int = MIN_CHARS,
    times: np.ndarray | None = None,
    window: float | None = None,
) -> list[list[int]]:
    """Groups (two or more ids, ascending) of near-duplicate posts, largest group first: the connected
    components of the pairs with cosine ``>= threshold`` and, when ``texts`` are given, shingle Jaccard
    ``>= min_jaccard`` between texts of at least ``min_chars`` cleaned characters each; with ``times`` and
    ``window``, of posts at most ``window`` apart. ``ids``, ``vecs``, ``texts`` and ``times`` are parallel."""
    if len(ids) != len(vecs) or (texts is not None and len(texts) != len(ids)):
        raise ValueError("ids, vecs and texts must have the same length")
    found = similar_pairs(vecs, threshold, times=times, window=window)
    if texts is not None and len(found):
        cache: dict[int, frozenset[str]] = {}

        def sh(k: int) -> frozenset[str]:
            if k not in cache:
                cache[k] = shingles(texts[k])
            return cache[k]

        def same(i: int, j: int) -> bool:
            a, b = sh(i), sh(j)
            short = min(len(a), len(b)) + SHINGLE - 1 < min_chars
            return not short and jaccard(a, b) >= min_jaccard

        keep = [same(int(i), int(j)) for i, j in found]
        found = found[np.asarray(keep, dtype=bool)]
    return _groups(ids, found)


def _groups(ids: Sequence[int], found: np.ndarray) -> list[list[int]]:
    n = len(ids)
    if not len(found):
        return []
    graph = coo_matrix((np.ones(len(found)), (found[:, 0], found[:, 1])), shape=(n, n))
    _, labels = connected_components(graph, directed=False)
    members: dict[int, list[int]] = {}
    for k in np.unique(found):
        members.setdefault(int(labels[k]), []).append(int(ids[k]))
    groups = [sorted(g) for g in members.values() if len(g) > 1]
    groups.sort(key=lambda g: (-len(g), g[0]))
    return groups


def similar_to(
    vec: np.ndarray, ids: Sequence[int], vecs: np.ndarray, threshold: float = THRESHOLD, limit: int = 100
) -> list[tuple[int, float]]:
    """The posts among ``ids`` whose vectors have cosine ``>= threshold`` with ``vec``, most similar first, at
    most ``limit`` of them, as (id, cosine)."""
    if len(ids) != len(vecs):
        raise ValueError("ids and vecs must have the same length")
    if not len(ids):
        return []
    sims = np.asarray(vecs, dtype=np.float32) @ np.asarray(vec, dtype=np.float32)
    hit = np.nonzero(sims >= threshold)[0]
    hit = hit[np.argsort(-sims[hit], kind="stable")][:limit]
    return [(int(ids[k]), float(sims[k])) for k in hit]
