"""What the pages and the API read, as calls into the library: date windows, cached aggregates, and pages of
posts with their database ids and annotations. Every query is bounded (a date window, a limit)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from citra import vocab
from citra.analytics.correction import Correction
from citra.analytics.engagement import EngagementReport, report
from citra.analytics.index import IndexRow, compute
from citra.config import Workspace
from citra.errors import CitraError, NotFound
from citra.filters import Filters
from citra.filters import parse as filters_of
from citra.measure import correction, index_rows
from citra.nlp.topics import Taxonomy, Topic
from citra.records import Platform, Sentiment, StoredPost
from citra.store import Page, PostQuery, Store, deadline
from citra.store.saved import SavedSearch
from citra.store.series import Bucket
from citra.web.cache import Memo

DEFAULT_DAYS = 90
MAX_DAYS = 731
MAX_OFFSET = 2000  # deepest offset of the inbox list; narrow the filters to see older items
COUNT_CAP = 1000  # inbox counts above this show as "1000+"
FIRST_DAY, LAST_DAY = date(1970, 1, 2), date(2100, 12, 31)  # far from the ends of the calendar


@dataclass(frozen=True, slots=True)
class Window:
    """Whole local days from ``start`` to ``end`` (inclusive) in the workspace zone."""

    start: date
    end: date
    tz: Any

    @property
    def since(self) -> datetime:
        return datetime.combine(self.start, time(), self.tz)

    @property
    def until(self) -> datetime:
        return datetime.combine(self.end + timedelta(days=1), time(), self.tz)

    @property
    def key(self) -> tuple[str, str]:
        return (self.start.isoformat(), self.end.isoformat())


def topics(ws: Workspace, memo: Memo) -> list[Topic]:
    """The workspace's topic taxonomy (id, name, opd), cached: compiling it takes a while."""
    return memo.get(("taxonomy",), lambda: list(Taxonomy.for_settings(ws).topics))


def topic_names(ws: Workspace, memo: Memo, lang: str) -> dict[str, str]:
    """Topic id -> its name in the language (Indonesian, or English where the taxonomy gives one)."""
    return {t.id: (t.name_en or t.name) if lang == "en" else t.name for t in topics(ws, memo)}


def parse_platform(value: str | None) -> Platform | None:
    return vocab.optional(Platform, value, "platform")


def parse_sentiment(value: str | None) -> Sentiment | None:
    return vocab.optional(Sentiment, value, "sentiment")


def parse_day(value: str | date | None, name: str) -> date | None:
    if value is None or value == "":
        return None
    return vocab.day(value, name, FIRST_DAY, LAST_DAY)


def last_day(store: Store, ws: Workspace, memo: Memo) -> date:
    """The local day of the newest stored post (today when there is none)."""

    def newest() -> date:
        found = store.search(PostQuery(), limit=1).items
        when = found[0].post.created_at if found else datetime.now(UTC)
        return when.astimezone(ws.tz).date()

    return memo.get(("last_day",), newest)


def window(
    store: Store,
    ws: Workspace,
    memo: Memo,
    since: str | date | None = None,
    until: str | date | None = None,
    days: int = DEFAULT_DAYS,
) -> Window:
    """The chosen days, by default the last ``days`` days with data; at most ``MAX_DAYS`` long."""
    end = parse_day(until, "until") or last_day(store, ws, memo)
    start = parse_day(since, "since") or end - timedelta(days=days - 1)
    if start > end:
        raise CitraError("the start date is after the end date")
    if (end - start).days >= MAX_DAYS:
        start = end - timedelta(days=MAX_DAYS - 1)
    return Window(start, end, ws.tz)


def index_series(
    store: Store,
    ws: Workspace,
    memo: Memo,
    win: Window,
    freq: str = "day",
    by: str | None = None,
    platform: str | None = None,
    filters: Filters | None = None,
) -> list[IndexRow]:
    """``citra index`` rows of a window (cached); ``freq="total"``: one row per group for the whole window;
    ``filters`` (a saved search) narrows the posts."""
    key = ("index", win.key, freq, by, platform, filters)
    narrowed = filters.query(None, None) if filters is not None and filters.active else None
    found = audit(store, ws, memo)
    return memo.get(
        key,
        lambda: index_rows(
            store,
            ws,
            freq=freq,
            by=by,
            since=win.since,
            until=win.until,
            platform=platform,
            audit=found,
            filters=narrowed,
        ),
    )


