"""Coordinated behaviour: groups of accounts that act together more often than chance allows, with the evidence.

Three behaviours, after the coordination-network methods of the field (CooRnet's coordinated link sharing, the
co-tweet / co-retweet / co-hashtag networks of the Coordination Network Toolkit):

- **co-post**: near-identical texts (``citra.analytics.coevents``: words and word pairs, Jaccard >= 0.6, found by
  MinHash banding) by different accounts within ``window`` seconds;
- **co-repost**: reposts of the same post by different accounts within ``window`` seconds;
- **hashtag**: the same hashtag used by different accounts within ``window`` seconds.

Each such coincidence links two accounts. Chance is a timing null: two accounts that share ``S`` pairs of
events with the same key (the same text, the same reposted post, the same hashtag) at any time in the period would,
if their timing were unrelated, have ``lambda = S * q`` of them within the window, where ``q`` is the share of all
pairs of the behaviour's events that fall within the window by their times alone (the scope's own daily rhythm).
So accounts that simply share a lot (news outlets using the city's hashtag all year) expect many coincidences and
are not flagged for having them; accounts that share a text only in the moments they post it together are. A pair
is flagged when it coincided on at least ``min_repeats`` of its posts, its coincidences ``k`` are at least
``MIN_LIFT`` times ``lambda``, and the Poisson tail ``P(X >= k | lambda)``, Bonferroni-corrected over every pair
that coincided at all, is below ``alpha``. Flagged pairs join into groups (connected components). A group's
``score`` is the median over its flagged pairs of ``-log10`` of the corrected p-value: 2 means one chance in a
hundred, 10 one in ten billion.

A group is a statement about behaviour, not about people: the evidence (posts, accounts, timings) goes with it,
and the words used are "coordinated", never "bot". Official accounts are left out (the government's own accounts
repeating a press release are not a campaign). Pure functions over ``NetPost``; no I/O."""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass

import networkx as nx
import numpy as np
from scipy.stats import poisson

from citra.analytics import coevents
from citra.analytics.interactions import NetPost

KINDS = ("co-post", "co-repost", "hashtag")
WINDOW = 60
MIN_REPEATS = 3
MIN_GROUP_REPEATS = 2  # an account joins a flagged group on at least this many of its posts
MIN_LIFT = 10.0  # a flagged pair coincided at least ten times as often as chance would have it
ALPHA = 0.01
MAX_PER_EVENT = 300  # pairs looked at after one event: a viral burst is bounded, not quadratic


@dataclass(frozen=True, slots=True)
class Burst:
    """One coordinated moment: the posts (ids, oldest first) of the group's accounts that coincided, and the
    seconds from the first to the last."""

    posts: tuple[int, ...]
    accounts: tuple[str, ...]
    start: float
    end: float

    @property
    def spread(self) -> float:
        return self.end - self.start


@dataclass(frozen=True, slots=True)
class Group:
    """Accounts that coincided beyond chance in one behaviour, with the evidence.

    ``posts`` are the ids of the coincident posts (oldest first); ``pairs`` how many pairs of accounts were
    flagged; ``expected`` the largest chance expectation among them (coincidences a flagged pair would have by
    chance) and ``observed`` the smallest count of coinciding posts among them; ``keys`` what was shared
    (hashtags or the reposted handle) where that has a name."""

    kind: str
    accounts: tuple[str, ...]
    posts: tuple[int, ...]
    score: float
    bursts: tuple[Burst, ...]
    pairs: int
    observed: int
    expected: float
    keys: tuple[str, ...] = ()


def detect(
    posts: Sequence[NetPost],
    *,
    window_seconds: int = WINDOW,
    min_repeats: int = MIN_REPEATS,
    alpha: float = ALPHA,
    kinds: Sequence[str] = KINDS,
    scope: Collection[int] | None = None,
) -> list[Group]:
    """The coordinated groups among ``posts``, strongest first.

    With ``scope`` (post ids: a search, a topic), only coincidences between two posts of the scope count, while
    chance (the rate and each account's activity) still comes from all of ``posts``: a search that keeps only a
    campaign's posts would otherwise make coincidence look like the norm."""
    own = [p for p in posts if not p.official and p.handle]
    inside = None
    if scope is not None:
        wanted = np.fromiter(scope, dtype=np.int64)
        inside = np.isin(np.fromiter((p.id for p in own), dtype=np.int64, count=len(own)), wanted)
    prep = coevents.Prepared.of(own)
    out: list[Group] = []
    for kind in kinds:
        events = coevents.BEHAVIOURS[kind](prep)
        out += _groups(kind, events, own, float(window_seconds), min_repeats, alpha, inside)
    return sorted(out, key=lambda g: (-g.score, -len(g.accounts), g.kind, g.accounts))


