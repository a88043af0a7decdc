"""The inbox's priority in SQL: how late an item is against its OPD's deadline, the author's reach, negativity.

Deadlines are working days, which SQL cannot count portably; ``workdays.Calendar.cutoff`` turns each deadline
length into one time bound per request (a post older than it is overdue), so the score is a CASE over columns the
database already has, and the inbox is sorted and filtered by it without reading items into Python."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa

from citra.records import InboxStatus, Sentiment
from citra.store import conversations
from citra.store.schema import UTCDateTime, annotations, assignments, post_labels, posts
from citra.workdays import Deadlines

OVERDUE, URGENT, REACH, NEGATIVE = 8, 4, 2, 1  # the score's parts: an overdue item also counts as urgent
OPEN = (InboxStatus.NEW.value, InboxStatus.ASSIGNED.value, InboxStatus.IN_PROGRESS.value)


def is_open() -> sa.ColumnElement[bool]:
    """Not yet answered or done (a new item has no assignment row)."""
    return sa.or_(assignments.c.status.is_(None), assignments.c.status.in_(OPEN))


def older_than(rules: Deadlines, now: datetime, shorten: int) -> sa.ColumnElement[bool]:
    """Whether the post is older than its OPD's cutoff for ``days - shorten`` working days (per-OPD lengths read
    the item's OPD; without them no OPD is looked up)."""

    def bound(days: int) -> sa.ColumnElement[Any]:
        left = days - shorten
        return sa.literal(rules.calendar.cutoff(now, left) if left > 0 else now, UTCDateTime())

    if not rules.per_opd:
        return posts.c.created_at < bound(rules.default_days)
    opd = conversations.inbox_opd()
    cases = [(opd == name, bound(days)) for name, days in sorted(rules.per_opd.items())]
    return posts.c.created_at < sa.case(*cases, else_=bound(rules.default_days))


def overdue(rules: Deadlines, now: datetime) -> sa.ColumnElement[bool]:
    """Open and past its deadline."""
    return sa.and_(is_open(), older_than(rules, now, 0))


def score(rules: Deadlines, now: datetime) -> sa.ColumnElement[int]:
    """The priority of an open item (0 for answered and done ones): overdue, urgent (its deadline within
    ``warn_days`` working days), an author with ``reach_followers`` or more, negative (the team's label wins)."""
    negative = sa.func.coalesce(post_labels.c.sentiment, annotations.c.sentiment) == Sentiment.NEGATIVE.value
    parts = (
        sa.case((older_than(rules, now, 0), OVERDUE), else_=0)
        + sa.case((older_than(rules, now, max(rules.warn_days, 1)), URGENT), else_=0)
        + sa.case((posts.c.author_followers >= rules.reach_followers, REACH), else_=0)
        + sa.case((negative, NEGATIVE), else_=0)
    )
    return sa.case((is_open(), parts), else_=0)
