"""Spillover counts: per local period, the institution's citizens' posts, its negative ones, and how many of
those also name a leader; one GROUP BY in the database.

A post's targets are rows of ``post_targets``; a post about the institution and the leader has both rows. The
label of a post is the team's where there is one, else the model's (as in ``series``); official accounts are out."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from citra.records import TargetKind
from citra.store.schema import annotations, post_labels, post_targets, posts
from citra.store.series import local_period, period_column
from citra.store.store import Store

FREQS = ("day", "week", "month")


@dataclass(frozen=True, slots=True)
class SpillBucket:
    """One local period: ``institution`` posts about the institution, ``negative`` of them negative,
    ``with_leader`` of those negative ones that also name the leader; ``leader_negative`` negative posts naming the
    leader (with or without the institution)."""

    period: datetime
    institution: int
    negative: int
    with_leader: int
    leader_negative: int


def statement(
    dialect: str,
    freq: str,
    tz: ZoneInfo,
    organisation: str,
    leader: str,
    since: datetime | None = None,
    until: datetime | None = None,
) -> sa.Select[Any]:
    """The GROUP BY period statement behind ``counts``."""
    if freq not in FREQS:
        raise ValueError(f"unknown period {freq!r}; choose one of {', '.join(FREQS)}")
    t = post_targets.c
    is_inst = sa.and_(t.kind == TargetKind.INSTITUTION.value, t.name == organisation)
    is_lead = sa.and_(t.kind == TargetKind.LEADER.value, t.name == leader)
    flags = (
        sa.select(
            t.post_id.label("post_id"),
            sa.func.max(sa.case((is_inst, 1), else_=0)).label("inst"),
            sa.func.max(sa.case((is_lead, 1), else_=0)).label("lead"),
        )
        .where(sa.or_(is_inst, is_lead))
        .group_by(t.post_id)
        .subquery("flags")
    )
    negative = sa.func.coalesce(post_labels.c.sentiment, annotations.c.sentiment) == "negative"
    inst, lead = flags.c.inst == 1, flags.c.lead == 1

    def count(cond: sa.ColumnElement[Any]) -> sa.ColumnElement[Any]:
        return sa.func.sum(sa.case((cond, 1), else_=0))

    source = (
        flags.join(posts, posts.c.id == flags.c.post_id)
        .join(annotations, annotations.c.post_id == posts.c.id)
        .outerjoin(post_labels, post_labels.c.post_id == posts.c.id)
    )
    stmt = (
        sa.select(
            period_column(dialect, freq, tz).label("period"),
            count(inst).label("institution"),
            count(inst & negative).label("negative"),
            count(inst & lead & negative).label("with_leader"),
            count(lead & negative).label("leader_negative"),
        )
        .select_from(source)
        .where(posts.c.is_official.is_(False))
    )
    if since is not None:
        stmt = stmt.where(posts.c.created_at >= since)
    if until is not None:
        stmt = stmt.where(posts.c.created_at < until)
    return stmt.group_by(sa.literal_column("period")).order_by(sa.literal_column("period"))


def counts(
    store: Store,
    freq: str,
    tz: ZoneInfo,
    organisation: str,
    leader: str,
    since: datetime | None = None,
    until: datetime | None = None,
) -> list[SpillBucket]:
    """Spillover counts per local period (``day``, ``week`` or ``month``) in ``[since, until)``; periods without
    a post about the institution or the leader are absent."""
    stmt = statement(store.dialect, freq, tz, organisation, leader, since, until)
    with store.engine.connect() as conn:
        rows = conn.execute(stmt).all()
    return [
        SpillBucket(
            local_period(r.period, tz), int(r.institution), int(r.negative), int(r.with_leader), int(r.leader_negative)
        )
        for r in rows
    ]
