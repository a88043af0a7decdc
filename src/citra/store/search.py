"""Running a PostQuery: one SELECT over posts with their annotation and the team's labels, then the topics and
targets of the page's posts in one query each. The Store owns the connection."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa

from citra.records import HumanLabels, Sentiment, StoredPost, Target, TargetKind
from citra.store import rows
from citra.store.query import (
    CountMode,
    Order,
    Page,
    PostQuery,
    after,
    cursor_token,
    engagement,
    order_by,
    text_clause,
    where,
)
from citra.store.schema import annotations, post_labels, post_opds, post_targets, post_topics, posts

MAX_PAGE = 10_000
COUNT_CAP = 1000

_ANNOTATION = [c.label(f"a_{c.name}") for c in annotations.c]
_HUMAN = [post_labels.c.sentiment.label("h_sentiment"), post_labels.c.opd.label("h_opd")]
_HUMAN.append(post_labels.c.needs_response.label("h_needs_response"))
SOURCE = posts.outerjoin(annotations, annotations.c.post_id == posts.c.id).outerjoin(
    post_labels, post_labels.c.post_id == posts.c.id
)


def _columns(raw: bool) -> list[Any]:
    own = [c for c in posts.c if raw or c.name != "raw"]
    return [*own, *_ANNOTATION, *_HUMAN, engagement().label("engaged")]


SPARSE = 2000  # fewer text hits than this: read them through the word index and sort them (PostgreSQL)


def run(
    conn: sa.Connection,
    dialect: str,
    query: PostQuery,
    *,
    limit: int,
    cursor: str | None = None,
    count: CountMode = CountMode.NONE,
    raw: bool = False,
) -> Page[StoredPost]:
    """A page of at most ``limit`` posts matching ``query`` after ``cursor``.

    Two steps: the ids of the page, joined to annotations and labels only where a filter needs them, then the
    records of those ids. A sort under a LIMIT then never joins the rows it throws away."""
    limit = max(1, min(limit, MAX_PAGE))
    clauses = where(query, dialect)
    source = SOURCE if needs_join(query) else posts
    paged = [*clauses, after(query.order, cursor)] if cursor else clauses
    text = text_clause(query, dialect) if dialect == "postgresql" else None
    if text is not None:
        _plan_for_hits(conn, [text])
    stmt = sa.select(posts.c.id).select_from(source).where(*paged).order_by(*order_by(query.order))
    ids = [int(i) for i in conn.execute(stmt.limit(limit + 1)).scalars()]
    more = len(ids) > limit
    ids = ids[:limit]
    found: list[Any] = []
    if ids:
        rows = conn.execute(sa.select(*_columns(raw)).select_from(SOURCE).where(posts.c.id.in_(ids))).mappings()
        by_id = {int(r["id"]): r for r in rows}
        found = [by_id[i] for i in ids if i in by_id]
    items = load(conn, found)
    following = None
    if more and found:
        last = found[-1]
        following = cursor_token(query.order, last["created_at"], int(last["engaged"]), int(last["id"]))
    total, exact = None, True
    if count is not CountMode.NONE:
        total, exact = _count(conn, source, clauses, COUNT_CAP if count is CountMode.BOUNDED else None)
    return Page(items, following, total, exact)


def needs_join(query: PostQuery) -> bool:
    """Whether a filter reads the annotation or the team's labels (see ``query.where``)."""
    return bool(
        query.annotated is not None
        or query.sentiment
        or query.needs_response is not None
        or query.intent
        or query.opd
        or query.category
    )


def _plan_for_hits(conn: sa.Connection, text: list[Any]) -> None:
    """PostgreSQL: steer the plan of a text query by how many posts contain its words.

    The planner guesses a word's frequency and, under ORDER BY created_at LIMIT n, likes to walk the newest posts
    checking each one; for a word that few or no posts contain that walk reads the whole table (12 s on 1,000,000
    posts). So count the posts matching the text alone through the word index first (at most ``SPARSE``, a few
    milliseconds): when they are few, the rest of this transaction reads them through that index (no walk, no
    full scan) and sorts them instead; when they are many, the walk finds a page soon and the planner decides."""
    conn.exec_driver_sql("SET LOCAL enable_seqscan = off")
    conn.exec_driver_sql("SET LOCAL enable_indexscan = off")
    probe = sa.select(posts.c.id).where(*text).limit(SPARSE)
    hits = int(conn.execute(sa.select(sa.func.count()).select_from(probe.subquery())).scalar_one())
    if hits >= SPARSE:
        conn.exec_driver_sql("SET LOCAL enable_seqscan = on")
        conn.exec_driver_sql("SET LOCAL enable_indexscan = on")


def _count(conn: sa.Connection, source: Any, clauses: list[Any], cap: int | None) -> tuple[int, bool]:
    inner = sa.select(posts.c.id).select_from(source).where(*clauses)
    if cap is not None:
        inner = inner.limit(cap + 1)
    n = int(conn.execute(sa.select(sa.func.count()).select_from(inner.subquery())).scalar_one())
    if cap is not None and n > cap:
        return cap, False
    return n, True


def load(conn: sa.Connection, found: Sequence[Any]) -> list[StoredPost]:
    """Result rows of ``_columns`` as StoredPosts, with each annotated post's topics and targets."""
    topics, targets, routes = labels_of(conn, [int(r["id"]) for r in found if r["a_post_id"] is not None])
    out = []
    for row in found:
        pid = int(row["id"])
        note = None
        if row["a_post_id"] is not None:
            note = rows.annotation(_Prefixed(row), topics.get(pid, []), targets.get(pid, []), routes.get(pid, []))
        human = HumanLabels(
            Sentiment(row["h_sentiment"]) if row["h_sentiment"] else None,
            row["h_opd"],
            None if row["h_needs_response"] is None else bool(row["h_needs_response"]),
        )
        out.append(StoredPost(pid, rows.post(row), note, human))
    return out


class _Prefixed:
    """An annotation row read through its ``a_`` column labels."""

    __slots__ = ("row",)

    def __init__(self, row: Any) -> None:
        self.row = row

    def __getitem__(self, key: str) -> Any:
        return self.row[f"a_{key}"]


def labels_of(
    conn: sa.Connection, ids: Sequence[int]
) -> tuple[dict[int, list[str]], dict[int, list[Target]], dict[int, list[tuple[str, float]]]]:
    """Topics, targets and ranked (opd, score) routes of the given posts, in a stable order."""
    topics: dict[int, list[str]] = {}
    targets: dict[int, list[Target]] = {}
    routes: dict[int, list[tuple[str, float]]] = {}
    for start in range(0, len(ids), 900):
        part = ids[start : start + 900]
        t = post_topics.c
        stmt = sa.select(t.post_id, t.topic).where(t.post_id.in_(part)).order_by(t.post_id, t.topic)
        for pid, topic in conn.execute(stmt):
            topics.setdefault(pid, []).append(topic)
        g = post_targets.c
        stmt = sa.select(g.post_id, g.kind, g.name).where(g.post_id.in_(part)).order_by(g.post_id, g.kind, g.name)
        for pid, kind, name in conn.execute(stmt):
            targets.setdefault(pid, []).append(Target(TargetKind(kind), name))
        o = post_opds.c
        stmt = sa.select(o.post_id, o.opd, o.score).where(o.post_id.in_(part)).order_by(o.post_id, o.rank)
        for pid, opd, score in conn.execute(stmt):
            routes.setdefault(pid, []).append((opd, float(score)))
    return topics, targets, routes


__all__ = ["COUNT_CAP", "CountMode", "Order", "Page", "PostQuery", "labels_of", "load", "run"]
