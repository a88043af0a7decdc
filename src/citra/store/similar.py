"""SQL for the routed complaints that have a sentence vector: (post id, OPD, vector), newest first.

A complaint is routed when the team decided its OPD: its OPD label (``post_labels.opd``, which wins, as everywhere)
or the OPD it is assigned to in the inbox (``assignments.opd``; an item handed back has none). The model's own
suggestion (``post_opds``) is not a routing: showing it back as a precedent would only repeat the model.
Citizens' posts only; vectors of one encoder version only (two models' vectors do not compare)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import sqlalchemy as sa

from citra.store import vectors
from citra.store.schema import assignments, post_labels, post_vectors, posts

if TYPE_CHECKING:
    from citra.store.store import Store

LIMIT = 100_000  # routed complaints read at most (the newest): the exact search's range (citra.nlp.similar)
BATCH = 5_000  # rows fetched per round trip


def routed_opd() -> sa.ColumnElement[str]:
    """The OPD the team routed a post to: its OPD label, else its inbox assignment (NULL when neither)."""
    return sa.func.coalesce(post_labels.c.opd, assignments.c.opd)


def latest_model(store: Store) -> str | None:
    """The encoder version of the newest stored vector (the one the deep tier writes now), None without any."""
    v = post_vectors.c
    stmt = sa.select(v.model).order_by(v.created_at.desc()).limit(1)
    with store.engine.connect() as conn:
        return conn.execute(stmt).scalar()


def routed_vectors(store: Store, model: str, *, limit: int = LIMIT) -> list[tuple[int, str, np.ndarray]]:
    """(post id, OPD, float32 vector) of the newest ``limit`` routed citizens' complaints with a vector of
    encoder ``model``."""
    v, p = post_vectors.c, posts.c
    opd = routed_opd()
    stmt = (
        sa.select(v.post_id, opd.label("opd"), v.vector)
        .select_from(
            post_vectors.join(posts, p.id == v.post_id)
            .outerjoin(assignments, assignments.c.post_id == v.post_id)
            .outerjoin(post_labels, post_labels.c.post_id == v.post_id)
        )
        .where(v.model == model, p.is_official.is_(False), opd.is_not(None), opd != "")
        .order_by(p.created_at.desc(), p.id.desc())
        .limit(limit)
    )
    out: list[tuple[int, str, np.ndarray]] = []
    with store.engine.connect() as conn:
        result = conn.execution_options(yield_per=BATCH).execute(stmt)
        for row in result:
            out.append((int(row.post_id), str(row.opd), vectors.decode(row.vector)))
    return out
