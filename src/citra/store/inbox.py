"""The inbox: citizens' posts that need a response, routed to OPDs and people, with their status."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa

from citra.errors import NotFound
from citra.records import InboxItem, InboxStatus, Intent, Sentiment
from citra.store import conversations, rows
from citra.store.schema import annotations, assignments, post_labels, post_topics, posts
from citra.store.search import SOURCE


class Inbox:
    """Read and route the posts that need a response (oldest waiting first).

    Items are read in time order through ix_posts_created_at, so a page stops after its LIMIT; the first-answer
    subqueries run only for the rows a page keeps, and ``counts`` is one GROUP BY."""

    def __init__(self, engine: sa.Engine) -> None:
        self.engine = engine

    def _select(self, *, assigned: bool = False) -> sa.Select[Any]:
        """Items with their routing and answer times; ``assigned`` joins assignments (inner) so that a status
        filter can start from them."""
        a, h, n = assignments.c, post_labels.c, annotations.c
        reply_at, thread_at = conversations.answer_times()
        own = [c for c in posts.c if c.name != "raw"]
        joined = SOURCE.join(assignments, a.post_id == posts.c.id, isouter=not assigned)
        return (
            sa.select(
                *own,
                n.intent,
                sa.func.coalesce(h.sentiment, n.sentiment).label("sentiment"),
                conversations.suggested_opd().label("suggested"),
                a.status,
                a.opd.label("a_opd"),
                a.assignee,
                a.note,
                a.updated_at.label("a_updated_at"),
                reply_at.label("reply_at"),
                thread_at.label("thread_at"),
            )
            .select_from(joined)
            .where(*conversations.needing(None, None))
        )

    @staticmethod
    def _filtered(stmt: sa.Select[Any], status: InboxStatus | None, opd: str | None) -> sa.Select[Any]:
        a = assignments.c
        if status is InboxStatus.NEW:
            stmt = stmt.where(a.status.is_(None))
        elif status is not None:
            stmt = stmt.where(a.status == status.value)
        if opd is not None:
            stmt = stmt.where(conversations.inbox_opd() == opd)
        return stmt

    def items(
        self,
        *,
        status: InboxStatus | None = None,
        opd: str | None = None,
        limit: int = 50,
        offset: int = 0,
        unanswered: bool = False,
    ) -> list[InboxItem]:
        """Inbox items, oldest first; ``opd`` keeps an OPD's items (assigned to it, or suggested when new)."""
        assigned = status is not None and status is not InboxStatus.NEW
        stmt = self._filtered(self._select(assigned=assigned), status, opd)
        if unanswered:
            stmt = stmt.where(sa.not_(conversations.answered()))
        stmt = stmt.order_by(posts.c.created_at, posts.c.id).limit(limit).offset(offset)
        with self.engine.connect() as conn:
            found = conn.execute(stmt).mappings().all()
            topics = self._topics(conn, [int(r["id"]) for r in found])
        return [self._item(r, topics.get(int(r["id"]), ())) for r in found]

    def item(self, post_id: int) -> InboxItem:
        with self.engine.connect() as conn:
            row = conn.execute(self._select().where(posts.c.id == post_id)).mappings().first()
            topics = self._topics(conn, [post_id])
        if row is None:
            raise NotFound(f"post {post_id} is not in the inbox")
        return self._item(row, topics.get(post_id, ()))

    @staticmethod
    def _topics(conn: sa.Connection, ids: list[int]) -> dict[int, tuple[str, ...]]:
        if not ids:
            return {}
        t = post_topics.c
        found: dict[int, list[str]] = {}
        for pid, topic in conn.execute(sa.select(t.post_id, t.topic).where(t.post_id.in_(ids))):
            found.setdefault(int(pid), []).append(topic)
        return {pid: tuple(sorted(names)) for pid, names in found.items()}

    @staticmethod
    def _item(row: Any, topics: tuple[str, ...]) -> InboxItem:
        status = InboxStatus(row["status"]) if row["status"] else InboxStatus.NEW
        return InboxItem(
            post_id=int(row["id"]),
            post=rows.post(row),
            intent=Intent(row["intent"]) if row["intent"] else Intent.OTHER,
            sentiment=Sentiment(row["sentiment"]) if row["sentiment"] else Sentiment.NEUTRAL,
            topics=topics,
            suggested_opd=row["suggested"],
            status=status,
            opd=row["a_opd"],
            assignee=row["assignee"],
            note=row["note"] or "",
            updated_at=row["a_updated_at"],
            answered_at=conversations.earliest(row["reply_at"], row["thread_at"]),
        )

    def counts(self, opd: str | None = None) -> dict[str, int]:
        """How many items are in each status (``new`` counts unassigned ones): one GROUP BY over the posts that
        need a response, no answer subqueries."""
        a = assignments.c
        stmt = (
            sa.select(a.status, sa.func.count())
            .select_from(SOURCE.outerjoin(assignments, a.post_id == posts.c.id))
            .where(*conversations.needing(None, None))
            .group_by(a.status)
        )
        stmt = self._filtered(stmt, None, opd)
        counts = dict.fromkeys((s.value for s in InboxStatus), 0)
        with self.engine.connect() as conn:
            for status, n in conn.execute(stmt):
                counts[status or InboxStatus.NEW.value] += int(n)
        return counts

    def assign(
        self,
        post_id: int,
        *,
        by: str,
        opd: str | None = None,
        assignee: str | None = None,
        status: InboxStatus | None = None,
        note: str | None = None,
    ) -> InboxItem:
        """Route an item to an OPD and/or a person and set its status (assigning makes a new item assigned)."""
        current = self.item(post_id)
        values = {
            "opd": opd if opd is not None else current.opd or current.suggested_opd,
            "assignee": assignee if assignee is not None else current.assignee,
            "status": (status or (InboxStatus.ASSIGNED if current.status is InboxStatus.NEW else current.status)).value,
            "note": note if note is not None else current.note,
            "updated_at": datetime.now(UTC),
            "updated_by": by,
        }
        with self.engine.begin() as conn:
            done = conn.execute(assignments.update().where(assignments.c.post_id == post_id).values(**values))
            if done.rowcount == 0:
                conn.execute(assignments.insert().values(post_id=post_id, **values))
        return self.item(post_id)
