"""SQL for engagement of official posts and for the first answer citizens get from an official account.

An answer is an official post on the same platform, later than the question, that replies to it by id, or that
sits in the same conversation and mentions the asker's handle. Each way is its own correlated subquery on the
question (``posts``), shaped to be one probe of a composite index (migration 0005): (reply_to_id | conversation_id,
platform, is_official, created_at), equality on the first three columns and a range on the last. With the old
single-column indexes SQLite walked ix_posts_platform_created_at instead, a whole platform per question (issue 8);
tests/test_answers.py checks the plans on both backends (PostgreSQL's choice rests on its statistics). Nothing here
joins a table of all answers: the subqueries run only for the rows a query keeps."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa

from citra.records import Intent
from citra.store.query import PostQuery, where
from citra.store.schema import annotations, assignments, post_labels, post_opds, posts
from citra.store.search import SOURCE


def official_posts(since: datetime | None, until: datetime | None) -> sa.Select[Any]:
    """Official posts (not replies) with their content category and engagement figures."""
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
        .where(p.is_official == sa.true(), p.kind != "reply")
    )
    if since is not None:
        stmt = stmt.where(p.created_at >= since)
    if until is not None:
        stmt = stmt.where(p.created_at < until)
    return stmt


def _official_after(a: Any) -> list[sa.ColumnElement[bool]]:
    """The index columns after the first: same platform, official (a plain ``= true``), later than the question."""
    return [a.c.platform == posts.c.platform, a.c.is_official == sa.true(), a.c.created_at > posts.c.created_at]


def _by_reply(a: Any) -> list[sa.ColumnElement[bool]]:
    return [a.c.reply_to_id == posts.c.native_id, *_official_after(a)]


def _by_thread(a: Any) -> list[sa.ColumnElement[bool]]:
    mentions = sa.func.lower(a.c.text).contains(sa.literal("@") + sa.func.lower(posts.c.author_handle))
    return [
        a.c.conversation_id == posts.c.conversation_id,
        *_official_after(a),
        sa.or_(posts.c.author_handle.is_(None), mentions),
    ]


def answer_times() -> tuple[sa.ScalarSelect[Any], sa.ScalarSelect[Any]]:
    """When the question (``posts``) was first answered by a reply to it, and in its thread (NULL: not that way).

    Two columns, not one ``CASE`` over both: SQL would repeat each subquery in every branch; ``earliest`` takes
    the earlier. The aliases ``reply`` and ``thread`` name the subqueries in the plans the tests read."""
    reply, thread = posts.alias("reply"), posts.alias("thread")
    return (
        sa.select(sa.func.min(reply.c.created_at)).where(*_by_reply(reply)).correlate(posts).scalar_subquery(),
        sa.select(sa.func.min(thread.c.created_at)).where(*_by_thread(thread)).correlate(posts).scalar_subquery(),
    )


def answer_handles() -> tuple[sa.ScalarSelect[Any], sa.ScalarSelect[Any]]:
    """The handle of the official account that first answered the question (``posts``) either way (NULL: none)."""
    reply, thread = posts.alias("reply"), posts.alias("thread")
    first = sa.select(reply.c.author_handle).where(*_by_reply(reply)).order_by(reply.c.created_at).limit(1)
    later = sa.select(thread.c.author_handle).where(*_by_thread(thread)).order_by(thread.c.created_at).limit(1)
    return first.correlate(posts).scalar_subquery(), later.correlate(posts).scalar_subquery()


def answered() -> sa.ColumnElement[bool]:
    """Whether the question (``posts``) has an official answer either way (stops at the first index entry)."""
    reply, thread = posts.alias("reply"), posts.alias("thread")
    return sa.or_(
        sa.select(reply.c.id).where(*_by_reply(reply)).correlate(posts).exists(),  # the index covers it
        sa.select(thread.c.id).where(*_by_thread(thread)).correlate(posts).exists(),
    )


def earliest(*times: datetime | None) -> datetime | None:
    """The earliest of the answer times that exist."""
    return min((t for t in times if t is not None), default=None)


def needing(since: datetime | None, until: datetime | None) -> list[sa.ColumnElement[bool]]:
    """Citizens' posts that need a response (the team's label wins) in [since, until), over ``search.SOURCE``."""
    return where(PostQuery(since=since, until=until, official=False, needs_response=True), "")


def first_answers(since: datetime | None, until: datetime | None) -> sa.Select[Any]:
    """Citizens' posts needing a response: id, created_at, platform, intent, reply_at, thread_at."""
    reply_at, thread_at = answer_times()
    p = posts.c
    return (
        sa.select(
            p.id,
            p.created_at,
            p.platform,
            annotations.c.intent,
            reply_at.label("reply_at"),
            thread_at.label("thread_at"),
        )
        .select_from(SOURCE)
        .where(*needing(since, until))
    )


def answers_by_opd(since: datetime | None, until: datetime | None) -> sa.Select[Any]:
    """One row per OPD: opd, needing, answered, complaints_open, computed by GROUP BY in the database.

    A post counts for the team's OPD label where there is one, else once for each OPD it is routed to."""
    h, t = post_labels.c, post_opds.c
    opd = sa.func.coalesce(h.opd, t.opd)
    done = sa.case((answered(), 1), else_=0)
    complaint = sa.case((annotations.c.intent == Intent.COMPLAINT.value, 1), else_=0)
    pairs = (
        sa.select(posts.c.id, opd.label("opd"), done.label("done"), complaint.label("complaint"))
        .select_from(SOURCE.outerjoin(post_opds, sa.and_(t.post_id == posts.c.id, h.opd.is_(None))))
        .where(*needing(since, until), opd.is_not(None), opd != "")
        .distinct()
        .subquery("pairs")
    )
    return (
        sa.select(
            pairs.c.opd,
            sa.func.count().label("needing"),
            sa.func.sum(pairs.c.done).label("answered"),
            sa.func.sum(pairs.c.complaint * (1 - pairs.c.done)).label("complaints_open"),
        )
        .group_by(pairs.c.opd)
        .order_by(sa.func.count().desc(), pairs.c.opd)
    )


def suggested_opd() -> sa.ColumnElement[Any]:
    """The team's OPD label of the post, else the routing's first choice (``post_opds`` rank 0), else NULL."""
    r = post_opds.c
    model = sa.select(r.opd).where(r.post_id == posts.c.id, r.rank == 0).limit(1).scalar_subquery()
    return sa.func.coalesce(post_labels.c.opd, model)


def inbox_opd() -> sa.ColumnElement[Any]:
    """The OPD an inbox item belongs to: the one it was assigned to, else the suggested one."""
    return sa.func.coalesce(assignments.c.opd, suggested_opd())