def coincidences(key: np.ndarray, at: np.ndarray, window: float) -> tuple[np.ndarray, np.ndarray]:
    """Index pairs (i, j), i before j, of events with the same key at most ``window`` seconds apart (each
    event looks at no more than ``MAX_PER_EVENT`` later ones)."""
    if key.size < 2:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    _, rank = np.unique(key, return_inverse=True)
    t = at - at.min()
    stride = float(t.max()) + 2 * window + 1
    pos = rank.astype(float) * stride + t
    order = np.argsort(pos, kind="stable")
    pos = pos[order]
    end = np.searchsorted(pos, pos + window, side="right")
    span = np.minimum(end - np.arange(pos.size) - 1, MAX_PER_EVENT)
    first = np.repeat(np.arange(pos.size), span)
    within = np.arange(first.size) - np.repeat(np.cumsum(span) - span, span)
    second = first + 1 + within
    return order[first], order[second]


def _groups(
    kind: str,
    ev: coevents.Events,
    own: Sequence[NetPost],
    window: float,
    min_repeats: int,
    alpha: float,
    inside: np.ndarray | None,
) -> list[Group]:
    i, j = coincidences(ev.key, ev.at, window)
    cross = ev.account[i] != ev.account[j]
    i, j = i[cross], j[cross]
    # one coincidence per pair of posts (co-post finds a pair through several bands)
    pi, pj = np.minimum(ev.post[i], ev.post[j]), np.maximum(ev.post[i], ev.post[j])
    _, first = np.unique(pi * (len(own) + 1) + pj, return_index=True)
    i, j, pi, pj = i[first], j[first], pi[first], pj[first]
    if callable(ev.verify) and pi.size:
        keep = ev.verify(pi, pj)
        i, j, pi, pj = i[keep], j[keep], pi[keep], pj[keep]
    if pi.size == 0:
        return []
    timing = in_window_rate(np.unique(ev.at[np.unique(ev.post, return_index=True)[1]]), window)
    if inside is not None:
        keep = inside[pi] & inside[pj]
        i, j, pi, pj = i[keep], j[keep], pi[keep], pj[keep]
    # each pair of accounts: the posts of each that coincided with the other
    a_acc, b_acc = ev.account[i], ev.account[j]
    lo, hi = np.minimum(a_acc, b_acc), np.maximum(a_acc, b_acc)
    lo_post = np.where(a_acc <= b_acc, ev.post[i], ev.post[j])
    hi_post = np.where(a_acc <= b_acc, ev.post[j], ev.post[i])
    shared: dict[tuple[int, int], tuple[set[int], set[int], list[int]]] = defaultdict(lambda: (set(), set(), []))
    for n, (x, y, px, py) in enumerate(zip(lo.tolist(), hi.tolist(), lo_post.tolist(), hi_post.tolist(), strict=True)):
        entry = shared[(x, y)]
        entry[0].add(px)
        entry[1].add(py)
        entry[2].append(n)
    tests = len(shared)
    repeated = [pair for pair, (xs, ys, _) in shared.items() if min(len(xs), len(ys)) >= min_repeats]
    matching = _matching_pairs(ev, repeated)
    flagged: dict[tuple[int, int], tuple[float, int, float]] = {}
    for pair in repeated:
        observed = len(shared[pair][2])
        lam = max(matching[pair], observed) * timing
        if observed < MIN_LIFT * lam:
            continue
        log_p = float(poisson.logsf(observed - 1, lam)) + math.log(tests)
        if log_p <= math.log(alpha):
            flagged[pair] = (-log_p / math.log(10), min(len(shared[pair][0]), len(shared[pair][1])), lam)
    _attach(flagged, shared, ev, timing, tests, alpha)
    return _components(kind, flagged, shared, ev, own, i, j)


def _attach(
    flagged: dict[tuple[int, int], tuple[float, int, float]],
    shared: dict[tuple[int, int], tuple[set[int], set[int], list[int]]],
    ev: coevents.Events,
    timing: float,
    tests: int,
    alpha: float,
) -> None:
    """Add the accounts that act with a flagged group as a whole, though with no one member often enough: a
    campaign account that joins only some bursts coincides with different members each time. Tested like a pair,
    the group's members counting as one: every coincidence with any member against the pairs of events it shares
    with all of them. Adds the account's pairs with the members it coincided with to ``flagged``."""
    if not flagged:
        return
    groups = dict(enumerate(_joined(flagged)))
    member_of = {a: root for root, members in groups.items() for a in members}
    links: dict[tuple[int, int], list[tuple[int, int]]] = defaultdict(list)  # (outsider, group) -> pairs
    for x, y in shared:
        for outsider, member in ((x, y), (y, x)):
            if outsider not in member_of and member in member_of:
                links[(outsider, member_of[member])].append((x, y))
    wanted = [
        (outsider, root, pairs)
        for (outsider, root), pairs in links.items()
        if len({p for pair in pairs for p in shared[pair][0 if pair[0] == outsider else 1]}) >= MIN_GROUP_REPEATS
    ]
    everyone = [(min(o, m), max(o, m)) for o, root, _ in wanted for m in groups[root]]
    matching = _matching_pairs(ev, sorted(set(everyone)))
    for outsider, root, pairs in wanted:
        observed = sum(len(shared[pair][2]) for pair in pairs)
        own_posts = {p for pair in pairs for p in shared[pair][0 if pair[0] == outsider else 1]}
        chance = sum(matching[(min(outsider, m), max(outsider, m))] for m in groups[root])
        lam = max(chance, observed) * timing
        if observed < MIN_LIFT * lam:
            continue
        log_p = float(poisson.logsf(observed - 1, lam)) + math.log(tests)
        if log_p <= math.log(alpha):
            for pair in pairs:
                flagged[pair] = (-log_p / math.log(10), len(own_posts), lam)


