"""Links from a number to the posts behind it: Percakapan with that slice's filters and period, and its CSV.

Every page builds its drill-down links here, with the parameter names of ``citra.filters.PARAMS`` (topic, opd,
target, sentiment, platform, who, since, until, q, saved), so alerts, tables and charts open the same slice."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import TYPE_CHECKING
from urllib.parse import urlencode

from citra.filters import PARAMS

if TYPE_CHECKING:
    from citra.analytics.index import IndexRow

CONVERSATIONS = "/percakapan"


def conversations_url(**filters: object) -> str:
    """``/percakapan?...`` with the given filters (None, "" and unknown names are left out; dates as ISO days)."""
    unknown = set(filters) - set(PARAMS)
    if unknown:
        raise TypeError(f"conversations_url: unknown filter {', '.join(sorted(unknown))}")
    params = {}
    for name in PARAMS:  # a fixed order: the same slice always has the same URL
        value = filters.get(name)
        if value is None or value == "":
            continue
        params[name] = value.isoformat() if isinstance(value, date) else str(value)
    return CONVERSATIONS + ("?" + urlencode(params) if params else "")


def csv_url(url: str) -> str:
    """The same page as a CSV download (``format=csv``)."""
    base, _, query = url.partition("?")
    kept = "&".join(p for p in query.split("&") if p and not p.startswith(("format=", "cursor=")))
    return f"{base}?{kept + '&' if kept else ''}format=csv"


GROUP_PARAM = {"topic": "topic", "opd": "opd", "target": "target", "platform": "platform"}


def citizens_url(start: date, end: date, by: str | None = None, group: str | None = None, **extra: object) -> str:
    """Percakapan for a number of the citra index tables and charts: citizens' posts (the index counts only
    theirs) of the days ``start``..``end``, in group ``group`` of grouping ``by`` (topic, opd, target, platform)."""
    chosen: dict[str, object] = {**extra, "who": "citizen", "since": start, "until": end}
    if by is not None and group:
        chosen[GROUP_PARAM[by]] = group
    return conversations_url(**chosen)


def window_link(
    start: date, end: date, by: str | None = None, **extra: object
) -> Callable[[IndexRow, str | None], str]:
    """A chart/table link for rows totalled over the window: the row's group (and a sentiment) over its days;
    ``extra``: filters every link keeps (a saved search's)."""
    return lambda row, sentiment=None: citizens_url(
        start, end, by, row.group, **(extra | ({"sentiment": sentiment} if sentiment else {}))
    )


def period_link(
    start: date, end: date, days: int = 1, by: str | None = None, **extra: object
) -> Callable[[IndexRow, str | None], str]:
    """A chart link for rows per period (a day, or a week of 7 days): that period's days, kept inside the window."""

    def link(row: IndexRow, sentiment: str | None = None) -> str:
        first = row.period.date()
        last = first + timedelta(days=days - 1)
        return citizens_url(
            max(first, start),
            min(last, end),
            by,
            row.group,
            **(extra | ({"sentiment": sentiment} if sentiment else {})),
        )

    return link
