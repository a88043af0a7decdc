"""SQL for engagement of official posts and for the answers citizens get from official accounts."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from citra.store.schema import UTCDateTime, annotations, posts


def official_posts(since: datetime | None, until: datetime | None) -> sa.Select[Any]:
    """Official posts with their content category and engagement figures."""
    p = posts.c
    stmt = (
        sa.select(
            p.created_at,
            p.platform,
            p.likes,
            p.reposts,
            p.replies,
            p.quotes,
            p.views,
            p.author_followers,
            annotations.c.category,
        )
        .select_from(posts.outerjoin(annotations, annotations.c.post_id == p.id))
        .where(p.is_official.is_(True), p.kind != "reply")
    )
    return _between(stmt, since, until)


def first_answers(since: datetime | None, until: datetime | None) -> sa.Select[Any]:
    """Citizens' posts that need a response, with the time of the first official answer (NULL: open).

    An answer is an official post on the same platform, later than the question, that replies to it by id, or
    that sits in the same conversation and mentions the asker's handle. The two ways are two subqueries, each
    served by its own index (reply_to_id, conversation_id); the answer is the earlier of the two."""
    q = posts.alias("q")

    def first(match: Callable[[Any], sa.ColumnElement[bool]]) -> sa.ScalarSelect[Any]:
        a = posts.alias()
        return (
            sa.select(sa.func.min(a.c.created_at))
            .where(match(a), a.c.is_official.is_(True), a.c.platform == q.c.platform, a.c.created_at > q.c.created_at)
            .scalar_subquery()
        )

    def by_reply(a: Any) -> sa.ColumnElement[bool]:
        return a.c.reply_to_id == q.c.native_id

    def by_conversation(a: Any) -> sa.ColumnElement[bool]:
        mentions = sa.func.lower(a.c.text).contains(sa.literal("@") + sa.func.lower(q.c.author_handle))
        return sa.and_(
            q.c.conversation_id.is_not(None),
            a.c.conversation_id == q.c.conversation_id,
            sa.or_(q.c.author_handle.is_(None), mentions),
        )

    reply, thread = first(by_reply), first(by_conversation)
    earlier = sa.case((reply.is_(None), thread), (thread.is_(None), reply), (reply < thread, reply), else_=thread)
    answered_at = sa.type_coerce(earlier, UTCDateTime).label("answered_at")
    stmt = (
        sa.select(q.c.id, q.c.created_at, q.c.platform, annotations.c.intent, answered_at)
        .select_from(q.join(annotations, annotations.c.post_id == q.c.id))
        .where(annotations.c.needs_response.is_(True), q.c.is_official.is_(False))
    )
    return _between(stmt, since, until, q)


def _between(
    stmt: sa.Select[Any], since: datetime | None, until: datetime | None, table: Any = posts
) -> sa.Select[Any]:
    if since is not None:
        stmt = stmt.where(table.c.created_at >= since)
    if until is not None:
        stmt = stmt.where(table.c.created_at < until)
    return stmt
