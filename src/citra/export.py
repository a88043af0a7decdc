"""Writing stored posts out: flat rows for tables, CSV, JSON lines and Parquet, streamed in constant memory."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import tzinfo
from pathlib import Path
from typing import IO, Any

import orjson

from citra import csvsafe, private
from citra.errors import CitraError
from citra.records import Post, StoredPost

COLUMNS = (
    "platform",
    "native_id",
    "created_at",
    "author_handle",
    "author_name",
    "author_id",
    "author_followers",
    "text",
    "url",
    "kind",
    "is_official",
    "lang",
    "conversation_id",
    "reply_to_id",
    "likes",
    "reposts",
    "replies",
    "quotes",
    "views",
    "query",
    "batch",
)
FORMATS = ("csv", "jsonl", "parquet")
ANNOTATION_COLUMNS = (
    "sentiment",
    "p_positive",
    "p_neutral",
    "p_negative",
    "human_sentiment",
    "human_opd",
    "human_needs_response",
    "topics",
    "opds",
    "targets",
    "intent",
    "needs_response",
)


def flat(post: Post, tz: tzinfo) -> dict[str, Any]:
    """A post as one flat row; times in the workspace zone with their offset."""
    a, e = post.author, post.engagement
    return {
        "platform": post.platform.value,
        "native_id": post.native_id,
        "created_at": post.created_at.astimezone(tz).isoformat(),
        "author_handle": a.handle,
        "author_name": a.name,
        "author_id": a.id,
        "author_followers": a.followers,
        "text": post.text,
        "url": post.url,
        "kind": post.kind.value,
        "is_official": post.is_official,
        "lang": post.lang,
        "conversation_id": post.conversation_id,
        "reply_to_id": post.reply_to_id,
        "likes": e.likes,
        "reposts": e.reposts,
        "replies": e.replies,
        "quotes": e.quotes,
        "views": e.views,
        "query": post.query,
        "batch": post.batch,
    }


def annotation(stored: StoredPost) -> dict[str, Any] | None:
    """What citra says about a post, the team's labels winning: the ``annotation`` object of JSON lines (None
    before ``citra analyze``). ``probs`` are the model's; ``opds`` are ranked, best first."""
    note = stored.annotation
    if note is None:
        return None
    human = stored.human
    sentiment = stored.sentiment
    return {
        "sentiment": sentiment.value if sentiment else None,
        "probs": {"positive": note.probs[2], "neutral": note.probs[1], "negative": note.probs[0]},
        "human": {
            "sentiment": human.sentiment.value if human.sentiment else None,
            "opd": human.opd,
            "needs_response": human.needs_response,
        },
        "topics": list(note.topics),
        "opds": list(stored.opds),
        "targets": [{"kind": t.kind.value, "name": t.name} for t in note.targets],
        "intent": note.intent.value,
        "needs_response": stored.needs_response,
    }


def annotation_cells(stored: StoredPost) -> dict[str, Any]:
    """``annotation`` flattened into CSV cells (lists joined with "; ")."""
    found = annotation(stored)
    if found is None:
        return dict.fromkeys(ANNOTATION_COLUMNS)
    probs, human = found["probs"], found["human"]
    return {
        "sentiment": found["sentiment"],
        "p_positive": round(probs["positive"], 4),
        "p_neutral": round(probs["neutral"], 4),
        "p_negative": round(probs["negative"], 4),
        "human_sentiment": human["sentiment"],
        "human_opd": human["opd"],
        "human_needs_response": human["needs_response"],
        "topics": "; ".join(found["topics"]),
        "opds": "; ".join(found["opds"]),
        "targets": "; ".join(f"{t['kind']}:{t['name']}" for t in found["targets"]),
        "intent": found["intent"],
        "needs_response": found["needs_response"],
    }


def write_csv(posts: Iterable[StoredPost], out: IO[str], tz: tzinfo, *, annotations: bool = False) -> int:
    columns = (*COLUMNS, *ANNOTATION_COLUMNS) if annotations else COLUMNS
    writer = csvsafe.DictWriter(out, fieldnames=columns, extrasaction="ignore")
    writer.writeheader()
    n = 0
    for n, stored in enumerate(posts, start=1):  # noqa: B007
        row = flat(stored.post, tz)
        if annotations:
            row |= annotation_cells(stored)
        writer.writerow(row)
    return n


def write_jsonl(
    posts: Iterable[StoredPost], out: IO[bytes], tz: tzinfo, *, raw: bool = True, annotations: bool = False
) -> int:
    n = 0
    for n, stored in enumerate(posts, start=1):  # noqa: B007
        row = flat(stored.post, tz)
        if raw:
            row["raw"] = stored.post.raw
        if annotations:
            row["annotation"] = annotation(stored)
        out.write(orjson.dumps(row, default=str) + b"\n")
    return n


def write_parquet(posts: Iterable[StoredPost], path: Path, tz: tzinfo, batch_rows: int = 50_000) -> int:
    import pyarrow as pa  # heavy import, only for Parquet
    import pyarrow.parquet as pq

    ints = {"author_followers", "likes", "reposts", "replies", "quotes", "views"}
    names = (*COLUMNS, "raw")
    schema = pa.schema(
        [(c, pa.int64() if c in ints else pa.bool_() if c == "is_official" else pa.string()) for c in names]
    )
    n = 0
    with pq.ParquetWriter(path, schema, compression="zstd") as writer:
        for rows in _batches(posts, tz, batch_rows):
            writer.write_table(pa.table({c: [r[c] for r in rows] for c in names}, schema=schema))
            n += len(rows)
    return n


def _batches(posts: Iterable[StoredPost], tz: tzinfo, size: int) -> Iterator[list[dict[str, Any]]]:
    rows: list[dict[str, Any]] = []
    for post in (s.post for s in posts):
        row = flat(post, tz)
        row["raw"] = orjson.dumps(post.raw, default=str).decode()
        rows.append(row)
        if len(rows) >= size:
            yield rows
            rows = []
    if rows:
        yield rows


def export(posts: Iterable[StoredPost], fmt: str, out: Path, tz: tzinfo) -> int:
    """Write posts to ``out`` in ``fmt``; returns how many were written."""
    if fmt not in FORMATS:
        raise CitraError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")
    # posts are personal data: a new file (and folder) is the owner's only, before any row is written; an existing
    # file keeps the mode its owner gave it
    private.make_dir(out.parent)
    private.touch(out)
    if fmt == "parquet":
        return write_parquet(posts, out, tz)
    if fmt == "csv":
        with out.open("w", encoding="utf-8", newline="") as f:
            return write_csv(posts, f, tz)
    with out.open("wb") as f:
        return write_jsonl(posts, f, tz)
