"""The network drawing of the Jaringan page as a Plotly figure: accounts as markers sized by PageRank and coloured
by community, links as thin lines, accounts of coordinated groups ringed. ``static/network.js`` opens an account's
posts on a click (its handle is each point's ``customdata[0]``) and highlights a group's accounts."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from html import escape
from typing import Any

import networkx as nx
import numpy as np
import plotly.graph_objects as go

from citra.analytics.network import TOP_COMMUNITIES

Gettext = Callable[[str], str]
# eight distinguishable colours (Okabe-Ito and Tableau), one per numbered community; the rest are grey
PALETTE = ("#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00", "#8c564b", "#7f7f00")
OTHER = "#b8c0c8"
RING = "#1a1a1a"
LINK = "rgba(120, 130, 140, 0.12)"
LABELLED = 8  # the most central accounts carry their @handle on the drawing
SMALLEST, LARGEST = 6.0, 30.0
SEED = 13
FISHEYE = 0.45


def colour(community: int | None) -> str:
    """The colour of a community number (1 = the largest); grey beyond the eighth or without one."""
    if community is None or not 1 <= community <= TOP_COMMUNITIES:
        return OTHER
    return PALETTE[(community - 1) % len(PALETTE)]


def sizes(ranks: Sequence[float]) -> list[float]:
    """Marker diameters: the square root of PageRank scaled between ``SMALLEST`` and ``LARGEST`` (area follows
    PageRank, so a hub does not hide its neighbours)."""
    if not ranks:
        return []
    roots = [math.sqrt(max(r, 0.0)) for r in ranks]
    low, high = min(roots), max(roots)
    span = high - low
    return [round(SMALLEST + (LARGEST - SMALLEST) * ((r - low) / span if span else 0.5), 1) for r in roots]


def packed(nodes: Sequence[str], links: Sequence[tuple[str, str, float]]) -> dict[str, tuple[float, float]]:
    """Positions that keep every part readable: the largest connected part force-directed in the square [-1, 1],
    the smaller parts and the lone accounts (coordinated accounts often share no link with the hubs) each laid
    out on its own, scaled by its size, in rows beneath it. One force-directed layout of everything flings the
    lone accounts to a far ring and crushes the conversation into the middle."""
    g = nx.Graph()
    g.add_nodes_from(nodes)
    g.add_weighted_edges_from(links)
    parts = sorted(nx.connected_components(g), key=lambda c: (-len(c), min(c)))
    if not parts:
        return {}
    pos = _spring(g.subgraph(parts[0]), 1.0, (0.0, 0.0))
    x, y, row = -1.0, -1.15, 0.0
    for part in parts[1:]:
        r = 0.035 if len(part) == 1 else min(0.45, 0.1 * math.sqrt(len(part)))
        if x + 2 * r > 1.0:
            x, y, row = -1.0, y - row - 0.06, 0.0
        pos |= _spring(g.subgraph(part), r, (x + r, y - r))
        x, row = x + 2 * r + 0.05, max(row, 2 * r)
    return {n: (round(float(a), 4), round(float(b), 4)) for n, (a, b) in pos.items()}


def _spring(part: nx.Graph, scale: float, centre: tuple[float, float]) -> dict[str, tuple[float, float]]:
    """ForceAtlas2 (Gephi's layout) for a part: it spreads a hub's neighbours around it where a spring layout
    packs them into one blot; about half a second for the 200 accounts drawn."""
    if part.number_of_nodes() == 1:
        return {next(iter(part)): centre}
    found = nx.forceatlas2_layout(part, seed=SEED, max_iter=150, distributed_action=True, strong_gravity=True)
    names = list(found)
    xy = np.array([found[n] for n in names], dtype=float)
    xy -= np.median(xy, axis=0)
    r = np.hypot(xy[:, 0], xy[:, 1])
    far = float(r.max()) or 1.0
    # a fisheye: distances to the centre shrink as a power, so a few far accounts do not crush the rest
    xy *= ((r / far) ** FISHEYE / np.where(r > 0, r / far, 1.0))[:, None]
    xy = xy / np.maximum(np.abs(xy).max(axis=0), 1e-9) * scale  # each axis fills the box (no aspect kept)
    return {n: (float(a) + centre[0], float(b) + centre[1]) for n, (a, b) in zip(names, xy, strict=True)}


def figure(drawing: dict[str, Any], _: Gettext, *, height: int = 560) -> go.Figure:
    """The figure of ``netdata.drawing``: one trace of links, one per community (legend "Komunitas N"), one of
    the other accounts, a ring over coordinated accounts, and an empty trace ``network.js`` fills to highlight."""
    links = [(x["source"], x["target"], 1.0 + math.log(x["weight"])) for x in drawing["links"]]
    at = packed([n["id"] for n in drawing["nodes"]], links)
    nodes = [n | {"x": at[n["id"]][0], "y": at[n["id"]][1]} for n in drawing["nodes"]]
    diameter = dict(zip((n["id"] for n in nodes), sizes([n["pagerank"] for n in nodes]), strict=True))
    central = {n["id"] for n in sorted(nodes, key=lambda n: (-n["pagerank"], n["id"]))[:LABELLED]}
    fig = go.Figure()
    xs: list[float | None] = []
    ys: list[float | None] = []
    for link in drawing["links"]:
        a, b = at.get(link["source"]), at.get(link["target"])
        if a and b:
            xs += [a[0], b[0], None]
            ys += [a[1], b[1], None]
    fig.add_scatter(
        x=xs, y=ys, mode="lines", line={"width": 0.5, "color": LINK}, hoverinfo="skip", showlegend=False, name="links"
    )
    numbered = sorted({n["community"] for n in nodes if colour(n["community"]) != OTHER})
    for number in [*numbered, None]:
        members = [n for n in nodes if (n["community"] if colour(n["community"]) != OTHER else None) == number]
        if not members:
            continue
        name = _("Community %(n)s") % {"n": number} if number is not None else _("Other accounts")
        fig.add_scatter(
            x=[n["x"] for n in members],
            y=[n["y"] for n in members],
            mode="markers+text",
            name=name,
            text=["@" + escape(n["id"]) if n["id"] in central else "" for n in members],
            textposition="top center",
            textfont={"size": 10, "color": "#333"},
            marker={
                "size": [diameter[n["id"]] for n in members],
                "color": colour(number),
                "line": {"width": 0.8, "color": "#ffffff"},
                "opacity": 0.9,
            },
            customdata=[_point(n, name, _) for n in members],
            hovertemplate="<b>@%{customdata[1]}</b><br>%{customdata[2]}<br>%{customdata[3]}<extra></extra>",
        )
    ringed = [n for n in nodes if n["groups"]]
    if ringed:
        fig.add_scatter(
            x=[n["x"] for n in ringed],
            y=[n["y"] for n in ringed],
            mode="markers",
            name=_("Coordinated"),
            marker={
                "symbol": "circle-open",
                "size": [diameter[n["id"]] + 7 for n in ringed],
                "color": RING,
                "line": {"width": 2, "color": RING},
            },
            customdata=[_point(n, _community_name(n, _), _) for n in ringed],
            hovertemplate="<b>@%{customdata[1]}</b><br>%{customdata[2]}<br>%{customdata[3]}<extra></extra>",
        )
    fig.add_scatter(
        x=[],
        y=[],
        mode="markers",
        name="highlight",
        showlegend=False,
        hoverinfo="skip",
        marker={"symbol": "circle-open", "size": 26, "color": "#f0b429", "line": {"width": 4, "color": "#f0b429"}},
    )
    axis = {"visible": False, "showgrid": False, "zeroline": False}
    fig.update_layout(
        height=height,
        margin={"l": 8, "r": 8, "t": 8, "b": 8},
        hovermode="closest",
        dragmode="pan",
        xaxis=axis,
        yaxis=axis,
        legend={
            "orientation": "h",
            "y": -0.02,
            "yanchor": "top",
            "font": {"size": 11},
            "entrywidth": 112,  # fixed columns: three a row on a phone instead of one
            "entrywidthmode": "pixels",
        },
        font={"family": "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif", "size": 12},
        uirevision="network",
        plot_bgcolor="#ffffff",
        paper_bgcolor="#ffffff",
    )
    return fig


def _community_name(node: dict[str, Any], _: Gettext) -> str:
    number = node["community"]
    return _("Community %(n)s") % {"n": number} if colour(number) != OTHER else _("Other accounts")


def _point(node: dict[str, Any], community: str, _: Gettext) -> list[Any]:
    """A point's customdata: the raw handle (for the click), the escaped texts of the hover, and the numbers of
    the coordinated groups the account is in (the panel links to them)."""
    posts = _("%(n)s posts in the period") % {"n": node["posts"]}
    if node["groups"]:
        community += " · " + _("coordinated group %(n)s") % {"n": ", ".join(str(g) for g in node["groups"])}
    return [node["id"], escape(node["id"]), escape(posts), escape(community), list(node["groups"])]
