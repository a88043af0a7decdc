"""Static charts of the report: matplotlib (Agg, no pyplot state) drawn to SVG and returned as data URIs, so the
HTML and the PDF carry them without any file or network access."""

from __future__ import annotations

import base64
import io
from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from citra.reports import fmt
from citra.reports.model import DayRow, GroupRow

CM = 1 / 2.54
BLUE, BAND, GREY, RED, GREEN, INK = "#1f4e79", "#c9d9ea", "#b8bcc2", "#c0392b", "#2e8b57", "#333333"
STYLE = {
    "svg.fonttype": "path",
    "svg.hashsalt": "citra",
    "font.family": "DejaVu Sans",
    "font.size": 8,
    "axes.edgecolor": "#888888",
    "axes.labelcolor": INK,
    "xtick.color": INK,
    "ytick.color": INK,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "text.parse_math": False,
}


def _uri(fig: Any) -> str:
    buf = io.BytesIO()
    fig.savefig(buf, format="svg", bbox_inches="tight", metadata={"Date": None})
    return "data:image/svg+xml;base64," + base64.b64encode(buf.getvalue()).decode("ascii")


def _number_axis(axis: Any, digits: int = 0) -> None:
    from matplotlib.ticker import FuncFormatter

    axis.set_major_formatter(FuncFormatter(lambda v, _pos: fmt.number(v, digits)))


def index_chart(days: Sequence[DayRow]) -> str | None:
    """The daily index with its 95% band above, and the daily volume by sentiment below; None without days."""
    if not days:
        return None
    import matplotlib
    from matplotlib.dates import DayLocator
    from matplotlib.figure import Figure
    from matplotlib.ticker import FuncFormatter

    x = [d.day for d in days]
    with matplotlib.rc_context(STYLE):
        fig = Figure(figsize=(17 * CM, 9.5 * CM))
        top, bottom = fig.subplots(2, 1, sharex=True, gridspec_kw={"height_ratios": [3, 1.4], "hspace": 0.3})
        top.fill_between(
            x, [d.ci_low for d in days], [d.ci_high for d in days], color=BAND, lw=0, label="Selang kepercayaan 95%"
        )
        top.plot(x, [d.index for d in days], color=BLUE, lw=1.6, marker="o", ms=2.2, label="Indeks citra harian")
        top.axhline(50, color=GREY, lw=0.8, ls="--", label="50 = positif dan negatif seimbang")
        low = min(d.ci_low for d in days)
        high = max(d.ci_high for d in days)
        top.set_ylim(max(0, min(low, 50) - 3), min(100, max(high, 50) + 3))
        top.set_ylabel("Indeks (0–100)")
        _number_axis(top.yaxis)
        top.legend(loc="lower left", bbox_to_anchor=(0, 1.0), frameon=False, fontsize=7, ncols=3, borderaxespad=0.2)
        top.grid(axis="y", color="#e6e6e6", lw=0.6)
        neg, neu, pos = [d.negative for d in days], [d.neutral for d in days], [d.positive for d in days]
        width = 0.8
        bottom.bar(x, neg, width, color=RED, label="Negatif")
        bottom.bar(x, neu, width, bottom=neg, color=GREY, label="Netral")
        bottom.bar(x, pos, width, bottom=[a + b for a, b in zip(neg, neu, strict=True)], color=GREEN, label="Positif")
        bottom.set_ylabel("Unggahan")
        _number_axis(bottom.yaxis)
        bottom.legend(loc="lower left", bbox_to_anchor=(0, 1.0), frameon=False, fontsize=7, ncols=3, borderaxespad=0.2)
        step = max(1, round(len(days) / 8))
        bottom.xaxis.set_major_locator(DayLocator(interval=step))
        bottom.xaxis.set_major_formatter(FuncFormatter(lambda v, _pos: _day_label(v)))
        bottom.set_xlim(x[0] - timedelta(days=0.6), x[-1] + timedelta(days=0.6))
        return _uri(fig)


def _day_label(value: float) -> str:
    from matplotlib.dates import num2date

    return fmt.day_short(num2date(value))


def topics_chart(topics: Sequence[GroupRow], limit: int = 10) -> str | None:
    """Horizontal bars of the month's largest topics, split into negative, neutral and positive posts."""
    shown = list(topics[:limit])
    if not shown:
        return None
    import matplotlib
    from matplotlib.figure import Figure

    shown.reverse()  # the largest on top
    names = [_short(t.name) for t in shown]
    neg = [t.volume * t.negative_share for t in shown]
    pos = [t.volume * t.positive_share for t in shown]
    neu = [t.volume - a - b for t, a, b in zip(shown, neg, pos, strict=True)]
    with matplotlib.rc_context(STYLE):
        fig = Figure(figsize=(17 * CM, (1.6 + 0.62 * len(shown)) * CM))
        ax = fig.subplots()
        ax.barh(names, neg, color=RED, label="Negatif")
        ax.barh(names, neu, left=neg, color=GREY, label="Netral")
        ax.barh(names, pos, left=[a + b for a, b in zip(neg, neu, strict=True)], color=GREEN, label="Positif")
        for i, t in enumerate(shown):
            ax.text(
                t.volume,
                i,
                f"  {fmt.number(t.volume)} · {fmt.percent(t.negative_share, 0)} negatif",
                va="center",
                fontsize=6.5,
                color=INK,
            )
        ax.set_xlim(0, max(t.volume for t in shown) * 1.32)
        ax.set_xlabel("Unggahan warga")
        _number_axis(ax.xaxis)
        ax.tick_params(axis="y", length=0)
        ax.legend(loc="lower right", frameon=False, fontsize=7, ncols=3)
        return _uri(fig)


def _short(name: str, width: int = 34) -> str:
    return name if len(name) <= width else name[: width - 1] + "…"
