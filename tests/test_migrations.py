"""The migrations build exactly the tables and indexes that ``store/schema.py`` declares, on both databases, so
that the code's idea of the schema (and its indexes, which the query plans depend on) cannot drift."""

from __future__ import annotations

import warnings
from datetime import UTC, datetime
from typing import Any

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from citra.records import HumanLabel, Platform, Post, Sentiment
from citra.store import PostQuery, Store
from citra.store.schema import metadata


def _ours(obj: Any, name: str | None, kind: str, reflected: bool, compare_to: Any) -> bool:
    """Leave out what only SQL can declare: the FTS5 tables (SQLite), the generated word column and its GIN index
    (PostgreSQL)."""
    return not (name or "").startswith(("posts_fts", "ix_posts_search", "search_vector"))


def test_migrations_match_the_declared_schema(store: Store) -> None:
    with store.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True, "include_object": _ours})
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # "skipped expression-based index" on PostgreSQL
            differences = compare_metadata(context, metadata)
    assert differences == []


def test_downgrade_and_upgrade_again(store: Store) -> None:
    """Each migration since 0004 can be undone (a team can step back a release) and redone; going up again
    rebuilds the current labels of posts from the label history."""
    store.add_posts([Post(Platform.X, "1", "jalan rusak parah", datetime(2024, 1, 1, tzinfo=UTC))])
    (post,) = store.lookup("1")
    store.add_labels([HumanLabel(post.post.text, Sentiment.NEUTRAL, "web:a", post.id)])
    store.add_labels([HumanLabel(post.post.text, Sentiment.NEGATIVE, "web:b", post.id)])
    with store.engine.begin() as conn:
        command.downgrade(store._alembic(conn), "0004")
    assert store.revision() == "0004"
    store.upgrade()
    store.check_current()
    assert store.get(post.id).human.sentiment is Sentiment.NEGATIVE
    assert store.count(PostQuery(text="rusak")) == 1
