"""Recent citizens' posts that the team should see and no topic covers: the candidates of new issues
(``citra.analytics.newissues``). One SELECT, newest first, bounded."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from citra.store.schema import annotations, post_labels, post_topics, posts

MAX_ROWS = 20_000


@dataclass(frozen=True, slots=True)
class Uncovered:
    """A citizen's post without a topic: id, text, author key (platform:handle or name) and time."""

    id: int
    text: str
    author: str
    created_at: datetime


def uncovered(conn: sa.Connection, since: datetime, until: datetime | None, limit: int) -> list[Uncovered]:
    """Citizens' posts created in [since, until) that are negative or need a response (the team's label wins
    over the model's), with no topic, newest first, at most ``limit``."""
    p, a, h, t = posts.c, annotations.c, post_labels.c, post_topics.c
    sentiment = sa.func.coalesce(h.sentiment, a.sentiment)
    needs = sa.func.coalesce(h.needs_response, a.needs_response)
    clauses = [
        p.created_at >= since,
        p.is_official.is_(False),
        a.post_id.is_not(None),
        sa.or_(sentiment == "negative", needs.is_(True)),
        ~sa.exists().where(t.post_id == p.id),
    ]
    if until is not None:
        clauses.append(p.created_at < until)
    source = posts.join(annotations, a.post_id == p.id).outerjoin(post_labels, h.post_id == p.id)
    query = (
        sa.select(p.id, p.text, p.platform, p.author_handle, p.author_name, p.author_id, p.created_at)
        .select_from(source)
        .where(*clauses)
        .order_by(p.created_at.desc(), p.id.desc())
        .limit(max(1, min(limit, MAX_ROWS)))
    )
    out = []
    for r in conn.execute(query):
        who = r.author_handle or r.author_id or r.author_name or f"post{r.id}"
        out.append(Uncovered(int(r.id), r.text, f"{r.platform}:{who}", r.created_at))
    return out
