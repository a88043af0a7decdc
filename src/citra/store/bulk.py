"""Fast, idempotent bulk upsert of posts, one strategy per database dialect.

The key is (platform, native_id). A post already stored keeps its text and raw record; its engagement figures
take the larger of the stored and the new value (figures only grow in practice, so re-importing an older
export never rolls them back) and its follower count takes the newer known value. Only rows whose figures
really change count as updated.
"""

from __future__ import annotations

import dataclasses
import functools
import operator
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import orjson

from citra.records import Engagement, Post

COLUMNS = (
    "platform", "native_id", "url", "author_id", "author_handle", "author_name", "author_followers", "text",
    "created_at", "lang", "conversation_id", "reply_to_id", "kind", "is_official", "likes", "reposts", "replies",
    "quotes", "views", "query", "batch_id", "raw", "stored_at", "updated_at",
)  # fmt: skip
METRICS = ("likes", "reposts", "replies", "quotes", "views")


def dedupe(posts: Sequence[Post]) -> list[Post]:
    """One post per key; a key seen twice keeps its first copy with the larger engagement figures."""
    seen: dict[tuple[str, str], Post] = {}
    for post in posts:
        key = (post.platform, _text(post.native_id))
        first = seen.get(key)
        if first is None:
            seen[key] = post
            continue
        a, b = first.engagement, post.engagement
        merged = Engagement(*(_larger(getattr(a, m), getattr(b, m)) for m in METRICS))
        followers = post.author.followers if post.author.followers is not None else first.author.followers
        seen[key] = dataclasses.replace(
            first, engagement=merged, author=dataclasses.replace(first.author, followers=followers)
        )
    return list(seen.values())


def _larger(a: int | None, b: int | None) -> int | None:
    if a is None:
        return b
    return a if b is None else max(a, b)


def _row(post: Post, batch: str | None, now: Any, created_at: Any, raw: Any, official: Any) -> tuple[Any, ...]:
    a, e = post.author, post.engagement
    texts = (post.native_id, post.url, a.id, a.handle, a.name, post.text, post.lang, post.conversation_id,
             post.reply_to_id, post.query)  # fmt: skip
    if not _clean_texts(texts):  # rare: a NUL or a lone surrogate somewhere (see _text)
        texts = tuple(map(_text, texts))
    native_id, url, author_id, handle, name, text, lang, conversation_id, reply_to_id, query = texts
    return (
        post.platform.value, native_id, url, author_id, handle, name, a.followers, text, created_at, lang,
        conversation_id, reply_to_id, post.kind.value, official, e.likes, e.reposts, e.replies, e.quotes, e.views,
        query, post.batch or batch, raw, now, now,
    )  # fmt: skip


def _clean_texts(texts: tuple[str | None, ...]) -> bool:
    """Whether none of ``texts`` needs _text (one test on them joined, about half a microsecond a post)."""
    joined = "".join(filter(None, texts))
    if "\x00" in joined:
        return False
    if joined.isascii():
        return True
    try:
        joined.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _changed(old: str, new: str, distinct: str) -> str:
    grew = [f"coalesce({new}.{m}, -1) > coalesce({old}.{m}, -1)" for m in METRICS]
    grew.append(f"({new}.author_followers IS NOT NULL AND {new}.author_followers {distinct} {old}.author_followers)")
    return " OR ".join(grew)


_SQLITE_UPDATE = (
    "ON CONFLICT (platform, native_id) DO UPDATE SET "
    + ", ".join(f"{m} = max(coalesce(posts.{m}, excluded.{m}), coalesce(excluded.{m}, posts.{m}))" for m in METRICS)
    + ", author_followers = coalesce(excluded.author_followers, posts.author_followers)"
    ", updated_at = excluded.updated_at WHERE " + _changed("posts", "excluded", "IS NOT")
)


_SQLITE_STAGE = (
    f"CREATE TEMP TABLE IF NOT EXISTS posts_stage ({', '.join(COLUMNS)})"  # untyped: values pass through as given
)
_SQLITE_SQL = (
    f"INSERT INTO posts ({', '.join(COLUMNS)}) SELECT {', '.join(COLUMNS)} FROM posts_stage "  # noqa: S608
    f"ORDER BY rowid {_SQLITE_UPDATE}"
)


@functools.lru_cache(maxsize=64)
def _stage_sql(nulls: tuple[int, ...] = ()) -> str:
    """The insert into the stage, leaving out the columns at positions ``nulls`` (they stay NULL there)."""
    names = [c for i, c in enumerate(COLUMNS) if i not in nulls]
    return f"INSERT INTO posts_stage ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})"  # noqa: S608


def _without_empty_columns(rows: list[tuple[Any, ...]]) -> tuple[str, list[tuple[Any, ...]]]:
    """The stage insert for ``rows`` and the values to bind: columns that are None in every row (most sources
    leave some empty: author name, followers, views ...) are left out, because Python 3.11's sqlite3 looks up an
    adapter for every None it binds, about 0.2 µs each."""
    nulls = tuple(
        i for i, value in enumerate(rows[0])
        if value is None and list(map(operator.itemgetter(i), rows)).count(None) == len(rows)
    )  # fmt: skip
    if not nulls:
        return _stage_sql(), rows
    # platform, native_id, text ... are never None, so at least two columns remain and pick gives tuples
    pick = operator.itemgetter(*(i for i in range(len(COLUMNS)) if i not in nulls))
    return _stage_sql(nulls), list(map(pick, rows))


