"""The network and the coordinated groups of a window, computed once per window and cached for the API and the
Jaringan page (the first computation of a large window runs in the background: ``Memo``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from citra import network
from citra.analytics import coordination as coord
from citra.analytics import network as net
from citra.store import PostQuery, Store
from citra.store.query import Order
from citra.web.cache import Memo
from citra.web.data import Window

DRAWN = 150  # accounts drawn on the page (highest PageRank)


@dataclass(frozen=True)
class WhoSpeaks:
    """A window's network, its drawing (the ``DRAWN`` most central accounts, the coordinated ones and the links
    among them) and its coordinated groups."""

    network: net.Network
    coordination: network.Coordination
    drawing: dict[str, Any]


def scope(win: Window, q: str | None = None) -> PostQuery:
    """The posts of the window (and of the search ``q``), oldest first."""
    return PostQuery(since=win.since, until=win.until, text=q or None, order=Order.OLDEST)


def who_speaks(
    store: Store, memo: Memo, win: Window, q: str | None = None, window_seconds: int = coord.WINDOW
) -> WhoSpeaks:
    """The cached ``WhoSpeaks`` of a window (one read of the posts for both the network and the groups)."""

    def run() -> WhoSpeaks:
        posts = network.load(store, scope(win, q))
        found = network.analyse(store, scope(win, q), posts=posts)
        groups = network.coordination(store, scope(win, q), window_seconds=window_seconds, posts=posts)
        return WhoSpeaks(found, groups, drawing(found, groups))

    return memo.get(("who-speaks", win.key, q or "", window_seconds), run)


def drawing(found: net.Network, groups: network.Coordination) -> dict[str, Any]:
    """What the page draws: nodes (handle, community, PageRank, posts, followers, coordinated group numbers) and
    links (source, target, weight, main kind) among the drawn accounts; the page lays them out
    (``citra.web.netchart``)."""
    g = found.graph
    chosen = net.top_nodes(g, DRAWN)
    in_group: dict[str, list[int]] = {}
    for number, group in enumerate(groups.groups, 1):
        for handle in group.accounts:
            in_group.setdefault(handle, []).append(number)
    members = {h for h in in_group if h in g}
    chosen = list(dict.fromkeys([*chosen, *sorted(members)]))[: DRAWN + 60]  # coordinated accounts are shown too
    nodes = [
        {
            "id": n,
            "community": g.nodes[n]["community"],
            "pagerank": round(float(g.nodes[n]["pagerank"]), 6),
            "posts": int(g.nodes[n]["posts"]),
            "followers": int(g.nodes[n]["followers"]),
            "official": bool(g.nodes[n]["official"]),
            "groups": in_group.get(n, []),
        }
        for n in chosen
    ]
    shown = set(chosen)
    links = [
        {"source": a, "target": b, "weight": int(d["weight"]), "kind": max(net.EDGE_KINDS, key=lambda k: d.get(k, 0))}
        for a, b, d in g.subgraph(shown).edges(data=True)
    ]
    return {"nodes": nodes, "links": links}
