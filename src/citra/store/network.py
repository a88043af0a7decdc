"""The posts of a scope as the network sees them (``NetPost``): only the columns the network needs, streamed."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

import sqlalchemy as sa

from citra.analytics.interactions import NetPost
from citra.store.query import PostQuery, where
from citra.store.schema import annotations, post_labels, post_targets, posts
from citra.store.search import SOURCE, needs_join

BATCH = 20_000


def net_posts(engine: sa.Engine, dialect: str, query: PostQuery) -> Iterator[NetPost]:
    """Every post matching ``query``, oldest first, with its sentiment (the team's label over the model's) and
    its targets (``kind:name``)."""
    p = posts.c
    clauses = where(query, dialect)
    targets: dict[int, list[str]] = defaultdict(list)
    with engine.connect() as conn:
        t = post_targets.c
        source = SOURCE if needs_join(query) else posts  # the annotations only where a filter reads them
        found = sa.select(t.post_id, t.kind, t.name).select_from(post_targets.join(source, posts.c.id == t.post_id))
        for pid, kind, name in conn.execute(found.where(*clauses)):
            targets[int(pid)].append(f"{kind}:{name}")
    sentiment = sa.func.coalesce(post_labels.c.sentiment, annotations.c.sentiment)
    stmt = (
        sa.select(
            p.id,
            p.author_handle,
            p.author_id,
            p.created_at,
            p.kind,
            p.text,
            p.author_followers,
            p.is_official,
            sentiment,
        )
        .select_from(SOURCE)
        .where(*clauses)
        .order_by(p.created_at, p.id)
    )
    with engine.connect().execution_options(yield_per=BATCH) as conn:
        for pid, handle, author_id, created, kind, text, followers, official, label in conn.execute(stmt):
            who = (handle or author_id or "").lstrip("@").lower()
            yield NetPost(
                int(pid),
                who,
                created.timestamp(),
                kind,
                text,
                int(followers or 0),
                label,
                bool(official),
                tuple(targets.get(int(pid), ())),
            )
