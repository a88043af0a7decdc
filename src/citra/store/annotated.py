"""SQL for annotations and human labels, used by the Store (which owns connections and transactions)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa

from citra.records import Annotation, HumanLabel, Post, Sentiment, Target, TargetKind
from citra.store import rows
from citra.store.schema import annotations, labels, post_targets, post_topics, posts


def pending(version: str, after_id: int, limit: int, rebuild: bool) -> sa.Select[Any]:
    """Posts after ``after_id`` (by id) lacking an annotation of ``version`` (all posts when rebuilding)."""
    a = annotations.c
    stmt = sa.select(posts).where(posts.c.id > after_id).order_by(posts.c.id).limit(limit)
    if not rebuild:
        stmt = stmt.outerjoin(annotations, a.post_id == posts.c.id).where(
            sa.or_(a.post_id.is_(None), a.version != version)
        )
    return stmt


def count_pending(version: str) -> sa.Select[Any]:
    a = annotations.c
    return (
        sa.select(sa.func.count())
        .select_from(posts.outerjoin(annotations, a.post_id == posts.c.id))
        .where(sa.or_(a.post_id.is_(None), a.version != version))
    )


def save(conn: sa.Connection, items: Sequence[tuple[int, Annotation]], version: str) -> None:
    """Replace the annotations, topics and targets of the given posts."""
    ids = [post_id for post_id, _ in items]
    for table in (post_topics, post_targets, annotations):
        conn.execute(table.delete().where(table.c.post_id.in_(ids)))
    now = datetime.now(UTC)
    conn.execute(
        annotations.insert(),
        [
            {
                "post_id": post_id,
                "version": version,
                "lang": a.lang,
                "lang_score": a.lang_score,
                "sentiment": a.sentiment.value,
                "p_negative": a.probs[0],
                "p_neutral": a.probs[1],
                "p_positive": a.probs[2],
                "intent": a.intent.value,
                "needs_response": a.needs_response,
                "category": a.category,
                "models": a.models,
                "annotated_at": now,
            }
            for post_id, a in items
        ],
    )
    topic_rows = [
        {"post_id": post_id, "topic": topic, "opd": opd}
        for post_id, a in items
        for topic, opd in dict(zip(a.topics, a.opds, strict=True)).items()
    ]
    if topic_rows:
        conn.execute(post_topics.insert(), topic_rows)
    target_rows = [
        {"post_id": post_id, "kind": t.kind.value, "name": t.name}
        for post_id, a in items
        for t in dict.fromkeys(a.targets)
    ]
    if target_rows:
        conn.execute(post_targets.insert(), target_rows)


def load(conn: sa.Connection, post_id: int) -> Annotation | None:
    row = conn.execute(sa.select(annotations).where(annotations.c.post_id == post_id)).mappings().first()
    if row is None:
        return None
    topics, targets = _labels_of(conn, [post_id])
    return rows.annotation(row, topics.get(post_id, []), targets.get(post_id, []))


def _labels_of(
    conn: sa.Connection, ids: Sequence[int]
) -> tuple[dict[int, list[tuple[str, str | None]]], dict[int, list[Target]]]:
    """(topic, opd) pairs and targets of the given posts, in a stable order."""
    topics: dict[int, list[tuple[str, str | None]]] = {}
    targets: dict[int, list[Target]] = {}
    for start in range(0, len(ids), 900):
        part = ids[start : start + 900]
        t = post_topics.c
        for pid, topic, opd in conn.execute(
            sa.select(t.post_id, t.topic, t.opd).where(t.post_id.in_(part)).order_by(t.topic)
        ):
            topics.setdefault(pid, []).append((topic, opd))
        g = post_targets.c
        stmt = sa.select(g.post_id, g.kind, g.name).where(g.post_id.in_(part)).order_by(g.kind, g.name)
        for pid, kind, name in conn.execute(stmt):
            targets.setdefault(pid, []).append(Target(TargetKind(kind), name))
    return topics, targets


def add_labels(conn: sa.Connection, items: Sequence[HumanLabel]) -> int:
    now = datetime.now(UTC)
    rows = [
        {
            "post_id": h.post_id,
            "text": h.text,
            "label": h.label.value,
            "source": h.source,
            "created_at": h.created_at or now,
        }
        for h in items
    ]
    if rows:
        conn.execute(labels.insert(), rows)
    return len(rows)


def latest_labels() -> sa.Select[Any]:
    """The newest label of each post, and every label of a bare text (newest last)."""
    newest = sa.select(sa.func.max(labels.c.id)).group_by(sa.func.coalesce(labels.c.post_id, -labels.c.id))
    return sa.select(labels).where(labels.c.id.in_(newest)).order_by(labels.c.id)


def label_row(row: Any) -> HumanLabel:
    return HumanLabel(row["text"], Sentiment(row["label"]), row["source"], row["post_id"], row["created_at"])


def window(
    conn: sa.Connection, since: datetime, until: datetime, sentiment: str | None, limit: int
) -> list[tuple[Post, Annotation]]:
    """Citizens' annotated posts created in [since, until), most engaged first, with topics and targets."""
    engagement = sum((sa.func.coalesce(c, 0) for c in (posts.c.likes, posts.c.reposts, posts.c.replies)), sa.literal(0))
    stmt = (
        sa.select(posts, annotations)
        .select_from(posts.join(annotations, annotations.c.post_id == posts.c.id))
        .where(posts.c.is_official.is_(False), posts.c.created_at >= since, posts.c.created_at < until)
        .order_by(engagement.desc(), posts.c.id)
        .limit(limit)
    )
    if sentiment is not None:
        stmt = stmt.where(annotations.c.sentiment == sentiment)
    found = conn.execute(stmt).mappings().all()
    topics, targets = _labels_of(conn, [row["id"] for row in found])
    return [
        (rows.post(row), rows.annotation(row, topics.get(row["id"], []), targets.get(row["id"], []))) for row in found
    ]
