"""SQL for annotations and human labels, used by the Store (which owns connections and transactions)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa

from citra.records import Annotation, HumanLabel, Intent, Sentiment, Target, TargetKind
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
                "post_id": post_id, "version": version, "lang": a.lang, "lang_score": a.lang_score,
                "sentiment": a.sentiment.value, "p_negative": a.probs[0], "p_neutral": a.probs[1],
                "p_positive": a.probs[2], "intent": a.intent.value, "needs_response": a.needs_response,
                "category": a.category, "models": a.models, "annotated_at": now,
            }
            for post_id, a in items
        ],
    )  # fmt: skip
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
    topics = conn.execute(
        sa.select(post_topics.c.topic, post_topics.c.opd)
        .where(post_topics.c.post_id == post_id)
        .order_by(post_topics.c.topic)
    ).all()
    targets = conn.execute(
        sa.select(post_targets.c.kind, post_targets.c.name).where(post_targets.c.post_id == post_id)
    ).all()
    return Annotation(
        lang=row["lang"], lang_score=row["lang_score"], sentiment=Sentiment(row["sentiment"]),
        probs=(row["p_negative"], row["p_neutral"], row["p_positive"]),
        topics=tuple(t for t, _ in topics), opds=tuple(o or "" for _, o in topics),
        targets=tuple(sorted((Target(TargetKind(k), n) for k, n in targets), key=lambda t: (t.kind, t.name))),
        intent=Intent(row["intent"]), needs_response=bool(row["needs_response"]), category=row["category"],
        models=row["models"],
    )  # fmt: skip


def add_labels(conn: sa.Connection, items: Sequence[HumanLabel]) -> int:
    now = datetime.now(UTC)
    rows = [
        {"post_id": h.post_id, "text": h.text, "label": h.label.value, "source": h.source,
         "created_at": h.created_at or now}
        for h in items
    ]  # fmt: skip
    if rows:
        conn.execute(labels.insert(), rows)
    return len(rows)


def latest_labels() -> sa.Select[Any]:
    """The newest label of each post, and every label of a bare text (newest last)."""
    newest = sa.select(sa.func.max(labels.c.id)).group_by(sa.func.coalesce(labels.c.post_id, -labels.c.id))
    return sa.select(labels).where(labels.c.id.in_(newest)).order_by(labels.c.id)


def label_row(row: Any) -> HumanLabel:
    return HumanLabel(row["text"], Sentiment(row["label"]), row["source"], row["post_id"], row["created_at"])
