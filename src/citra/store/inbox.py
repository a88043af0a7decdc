"""The inbox: citizens' posts that need a response, routed to OPDs and people, with their status, priority, notes,
reply draft, official answer and hand-backs."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any, Literal

import sqlalchemy as sa

from citra.errors import NotFound
from citra.records import InboxItem, InboxNote, InboxStatus, Intent, Sentiment
from citra.store import conversations, priority, rows
from citra.store.schema import annotations, assignments, inbox_notes, post_labels, post_topics, posts
from citra.store.search import SOURCE
from citra.workdays import Deadlines

Sort = Literal["priority", "newest", "oldest"]
SYSTEM = "citra"  # the actor of automatic changes (an official answer seen)
SETTLED = (InboxStatus.ANSWERED.value, InboxStatus.DONE.value)


class Inbox:
    """Read and route the posts that need a response.

    "oldest" and "newest" read in time order through ix_posts_created_at, so a page stops after its LIMIT;
    "priority" orders by a CASE over the posts that need a response (``store/priority.py``). The first-answer
    subqueries run only for the rows a page keeps, and ``counts`` is one GROUP BY."""

    def __init__(self, engine: sa.Engine) -> None:
        self.engine = engine

    def _select(self, *, assigned: bool = False, rules: Deadlines | None = None, now: datetime | None = None) -> Any:
        """Items with their routing and answer times; ``assigned`` joins assignments (inner) so that a status
        filter can start from them."""
        a, h, n = assignments.c, post_labels.c, annotations.c
        reply_at, thread_at = conversations.answer_times()
        own = [c for c in posts.c if c.name != "raw"]
        joined = SOURCE.join(assignments, a.post_id == posts.c.id, isouter=not assigned)
        score = priority.score(rules, now or datetime.now(UTC)) if rules is not None else sa.literal(0)
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
                a.draft,
                a.answered_at.label("a_answered_at"),
                a.answered_by,
                a.returned_opd,
                a.returned_by,
                a.returned_reason,
                a.updated_at.label("a_updated_at"),
                reply_at.label("reply_at"),
                thread_at.label("thread_at"),
                score.label("priority"),
            )
            .select_from(joined)
            .where(*conversations.needing(None, None))
        )

    @staticmethod
    def _filtered(stmt: Any, status: InboxStatus | None, opd: str | None) -> Any:
        a = assignments.c
        if status is InboxStatus.NEW:
            stmt = stmt.where(sa.or_(a.status.is_(None), a.status == InboxStatus.NEW.value))
        elif status is not None:
            stmt = stmt.where(a.status == status.value)
        if opd is not None:
            # an item its OPD handed back leaves that OPD's queue until Humas routes it again
            handed = sa.or_(a.returned_opd.is_(None), a.returned_opd != opd, a.opd.is_not(None))
            stmt = stmt.where(conversations.inbox_opd() == opd, handed)
        return stmt

    def items(
        self,
        *,
        status: InboxStatus | None = None,
        opd: str | None = None,
        limit: int = 50,
        offset: int = 0,
        unanswered: bool = False,
        sort: Sort = "oldest",
        rules: Deadlines | None = None,
        overdue: bool = False,
        now: datetime | None = None,
    ) -> list[InboxItem]:
        """Inbox items; ``opd`` keeps an OPD's items (assigned to it, or suggested when new); ``rules`` give the
        priority (needed by ``sort="priority"`` and ``overdue``). Items on the page that an official account
        answered since are marked answered on the way (``mark_answered``)."""
        now = now or datetime.now(UTC)
        assigned = status is not None and status is not InboxStatus.NEW
        stmt = self._filtered(self._select(assigned=assigned, rules=rules, now=now), status, opd)
        if unanswered:
            stmt = stmt.where(sa.not_(conversations.answered()))
        if overdue and rules is not None:
            stmt = stmt.where(priority.overdue(rules, now))
        order = {
            "priority": (sa.desc("priority"), posts.c.created_at, posts.c.id),
            "newest": (posts.c.created_at.desc(), posts.c.id.desc()),
            "oldest": (posts.c.created_at, posts.c.id),
        }[sort if rules is not None or sort != "priority" else "oldest"]
        stmt = stmt.order_by(*order).limit(limit).offset(offset)
        with self.engine.connect() as conn:
            found = conn.execute(stmt).mappings().all()
            topics = self._topics(conn, [int(r["id"]) for r in found])
        items = [self._item(r, topics.get(int(r["id"]), ()), rules) for r in found]
        # answered since the last sweep (and not reopened by the team after one): mark it now
        late = [i.post_id for i in items if i.answered_at and i.status.value not in SETTLED and not i.answered_by]
        if late and self._mark(late):
            with self.engine.connect() as conn:
                fresh = conn.execute(self._select(rules=rules, now=now).where(posts.c.id.in_(late))).mappings().all()
            marked = {int(r["id"]): self._item(r, topics.get(int(r["id"]), ()), rules) for r in fresh}
            items = [marked.get(i.post_id, i) for i in items]
        return items

    def item(self, post_id: int, rules: Deadlines | None = None) -> InboxItem:
        with self.engine.connect() as conn:
            row = conn.execute(self._select(rules=rules).where(posts.c.id == post_id)).mappings().first()
            topics = self._topics(conn, [post_id])
        if row is None:
            raise NotFound(f"post {post_id} is not in the inbox")
        return self._item(row, topics.get(post_id, ()), rules)

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
    def _item(row: Any, topics: tuple[str, ...], rules: Deadlines | None) -> InboxItem:
        status = InboxStatus(row["status"]) if row["status"] else InboxStatus.NEW
        post = rows.post(row)
        opd = row["a_opd"] or (row["suggested"] if row["returned_opd"] != row["suggested"] else None)
        return InboxItem(
            post_id=int(row["id"]),
            post=post,
            intent=Intent(row["intent"]) if row["intent"] else Intent.OTHER,
            sentiment=Sentiment(row["sentiment"]) if row["sentiment"] else Sentiment.NEUTRAL,
            topics=topics,
            suggested_opd=row["suggested"],
            status=status,
            opd=row["a_opd"],
            assignee=row["assignee"],
            note=row["note"] or "",
            updated_at=row["a_updated_at"],
            answered_at=conversations.earliest(row["reply_at"], row["thread_at"]) or row["a_answered_at"],
            answered_by=row["answered_by"],
            draft=row["draft"] or "",
            returned_opd=row["returned_opd"],
            returned_by=row["returned_by"],
            returned_reason=row["returned_reason"],
            priority=int(row["priority"] or 0),
            due_at=rules.due(post.created_at, opd) if rules is not None else None,
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

    def _upsert(self, conn: sa.Connection, post_id: int, values: dict[str, Any]) -> None:
        done = conn.execute(assignments.update().where(assignments.c.post_id == post_id).values(**values))
        if done.rowcount == 0:
            fresh = {"status": InboxStatus.NEW.value, "note": ""} | values
            conn.execute(assignments.insert().values(post_id=post_id, **fresh))

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
        """Route an item to an OPD and/or a person and set its status (assigning makes a new item assigned);
        routing it to an OPD ends an earlier hand-back."""
        current = self.item(post_id)
        values: dict[str, Any] = {
            "opd": opd if opd is not None else current.opd or current.suggested_opd,
            "assignee": assignee if assignee is not None else current.assignee,
            "status": (status or (InboxStatus.ASSIGNED if current.status is InboxStatus.NEW else current.status)).value,
            "note": note if note is not None else current.note,
            "updated_at": datetime.now(UTC),
            "updated_by": by,
        }
        if opd is not None:
            values |= {"returned_opd": None, "returned_by": None, "returned_reason": None}
            if opd != current.opd:  # a new OPD gets its own deadline warning
                values["warned_at"] = None
        with self.engine.begin() as conn:
            self._upsert(conn, post_id, values)
        return self.item(post_id)

    def hand_back(self, post_id: int, *, by: str, opd: str, reason: str) -> InboxItem:
        """An OPD returns an item to Humas: unassigned, status new, with who and why."""
        self.item(post_id)
        values = {
            "opd": None,
            "assignee": None,
            "status": InboxStatus.NEW.value,
            "returned_opd": opd,
            "returned_by": by,
            "returned_reason": reason,
            "notified_opd": None,
            "warned_at": None,
            "updated_at": datetime.now(UTC),
            "updated_by": by,
        }
        with self.engine.begin() as conn:
            self._upsert(conn, post_id, values)
        return self.item(post_id)

    def set_draft(self, post_id: int, *, by: str, draft: str) -> InboxItem:
        """Keep the reply the team is preparing with the item."""
        self.item(post_id)
        with self.engine.begin() as conn:
            self._upsert(conn, post_id, {"draft": draft, "updated_at": datetime.now(UTC), "updated_by": by})
        return self.item(post_id)

    def add_note(self, post_id: int, *, author: str, text: str) -> InboxNote:
        self.item(post_id)
        note = InboxNote(post_id, author, text, datetime.now(UTC))
        with self.engine.begin() as conn:
            conn.execute(inbox_notes.insert().values(**dataclasses.asdict(note)))
        return note

    def notes(self, ids: Sequence[int]) -> dict[int, list[InboxNote]]:
        """The notes of these items, oldest first."""
        n = inbox_notes.c
        found: dict[int, list[InboxNote]] = {}
        if not ids:
            return found
        stmt = sa.select(n.post_id, n.author, n.text, n.created_at).where(n.post_id.in_(list(ids)))
        with self.engine.connect() as conn:
            for r in conn.execute(stmt.order_by(n.created_at, n.id)):
                found.setdefault(int(r.post_id), []).append(InboxNote(int(r.post_id), r.author, r.text, r.created_at))
        return found

    def mark_answered(self, ids: Sequence[int] | None = None) -> int:
        """Mark open items that an official account has answered (a reply, or in the thread mentioning the asker)
        as answered, with when and by which account; ``ids`` limits the sweep. Items the team reopened after an
        earlier mark stay open. Returns how many were marked."""
        a = assignments.c
        stmt = (
            sa.select(posts.c.id)
            .select_from(SOURCE.outerjoin(assignments, a.post_id == posts.c.id))
            .where(*conversations.needing(None, None), priority.is_open(), a.answered_at.is_(None))
            .where(conversations.answered())
        )
        if ids is not None:
            stmt = stmt.where(posts.c.id.in_(list(ids)))
        with self.engine.connect() as conn:
            found = [int(i) for i in conn.execute(stmt).scalars()]
        return self._mark(found)

    def _mark(self, ids: Sequence[int]) -> int:
        """Write the first official answer (time, account) of these items and set them answered: one query for
        the answers, one UPDATE and one INSERT statement per batch."""
        reply_at, thread_at = conversations.answer_times()
        reply_by, thread_by = conversations.answer_handles()
        now = datetime.now(UTC)
        marked = 0
        for start in range(0, len(ids), 500):
            part = list(ids[start : start + 500])
            stmt = sa.select(posts.c.id, reply_at, thread_at, reply_by, thread_by).where(posts.c.id.in_(part))
            with self.engine.begin() as conn:
                values = []
                for pid, r_at, t_at, r_by, t_by in conn.execute(stmt).all():
                    when = conversations.earliest(r_at, t_at)
                    if when is not None:
                        who = r_by if r_at is not None and (t_at is None or r_at <= t_at) else t_by
                        values.append({"pid": int(pid), "at": when, "by": who})
                if not values:
                    continue
                there = set(
                    conn.execute(sa.select(assignments.c.post_id).where(assignments.c.post_id.in_(part))).scalars()
                )
                change = {"status": InboxStatus.ANSWERED.value, "updated_at": now, "updated_by": SYSTEM}
                old = [v for v in values if v["pid"] in there]
                if old:
                    update = assignments.update().where(assignments.c.post_id == sa.bindparam("pid"))
                    answer = {"answered_at": sa.bindparam("at"), "answered_by": sa.bindparam("by")}
                    conn.execute(update.values(**change, **answer), old)
                new = [
                    {"post_id": v["pid"], "answered_at": v["at"], "answered_by": v["by"], "note": ""} | change
                    for v in values
                    if v["pid"] not in there
                ]
                if new:
                    conn.execute(assignments.insert(), new)
                marked += len(values)
        return marked

    # notifications to OPDs (``citra watch``) ------------------------------------------------------------------

    def to_notify(self, opds: Sequence[str], limit: int = 200) -> list[InboxItem]:
        """Open items assigned to one of ``opds`` whose OPD was not told yet (a new OPD is told again)."""
        a = assignments.c
        stmt = self._select(assigned=True).where(
            a.opd.in_(list(opds)), priority.is_open(), sa.or_(a.notified_opd.is_(None), a.notified_opd != a.opd)
        )
        return self._plain(stmt.order_by(posts.c.created_at).limit(limit))

    def to_warn(self, rules: Deadlines, now: datetime, opds: Sequence[str], limit: int = 200) -> list[InboxItem]:
        """Open items assigned to one of ``opds``, due within ``warn_days`` working days (or late), not warned."""
        a = assignments.c
        days = priority.older_than(rules, now, rules.warn_days)
        stmt = self._select(assigned=True, rules=rules, now=now).where(
            a.opd.in_(list(opds)), priority.is_open(), a.warned_at.is_(None), days
        )
        return self._plain(stmt.order_by(posts.c.created_at).limit(limit), rules)

    def _plain(self, stmt: Any, rules: Deadlines | None = None) -> list[InboxItem]:
        with self.engine.connect() as conn:
            return [self._item(r, (), rules) for r in conn.execute(stmt).mappings().all()]

    def notified(self, post_id: int, opd: str) -> None:
        """Remember that ``opd`` was told of its assignment."""
        with self.engine.begin() as conn:
            conn.execute(assignments.update().where(assignments.c.post_id == post_id).values(notified_opd=opd))

    def warned(self, post_id: int, at: datetime) -> None:
        """Remember that the OPD was warned of the deadline (once per item)."""
        with self.engine.begin() as conn:
            conn.execute(assignments.update().where(assignments.c.post_id == post_id).values(warned_at=at))