def in_window_rate(times: np.ndarray, window: float) -> float:
    """The share of pairs of events (``times``, sorted) at most ``window`` seconds apart: the chance that two
    events fall together by their timing alone, with the scope's own daily rhythm."""
    n = times.size
    if n < 2:
        return 1.0
    ends = np.searchsorted(times, times + window, side="right")
    close = float((ends - np.arange(n) - 1).sum())
    return min(1.0, close / (n * (n - 1) / 2))


def _matching_pairs(ev: coevents.Events, pairs: list[tuple[int, int]]) -> dict[tuple[int, int], int]:
    """For each pair of accounts, how many pairs of their events share a key at any time (for co-post, summed
    over the bands: an over-count, which makes chance larger and the test stricter)."""
    if not pairs:
        return {}
    wanted = np.unique(np.asarray(pairs, np.int64).ravel())
    mask = np.isin(ev.account, wanted)
    combos, counts = np.unique(np.stack([ev.account[mask], ev.key[mask]]), axis=1, return_counts=True)
    per: dict[int, dict[int, int]] = defaultdict(dict)
    for a, k, c in zip(combos[0].tolist(), combos[1].tolist(), counts.tolist(), strict=True):
        per[a][k] = c
    out = {}
    for x, y in pairs:
        small, large = sorted((per[x], per[y]), key=len)
        out[(x, y)] = sum(c * large.get(k, 0) for k, c in small.items())
    return out


def _components(
    kind: str,
    flagged: dict[tuple[int, int], tuple[float, int, float]],
    shared: dict[tuple[int, int], tuple[set[int], set[int], list[int]]],
    ev: coevents.Events,
    own: Sequence[NetPost],
    i: np.ndarray,
    j: np.ndarray,
) -> list[Group]:
    part = {a: n for n, members in enumerate(_joined(flagged)) for a in members}
    members: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for pair in flagged:
        members[part[pair[0]]].append(pair)
    out = []
    for pairs in members.values():
        accounts = sorted({a for p in pairs for a in p})
        links = [n for p in pairs for n in shared[p][2]]
        scores = sorted(flagged[p][0] for p in pairs)
        keys = Counter(ev.names.get(int(ev.key[i[n]]), "") for n in links)
        out.append(
            Group(
                kind=kind,
                accounts=tuple(ev.handles[a] for a in accounts),
                posts=tuple(sorted({own[int(ev.post[x])].id for n in links for x in (i[n], j[n])})),
                score=round(scores[len(scores) // 2], 2),
                bursts=_bursts([(int(ev.post[i[n]]), int(ev.post[j[n]])) for n in links], own),
                pairs=len(pairs),
                observed=min(flagged[p][1] for p in pairs),
                expected=max(flagged[p][2] for p in pairs),
                keys=tuple(k for k, _ in keys.most_common(5) if k),
            )
        )
    return out


def _joined(pairs: Iterable[tuple[int, int]]) -> list[set[int]]:
    """The connected components of the graph with these edges, in a fixed order (by smallest member)."""
    graph = nx.Graph()
    graph.add_edges_from(pairs)
    return sorted(nx.connected_components(graph), key=min)


def _bursts(pairs: list[tuple[int, int]], own: Sequence[NetPost]) -> tuple[Burst, ...]:
    """The coincident posts joined into moments (posts linked by a coincidence, directly or through others)."""
    out = []
    for moment in _joined(pairs):
        idx = sorted(moment, key=lambda n: (own[n].at, own[n].id))
        out.append(
            Burst(
                posts=tuple(own[n].id for n in idx),
                accounts=tuple(dict.fromkeys(own[n].handle for n in idx)),
                start=own[idx[0]].at,
                end=own[idx[-1]].at,
            )
        )
    return tuple(sorted(out, key=lambda b: b.start))
