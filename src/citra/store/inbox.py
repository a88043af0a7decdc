"""The inbox: citizens' posts that need a response, routed to OPDs and people, with their status."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa

from citra.errors import NotFound
from citra.records import InboxItem, InboxStatus, Intent, Sentiment
from citra.store import conversations, rows
from citra.store.schema import annotations, assignments, post_topics, posts


def suggested_opd() -> sa.ScalarSelect[Any]:
    """The OPD of a post's topics (the first by name), served by the post_topics primary key."""
    return sa.select(sa.func.min(post_topics.c.opd)).where(post_topics.c.post_id == posts.c.id).scalar_subquery()


class Inbox:
    """Read and route the posts that need a response (oldest waiting first)."""

    def __init__(self, engine: sa.Engine) -> None:
        self.engine = engine

    def _select(self) -> sa.Select[Any]:
        answers = conversations.first_answers(None, None).subquery()
        a = assignments.c
        return sa.select(
            posts,
            annotations.c.intent,
            annotations.c.sentiment,
            suggested_opd().label("suggested"),
            a.status,
            a.opd.label("a_opd"),
            a.assignee,
            a.note,
            a.updated_at.label("a_updated_at"),
            answers.c.answered_at,
        ).select_from(
            posts.join(answers, answers.c.id == posts.c.id)
            .join(annotations, annotations.c.post_id == posts.c.id)
            .outerjoin(assignments, a.post_id == posts.c.id)
        )

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
        a = assignments.c
        stmt = self._select()
        if status is InboxStatus.NEW:
            stmt = stmt.where(a.status.is_(None))
        elif status is not None:
            stmt = stmt.where(a.status == status.value)
        if opd is not None:
            stmt = stmt.where(sa.func.coalesce(a.opd, suggested_opd()) == opd)
        if unanswered:
            stmt = stmt.where(sa.literal_column("answered_at").is_(None))
        stmt = stmt.order_by(posts.c.created_at, posts.c.id).limit(limit).offset(offset)
        with self.engine.connect() as conn:
            found = conn.execute(stmt).mappings().all()
            topic_rows = conn.execute(
                sa.select(post_topics.c.post_id, post_topics.c.topic).where(
                    post_topics.c.post_id.in_([r["id"] for r in found])
                )
            ).all()
        topics: dict[int, list[str]] = {}
        for pid, topic in topic_rows:
            topics.setdefault(pid, []).append(topic)
        return [self._item(r, tuple(sorted(topics.get(r["id"], [])))) for r in found]

    def item(self, post_id: int) -> InboxItem:
        with self.engine.connect() as conn:
            row = conn.execute(self._select().where(posts.c.id == post_id)).mappings().first()
            topic_rows = conn.execute(sa.select(post_topics.c.topic).where(post_topics.c.post_id == post_id)).all()
        if row is None:
            raise NotFound(f"post {post_id} is not in the inbox")
        return self._item(row, tuple(sorted(t for (t,) in topic_rows)))

    @staticmethod
    def _item(row: Any, topics: tuple[str, ...]) -> InboxItem:
        status = InboxStatus(row["status"]) if row["status"] else InboxStatus.NEW
        return InboxItem(
            post_id=int(row["id"]),
            post=rows.post(row),
            intent=Intent(row["intent"]),
            sentiment=Sentiment(row["sentiment"]),
            topics=topics,
            suggested_opd=row["suggested"],
            status=status,
            opd=row["a_opd"],
            assignee=row["assignee"],
            note=row["note"] or "",
            updated_at=row["a_updated_at"],
            answered_at=row["answered_at"],
        )

    def counts(self, opd: str | None = None) -> dict[str, int]:
        """How many items are in each status (``new`` counts unassigned ones)."""
        counts = dict.fromkeys((s.value for s in InboxStatus), 0)
        for item in self.items(opd=opd, limit=1_000_000):
            counts[item.status.value] += 1
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
