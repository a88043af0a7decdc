"""SQL for annotations and human labels, used by the Store (which owns connections and transactions)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa

from citra.errors import NotFound
from citra.records import Annotation, HumanLabel, HumanLabels, Sentiment
from citra.store.deeplabels import overlay
from citra.store.schema import annotations, labels, post_labels, post_opds, post_targets, post_topics, posts


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
    """Replace the annotations, topics, routes and targets of the given posts.

    ``post_opds`` gets the ranked routes (rank 0: the inbox's suggestion); ``post_topics.opd`` is left NULL, since
    a topic's agency is a property of the taxonomy and every reader of routes reads ``post_opds``. A post's stored
    deep label replaces the annotation's sentiment (``deeplabels.overlay``): the best model label stays."""
    items = overlay(conn, items)
    ids = [post_id for post_id, _ in items]
    for table in (post_topics, post_opds, post_targets, annotations):
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
        {"post_id": post_id, "topic": topic, "opd": None} for post_id, a in items for topic in dict.fromkeys(a.topics)
    ]
    if topic_rows:
        conn.execute(post_topics.insert(), topic_rows)
    route_rows = [
        {"post_id": post_id, "opd": opd, "rank": rank, "score": score}
        for post_id, a in items
        for rank, (opd, score) in enumerate(routes(a))
    ]
    if route_rows:
        conn.execute(post_opds.insert(), route_rows)
    target_rows = [
        {"post_id": post_id, "kind": t.kind.value, "name": t.name}
        for post_id, a in items
        for t in dict.fromkeys(a.targets)
    ]
    if target_rows:
        conn.execute(post_targets.insert(), target_rows)


def routes(a: Annotation) -> list[tuple[str, float]]:
    """(OPD, score) of an annotation, best first, without repeats or blanks (a missing score counts 0)."""
    scores = list(a.opd_scores) + [0.0] * max(0, len(a.opds) - len(a.opd_scores))
    found: dict[str, float] = {}
    for opd, score in zip(a.opds, scores, strict=False):
        if opd and opd not in found:
            found[opd[:128]] = float(score)
    return list(found.items())


def add_labels(conn: sa.Connection, items: Sequence[HumanLabel]) -> int:
    """Sentiment labels into the history; the newest label of each stored post becomes its current one."""
    now = datetime.now(UTC)
    found = [
        {
            "post_id": h.post_id,
            "text": h.text,
            "label": h.label.value,
            "task": "sentiment",
            "source": h.source,
            "created_at": h.created_at or now,
        }
        for h in items
    ]
    if found:
        conn.execute(labels.insert(), found)
    newest = {h.post_id: h for h in items if h.post_id is not None}
    for post_id, h in newest.items():
        _upsert_current(conn, post_id, h.source, h.created_at or now, {"sentiment": h.label.value})
    return len(found)


def set_human(
    conn: sa.Connection,
    post_id: int,
    by: str,
    *,
    sentiment: Sentiment | None = None,
    opd: str | None = None,
    needs_response: bool | None = None,
) -> HumanLabels:
    """Record the given tasks' labels of a stored post in the history and as its current labels."""
    text = conn.execute(sa.select(posts.c.text).where(posts.c.id == post_id)).scalar_one_or_none()
    if text is None:
        raise NotFound(f"no stored post with id {post_id}")
    now = datetime.now(UTC)
    given = {"sentiment": sentiment.value if sentiment else None, "opd": opd, "needs_response": needs_response}
    given = {task: value for task, value in given.items() if value is not None}
    if given:
        history = [
            {"post_id": post_id, "text": text, "label": str(value).lower(), "task": task, "source": by,
             "created_at": now}
            for task, value in given.items()
        ]  # fmt: skip
        conn.execute(labels.insert(), history)
        _upsert_current(conn, post_id, by, now, given)
    row = conn.execute(sa.select(post_labels).where(post_labels.c.post_id == post_id)).mappings().first()
    if row is None:
        return HumanLabels()
    chosen = row["sentiment"]
    nr = row["needs_response"]
    return HumanLabels(Sentiment(chosen) if chosen else None, row["opd"], None if nr is None else bool(nr))


def _upsert_current(conn: sa.Connection, post_id: int, by: str, at: datetime, values: dict[str, Any]) -> None:
    values = {**values, "updated_at": at, "updated_by": by[:80]}
    done = conn.execute(post_labels.update().where(post_labels.c.post_id == post_id).values(**values))
    if done.rowcount == 0:
        conn.execute(post_labels.insert().values(post_id=post_id, **values))


def latest_labels() -> sa.Select[Any]:
    """The newest label of each post, and every label of a bare text (newest last)."""
    sentiment = labels.c.task == "sentiment"
    newest = (
        sa.select(sa.func.max(labels.c.id)).where(sentiment).group_by(sa.func.coalesce(labels.c.post_id, -labels.c.id))
    )
    return sa.select(labels).where(labels.c.id.in_(newest)).order_by(labels.c.id)


def label_row(row: Any) -> HumanLabel:
    return HumanLabel(row["text"], Sentiment(row["label"]), row["source"], row["post_id"], row["created_at"])
