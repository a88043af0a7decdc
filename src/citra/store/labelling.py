"""SQL behind the team's labelling: which citizens' posts are worth a label (a pool ranked by the model's
uncertainty, computed in the database), the random audit sample, and how many labels each task has.

Tasks are ``sentiment``, ``routing`` (the post's OPD) and ``needs_response``; ``audit_sample.task`` uses these
names. A post is "labelled" for a task when ``post_labels`` holds a value for it (the team's current label)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa

from citra.store.schema import annotations, audit_sample, post_labels, post_opds, post_targets, posts

TASKS = ("sentiment", "routing", "needs_response")
COLUMN = {"sentiment": "sentiment", "routing": "opd", "needs_response": "needs_response"}
"""The ``post_labels`` column holding the team's label of each task."""
ASKING = ("question", "request", "complaint")


@dataclass(frozen=True, slots=True)
class TaskCounts:
    """Labels of one task: posts with a team label, how many of them were drawn at random (audit labels), and how
    many posts were drawn at random in all (labelled or not yet)."""

    task: str
    labelled: int
    audit_labelled: int
    audit_drawn: int


def _label_column(task: str) -> sa.ColumnElement[Any]:
    if task not in COLUMN:
        raise ValueError(f"unknown task {task!r}; expected one of: {', '.join(TASKS)}")
    return post_labels.c[COLUMN[task]]


def _citizens(since: datetime | None, until: datetime | None) -> list[sa.ColumnElement[bool]]:
    p = posts.c
    out: list[sa.ColumnElement[bool]] = [p.is_official.is_(False), annotations.c.post_id.is_not(None)]
    if since is not None:
        out.append(p.created_at >= since)
    if until is not None:
        out.append(p.created_at < until)
    return out


SOURCE = posts.join(annotations, annotations.c.post_id == posts.c.id).outerjoin(
    post_labels, post_labels.c.post_id == posts.c.id
)


def _routes(since: datetime | None = None, until: datetime | None = None) -> sa.Subquery:
    """Per routed post of [since, until), the scores of its first and second OPD (one pass over ``post_opds``)."""
    o, p = post_opds.c, posts.c
    stmt = (
        sa.select(
            o.post_id,
            sa.func.max(sa.case((o.rank == 0, o.score))).label("first"),
            sa.func.max(sa.case((o.rank == 1, o.score))).label("second"),
        )
        .where(o.rank < 2)
        .group_by(o.post_id)
    )
    if since is not None or until is not None:
        stmt = stmt.join(posts, p.id == o.post_id)
        if since is not None:
            stmt = stmt.where(p.created_at >= since)
        if until is not None:
            stmt = stmt.where(p.created_at < until)
    return stmt.subquery("routes")


def _top(dialect: str, *values: sa.ColumnElement[Any]) -> sa.ColumnElement[Any]:
    return sa.func.max(*values) if dialect == "sqlite" else sa.func.greatest(*values)


def uncertainty(task: str, dialect: str, routes: sa.Subquery | None = None) -> sa.ColumnElement[Any]:
    """A score in [0, 1] (higher: the model is less sure), computed per post in SQL, to pick a candidate pool.

    sentiment: 1 - the top probability. routing: no route at all scores 1; else the second route's score over the
    first's (``post_opds``; 1: a tie, 0: one route).
    needs_response: closeness to the rule's boundary: a question, request or complaint the rule did not flag
    (1.0), a flagged post that names no institution or leader (0.8), an unflagged negative post (0.6)."""
    a, p = annotations.c, posts.c
    if task == "sentiment":
        return 1.0 - _top(dialect, a.p_negative, a.p_neutral, a.p_positive)
    if task == "routing":
        if routes is None:
            raise ValueError("routing uncertainty needs the routes subquery (``_routes()``) joined to the posts")
        first, second = routes.c.first, routes.c.second
        return sa.case(
            (sa.or_(first.is_(None), first <= 0), 1.0),
            else_=sa.func.coalesce(second, 0.0) / first,
        )
    if task == "needs_response":
        g = post_targets.c
        addressed = sa.exists().where(g.post_id == p.id, g.kind.in_(("institution", "leader")))
        return sa.case(
            (sa.and_(a.intent.in_(ASKING), a.needs_response.is_(False)), 1.0),
            (sa.and_(a.needs_response.is_(True), ~addressed), 0.8),
            (sa.and_(a.needs_response.is_(False), a.sentiment == "negative"), 0.6),
            (a.needs_response.is_(True), 0.3),
            else_=0.1,
        )
    raise ValueError(f"unknown task {task!r}; expected one of: {', '.join(TASKS)}")


