"""Generic tables and JSON lines: any CSV, XLSX or JSONL whose columns are named by ``--map FIELD=COLUMN``
or by common names (id, text/content/message, date/created_at/timestamp, author/username, ...)."""

from __future__ import annotations

from collections.abc import Iterator

from citra.errors import SourceError
from citra.records import Author, Engagement, Platform, Post
from citra.sources import fields
from citra.sources.base import Format, Item, ReadOptions, mapped, require
from citra.sources.files import Opened, Record

FIELDS = ("id", "text", "created_at", "author", "url", "platform", "likes", "reposts", "replies", "views")
REQUIRED = ("id", "text", "created_at")
_GUESSES: dict[str, tuple[str, ...]] = {
    "id": ("id", "id_str", "post_id", "tweet_id", "comment_id", "native_id"),
    "text": ("text", "full_text", "content", "message", "body", "comment", "caption", "teks", "isi"),
    "created_at": (
        "created_at",
        "date",
        "timestamp",
        "time",
        "created_time",
        "published",
        "published_at",
        "tanggal",
        "waktu",
        "datetime",
    ),
    "author": ("author", "username", "user", "screen_name", "handle", "user_name", "penulis", "akun"),
    "url": ("url", "link", "tweet_url", "permalink"),
    "platform": ("platform", "source_platform"),
    "likes": ("likes", "like_count", "favorite_count", "favorites", "suka"),
    "reposts": ("reposts", "retweet_count", "retweets", "shares", "share_count"),
    "replies": ("replies", "reply_count", "comments", "comment_count"),
    "views": ("views", "view_count", "impression_count", "impressions"),
}


def resolve_columns(keys: list[str], column_map: dict[str, str], file: str) -> dict[str, str]:
    """Field -> column: explicit ``--map`` entries first, then common names (case-insensitive)."""
    unknown = sorted(set(column_map) - set(FIELDS))
    if unknown:
        raise SourceError(f"--map: unknown field(s) {', '.join(unknown)}; fields are {', '.join(FIELDS)}")
    missing_cols = sorted(c for c in column_map.values() if c not in keys)
    if missing_cols:
        raise SourceError(f"{file}: no column(s) {', '.join(missing_cols)}; columns are {', '.join(keys)}")
    lower = {k.lower().strip(): k for k in keys}
    columns = dict(column_map)
    for name in FIELDS:
        if name not in columns:
            found = next((lower[g] for g in _GUESSES[name] if g in lower), None)
            if found is not None:
                columns[name] = found
    missing = [f for f in REQUIRED if f not in columns]
    if missing:
        hint = " ".join(f"--map {f}=COLUMN" for f in missing)
        raise SourceError(
            f"{file}: cannot tell which column holds {', '.join(missing)}; columns are {', '.join(keys)}; "
            f"name them with {hint}"
        )
    return columns


def _matches(opened: Opened) -> bool:
    try:
        resolve_columns(opened.keys, {}, str(opened.path))
    except SourceError:
        return False
    return True


def _parse(opened: Opened, opts: ReadOptions) -> Iterator[Item]:
    columns = resolve_columns(opened.keys, dict(opts.column_map), str(opened.path))
    col = columns.get

    def value(rec: Record, name: str) -> object:
        column = col(name)
        return rec.data.get(column) if column is not None and rec.data is not None else None

    def to_posts(rec: Record, o: ReadOptions) -> list[Post]:
        url = fields.clean(value(rec, "url"))
        native_id = fields.native_id(value(rec, "id"), url)
        require(native_id, f"id (column {col('id')})")
        text = fields.text_value(value(rec, "text"))
        require(text, f"text (column {col('text')})")
        created = fields.timestamp(value(rec, "created_at"), o.tz)
        require(created, f"date (column {col('created_at')})")
        named = fields.clean(value(rec, "platform"))
        try:
            platform = o.platform or (Platform.parse(named) if named else Platform.OTHER)
        except ValueError as exc:
            raise fields.FieldError(str(exc)) from None
        handle = fields.clean(value(rec, "author"))
        assert native_id is not None and text is not None and created is not None and rec.data is not None
        return [
            Post(
                platform=platform,
                native_id=native_id,
                text=text,
                created_at=created,
                url=url,
                author=Author(None, handle.lstrip("@") if handle else None, None, None),
                is_official=o.is_official(platform, handle),
                engagement=Engagement(
                    fields.count(value(rec, "likes")),
                    fields.count(value(rec, "reposts")),
                    fields.count(value(rec, "replies")),
                    None,
                    fields.count(value(rec, "views")),
                ),
                query=o.query,
                raw=rec.data,
            )
        ]

    return mapped(opened.records, to_posts, opts)


FORMAT = Format(
    "table", "any table or JSON lines with id, text and date columns (--map FIELD=COLUMN)", _matches, _parse
)
