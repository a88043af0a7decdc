"""A fingerprint of the data a report is made of (posts, their annotations, the team's labels, alerts and
interventions): it changes when any of them changes, so a built file can be kept until then."""

from __future__ import annotations

import hashlib

import sqlalchemy as sa

from citra.store.schema import alerts, annotations, audit_sample, interventions, labels, post_labels, posts

# (table, column whose maximum moves on every insert or update); row counts catch deletions
_PARTS = (
    (posts, posts.c.updated_at),
    (annotations, annotations.c.annotated_at),
    (post_labels, post_labels.c.updated_at),
    (labels, labels.c.created_at),
    (audit_sample, audit_sample.c.drawn_at),
    (alerts, alerts.c.updated_at),
    (interventions, interventions.c.created_at),
)


def data_version(engine: sa.Engine) -> str:
    """16 hex digits that change whenever the data behind the index, alerts or reports changes (one query)."""
    columns = []
    for table, moved in _PARTS:
        columns += [
            sa.select(sa.func.count()).select_from(table).scalar_subquery(),
            sa.select(sa.func.max(moved)).scalar_subquery(),
        ]
    with engine.connect() as conn:
        row = conn.execute(sa.select(*columns)).one()
    return hashlib.sha256(repr(tuple(row)).encode()).hexdigest()[:16]