def audit(store: Store, ws: Workspace, memo: Memo) -> Correction:
    """The sentiment audit behind every index figure (cached like the figures it corrects)."""
    return memo.get(("audit",), lambda: correction(store, ws))


def _merge(buckets: list[Bucket], period: datetime) -> list[Bucket]:
    sums: dict[str | None, Bucket] = {}
    numbers = [f.name for f in dataclasses.fields(Bucket) if f.name not in ("period", "group")]
    for b in buckets:
        seen = sums.get(b.group)
        if seen is None:
            sums[b.group] = dataclasses.replace(b, period=period)
        else:
            sums[b.group] = dataclasses.replace(seen, **{n: getattr(seen, n) + getattr(b, n) for n in numbers})
    return list(sums.values())


def totals(store: Store, ws: Workspace, memo: Memo, win: Window, by: str | None) -> list[IndexRow]:
    """One index row per group over the whole window (largest volume first), cached."""

    def run() -> list[IndexRow]:
        try:
            buckets = store.series("month", ws.tz, by=by, since=win.since, until=win.until)
        except ValueError as exc:
            raise CitraError(str(exc)) from None
        rows = compute(_merge(buckets, win.since), audit(store, ws, memo))
        return sorted(rows, key=lambda r: (-r.volume, r.group or ""))

    return memo.get(("totals", win.key, by), run)


def engagement(store: Store, ws: Workspace, memo: Memo, win: Window) -> EngagementReport:
    """``citra engagement`` of a window (cached; ``now`` is when it was computed)."""

    def run() -> EngagementReport:
        return report(
            store.official_posts(win.since, win.until),
            store.first_answers(win.since, win.until),
            ws.tz,
            datetime.now(UTC),
        )

    return memo.get(("engagement", win.key), run)


def _counter(store: Store, opd: str | None) -> Callable[[], dict[str, int]]:
    def run() -> dict[str, int]:
        return {status: min(n, COUNT_CAP + 1) for status, n in store.inbox.counts(opd).items()}

    return run


def inbox_counts(store: Store, memo: Memo, opd: str | None) -> dict[str, int]:
    """Items per status (one GROUP BY), shown up to ``COUNT_CAP`` + 1 (more shows as "1000+"), cached."""
    return memo.get(("inbox", opd), _counter(store, opd))


def inbox_counts_soon(store: Store, memo: Memo, opd: str | None) -> dict[str, int] | None:
    """``inbox_counts`` without waiting: None while they are first counted in the background."""
    return memo.peek(("inbox", opd), _counter(store, opd))


# posts with ids and annotations --------------------------------------------------------------------------


def posts_page(store: Store, win: Window, filters: Filters, cursor: str | None, size: int) -> Page[StoredPost]:
    """Up to ``size`` posts of the window matching the filters, newest first, after ``cursor`` (keyset)."""
    return store.search(filters.query(win.since, win.until), limit=size, cursor=cursor)


def posts_count(store: Store, memo: Memo, win: Window, filters: Filters) -> int:
    """How many posts of the window match the filters (one COUNT in the database, cached like the aggregates
    whose numbers link here, so the count one lands on is the count one clicked)."""
    return memo.get(("count", win.key, filters), lambda: store.count(filters.query(win.since, win.until)))


def each_post(
    store: Store, win: Window, filters: Filters, size: int = 1000, page_seconds: float | None = None
) -> Iterator[StoredPost]:
    """Every post of the window matching the filters, newest first, read a page at a time (keyset), so a
    download of a million posts never holds more than one page. Each page's database work gets its own
    ``page_seconds`` (a request's deadline): a long download is bounded per page, not cut off as a whole."""
    cursor = None
    while True:
        with deadline.within(page_seconds):
            found = store.search(filters.query(win.since, win.until), limit=size, cursor=cursor)
        yield from found.items
        cursor = found.next_cursor
        if cursor is None:
            return


def saved_search(store: Store, saved: str | None) -> tuple[Filters | None, SavedSearch | None]:
    """The filters and record of saved search ``saved`` (an id from the URL), or (None, None) without one."""
    if not saved:
        return None, None
    try:
        found = store.saved.get(int(saved))
    except ValueError:
        raise NotFound("this saved search no longer exists") from None
    return filters_of(found.params), found
