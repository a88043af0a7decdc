"""The share-of-voice and spillover section of the Jaringan page: its context (``voice_section``) and its two
Plotly charts; the partial ``_voice.html`` shows them. The period of the rows follows the window's length."""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

import plotly.graph_objects as go

from citra import voice
from citra.analytics.voice import SpillRow, VoiceRow
from citra.config import Workspace
from citra.store import Store
from citra.web.charts import _layout, band
from citra.web.render import chart_json

Gettext = Callable[[str], str]
COLOURS = ("#1f4e79", "#d68910", "#7d3c98", "#117a65", "#a93226", "#5d6d7e", "#b9770e")
SPILL, SPILL_BAND, MARK = "#a93226", "rgba(169, 50, 38, 0.16)", "#5d6d7e"


def period_for(since: datetime, until: datetime) -> str:
    """Days for a window up to about six weeks, weeks up to about half a year, months beyond."""
    days = (until - since).days
    return "day" if days <= 45 else "week" if days <= 200 else "month"


def _band(colour: str) -> str:
    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r}, {g}, {b}, 0.14)"


def _x(period: datetime) -> str:
    return period.date().isoformat()


def share_chart(result: voice.ShareOfVoice, _: Gettext, title: str) -> go.Figure:
    """Share of voice per period, one line per group with its 95% interval as a light band."""
    fig = go.Figure()
    for i, group in enumerate(result.groups):
        rows: Sequence[VoiceRow] = [r for r in result.rows if r.group == group.key]
        colour = COLOURS[i % len(COLOURS)]
        x = [_x(r.period) for r in rows]
        band(fig, x, [r.share_low for r in rows], [r.share_high for r in rows], _band(colour), legendgroup=group.key)
        fig.add_scatter(
            x=x,
            y=[r.share for r in rows],
            mode="lines+markers",
            name=group.name,
            legendgroup=group.key,
            line={"color": colour, "width": 2},
            marker={"size": 4},
            customdata=[[r.volume, r.share_low, r.share_high] for r in rows],
            hovertemplate="%{y:.1%} (%{customdata[1]:.1%}–%{customdata[2]:.1%}) · %{customdata[0]:,} " + _("posts"),
        )
    return _layout(fig, title, yaxis={"range": [0, 1], "tickformat": ".0%"})


def spill_chart(result: voice.Spillover, _: Gettext, title: str) -> go.Figure:
    """The spillover share per period with its 95% interval, and a dotted line at each intervention."""
    rows: Sequence[SpillRow] = result.rows
    x = [_x(r.period) for r in rows]
    fig = go.Figure()
    band(fig, x, [r.low for r in rows], [r.high for r in rows], SPILL_BAND, name=_("95% interval"))
    fig.add_scatter(
        x=x,
        y=[r.share for r in rows],
        mode="lines+markers",
        name=_("Share naming the leader"),
        line={"color": SPILL, "width": 2},
        marker={"size": 4},
        customdata=[[r.with_leader, r.negative] for r in rows],
        hovertemplate="%{y:.1%} · %{customdata[0]:,} / %{customdata[1]:,}",
    )
    top = max((r.high for r in rows), default=0.1)
    for i, c in enumerate(result.changes, 1):  # numbered as in the table below the chart; the name on hover
        day = c.date.isoformat()
        fig.add_shape(
            type="line", x0=day, x1=day, xref="x", y0=0, y1=1, yref="paper", line={"color": MARK, "dash": "dot"}
        )
        fig.add_annotation(
            x=day, y=1, yref="paper", text=str(i), hovertext=html.escape(c.name), showarrow=False,
            yanchor="bottom", font={"size": 11, "color": MARK},
        )  # fmt: skip
    return _layout(fig, title, yaxis={"range": [0, min(1.0, top * 1.15 + 0.01)], "tickformat": ".0%"})


def voice_section(
    store: Store, ws: Workspace, since: datetime, until: datetime, _: Gettext = lambda s: s
) -> dict[str, Any]:
    """The context of ``_voice.html`` for ``[since, until)``: ``{"voice": {...}}`` with the rows, totals,
    changes after interventions, and the charts' JSON; ``_`` translates the charts' words."""
    period = period_for(since, until)
    share = voice.share_of_voice(store, ws, period, since, until)
    names = {g.key: g.name for g in share.groups}
    charts: dict[str, Any] = {}
    if share.rows:
        charts["voice_share"] = chart_json(share_chart(share, _, _("Share of voice (95% interval)")))
    spill = None
    if ws.settings.leaders:
        spill = voice.spillover(store, ws, period, since, until)
        if spill.rows:
            charts["voice_spill"] = chart_json(spill_chart(spill, _, _("Share naming the leader")))
    return {
        "voice": {
            "period": period,
            "share": share,
            "names": names,
            "spill": spill,
            "charts": charts,
        }
    }
