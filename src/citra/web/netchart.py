"""The network drawing of the Jaringan page as a Plotly figure: accounts as markers sized by PageRank and coloured
by community, links as thin lines, accounts of coordinated groups ringed. ``static/network.js`` opens an account's
posts on a click (its handle is each point's ``customdata[0]``) and highlights a group's accounts."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from html import escape
from typing import Any

import plotly.graph_objects as go

from citra.analytics.network import TOP_COMMUNITIES

Gettext = Callable[[str], str]
# eight distinguishable colours (Okabe-Ito and Tableau), one per numbered community; the rest are grey
PALETTE = ("#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00", "#8c564b", "#7f7f00")
OTHER = "#b8c0c8"
RING = "#1a1a1a"
LINK = "rgba(120, 130, 140, 0.35)"
LABELLED = 12  # the most central accounts carry their @handle on the drawing
SMALLEST, LARGEST = 6.0, 30.0


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


def figure(drawing: dict[str, Any], _: Gettext, *, height: int = 560) -> go.Figure:
    """The figure of ``netdata.drawing``: one trace of links, one per community (legend "Komunitas N"), one of
    the other accounts, a ring over coordinated accounts, and an empty trace ``network.js`` fills to highlight."""
    nodes = drawing["nodes"]
    at = {n["id"]: (n["x"], n["y"]) for n in nodes}
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
        x=xs, y=ys, mode="lines", line={"width": 0.6, "color": LINK}, hoverinfo="skip", showlegend=False, name="links"
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
            name=_("In a coordinated group"),
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
        yaxis=axis | {"scaleanchor": "x", "scaleratio": 1},
        legend={"orientation": "h", "y": -0.02, "yanchor": "top", "font": {"size": 11}},
        font={"family": "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif", "size": 12},
        uirevision="network",
    )
    return fig


def _community_name(node: dict[str, Any], _: Gettext) -> str:
    number = node["community"]
    return _("Community %(n)s") % {"n": number} if colour(number) != OTHER else _("Other accounts")


def _point(node: dict[str, Any], community: str, _: Gettext) -> list[str]:
    """A point's customdata: the raw handle (for the click), then the escaped texts of the hover."""
    posts = _("%(n)s posts in the period") % {"n": node["posts"]}
    if node["groups"]:
        community += " · " + _("coordinated group %(n)s") % {"n": ", ".join(str(g) for g in node["groups"])}
    return [node["id"], escape(node["id"]), escape(posts), escape(community)]
