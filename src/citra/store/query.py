"""What can be asked of stored posts, compiled to SQL: every filter runs in the database, none in Python."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any, Generic, TypeVar

import sqlalchemy as sa

from citra.errors import CitraError
from citra.records import Intent, Platform, Sentiment, Target
from citra.store.schema import annotations, post_labels, post_opds, post_targets, post_topics, posts

T = TypeVar("T")
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


class Order(StrEnum):
    """How a list of posts is sorted; ties are broken by id, so every order is total (keyset cursors)."""

    NEWEST = "newest"
    OLDEST = "oldest"
    ENGAGEMENT = "engagement"  # likes + reposts + replies, most engaged first


class CountMode(StrEnum):
    NONE = "none"
    EXACT = "exact"
    BOUNDED = "bounded"  # count up to a cap: cheap on any size, "1000+" beyond it


@dataclass(frozen=True, slots=True)
class PostQuery:
    """A filter over stored posts; times are timezone-aware, ``until`` is exclusive; None means "any".

    ``official``: True for the workspace's official accounts, False for citizens. ``sentiment``,
    ``needs_response`` and ``opd`` follow the team's label where there is one, else the model's. ``text`` is
    the query language of ``citra.store.textquery`` (words, "phrases", OR, -exclusion, parentheses, prefix*)."""

    since: datetime | None = None
    until: datetime | None = None
    platform: Platform | None = None
    official: bool | None = None
    sentiment: Sentiment | None = None
    topic: str | None = None
    opd: str | None = None
    target: Target | None = None
    intent: Intent | None = None
    needs_response: bool | None = None
    text: str | None = None
    annotated: bool | None = None
    native_id: str | None = None
    ids: tuple[int, ...] | None = None
    order: Order = Order.NEWEST
    category: str | None = None  # an official post's content category, replies left out (as Publikasi counts)
    author: str | None = None  # an account's handle, without "@", any case (the Jaringan page's account posts)


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    """One page of a search: its items, the cursor of the next page (None at the end) and, when asked, how
    many match in all (``total_exact`` False when the count stopped at its cap)."""

    items: list[T]
    next_cursor: str | None = None
    total: int | None = None
    total_exact: bool = True


def engagement() -> sa.ColumnElement[Any]:
    """Likes + reposts + replies, the order of "most engaged" lists."""
    c = posts.c
    return sa.func.coalesce(c.likes, 0) + sa.func.coalesce(c.reposts, 0) + sa.func.coalesce(c.replies, 0)


def where(query: PostQuery, dialect: str) -> list[sa.ColumnElement[bool]]:
    """The WHERE clauses of ``query`` over posts LEFT JOIN annotations LEFT JOIN post_labels."""
    p, a, h = posts.c, annotations.c, post_labels.c
    out: list[sa.ColumnElement[bool]] = []
    if query.since is not None:
        out.append(p.created_at >= query.since)
    if query.until is not None:
        out.append(p.created_at < query.until)
    if query.platform is not None:
        out.append(p.platform == query.platform.value)
    if query.official is not None:
        out.append(p.is_official.is_(query.official))
    if query.native_id is not None:
        out.append(p.native_id == query.native_id)
    if query.ids is not None:
        out.append(p.id.in_(query.ids))
    if query.author is not None:
        out.append(sa.func.lower(p.author_handle) == query.author.lstrip("@").lower())
    if query.annotated is not None:
        out.append(a.post_id.is_not(None) if query.annotated else a.post_id.is_(None))
    if query.sentiment is not None:
        out.append(sa.func.coalesce(h.sentiment, a.sentiment) == query.sentiment.value)
    if query.needs_response is not None:
        out.append(sa.func.coalesce(h.needs_response, a.needs_response).is_(query.needs_response))
    if query.intent is not None:
        out.append(a.intent == query.intent.value)
    if query.topic is not None:
        t = post_topics.c
        out.append(sa.exists().where(t.post_id == p.id, t.topic == query.topic))
    if query.opd is not None:
        r = post_opds.c
        by_model = sa.exists().where(r.post_id == p.id, r.opd == query.opd)
        out.append(sa.or_(h.opd == query.opd, sa.and_(h.opd.is_(None), by_model)))
    if query.target is not None:
        g = post_targets.c
        out.append(sa.exists().where(g.post_id == p.id, g.kind == query.target.kind.value, g.name == query.target.name))
    if query.category is not None:  # "lainnya" is Publikasi's row for posts without a category
        out.append(p.kind != "reply")
        out.append(sa.func.coalesce(a.category, "lainnya") == query.category)
    text = text_clause(query, dialect)
    if text is not None:
        out.append(text)
    return out


def text_clause(query: PostQuery, dialect: str) -> sa.ColumnElement[bool] | None:
    """The WHERE clause of ``query.text`` alone (None without a text query)."""
    if not query.text:
        return None
    from citra.store import textquery

    node = textquery.parse(query.text)
    return None if node is None else textquery.text_filter(dialect, node)


def order_by(order: Order) -> list[sa.ColumnElement[Any]]:
    p = posts.c
    if order is Order.OLDEST:
        return [p.created_at.asc(), p.id.asc()]
    if order is Order.ENGAGEMENT:
        return [engagement().desc(), p.id.asc()]
    return [p.created_at.desc(), p.id.desc()]


# keyset cursors ------------------------------------------------------------------------------------------------


def cursor_token(order: Order, created_at: datetime, engaged: int, post_id: int) -> str:
    """Where the next page starts: after this post in ``order`` (opaque to callers, checked when read back)."""
    if order is Order.ENGAGEMENT:
        return f"e{engaged}.{post_id}"
    micros = (created_at - EPOCH) // timedelta(microseconds=1)
    return f"t{micros}.{post_id}"


def after(order: Order, token: str) -> sa.ColumnElement[bool]:
    """The WHERE clause that continues a list after the post a cursor names."""
    bad = CitraError("cursor: not a cursor given by this list")
    if not token or len(token) > 40 or token[0] not in "te":
        raise bad
    try:
        value, post_id = (int(part) for part in token[1:].split(".", 1))
    except ValueError:
        raise bad from None
    if post_id < 0 or abs(value) > 2**62 or (token[0] == "e") != (order is Order.ENGAGEMENT):
        raise bad
    p = posts.c
    if order is Order.ENGAGEMENT:
        score = engagement()
        return sa.or_(score < value, sa.and_(score == value, p.id > post_id))
    try:
        at = EPOCH + timedelta(microseconds=value)
    except OverflowError:
        raise bad from None
    if order is Order.OLDEST:
        return sa.and_(p.created_at >= at, sa.or_(p.created_at > at, p.id > post_id))
    return sa.and_(p.created_at <= at, sa.or_(p.created_at < at, p.id < post_id))
