"""SQL for the posts' sentence vectors (table ``post_vectors``), used by the Store.

Vectors are kept as little-endian float16 bytes (768 bytes for 384 numbers: half of float32, and cosine
similarities of unit vectors move by about 1e-3) and come back as float32."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

import numpy as np
import sqlalchemy as sa

from citra.store.schema import post_vectors, posts

PART = 500  # ids per IN list
STORED = np.dtype("<f2")


def encode(vector: np.ndarray) -> bytes:
    return np.asarray(vector, dtype=np.float32).ravel().astype(STORED).tobytes()


def decode(blob: bytes) -> np.ndarray:
    return np.frombuffer(blob, dtype=STORED).astype(np.float32)


def save(conn: sa.Connection, items: Sequence[tuple[int, np.ndarray]], model: str) -> None:
    """Replace the vectors of the given posts by these (the last one wins when a post repeats)."""
    latest = {int(post_id): vector for post_id, vector in items}
    ids = sorted(latest)
    now = datetime.now(UTC)
    for start in range(0, len(ids), PART):
        part = ids[start : start + PART]
        conn.execute(post_vectors.delete().where(post_vectors.c.post_id.in_(part)))
        conn.execute(
            post_vectors.insert(),
            [{"post_id": i, "model": model, "vector": encode(latest[i]), "created_at": now} for i in part],
        )


def read(conn: sa.Connection, post_ids: Sequence[int], model: str | None) -> dict[int, np.ndarray]:
    ids = sorted({int(i) for i in post_ids})
    out: dict[int, np.ndarray] = {}
    v = post_vectors.c
    for start in range(0, len(ids), PART):
        stmt = sa.select(v.post_id, v.vector).where(v.post_id.in_(ids[start : start + PART]))
        if model is not None:
            stmt = stmt.where(v.model == model)
        out.update((int(r.post_id), decode(r.vector)) for r in conn.execute(stmt))
    return out


def recent(
    conn: sa.Connection,
    since: datetime,
    until: datetime | None,
    citizens_only: bool,
    limit: int,
    model: str | None,
) -> tuple[np.ndarray, np.ndarray]:
    """Ids (int64) and vectors (float32, one row each) of posts created in [since, until), newest first."""
    v = post_vectors.c
    stmt = (
        sa.select(v.post_id, v.vector)
        .select_from(post_vectors.join(posts, posts.c.id == v.post_id))
        .where(posts.c.created_at >= since)
        .order_by(posts.c.created_at.desc(), posts.c.id.desc())
        .limit(limit)
    )
    if until is not None:
        stmt = stmt.where(posts.c.created_at < until)
    if citizens_only:
        stmt = stmt.where(posts.c.is_official.is_(False))
    if model is not None:
        stmt = stmt.where(v.model == model)
    found = conn.execute(stmt).all()
    ids = np.array([r.post_id for r in found], dtype=np.int64)
    if not found:
        return ids, np.zeros((0, 0), np.float32)
    return ids, np.vstack([decode(r.vector) for r in found])
