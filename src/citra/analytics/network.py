"""The interaction network of a scope: accounts linked by reposts, quotes, replies and mentions; its communities
(Louvain, networkx), its influencers (PageRank and reach) and what each community says.

An edge A -> B means A reposted, quoted, replied to or mentioned B; its weight is how many times. PageRank runs on
that directed graph (attention flows to the one reposted), communities on its undirected shadow. Pure functions
over ``NetPost``; networkx does the graph work."""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import networkx as nx
import regex

from citra.analytics.interactions import EDGE_KINDS, NetPost, links
from citra.analytics.newissues import doc_terms

TOP_COMMUNITIES = 8
TOP_INFLUENCERS = 15
MIN_TERM_SHARE = 0.04
MIN_LIFT = 1.5
TERM_SAMPLE = 50_000
SEED = 13  # Louvain is randomised; a fixed seed gives the same communities for the same posts
_CHATTER = frozenset(
    {"halo", "hai", "atas", "mohon", "terima", "kasih", "makasih", "tolong", "pak", "bu", "kak", "selamat", "pagi"}
    | {"siang", "sore", "malam", "sih", "dong", "deh", "kok", "nih", "tuh", "ya", "yuk", "lho", "kan", "saja"}
)  # greetings and particles: frequent in the posts addressed to the city's account, they name nothing
_WORD = regex.compile(r"[\p{L}]+")
_URL = regex.compile(r"https?://\S+|www\.\S+|[@#]\w+")


@dataclass(frozen=True, slots=True)
class Influencer:
    """An account that draws attention: PageRank on the interaction graph, links in, and its followers."""

    handle: str
    pagerank: float
    links_in: int  # weighted links to it (reposts, quotes, replies, mentions)
    followers: int
    posts: int
    community: int | None
    official: bool


@dataclass(frozen=True, slots=True)
class Community:
    """One community (numbered by size, 1 first): its accounts, posts, share of the scope's posts, top terms,
    sentiment shares (negative, neutral, positive; None without annotations), most named targets and the
    accounts most central in it."""

    number: int
    accounts: int
    posts: int
    share: float
    terms: tuple[str, ...]
    sentiment: tuple[float, float, float] | None
    targets: tuple[tuple[str, int], ...]
    top: tuple[str, ...]


@dataclass(frozen=True)
class Network:
    """A scope's network: the graph (nodes carry ``posts``, ``followers``, ``official``, ``community``,
    ``pagerank``; edges ``weight`` and a count per edge kind) and its summaries."""

    graph: nx.DiGraph
    communities: tuple[Community, ...]
    influencers: tuple[Influencer, ...]
    posts: int
    edges_by_kind: dict[str, int]


def build_graph(posts: Sequence[NetPost]) -> nx.DiGraph:
    """Accounts as nodes, weighted interaction edges; every author is a node even without links."""
    authored: Counter[str] = Counter()
    followers: dict[str, int] = {}
    official: dict[str, bool] = {}
    weights: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    for p in posts:
        if not p.handle:
            continue
        authored[p.handle] += 1
        followers[p.handle] = max(followers.get(p.handle, 0), p.followers)
        official[p.handle] = official.get(p.handle, False) or p.official
        for link in links(p):
            weights[(p.handle, link.target)][link.kind] += 1
    g = nx.DiGraph()
    for h in sorted(set(authored) | {t for _, t in weights}):  # sorted: the same graph in every process
        g.add_node(h, posts=authored.get(h, 0), followers=followers.get(h, 0), official=official.get(h, False))
    for (a, b), kinds in weights.items():
        g.add_edge(a, b, weight=sum(kinds.values()), **{k: kinds.get(k, 0) for k in EDGE_KINDS})
    return g


def analyse(posts: Sequence[NetPost], *, top_communities: int = TOP_COMMUNITIES, seed: int = SEED) -> Network:
    """The network of ``posts`` with communities, PageRank and the summaries of the largest communities."""
    g = build_graph(posts)
    edges_by_kind = {k: sum(d.get(k, 0) for _, _, d in g.edges(data=True)) for k in EDGE_KINDS}
    if g.number_of_edges():
        rank = nx.pagerank(g, weight="weight")
        parts = _louvain(g, seed)
    else:
        rank = {n: 1.0 / max(1, g.number_of_nodes()) for n in g}
        parts = []
    linked = sorted((c for c in parts if len(c) > 1), key=lambda c: (-len(c), min(c)))
    for n in g:
        g.nodes[n]["pagerank"] = rank.get(n, 0.0)
        g.nodes[n]["community"] = None
    for number, members in enumerate(linked, 1):
        for n in members:
            g.nodes[n]["community"] = number
    summaries = _summaries(posts, g, linked[:top_communities])
    return Network(g, summaries, influencers(g), len(posts), edges_by_kind)


