"""tweet-harvest exports (CSV and the XLSX variant with a "Tweets" sheet), old and new date styles."""

from __future__ import annotations

from collections.abc import Iterator

from citra.records import Author, Engagement, Platform, Post, PostKind
from citra.sources import fields
from citra.sources.base import Format, Item, ReadOptions, mapped, require
from citra.sources.files import Opened, Record

_REQUIRED = {"id_str", "full_text", "created_at"}
_MARKERS = {"favorite_count", "tweet_url", "username", "user_id_str", "conversation_id_str"}


def _matches(opened: Opened) -> bool:
    keys = set(opened.keys)
    return opened.container == "table" and keys >= _REQUIRED and len(_MARKERS & keys) >= 2


def _to_posts(rec: Record, opts: ReadOptions) -> list[Post]:
    d = rec.data
    assert d is not None
    get = d.get
    url = fields.clean(get("tweet_url"))
    native_id = fields.native_id(get("id_str"), url)
    require(native_id, "id (id_str)")
    text = fields.text_value(get("full_text"))
    require(text, "text (full_text)")
    created = fields.timestamp(get("created_at"), opts.tz)
    require(created, "date (created_at)")
    platform = opts.platform or Platform.X
    handle = fields.clean(get("username"))
    author_id = fields.clean(get("user_id_str"))
    reply_to = fields.clean(get("in_reply_to_screen_name"))
    assert text is not None and native_id is not None and created is not None
    if reply_to:
        kind = PostKind.REPLY
    elif text.startswith("RT @"):
        kind = PostKind.REPOST
    else:
        kind = PostKind.POST
    try:
        conversation = fields.native_id(get("conversation_id_str"))
    except fields.FieldError:
        conversation = None  # mangled by Excel; the post itself is still good
    if not url and handle:
        url = f"https://x.com/{handle}/status/{native_id}"
    likes, reposts = fields.count(get("favorite_count")), fields.count(get("retweet_count"))
    replies, quotes = fields.count(get("reply_count")), fields.count(get("quote_count"))
    return [
        Post(
            platform=platform,
            native_id=native_id,
            text=text,
            created_at=created,
            url=url,
            author=Author(author_id, handle, None, None),
            lang=fields.clean(get("lang")),
            conversation_id=conversation,
            reply_to_id=None,
            kind=kind,
            is_official=opts.is_official(platform, handle, author_id),
            engagement=Engagement(likes, reposts, replies, quotes, None),
            query=opts.query,
            raw=d,
        )
    ]


def _parse(opened: Opened, opts: ReadOptions) -> Iterator[Item]:
    return mapped(opened.records, _to_posts, opts)


FORMAT = Format(
    "tweet-harvest",
    "tweet-harvest CSV/XLSX (id_str, full_text, created_at, username, tweet_url, ...)",
    _matches,
    _parse,
)
