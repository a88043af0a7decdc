"""The counts behind share of voice and spillover, one GROUP BY period each in the database: ``target_series``
is ``Store.series(by="target")`` restricted to the compared targets; ``counts`` gives per local period the
institution's citizens' posts, its negative ones, and how many of those also name a leader.

A post's targets are rows of ``post_targets``; a post about the institution and the leader has both rows. The
label of a post is the team's where there is one, else the model's (as in ``series``); official accounts are out."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from citra.records import TargetKind
from citra.store import series
from citra.store.schema import annotations, post_labels, post_targets, posts
from citra.store.series import Bucket, local_period, period_column
from citra.store.store import Store

FREQS = ("day", "week", "month")


def target_series(
    store: Store,
    freq: str,
    tz: ZoneInfo,
    targets: list[tuple[str, str]],
    since: datetime | None = None,
    until: datetime | None = None,
) -> list[Bucket]:
    """``Store.series(freq, by="target")`` for the ``(kind, name)`` targets only (the others are not read)."""
    if not targets:
        return []
    t = post_targets.c
    wanted = sa.or_(*(sa.and_(t.kind == kind, t.name == name) for kind, name in targets))
    stmt = series.query(store.dialect, freq, tz, by="target", since=since, until=until).where(wanted)
    with store.engine.connect() as conn:
        return [series.bucket(row, tz) for row in conn.execute(stmt)]


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
    # (post_id, kind, name) is the key of post_targets: each outer join adds at most one row per post
    inst_t, lead_t = post_targets.alias("inst_t"), post_targets.alias("lead_t")
    on_inst = sa.and_(
        inst_t.c.post_id == posts.c.id,
        inst_t.c.kind == TargetKind.INSTITUTION.value,
        inst_t.c.name == organisation,
    )
    on_lead = sa.and_(lead_t.c.post_id == posts.c.id, lead_t.c.kind == TargetKind.LEADER.value, lead_t.c.name == leader)
    negative = sa.func.coalesce(post_labels.c.sentiment, annotations.c.sentiment) == "negative"
    inst, lead = inst_t.c.post_id.is_not(None), lead_t.c.post_id.is_not(None)

    def count(cond: sa.ColumnElement[Any]) -> sa.ColumnElement[Any]:
        return sa.func.sum(sa.case((cond, 1), else_=0))

    source = (
        posts.join(annotations, annotations.c.post_id == posts.c.id)
        .outerjoin(post_labels, post_labels.c.post_id == posts.c.id)
        .outerjoin(inst_t, on_inst)
        .outerjoin(lead_t, on_lead)
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
        .where(posts.c.is_official.is_(False), sa.or_(inst, lead))
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
