"""What counts as the same action for each coordinated behaviour: the events (post, account, time, shared key) of
co-posting (near-identical texts, MinHash over words), co-reposting (the same reposted post) and hashtag use.
``citra.analytics.coordination`` finds the coincidences among them and scores them against chance. Pure
functions; no I/O."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import regex

from citra.analytics.interactions import NetPost, hashtags, is_repost, reposted

SIMILAR = 0.6  # word-set Jaccard at which two texts count as the same message
MIN_WORDS = 5  # shorter texts ("setuju", "mantap pak") coincide by chance
_PERMS, _ROWS = 24, 3  # MinHash functions, rows per LSH band: 8 bands find 86% of pairs at Jaccard 0.6
_TOKEN = regex.compile(r"https?://\S+|www\.\S+|[@#]\w+|([\p{L}\p{N}]+)")


@dataclass(frozen=True, slots=True)
class Prepared:
    """What every behaviour needs of the posts, computed once: account numbers, times, which are reposts."""

    own: Sequence[NetPost]
    account: np.ndarray
    at: np.ndarray
    repost: list[bool]
    handles: list[str]

    @classmethod
    def of(cls, own: Sequence[NetPost]) -> Prepared:
        index: dict[str, int] = {}
        account = np.fromiter((index.setdefault(p.handle, len(index)) for p in own), np.int64, count=len(own))
        at = np.fromiter((p.at for p in own), float, count=len(own))
        return cls(own, account, at, [is_repost(p) for p in own], list(index))


@dataclass(frozen=True, slots=True)
class Events:
    """One behaviour's events: parallel arrays of the shared key, the account, the time and the post index;
    ``names`` names a key where it has a readable name; ``verify`` keeps only true coincidences."""

    key: np.ndarray
    account: np.ndarray
    at: np.ndarray
    post: np.ndarray
    handles: list[str]
    names: dict[int, str]
    verify: object = None


def _events(prep: Prepared, key: list[int], post: list[int], names: dict[int, str], verify: object = None) -> Events:
    idx = np.asarray(post, np.int64)
    return Events(np.asarray(key, np.int64), prep.account[idx], prep.at[idx], idx, prep.handles, names, verify)


def _repost_events(prep: Prepared) -> Events:
    keys: dict[tuple[str, str], int] = {}
    names: dict[int, str] = {}
    key: list[int] = []
    post: list[int] = []
    for i, p in enumerate(prep.own):
        if not prep.repost[i]:
            continue
        rt = reposted(p.text)
        source, body = rt if rt else ("", p.text)
        k = keys.setdefault((source, " ".join(_words(body))), len(keys))
        names.setdefault(k, "@" + source if source else "")
        key.append(k)
        post.append(i)
    return _events(prep, key, post, names)


def _hashtag_events(prep: Prepared) -> Events:
    keys: dict[str, int] = {}
    key: list[int] = []
    post: list[int] = []
    for i, p in enumerate(prep.own):
        if prep.repost[i] or "#" not in p.text:
            continue  # a repost repeats someone else's hashtag; co-repost looks at those
        for tag in hashtags(p.text):
            key.append(keys.setdefault(tag, len(keys)))
            post.append(i)
    return _events(prep, key, post, {v: "#" + k for k, v in keys.items()})


def _post_events(prep: Prepared) -> Events:
    """Co-post events: one per (post, LSH band) for every non-repost with at least ``MIN_WORDS`` words. The
    bands come from MinHash over the words; a coincidence found through any band is kept only if the two
    texts' sets of words and word pairs really are ``SIMILAR`` (Jaccard)."""
    vocab: dict[str, int] = {}
    flat: list[int] = []
    starts: list[int] = []
    chosen: list[int] = []
    for i, p in enumerate(prep.own):
        if prep.repost[i]:
            continue
        words = _words(p.text)
        if len(words) < MIN_WORDS:
            continue
        starts.append(len(flat))
        flat.extend([vocab.setdefault(w, len(vocab)) for w in words])
        chosen.append(i)
    ids = np.asarray(flat, np.uint64)
    bounds = np.asarray([*starts, len(flat)], np.int64)
    where = {i: n for n, i in enumerate(chosen)}

    def shingles(i: int) -> set[int]:
        n = where[i]
        w = flat[bounds[n] : bounds[n + 1]]
        return {*w, *(a * 1_000_003 + b + (1 << 40) for a, b in itertools.pairwise(w))}

    def verify(a: np.ndarray, b: np.ndarray) -> np.ndarray:
        pairs = zip(a.tolist(), b.tolist(), strict=True)
        return np.fromiter((_jaccard(shingles(x), shingles(y)) >= SIMILAR for x, y in pairs), bool)

    bands = _bands(ids, bounds[:-1])  # (posts, bands)
    n = len(chosen)
    keys = [np.unique(bands[:, b], return_inverse=True)[1] + b * n for b in range(bands.shape[1])] if n else []
    post = np.tile(np.asarray(chosen, np.int64), len(keys))
    key = np.concatenate(keys).astype(np.int64) if keys else np.zeros(0, np.int64)
    return Events(key, prep.account[post], prep.at[post], post, prep.handles, {}, verify)


BEHAVIOURS = {"co-post": _post_events, "co-repost": _repost_events, "hashtag": _hashtag_events}


def _words(text: str) -> list[str]:
    """The words of a text, lower-case, without links, mentions, hashtags, emoji and punctuation (one pass)."""
    return [w for w in _TOKEN.findall(text.lower()) if w]


def _jaccard(a: set[int], b: set[int]) -> float:
    inter = len(a & b)
    return inter / (len(a) + len(b) - inter)


def _bands(ids: np.ndarray, starts: np.ndarray) -> np.ndarray:
    """MinHash signatures of each post's words (``ids[starts[k]:starts[k+1]]``, multiply-shift hashing) folded
    into one key per LSH band."""
    n = starts.size
    n_bands = _PERMS // _ROWS
    if n == 0:
        return np.zeros((0, n_bands), dtype=np.uint64)
    rng = np.random.default_rng(20261206)
    a = rng.integers(1, 2**63, size=_PERMS, dtype=np.uint64) | np.uint64(1)
    c = rng.integers(0, 2**63, size=_PERMS, dtype=np.uint64)
    sig = np.empty((n, _PERMS), dtype=np.uint64)
    ends = np.append(starts[1:], ids.size)
    step = 20_000
    for s in range(0, n, step):
        lo, hi = int(starts[s]), int(ends[min(s + step, n) - 1])
        hashed = (ids[lo:hi, None] * a[None, :] + c[None, :]) >> np.uint64(32)
        sig[s : s + step] = np.minimum.reduceat(hashed, starts[s : s + step] - lo, axis=0)
    mix = np.array([0x9E3779B97F4A7C15, 0xBF58476D1CE4E5B9, 0x94D049BB133111EB, 0xD6E8FEB86659FD93], np.uint64)
    folded = sig.reshape(n, n_bands, _ROWS) * mix[None, None, :_ROWS]
    return np.bitwise_xor.reduce(folded, axis=2)
