"""4CAT exports (CSV or NDJSON of mapped items: id, thread_id, timestamp, body, author, ...) from any of its
data sources; twitter-like columns mean X, else the platform comes from ``--platform`` or is ``other``."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC

from citra.records import Author, Engagement, Platform, Post, PostKind
from citra.sources import fields
from citra.sources.base import Format, Item, ReadOptions, mapped, require
from citra.sources.files import Opened, Record

_REQUIRED = {"id", "thread_id", "timestamp", "body", "author"}
_TWITTER = {"retweet_count", "is_retweet", "quote_count"}
_YES = {"yes", "true", "1", "y"}


def _matches(opened: Opened) -> bool:
    return set(opened.keys) >= _REQUIRED


def _yes(value: object) -> bool:
    text = fields.clean(value)
    return text is not None and text.lower() in _YES


def _first(d: dict[str, object], *names: str) -> object:
    return next((d[n] for n in names if fields.clean(d.get(n)) is not None), None)


def _parse(opened: Opened, opts: ReadOptions) -> Iterator[Item]:
    platform = opts.platform or (Platform.X if _TWITTER & set(opened.keys) else Platform.OTHER)

    def to_posts(rec: Record, o: ReadOptions) -> list[Post]:
        d = rec.data
        assert d is not None
        get = d.get
        url = fields.clean(_first(d, "url", "link"))
        native_id = fields.native_id(get("id"), url)
        require(native_id, "id")
        text = fields.text_value(get("body"))
        require(text, "text (body)")
        created = fields.timestamp(_first(d, "unix_timestamp", "timestamp"), UTC)  # 4CAT writes UTC
        require(created, "date (unix_timestamp or timestamp)")
        assert native_id is not None and text is not None and created is not None
        try:
            thread = fields.native_id(get("thread_id"))
        except fields.FieldError:
            thread = None  # mangled by Excel; the post itself is still good
        handle = fields.clean(get("author"))
        handle = handle.lstrip("@") if handle else None
        author_id = fields.clean(get("author_id"))
        if _yes(get("is_retweet")):
            kind = PostKind.REPOST
        elif (thread and thread != native_id) or _yes(get("is_reply")):
            kind = PostKind.REPLY if platform is Platform.X else PostKind.COMMENT
        elif _yes(get("is_quote_tweet")):
            kind = PostKind.QUOTE
        else:
            kind = PostKind.POST
        if not url and handle and platform is Platform.X:
            url = f"https://x.com/{handle}/status/{native_id}"
        return [
            Post(
                platform=platform,
                native_id=native_id,
                text=text,
                created_at=created,
                url=url,
                author=Author(author_id, handle, fields.clean(get("author_fullname")), None),
                lang=fields.clean(_first(d, "lang", "language_guess")),
                conversation_id=thread,
                reply_to_id=None,
                kind=kind,
                is_official=o.is_official(platform, handle, author_id),
                engagement=Engagement(
                    fields.count(_first(d, "like_count", "likes")),
                    fields.count(get("retweet_count")),
                    fields.count(get("reply_count")),
                    fields.count(get("quote_count")),
                    fields.count(_first(d, "impression_count", "views")),
                ),
                query=o.query,
                raw=d,
            )
        ]

    return mapped(opened.records, to_posts, opts)


FORMAT = Format(
    "4cat",
    "4CAT CSV/NDJSON export (id, thread_id, timestamp, body, author, ...)",
    _matches,
    _parse,
)