def _louvain(g: nx.DiGraph, seed: int) -> list[set[str]]:
    """Louvain communities of the undirected, weighted shadow of ``g``, built on integer labels in the graph's
    (sorted) node order: networkx walks sets of nodes, and sets of strings iterate in an order that changes with
    each process's hash seed, so string labels gave the CLI, the report and the page different communities for
    the same posts. Building the shadow by hand skips copying every attribute (``to_undirected``)."""
    names = list(g.nodes)
    number = {n: i for i, n in enumerate(names)}
    weights: Counter[tuple[int, int]] = Counter()
    for a, b, w in g.edges(data="weight"):
        i, j = number[a], number[b]
        weights[(i, j) if i < j else (j, i)] += w
    shadow = nx.Graph()
    shadow.add_nodes_from(range(len(names)))
    shadow.add_weighted_edges_from((i, j, w) for (i, j), w in sorted(weights.items()))
    return [{names[i] for i in part} for part in nx.community.louvain_communities(shadow, weight="weight", seed=seed)]


def influencers(g: nx.DiGraph, k: int = TOP_INFLUENCERS) -> tuple[Influencer, ...]:
    """The ``k`` accounts with the highest PageRank (ties: more links in, then handle)."""
    inbound = dict(g.in_degree(weight="weight"))
    ranked = sorted(g.nodes, key=lambda n: (-g.nodes[n]["pagerank"], -inbound.get(n, 0), n))[:k]
    return tuple(
        Influencer(
            n,
            g.nodes[n]["pagerank"],
            int(inbound.get(n, 0)),
            int(g.nodes[n]["followers"]),
            int(g.nodes[n]["posts"]),
            g.nodes[n]["community"],
            bool(g.nodes[n]["official"]),
        )
        for n in ranked
    )


def _summaries(posts: Sequence[NetPost], g: nx.DiGraph, parts: Sequence[set[str]]) -> tuple[Community, ...]:
    if not parts:
        return ()
    of = {n: number for number, members in enumerate(parts, 1) for n in members}
    sentiment: dict[int, Counter[str]] = defaultdict(Counter)
    targets: dict[int, Counter[str]] = defaultdict(Counter)
    volume: Counter[int] = Counter()
    for p in posts:
        number = of.get(p.handle)
        if number is None:
            continue
        volume[number] += 1
        if p.sentiment:
            sentiment[number][p.sentiment] += 1
        targets[number].update(p.targets)
    words = _terms(posts, of)
    total = max(1, len(posts))
    out = []
    for number, members in enumerate(parts, 1):
        s = sentiment[number]
        n_s = sum(s.values())
        shares = (s["negative"] / n_s, s["neutral"] / n_s, s["positive"] / n_s) if n_s else None
        central = sorted(members, key=lambda n: (-g.nodes[n]["pagerank"], n))[:5]
        out.append(
            Community(
                number,
                len(members),
                volume[number],
                volume[number] / total,
                words.get(number, ()),
                shares,
                tuple(targets[number].most_common(3)),
                tuple(central),
            )
        )
    return tuple(out)


def _terms(posts: Sequence[NetPost], of: dict[str, int], k: int = 6) -> dict[int, tuple[str, ...]]:
    """Each community's distinctive words: frequent in its posts (at least ``MIN_TERM_SHARE`` of them) and at
    least ``MIN_LIFT`` times as frequent there as in the whole scope, ranked by share times log lift. Words every
    community uses (the city's name) have no lift and drop out. At most ``TERM_SAMPLE`` posts, evenly spaced."""
    step = max(1, len(posts) // TERM_SAMPLE)
    df: Counter[str] = Counter()
    here: dict[int, Counter[str]] = defaultdict(Counter)
    docs: Counter[int] = Counter()
    n = 0
    for p in posts[::step]:
        found = doc_terms(" ".join(_WORD.findall(_URL.sub(" ", p.text.lower()))))
        n += 1
        df.update(found)
        number = of.get(p.handle)
        if number is not None:
            docs[number] += 1
            here[number].update(found)
    out = {}
    for number, counts in here.items():
        size = docs[number]
        scored = {}
        for t, c in counts.items():
            share, base = c / size, df[t] / n
            if any(w in _CHATTER for w in t.split()):
                continue
            if c >= 3 and share >= MIN_TERM_SHARE and share >= MIN_LIFT * base:
                scored[t] = share * math.log(share / base)
        ranked = sorted(scored, key=lambda t: (-scored[t], t))
        chosen: list[str] = []
        for t in ranked:
            if any(w in c.split() for c in chosen for w in t.split()):
                continue  # "banjir" after "banjir rob" (or the reverse) says nothing new
            chosen.append(t)
            if len(chosen) == k:
                break
        out[number] = tuple(chosen)
    return out


def top_nodes(g: nx.DiGraph, k: int) -> list[str]:
    """The ``k`` accounts to draw: the highest PageRank, which keeps hubs and the communities' centres."""
    return sorted(g.nodes, key=lambda n: (-g.nodes[n]["pagerank"], n))[:k]
