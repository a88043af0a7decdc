"""Plotly figures of the pages, built in Python; the page embeds their JSON and ``citra.js`` draws them."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import plotly.graph_objects as go

from citra.analytics.engagement import DAYS_ID, CategoryStat, HourStat
from citra.analytics.index import IndexRow

Gettext = Callable[[str], str]
# the Percakapan URL of a row's posts (and of one sentiment of them): set as each point's customdata, which
# static/drill.js opens on a click
Link = Callable[[IndexRow, str | None], str] | None
NEGATIVE, NEUTRAL, POSITIVE = "#c0392b", "#9aa5ad", "#1e8449"
INDEX, REACH, BAND = "#1f4e79", "#d68910", "rgba(31, 78, 121, 0.16)"
DAYS_EN = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def _layout(fig: go.Figure, title: str, height: int = 320, **extra: object) -> go.Figure:
    """Title, size and fonts; the theme (plotly_white) is added as JSON by ``render.chart_json``: set here it costs
    a deep copy of the whole template per figure (about 45 ms, most of a page's time)."""
    layout: dict[str, object] = {
        "title": {"text": title, "x": 0, "font": {"size": 15}},
        "height": height,
        "margin": {"l": 48, "r": 16, "t": 44, "b": 40},
        "legend": {"orientation": "h", "y": -0.18},
        "font": {"family": "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif", "size": 12},
        "hovermode": "x unified",
    }
    fig.update_layout(layout | extra)
    return fig


def band(
    fig: go.Figure,
    x: Sequence[str],
    low: Sequence[float | None],
    high: Sequence[float | None],
    fill: str,
    *,
    name: str | None = None,
    legendgroup: str | None = None,
) -> None:
    """A shaded interval between ``low`` and ``high``: an invisible upper line and a lower one filled up to it;
    in the legend as ``name`` (left out without one)."""
    group = {"legendgroup": legendgroup} if legendgroup else {}
    fig.add_scatter(x=x, y=high, mode="lines", line={"width": 0}, showlegend=False, hoverinfo="skip", **group)
    shown = {"name": name} if name else {"showlegend": False}
    fig.add_scatter(
        x=x, y=low, mode="lines", line={"width": 0}, fill="tonexty", fillcolor=fill, hoverinfo="skip",
        **shown, **group,
    )  # fmt: skip


def index_trend(rows: Sequence[IndexRow], _: Gettext, link: Link = None) -> go.Figure:
    """The daily citra index with its 95% interval band and the reach-weighted index."""
    x = [r.period.date().isoformat() for r in rows]
    fig = go.Figure()
    band(fig, x, [r.ci_low for r in rows], [r.ci_high for r in rows], BAND, name=_("95% interval"))
    fig.add_scatter(
        x=x,
        y=[r.index for r in rows],
        mode="lines+markers",
        name=_("Citra index"),
        line={"color": INDEX, "width": 2},
        marker={"size": 4},
        customdata=[link(r, None) for r in rows] if link else None,
    )
    fig.add_scatter(
        x=x,
        y=[r.reach_index for r in rows],
        mode="lines",
        name=_("Reach-weighted index"),
        line={"color": REACH, "width": 1.5, "dash": "dot"},
    )
    return _layout(fig, _("Citra index per day (0-100, 95% interval)"), yaxis={"range": [0, 100]})


def sentiment_bars(rows: Sequence[IndexRow], _: Gettext, title: str, link: Link = None) -> go.Figure:
    """Posts per period, stacked by sentiment."""
    x = [r.period.date().isoformat() for r in rows]
    fig = go.Figure()
    for key, label, values, color in (
        ("negative", _("negative"), [r.negative for r in rows], NEGATIVE),
        ("neutral", _("neutral"), [r.neutral for r in rows], NEUTRAL),
        ("positive", _("positive"), [r.positive for r in rows], POSITIVE),
    ):
        urls = [link(r, key) for r in rows] if link else None
        fig.add_bar(x=x, y=values, name=label, marker_color=color, customdata=urls)
    return _layout(fig, title, barmode="stack", **({"hovermode": "closest"} if link else {}))


def sentiment_mix(
    positive: float,
    neutral: float,
    negative: float,
    _: Gettext,
    *,
    title: str | None = None,
    links: Sequence[str] | None = None,
) -> go.Figure:
    """Counts or shares of each label as a donut (its percentages are of the three values' sum); ``links``: the
    Percakapan URLs of the negative, neutral and positive slices."""
    fig = go.Figure(
        go.Pie(
            labels=[_("negative"), _("neutral"), _("positive")],
            values=[negative, neutral, positive],
            hole=0.55,
            marker={"colors": [NEGATIVE, NEUTRAL, POSITIVE]},
            sort=False,
            textinfo="percent",
            customdata=list(links) if links else None,
        )
    )
    return _layout(fig, title or _("Sentiment mix"), hovermode="closest")


def group_bars(rows: Sequence[IndexRow], names: dict[str, str], _: Gettext, title: str, link: Link = None) -> go.Figure:
    """Volume per group (topic, OPD), stacked by sentiment, largest on top."""
    ordered = list(reversed(rows))
    y = [names.get(r.group or "", r.group or "–") for r in ordered]
    fig = go.Figure()
    for key, label, values, color in (
        ("negative", _("negative"), [r.negative for r in ordered], NEGATIVE),
        ("neutral", _("neutral"), [r.neutral for r in ordered], NEUTRAL),
        ("positive", _("positive"), [r.positive for r in ordered], POSITIVE),
    ):
        urls = [link(r, key) for r in ordered] if link else None
        fig.add_bar(y=y, x=values, name=label, orientation="h", marker_color=color, customdata=urls)
    height = max(260, 60 + 26 * len(rows))
    hover = "closest" if link else "y unified"  # a click opens the bar under the pointer, not the whole row
    return _layout(fig, title, height, barmode="stack", hovermode=hover, margin={"l": 200, "r": 16, "t": 44, "b": 40})


def index_dots(rows: Sequence[IndexRow], names: dict[str, str], _: Gettext, title: str, link: Link = None) -> go.Figure:
    """The index of each group with its 95% interval as error bars."""
    ordered = list(reversed(rows))
    fig = go.Figure(
        go.Scatter(
            x=[r.index for r in ordered],
            y=[names.get(r.group or "", r.group or "–") for r in ordered],
            mode="markers",
            marker={"color": INDEX, "size": 9},
            name=_("Citra index"),
            customdata=[link(r, None) for r in ordered] if link else None,
            error_x={
                "type": "data",
                "symmetric": False,
                "array": [r.ci_high - r.index for r in ordered],
                "arrayminus": [r.index - r.ci_low for r in ordered],
                "color": INDEX,
            },
        )
    )
    height = max(260, 60 + 26 * len(rows))
    return _layout(
        fig, title, height, xaxis={"range": [0, 100]}, hovermode="closest", margin={"l": 200, "r": 16, "t": 44, "b": 40}
    )


def group_trend(
    rows: Sequence[IndexRow], names: dict[str, str], _: Gettext, title: str, link: Link = None
) -> go.Figure:
    """The index per period of each group, one line per group."""
    fig = go.Figure()
    groups = sorted({r.group for r in rows if r.group})
    for group in groups:
        mine = [r for r in rows if r.group == group]
        fig.add_scatter(
            x=[r.period.date().isoformat() for r in mine],
            y=[r.index for r in mine],
            mode="lines+markers",
            name=names.get(group, group),
            customdata=[link(r, None) for r in mine] if link else None,
        )
    return _layout(fig, title, yaxis={"range": [0, 100]})


def categories(stats: Sequence[CategoryStat], names: dict[str, str], _: Gettext) -> go.Figure:
    fig = go.Figure(
        go.Bar(
            x=[names.get(c.category, c.category) for c in stats],
            y=[c.engagement_mean for c in stats],
            marker_color=INDEX,
            text=[c.posts for c in stats],
            hovertemplate="%{x}: %{y:.1f}<extra></extra>",
        )
    )
    return _layout(fig, _("Mean engagement per post by content category"), hovermode="closest")


def hour_heatmap(hours: Sequence[HourStat], lang: str, _: Gettext) -> go.Figure:
    """Mean engagement of official posts by local weekday and hour (empty cells: no posts)."""
    z: list[list[float | None]] = [[None] * 24 for _day in range(7)]
    count: list[list[int]] = [[0] * 24 for _day in range(7)]
    for h in hours:
        z[h.weekday][h.hour] = h.engagement_mean
        count[h.weekday][h.hour] = h.posts
    days = list(DAYS_ID if lang == "id" else DAYS_EN)
    fig = go.Figure(
        go.Heatmap(
            z=z,
            x=[f"{h:02d}" for h in range(24)],
            y=days,
            customdata=count,
            colorscale="Blues",
            hovertemplate="%{y} %{x}.00: %{z:.1f} (%{customdata})<extra></extra>",
            hoverongaps=False,
        )
    )
    return _layout(
        fig,
        _("Mean engagement by day and hour (local time)"),
        300,
        hovermode="closest",
        yaxis={"autorange": "reversed"},
    )