def upsert_sqlite(dbapi: Any, posts: Sequence[Post], batch: str | None) -> tuple[int, int]:
    """Upsert through a temporary stage and one INSERT ... SELECT ... ON CONFLICT; returns (inserted, updated).

    One statement for the whole batch, not one per row: the full-text index (FTS5, filled by a trigger) then
    merges its pending terms once per batch instead of once per post, which keeps a first import about as fast
    as before full-text search (row-by-row statements made it four to six times slower)."""
    now = _sqlite_time(datetime.now(UTC))
    rows = [_row(p, batch, now, _sqlite_time(p.created_at), raw_json(p.raw), int(p.is_official)) for p in posts]
    cur = dbapi.cursor()
    try:
        cur.execute(_SQLITE_STAGE)
        cur.execute("DELETE FROM posts_stage")
        cur.executemany(*_without_empty_columns(rows))
        cur.execute("SELECT coalesce(max(id), 0) FROM posts")
        (top,) = cur.fetchone()
        cur.execute(_SQLITE_SQL)
        changed = cur.rowcount
        cur.execute("SELECT count(*) FROM posts WHERE id > ?", (top,))
        (inserted,) = cur.fetchone()
        cur.execute("DELETE FROM posts_stage")
    finally:
        cur.close()
    return inserted, changed - inserted


_UTC_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_NAIVE_EPOCH = datetime(1970, 1, 1)


def _sqlite_time(value: datetime) -> str:
    """Naive UTC text, as SQLAlchemy writes DateTime to SQLite (``2024-01-15 03:12:45.000000``)."""
    if value.tzinfo is not UTC:  # another zone, or naive (local time, as astimezone() takes it)
        value = value.astimezone(UTC)
    # The naive UTC time by arithmetic: half the cost of astimezone(UTC).replace(tzinfo=None), once per row.
    return (_NAIVE_EPOCH + (value - _UTC_EPOCH)).isoformat(" ", "microseconds")


_PG_STAGE = "CREATE TEMP TABLE IF NOT EXISTS posts_stage (LIKE posts INCLUDING DEFAULTS) ON COMMIT DELETE ROWS"
_PG_SQL = (
    f"INSERT INTO posts ({', '.join(COLUMNS)}) SELECT {', '.join(COLUMNS)} FROM posts_stage "  # noqa: S608 (constants)
    "ON CONFLICT (platform, native_id) DO UPDATE SET "
    + ", ".join(f"{m} = greatest(posts.{m}, excluded.{m})" for m in METRICS)
    + ", author_followers = coalesce(excluded.author_followers, posts.author_followers)"
    ", updated_at = excluded.updated_at WHERE "
    + _changed("posts", "excluded", "IS DISTINCT FROM")
    + " RETURNING (xmax = 0)"
)


def upsert_postgres(dbapi: Any, posts: Sequence[Post], batch: str | None) -> tuple[int, int]:
    """Upsert through COPY into a temporary stage and one INSERT ... ON CONFLICT; returns (inserted, updated)."""
    now = datetime.now(UTC)
    with dbapi.cursor() as cur:
        cur.execute(_PG_STAGE)
        with cur.copy(f"COPY posts_stage ({', '.join(COLUMNS)}) FROM STDIN") as copy:
            for p in posts:
                copy.write_row(_row(p, batch, now, p.created_at, raw_json(p.raw), p.is_official))
        cur.execute(_PG_SQL)
        flags = [r[0] for r in cur.fetchall()]
        cur.execute("DELETE FROM posts_stage")
    inserted = sum(flags)
    return inserted, len(flags) - inserted


def _text(text: Any) -> Any:
    """A text value both databases can hold: without NUL characters, which PostgreSQL refuses (rare, from
    broken exports), and with lone surrogates (from ``\\ud800`` escapes in JSON), which are not UTF-8, made
    U+FFFD; the same on every database so that both keep the same values. Anything else passes unchanged."""
    if type(text) is not str or (text.isascii() and "\x00" not in text):
        return text
    text = text.replace("\x00", "")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
    return text


def raw_json(raw: Any) -> str:
    """The raw record as JSON text, cleaned as _text cleans text when it needs it (NULs, lone surrogates,
    integers beyond 64 bits, which orjson refuses, become text)."""
    try:
        dumped = orjson.dumps(raw).decode()
    except orjson.JSONEncodeError:
        return orjson.dumps(_clean(raw)).decode()
    return orjson.dumps(_clean(raw)).decode() if "\\u0000" in dumped else dumped


_INT64 = 2**63


def _clean(value: Any) -> Any:
    if isinstance(value, str):
        return _text(value)
    if isinstance(value, dict):
        return {_text(k) if isinstance(k, str) else str(k): _clean(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_clean(v) for v in value]
    if isinstance(value, int) and not isinstance(value, bool) and not -_INT64 <= value < 2**64:
        return str(value)
    return value
