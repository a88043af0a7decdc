"""Who is speaking in a scope: wires the store's posts to the interaction network and the coordination detector.

The CLI (``citra network``), the API (``/api/v1/network/...``), the Jaringan page, the report and the alert
drivers all call these, so a scope gives the same groups and communities everywhere."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import networkx as nx

from citra.analytics import coordination as coord
from citra.analytics import network as net
from citra.analytics.interactions import NetPost
from citra.errors import CitraError
from citra.store import Store
from citra.store.query import PostQuery

FORMATS = ("gexf", "graphml")
EVIDENCE_POSTS = 12  # posts shown per group as evidence (all ids are listed)


@dataclass(frozen=True, slots=True)
class Evidence:
    """One post of a coordinated group as a person checks it."""

    id: int
    handle: str
    at: float
    text: str


@dataclass(frozen=True)
class Coordination:
    """The coordinated groups of a scope, the posts looked at, and a few posts of each group to show."""

    groups: list[coord.Group]
    posts: int
    accounts: int
    window_seconds: int
    evidence: dict[int, list[Evidence]]  # post id -> evidence, for the groups' first posts


def load(store: Store, query: PostQuery) -> list[NetPost]:
    """The scope's posts, oldest first."""
    return list(store.network_posts(query))


def coordination(
    store: Store, query: PostQuery, *, window_seconds: int = coord.WINDOW, posts: list[NetPost] | None = None
) -> Coordination:
    """The coordinated groups among the posts of ``query`` (``posts`` when the caller already loaded them)."""
    if window_seconds < 1 or window_seconds > 86_400:
        raise CitraError(f"--window-seconds must be between 1 and 86400, not {window_seconds}")
    found = load(store, query) if posts is None else posts
    wider = baseline(query)
    if wider == query:
        groups = coord.detect(found, window_seconds=window_seconds)
    else:
        groups = coord.detect(load(store, wider), window_seconds=window_seconds, scope={p.id for p in found})
    by_id = {p.id: p for p in found}
    evidence = {
        pid: Evidence(pid, by_id[pid].handle, by_id[pid].at, by_id[pid].text)
        for g in groups
        for b in g.bursts[:3]
        for pid in b.posts[:EVIDENCE_POSTS]
    }
    return Coordination(groups, len(found), len({p.handle for p in found}), window_seconds, evidence)


def baseline(query: PostQuery) -> PostQuery:
    """The posts chance is measured on: the query's period and platform without its other filters."""
    return PostQuery(since=query.since, until=query.until, platform=query.platform, order=query.order)


def analyse(store: Store, query: PostQuery, *, posts: list[NetPost] | None = None) -> net.Network:
    """The interaction network of the posts of ``query``."""
    return net.analyse(load(store, query) if posts is None else posts)


def group_json(g: coord.Group, tz: Any = None) -> dict[str, Any]:
    """A group as the CLI and the API print it: accounts, kind, posts (a count), score, and the evidence."""
    from datetime import UTC, datetime

    zone = tz or UTC

    def when(t: float) -> str:
        return datetime.fromtimestamp(t, UTC).astimezone(zone).isoformat(timespec="seconds")

    return {
        "accounts": list(g.accounts),
        "kind": g.kind,
        "posts": len(g.posts),
        "score": g.score,
        "pairs": g.pairs,
        "observed": g.observed,
        "expected": round(g.expected, 6),
        "shared": list(g.keys),
        "post_ids": list(g.posts),
        "bursts": [
            {
                "start": when(b.start),
                "spread_seconds": round(b.spread, 1),
                "accounts": len(b.accounts),
                "post_ids": list(b.posts),
            }
            for b in g.bursts
        ],
    }


def export(store: Store, query: PostQuery, fmt: str, out: Path, *, window_seconds: int = coord.WINDOW) -> nx.DiGraph:
    """Write the scope's network for Gephi (GEXF or GraphML): nodes with posts, followers, PageRank, community
    and the coordinated behaviours they took part in; edges with their weight per kind."""
    if fmt not in FORMATS:
        raise CitraError(f"--format must be one of {', '.join(FORMATS)}, not {fmt!r}")
    posts = load(store, query)
    network = net.analyse(posts)
    groups = coordination(store, query, window_seconds=window_seconds, posts=posts).groups
    g = network.graph
    joined: dict[str, list[str]] = {}
    for number, group in enumerate(groups, 1):
        for handle in group.accounts:
            joined.setdefault(handle, []).append(f"{group.kind}#{number}")
    for n, data in g.nodes(data=True):
        data["community"] = data["community"] if data["community"] is not None else -1
        data["pagerank"] = float(data["pagerank"])
        data["coordinated"] = " ".join(joined.get(n, []))
        data["label"] = "@" + n
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        if fmt == "gexf":
            nx.write_gexf(g, out)
        else:
            nx.write_graphml(g, out)
    except OSError as exc:
        raise CitraError(f"{out}: cannot write ({exc.strerror or exc})") from None
    return g


def network_json(found: net.Network) -> dict[str, Any]:
    """Communities and influencers as the CLI and the API print them."""
    g = found.graph
    return {
        "posts": found.posts,
        "accounts": g.number_of_nodes(),
        "links": g.number_of_edges(),
        "links_by_kind": found.edges_by_kind,
        "communities": [
            {
                "number": c.number,
                "accounts": c.accounts,
                "posts": c.posts,
                "share": round(c.share, 4),
                "terms": list(c.terms),
                "sentiment": dict(zip(("negative", "neutral", "positive"), c.sentiment, strict=True))
                if c.sentiment
                else None,
                "targets": [{"target": t, "posts": n} for t, n in c.targets],
                "central": list(c.top),
            }
            for c in found.communities
        ],
        "influencers": [
            {
                "account": i.handle,
                "pagerank": round(i.pagerank, 6),
                "links_in": i.links_in,
                "followers": i.followers,
                "posts": i.posts,
                "community": i.community,
                "official": i.official,
            }
            for i in found.influencers
        ],
    }
