"""The sentiment audit as a confusion table: team label (truth) against the model's label, over the posts drawn
at random for the sentiment audit (``audit_sample``, task ``sentiment``) that the team has labelled.

Only citizens' posts count (official accounts are outside every share), and only posts the model has annotated."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

import numpy as np
import sqlalchemy as sa

from citra.store.schema import annotations, audit_sample, post_labels, posts
from citra.store.series import CLASSES
from citra.store.store import Store

TASK = "sentiment"


def statement() -> sa.Select[tuple[str, str, int]]:
    """(truth, model, count) over the labelled citizens' posts of the sentiment audit sample."""
    truth, model = post_labels.c.sentiment, annotations.c.sentiment
    source = (
        audit_sample.join(post_labels, post_labels.c.post_id == audit_sample.c.post_id)
        .join(annotations, annotations.c.post_id == audit_sample.c.post_id)
        .join(posts, posts.c.id == audit_sample.c.post_id)
    )
    return (
        sa.select(truth, model, sa.func.count())
        .select_from(source)
        .where(audit_sample.c.task == TASK, truth.is_not(None), posts.c.is_official.is_(False))
        .group_by(truth, model)
    )


def counts(store: Store) -> np.ndarray:
    """(3, 3) audit counts ``[truth, model]`` in ``CLASSES`` order (positive, neutral, negative)."""
    table = np.zeros((3, 3), dtype=np.int64)
    index = {c: i for i, c in enumerate(CLASSES)}
    with store.engine.connect() as conn:
        for truth, model, n in conn.execute(statement()):
            if truth in index and model in index:
                table[index[truth], index[model]] += int(n)
    return table


def draw(store: Store, post_ids: Iterable[int], by: str, task: str = TASK) -> int:
    """Record posts as drawn at random for ``task`` (the audit queue does this; tests and benchmarks too);
    posts already drawn are kept as they are. Returns how many were added."""
    ids = sorted(set(post_ids))
    if not ids:
        return 0
    now = datetime.now(UTC)
    with store.engine.begin() as conn:
        have = set(
            conn.execute(
                sa.select(audit_sample.c.post_id).where(audit_sample.c.task == task, audit_sample.c.post_id.in_(ids))
            ).scalars()
        )
        fresh = [{"post_id": i, "task": task, "drawn_at": now, "drawn_by": by[:80]} for i in ids if i not in have]
        if fresh:
            conn.execute(audit_sample.insert(), fresh)
    return len(fresh)
