"""Aggregation of annotated posts into time buckets, done in the database (GROUP BY period and group).

A post the team labelled (``post_labels.sentiment``) counts as that label: its hard count, and a one-hot
probability in the soft sums; ``h_*`` count those labels so that the index can correct only the model's share.
Periods are local to the workspace zone; ``total`` is one period over the whole range (dated by its first
post's local day). PostgreSQL converts with ``AT TIME ZONE``; SQLite shifts by the
zone's UTC offset, which is exact for zones without daylight saving time (all Indonesian zones)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Literal
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from citra.store.query import PostQuery, where
from citra.store.schema import annotations, post_labels, post_opds, post_targets, post_topics, posts

Freq = Literal["hour", "day", "week", "month", "total"]
By = Literal["platform", "topic", "target", "opd"]
FREQS: tuple[str, ...] = ("hour", "day", "week", "month", "total")
CLASSES = ("positive", "neutral", "negative")
BYS: tuple[str, ...] = ("platform", "topic", "target", "opd")
REACH_CAP = 1000


@dataclass(frozen=True, slots=True)
class Bucket:
    """Sums over the citizens' posts of one period and group (official accounts excluded).

    ``n_*`` count hard labels (the team's where there is one); ``h_*`` count the team's labels among them;
    ``s_pos``/``s_neg`` sum calibrated probabilities (one-hot for team labels); ``s_pn`` sums ``p_pos + p_neg``;
    the ``w`` sums use the capped reach weight ``w = 1 + min(engagement, cap)``; ``wm_*`` sum it over the posts
    without a team label by the model's label, ``wh_*`` over the team-labelled posts by their label."""

    period: datetime
    group: str | None
    n: int
    n_pos: int
    n_neu: int
    n_neg: int
    s_pos: float
    s_neg: float
    s_pn: float
    w: float
    w2: float
    w_pos: float
    w_neg: float
    w_pn: float
    h_pos: int = 0
    h_neu: int = 0
    h_neg: int = 0
    wm_pos: float = 0.0
    wm_neu: float = 0.0
    wm_neg: float = 0.0
    wh_pos: float = 0.0
    wh_neu: float = 0.0
    wh_neg: float = 0.0


def period_column(dialect: str, freq: str, tz: ZoneInfo) -> sa.ColumnElement[Any]:
    created = posts.c.created_at
    if freq == "total":  # the local day of the first post
        created = sa.func.min(created)
        freq = "day"
    if dialect == "postgresql":
        local = sa.func.timezone(sa.literal(tz.key), created)
        return sa.func.date_trunc(sa.literal(freq), local)
    offset = datetime.now(tz).utcoffset()
    shift = sa.literal(f"{int(offset.total_seconds()) if offset else 0:+d} seconds")
    local = sa.func.datetime(created, shift)
    if freq == "hour":
        return sa.func.strftime("%Y-%m-%d %H:00:00", local)
    if freq == "day":
        return sa.func.date(local)
    if freq == "week":
        return sa.func.date(local, "weekday 0", "-6 days")
    return sa.func.strftime("%Y-%m-01", local)


def _group(by: str | None) -> tuple[sa.ColumnElement[Any] | None, Any]:
    base = posts.join(annotations, annotations.c.post_id == posts.c.id).outerjoin(
        post_labels, post_labels.c.post_id == posts.c.id
    )
    if by is None:
        return None, base
    if by == "platform":
        return posts.c.platform, base
    if by == "topic":
        return post_topics.c.topic, base.join(post_topics, post_topics.c.post_id == posts.c.id)
    if by == "opd":  # the team's OPD where there is one, else once for each OPD the post is routed to
        routes = sa.and_(post_opds.c.post_id == posts.c.id, post_labels.c.opd.is_(None))
        return sa.func.coalesce(post_labels.c.opd, post_opds.c.opd), base.outerjoin(post_opds, routes)
    if by == "target":
        label = post_targets.c.kind + sa.literal(":") + post_targets.c.name
        return label, base.join(post_targets, post_targets.c.post_id == posts.c.id)
    raise ValueError(f"unknown grouping {by!r}; choose one of {', '.join(BYS)}")


def query(
    dialect: str,
    freq: str,
    tz: ZoneInfo,
    *,
    by: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    platform: str | None = None,
    sentiment: str | None = None,
    filters: PostQuery | None = None,
) -> sa.Select[Any]:
    """The GROUP BY statement behind ``Store.series``; ``filters`` narrows the posts as ``Store.search`` would
    (a saved search applied to a dashboard), its times aside."""
    if freq not in FREQS:
        raise ValueError(f"unknown frequency {freq!r}; choose one of {', '.join(FREQS)}")
    a = annotations.c
    period = period_column(dialect, freq, tz).label("period")
    group, source = _group(by)
    engagement = (
        sa.func.coalesce(posts.c.likes, 0)
        + sa.func.coalesce(posts.c.reposts, 0)
        + sa.func.coalesce(posts.c.replies, 0)
        + sa.func.coalesce(posts.c.quotes, 0)
    )
    w = 1.0 + sa.case((engagement > REACH_CAP, REACH_CAP), else_=engagement)
    human = post_labels.c.sentiment
    label = sa.func.coalesce(human, a.sentiment)
    labelled = human.is_not(None)

    def prob(cls: str, model: sa.ColumnElement[Any]) -> sa.ColumnElement[Any]:
        return sa.case((labelled, sa.case((human == cls, 1.0), else_=0.0)), else_=model)

    def count(cond: sa.ColumnElement[Any], value: Any = 1) -> sa.ColumnElement[Any]:
        return sa.func.sum(sa.case((cond, value), else_=0))

    p_pos, p_neg = prob("positive", a.p_positive), prob("negative", a.p_negative)
    pn = p_pos + p_neg
    columns = [
        period,
        (group if group is not None else sa.null()).label("grp"),
        sa.func.count().label("n"),
        *(count(label == cls).label(f"n_{cls[:3]}") for cls in CLASSES),
        sa.func.sum(p_pos).label("s_pos"),
        sa.func.sum(p_neg).label("s_neg"),
        sa.func.sum(pn).label("s_pn"),
        sa.func.sum(w).label("w"),
        sa.func.sum(w * w).label("w2"),
        sa.func.sum(w * p_pos).label("w_pos"),
        sa.func.sum(w * p_neg).label("w_neg"),
        sa.func.sum(w * pn).label("w_pn"),
        *(count(human == cls).label(f"h_{cls[:3]}") for cls in CLASSES),
        *(count(human.is_(None) & (a.sentiment == cls), w).label(f"wm_{cls[:3]}") for cls in CLASSES),
        *(count(human == cls, w).label(f"wh_{cls[:3]}") for cls in CLASSES),
    ]
    stmt = sa.select(*columns).select_from(source).where(posts.c.is_official.is_(False))
    if since is not None:
        stmt = stmt.where(posts.c.created_at >= since)
    if until is not None:
        stmt = stmt.where(posts.c.created_at < until)
    if platform is not None:
        stmt = stmt.where(posts.c.platform == platform)
    if sentiment is not None:
        stmt = stmt.where(label == sentiment)
    if filters is not None:
        stmt = stmt.where(*where(filters, dialect))
    if by == "opd":
        stmt = stmt.where(group.is_not(None))
    group_by = [] if freq == "total" else [sa.literal_column("period")]
    group_by += [group] if group is not None else []
    if not group_by:  # one row over the whole range, none when there are no posts
        stmt = stmt.having(sa.func.count() > 0)
    return stmt.group_by(*group_by).order_by(sa.literal_column("period"))


def local_period(value: Any, tz: ZoneInfo) -> datetime:
    """A period value as the database returns it (text on SQLite, a date or datetime on PostgreSQL) as an aware
    local datetime."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    elif isinstance(value, date) and not isinstance(value, datetime):
        value = datetime(value.year, value.month, value.day)
    return value.replace(tzinfo=tz) if value.tzinfo is None else value.astimezone(tz)


def bucket(row: Any, tz: ZoneInfo) -> Bucket:
    """A result row as a Bucket whose period is an aware local datetime."""
    return Bucket(
        local_period(row.period, tz),
        row.grp,
        int(row.n),
        int(row.n_pos),
        int(row.n_neu),
        int(row.n_neg),
        float(row.s_pos),
        float(row.s_neg),
        float(row.s_pn),
        float(row.w),
        float(row.w2),
        float(row.w_pos),
        float(row.w_neg),
        float(row.w_pn),
        int(row.h_pos),
        int(row.h_neu),
        int(row.h_neg),
        float(row.wm_pos),
        float(row.wm_neu),
        float(row.wm_neg),
        float(row.wh_pos),
        float(row.wh_neu),
        float(row.wh_neg),
    )
