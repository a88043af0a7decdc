"""The HTML report: a Jinja2 template (autoescape on, so post text is escaped) with print CSS for A4 paper."""

from __future__ import annotations

from importlib import resources
from typing import Any

from markupsafe import Markup

from citra.reports import charts, fmt, narrative
from citra.reports.model import GroupRow, OpdReplies, ReportData
from citra.reports.recommend import SUPPORT_NOTE

TEMPLATE = "laporan.html.j2"
STYLESHEET = "laporan.css"
# Emoji and their joiners: the PDF has no emoji font, so printed quotes leave them out.
_PICTOGRAPHS = r"[\p{Extended_Pictographic}\p{Emoji_Modifier}\N{VARIATION SELECTOR-16}\N{ZERO WIDTH JOINER}]"


def _quote(for_print: bool) -> Any:
    """The filter for quoted post text: cut to one paragraph's length, emoji dropped in print; the template's
    autoescape still escapes the result."""
    import regex

    pictographs = regex.compile(_PICTOGRAPHS)

    def quote(text: str) -> str:
        text = text.strip()
        if for_print:
            text = regex.sub(r"[ \t]{2,}", " ", pictographs.sub("", text))
        return text if len(text) <= 400 else text[:399].rstrip() + "…"

    return quote


def _environment(for_print: bool) -> Any:
    from jinja2 import Environment, PackageLoader, StrictUndefined

    env = Environment(
        loader=PackageLoader("citra.reports", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(
        number=fmt.number,
        percent=fmt.percent,
        signed=fmt.signed,
        points=fmt.points,
        day=fmt.day,
        day_short=fmt.day_short,
        moment=fmt.moment,
        month=fmt.month,
        duration=fmt.duration,
        severity=lambda s: fmt.SEVERITY.get(s, s),
        status=lambda s: fmt.STATUS.get(s, s),
        quote=_quote(for_print),
    )
    env.globals.update(fmt=fmt, text=narrative, for_print=for_print, support_note=SUPPORT_NOTE)
    return env


OpdLine = tuple[GroupRow | None, str, OpdReplies | None]


def _opd_table(opds: tuple[GroupRow, ...], replies: tuple[OpdReplies, ...]) -> list[OpdLine]:
    """OPD rows joined with their reply counts, by posts (an OPD with replies but no index row still shows)."""
    by_name = {r.opd: r for r in replies}
    rows: list[OpdLine] = [(g, g.name, by_name.pop(g.name, None)) for g in opds]
    rows += [(None, name, r) for name, r in by_name.items()]
    return rows


def render(data: ReportData, recommendations: list[str], *, for_print: bool = False) -> str:
    """The complete HTML document (charts embedded as data URIs, no external resources); ``for_print`` drops
    what the PDF cannot show (emoji)."""
    css = resources.files("citra.reports").joinpath("templates", STYLESHEET).read_text(encoding="utf-8")
    template = _environment(for_print).get_template(TEMPLATE)
    return template.render(
        d=data,
        recommendations=recommendations,
        headlines=data.headlines(),
        css=Markup(css),  # noqa: S704 - our file
        index_chart=charts.index_chart(data.days),
        topics_chart=charts.topics_chart(data.topics),
        opd_rows=_opd_table(data.opds, data.opd_replies),
        summary=narrative.summary(data),
        zone=narrative.zone(data.timezone),
        low_day=min(data.days, key=lambda r: r.index, default=None),
        high_day=max(data.days, key=lambda r: r.index, default=None),
    )
