"""SQL for the deep tier's labels (table ``deep_labels``): which citizens' posts still need one, and saving them.

The annotation row always carries the best model label a post has: saving a deep label also replaces the
annotation's sentiment and probabilities and records the model in its ``models`` map (``sentiment_deep``), and
``overlay`` puts stored deep labels back on fast annotations before they are written (a re-run of the fast tier
never loses a deep label). A human label still wins over both where readers coalesce ``post_labels``."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import numpy as np
import sqlalchemy as sa

from citra.records import Annotation, Sentiment
from citra.store import vectors
from citra.store.schema import annotations, deep_labels, post_labels, posts
from citra.store.subjects import REDACTED

Mode = str  # "all" or "attention": which citizens' posts the deep tier labels
MODEL_KEY = "sentiment_deep"  # the annotation's ``models`` entry naming the deep model that set its sentiment
_LABELS = tuple(Sentiment)
PART = 500


def _pending(model: str, mode: Mode) -> tuple[sa.Select[Any], sa.ColumnElement[Any]]:
    """Citizens' analysed posts lacking a deep label of ``model`` (``attention``: only negative ones and those
    needing a response, by the team's label where there is one, and those with another model's deep label), and
    their urgency (2 needs a response, 1 negative, 0 other)."""
    a, h, d = annotations.c, post_labels.c, deep_labels.c
    needs = sa.func.coalesce(h.needs_response, a.needs_response).is_(True)
    negative = sa.func.coalesce(h.sentiment, a.sentiment) == Sentiment.NEGATIVE.value
    urgency = sa.case((needs, 2), (negative, 1), else_=0)
    stmt = (
        sa.select(posts.c.id, posts.c.text)
        .select_from(
            posts.join(annotations, a.post_id == posts.c.id)
            .outerjoin(post_labels, h.post_id == posts.c.id)
            .outerjoin(deep_labels, d.post_id == posts.c.id)
        )
        .where(posts.c.is_official.is_(False), sa.or_(d.post_id.is_(None), d.model != model))
        .where(posts.c.text != REDACTED)  # a pseudonymised post keeps the label its words had
    )
    if mode == "attention":  # a post with an older deep label keeps one: its label may have left "negative"
        stmt = stmt.where(sa.or_(needs, negative, d.post_id.is_not(None)))
    return stmt, urgency


def pending(model: str, mode: Mode, limit: int) -> sa.Select[Any]:
    """The next ``limit`` posts for the deep tier: the most urgent first, newest first within each urgency."""
    stmt, urgency = _pending(model, mode)
    return stmt.order_by(urgency.desc(), posts.c.created_at.desc(), posts.c.id.desc()).limit(limit)


def count_pending(model: str, mode: Mode) -> sa.Select[Any]:
    stmt, _ = _pending(model, mode)
    return sa.select(sa.func.count()).select_from(stmt.subquery())


def save(
    conn: sa.Connection,
    items: Sequence[tuple[int, np.ndarray]],
    model: str,
    vecs: Sequence[tuple[int, np.ndarray]] = (),
    encoder: str = "",
) -> None:
    """Store deep probabilities (rows in ``Sentiment`` order) of posts, their vectors, and make the deep label the
    annotation's."""
    now = datetime.now(UTC)
    rows = {}
    for post_id, probs in items:
        p = [float(x) for x in np.asarray(probs, dtype=np.float64).ravel()[:3]]
        rows[int(post_id)] = {
            "post_id": int(post_id),
            "model": model,
            "sentiment": _LABELS[int(np.argmax(p))].value,
            "p_negative": p[0],
            "p_neutral": p[1],
            "p_positive": p[2],
            "labelled_at": now,
        }
    ids = sorted(rows)
    for start in range(0, len(ids), PART):
        part = ids[start : start + PART]
        conn.execute(deep_labels.delete().where(deep_labels.c.post_id.in_(part)))
        conn.execute(deep_labels.insert(), [rows[i] for i in part])
        found = conn.execute(
            sa.select(annotations.c.post_id, annotations.c.models).where(annotations.c.post_id.in_(part))
        )
        changes = [
            {
                "pid": int(r.post_id),
                "s": rows[int(r.post_id)]["sentiment"],
                "neg": rows[int(r.post_id)]["p_negative"],
                "neu": rows[int(r.post_id)]["p_neutral"],
                "pos": rows[int(r.post_id)]["p_positive"],
                "m": {**dict(r.models or {}), MODEL_KEY: model},
            }
            for r in found
        ]
        if changes:
            a = annotations.c
            stmt = (
                annotations.update()
                .where(a.post_id == sa.bindparam("pid"))
                .values(
                    sentiment=sa.bindparam("s"),
                    p_negative=sa.bindparam("neg"),
                    p_neutral=sa.bindparam("neu"),
                    p_positive=sa.bindparam("pos"),
                    models=sa.bindparam("m", type_=annotations.c.models.type),
                )
            )
            conn.execute(stmt, changes)
    if vecs:
        vectors.save(conn, vecs, encoder)


