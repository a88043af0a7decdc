"""Retention in the database: what ``citra db prune`` deletes, table by table, in one transaction.

``RULES`` says what happens to each table (a test fails when a table has none), and docs/privacy.md repeats it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from citra.store.schema import alerts, api_tokens, audit_log, labels, posts

RULES: dict[str, str] = {
    "posts": "posts_days (by the post's date); raw records: raw_days (by when they were stored)",
    "annotations": "with its post",
    "post_topics": "with its post",
    "post_targets": "with its post",
    "post_opds": "with its post",
    "post_vectors": "with its post (a vector of its text)",
    "deep_labels": "with its post",
    "post_labels": "with its post",
    "audit_sample": "with its post",
    "assignments": "with its post (the inbox entry, its note and reply draft)",
    "inbox_notes": "with its post (the team's notes on an inbox item)",
    "labels": "a post's labels with the post; labelled texts without a post: labels_days",
    "alerts": "kept (no personal data once their samples go); sample texts and authors: with posts_days",
    "alert_notes": "kept with their alert: the team's notes (staff names, no citizen data unless typed in)",
    "audit_log": "audit_days",
    "api_tokens": "revoked tokens: tokens_days after their last use; others while the user keeps them",
    "users": "kept while an admin keeps them (deactivate with citra user deactivate); the audit log names them",
    "imports": "kept: file names and counts, no personal data",
    "import_owners": "kept with its import: process id, host, time",
    "feed_state": "kept: feed addresses and HTTP caching headers, no personal data",
    "interventions": "kept: the team's strategies, no personal data",
    "saved_searches": "kept while the team keeps them: names, filters and who saved them (a user)",
    "report_history": "kept: reports built and their recipients (the team's); the files follow reports_days",
    "forgotten": "kept for ever: digests of forgotten posts, so that they are never imported again",
}


@dataclass(frozen=True)
class Cutoffs:
    """Delete what is older than each time (None: keep)."""

    posts: datetime | None = None
    raw: datetime | None = None
    labels: datetime | None = None
    audit: datetime | None = None
    tokens: datetime | None = None


def prune(engine: sa.Engine, cut: Cutoffs) -> dict[str, int]:
    """Apply ``cut`` in one transaction; returns the rows deleted (or changed) per kind."""
    done: dict[str, int] = {}
    with engine.begin() as conn:
        if cut.posts is not None:
            old = sa.select(posts.c.id).where(posts.c.created_at < cut.posts)
            # the label history copies the post's text: it goes with the post (ON DELETE would only unlink it)
            done["post labels"] = conn.execute(labels.delete().where(labels.c.post_id.in_(old))).rowcount
            done["alert samples"] = _drop_samples(conn, cut.posts)
            # annotations, topics, targets, routes, the team's labels, audit samples and inbox entries: ON DELETE
            # CASCADE; the full-text index: SQLite triggers, PostgreSQL's generated column
            done["posts"] = conn.execute(posts.delete().where(posts.c.created_at < cut.posts)).rowcount
        if cut.raw is not None:
            stmt = posts.update().where(posts.c.stored_at < cut.raw, posts.c.raw.is_not(None))
            done["raw records"] = conn.execute(stmt.values(raw=sa.null())).rowcount
        if cut.labels is not None:
            bare = labels.delete().where(labels.c.post_id.is_(None), labels.c.created_at < cut.labels)
            done["labelled texts"] = conn.execute(bare).rowcount
        if cut.audit is not None:
            done["audit entries"] = conn.execute(audit_log.delete().where(audit_log.c.at < cut.audit)).rowcount
        if cut.tokens is not None:
            last = sa.func.coalesce(api_tokens.c.last_used_at, api_tokens.c.created_at)
            revoked = api_tokens.delete().where(api_tokens.c.revoked.is_(True), last < cut.tokens)
            done["revoked tokens"] = conn.execute(revoked).rowcount
    return done


def _drop_samples(conn: sa.Connection, before: datetime) -> int:
    """Alerts last seen before ``before`` keep their figures but not the sample posts they quote."""
    dropped = 0
    stmt = sa.select(alerts.c.id, alerts.c.drivers).where(alerts.c.last_seen < before)
    for row in conn.execute(stmt).mappings().all():
        drivers: dict[str, Any] = dict(row["drivers"] or {})
        if drivers.get("samples"):
            dropped += len(drivers["samples"])
            drivers["samples"] = []
            conn.execute(alerts.update().where(alerts.c.id == row["id"]).values(drivers=drivers))
    return dropped