class Labelling:
    """Candidate pools, audit draws and label counts. Owns no state besides the engine."""

    def __init__(self, engine: sa.Engine) -> None:
        self.engine = engine
        self.dialect = engine.dialect.name

    def pool(
        self, task: str, limit: int, since: datetime | None = None, until: datetime | None = None
    ) -> list[tuple[int, float]]:
        """(post id, uncertainty) of citizens' annotated posts without a team label for ``task``, least certain
        first (newest first among ties): the pool the label queue diversifies."""
        routes = _routes(since, until) if task == "routing" else None
        source = SOURCE if routes is None else SOURCE.outerjoin(routes, routes.c.post_id == posts.c.id)
        score = uncertainty(task, self.dialect, routes).label("u")
        stmt = (
            sa.select(posts.c.id, score)
            .select_from(source)
            .where(*_citizens(since, until), _label_column(task).is_(None))
            .order_by(sa.desc("u"), posts.c.created_at.desc(), posts.c.id.desc())
            .limit(limit)
        )
        with self.engine.connect() as conn:
            return [(int(i), float(u)) for i, u in conn.execute(stmt)]

    def draw(
        self, task: str, n: int, by: str, since: datetime | None = None, until: datetime | None = None
    ) -> list[int]:
        """Draw ``n`` citizens' annotated posts of [since, until) uniformly at random among those not drawn for
        ``task`` before (labelled or not: excluding labelled posts would bias the sample), and record them in
        ``audit_sample``. Returns their ids."""
        _label_column(task)
        s = audit_sample.c
        drawn = sa.exists().where(s.post_id == posts.c.id, s.task == task)
        stmt = (
            sa.select(posts.c.id)
            .select_from(posts.join(annotations, annotations.c.post_id == posts.c.id))
            .where(*_citizens(since, until), ~drawn)
            .order_by(sa.func.random())
            .limit(max(0, n))
        )
        with self.engine.begin() as conn:
            ids = [int(i) for i in conn.execute(stmt).scalars()]
            _insert(conn, ids, task, by)
        return ids

    def add_to_audit(self, ids: Iterable[int], task: str, by: str) -> int:
        """Record posts as audit members of ``task`` (labels made on a random sample outside citra); returns how
        many were new."""
        _label_column(task)
        wanted = sorted(set(ids))
        if not wanted:
            return 0
        s = audit_sample.c
        with self.engine.begin() as conn:
            known = set()
            for start in range(0, len(wanted), 900):
                part = wanted[start : start + 900]
                stmt = sa.select(s.post_id).where(s.task == task, s.post_id.in_(part))
                known.update(int(i) for i in conn.execute(stmt).scalars())
            new = [i for i in wanted if i not in known]
            _insert(conn, new, task, by)
        return len(new)

    def audit_members(self, task: str, *, unlabelled: bool = False, limit: int = 10_000) -> list[int]:
        """Ids of posts drawn for ``task`` (only those still without a team label when ``unlabelled``), in the
        order they were drawn."""
        s = audit_sample.c
        stmt = (
            sa.select(s.post_id)
            .select_from(audit_sample.outerjoin(post_labels, post_labels.c.post_id == s.post_id))
            .where(s.task == task)
            .order_by(s.drawn_at, s.post_id)
            .limit(limit)
        )
        if unlabelled:
            stmt = stmt.where(_label_column(task).is_(None))
        with self.engine.connect() as conn:
            return [int(i) for i in conn.execute(stmt).scalars()]

    def counts(self) -> list[TaskCounts]:
        """Per task: posts with a team label, audit members with one, audit members in all."""
        s = audit_sample.c
        out = []
        with self.engine.connect() as conn:
            for task in TASKS:
                column = _label_column(task)
                labelled = conn.execute(sa.select(sa.func.count()).where(column.is_not(None))).scalar_one()
                member = sa.exists().where(s.post_id == post_labels.c.post_id, s.task == task)
                audit = conn.execute(sa.select(sa.func.count()).where(column.is_not(None), member)).scalar_one()
                drawn = conn.execute(sa.select(sa.func.count()).where(s.task == task)).scalar_one()
                out.append(TaskCounts(task, int(labelled), int(audit), int(drawn)))
        return out

    def ids_by_texts(self, texts: Iterable[str]) -> dict[str, list[int]]:
        """Stored posts whose text is exactly each given text (chunks of 500 texts, one scan each)."""
        wanted = sorted(set(texts))
        found: dict[str, list[int]] = {}
        with self.engine.connect() as conn:
            for start in range(0, len(wanted), 500):
                stmt = sa.select(posts.c.text, posts.c.id).where(posts.c.text.in_(wanted[start : start + 500]))
                for text, post_id in conn.execute(stmt.order_by(posts.c.id)):
                    found.setdefault(text, []).append(int(post_id))
        return found


def _insert(conn: sa.Connection, ids: Sequence[int], task: str, by: str) -> None:
    if ids:
        now = datetime.now(UTC)
        rows = [{"post_id": i, "task": task, "drawn_at": now, "drawn_by": by[:80]} for i in ids]
        conn.execute(audit_sample.insert(), rows)