def overlay(conn: sa.Connection, items: Sequence[tuple[int, Annotation]]) -> list[tuple[int, Annotation]]:
    """The annotations with the stored deep label (of any deep model) in place of the fast one."""
    ids = sorted({post_id for post_id, _ in items})
    deep: dict[int, Any] = {}
    d = deep_labels.c
    for start in range(0, len(ids), PART):
        stmt = sa.select(deep_labels).where(d.post_id.in_(ids[start : start + PART]))
        deep.update((int(r.post_id), r) for r in conn.execute(stmt))
    if not deep:
        return list(items)
    out = []
    for post_id, a in items:
        r = deep.get(post_id)
        if r is not None:
            a = _with_deep(a, r)
        out.append((post_id, a))
    return out


def _with_deep(a: Annotation, r: Any) -> Annotation:
    probs = (float(r.p_negative), float(r.p_neutral), float(r.p_positive))
    return replace(a, sentiment=Sentiment(r.sentiment), probs=probs, models={**a.models, MODEL_KEY: r.model})


class DeepLabels:
    """The deep tier's queue and results (``store.deep``)."""

    def __init__(self, engine: sa.Engine) -> None:
        self.engine = engine

    def pending(self, model: str, mode: Mode, limit: int) -> list[tuple[int, str]]:
        """(id, text) of the next ``limit`` citizens' posts lacking a deep label of ``model``, most urgent and
        newest first."""
        with self.engine.connect() as conn:
            return [(int(r.id), r.text) for r in conn.execute(pending(model, mode, limit))]

    def count(self, model: str, mode: Mode) -> int:
        with self.engine.connect() as conn:
            return int(conn.execute(count_pending(model, mode)).scalar_one())

    def save(
        self,
        items: Sequence[tuple[int, np.ndarray]],
        model: str,
        vecs: Sequence[tuple[int, np.ndarray]] = (),
        encoder: str = "",
    ) -> None:
        """Deep labels (probabilities in ``Sentiment`` order) and vectors of posts, in one transaction."""
        if items or vecs:
            with self.engine.begin() as conn:
                save(conn, items, model, vecs, encoder)

    def labels(self, post_ids: Sequence[int]) -> dict[int, tuple[str, Sentiment]]:
        """(model, sentiment) of the posts' deep labels."""
        ids = sorted({int(i) for i in post_ids})
        out: dict[int, tuple[str, Sentiment]] = {}
        d = deep_labels.c
        with self.engine.connect() as conn:
            for start in range(0, len(ids), PART):
                stmt = sa.select(d.post_id, d.model, d.sentiment).where(d.post_id.in_(ids[start : start + PART]))
                out.update((int(r.post_id), (r.model, Sentiment(r.sentiment))) for r in conn.execute(stmt))
        return out
