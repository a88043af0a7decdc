"""YouTube Data API comments: ``commentThreads`` (and ``comments``) list responses as a JSON file or one
per line, or thread/comment items one per line or in an array. Top comments and their replies become Posts."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from typing import Any

from citra.records import Author, Engagement, Platform, Post, PostKind
from citra.sources import fields
from citra.sources.base import Format, Item, ReadOptions, mapped, require
from citra.sources.files import Opened, Record

_RESPONSES = {"youtube#commentThreadListResponse", "youtube#commentListResponse"}
_THREAD, _COMMENT = "youtube#commentThread", "youtube#comment"
_BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)
_TAG = re.compile(r"<[^>]+>")


def _matches(opened: Opened) -> bool:
    first = opened.first
    if opened.container != "json" or first is None:
        return False
    kind = first.get("kind")
    return kind in _RESPONSES or kind in (_THREAD, _COMMENT)


def _obj(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _units(records: Iterator[Record]) -> Iterator[Record]:
    """One record per comment: responses are split into threads, threads into the top comment and replies."""
    for rec in records:
        d = rec.data
        if d is None:
            yield rec
            continue
        items = d.get("items") if d.get("kind") in _RESPONSES else [d]
        if not isinstance(items, list):
            yield Record(rec.file, rec.line, None, "response 'items' is not a list", d)
            continue
        for item in items:
            kind = _obj(item).get("kind")
            if kind == _COMMENT:
                yield Record(rec.file, rec.line, {"comment": item, "replies": None, "video": None}, None, item)
                continue
            if kind != _THREAD:
                yield Record(rec.file, rec.line, None, f"not a YouTube comment thread (kind {kind!r})", item)
                continue
            snippet = _obj(item.get("snippet"))
            total, video = fields.count(snippet.get("totalReplyCount")), fields.clean(snippet.get("videoId"))
            top = snippet.get("topLevelComment")
            yield Record(rec.file, rec.line, {"comment": top, "replies": total, "video": video}, None, item)
            replies = _obj(item.get("replies")).get("comments")
            for reply in replies if isinstance(replies, list) else ():
                yield Record(rec.file, rec.line, {"comment": reply, "replies": None, "video": video}, None, reply)


def _text(s: dict[str, Any]) -> str | None:
    original = fields.text_value(s.get("textOriginal"))
    if original is not None:
        return original
    shown = s.get("textDisplay")
    if not isinstance(shown, str):
        return fields.text_value(shown)
    return fields.text_value(html.unescape(_TAG.sub("", _BREAK.sub("\n", shown))))


def _to_posts(rec: Record, opts: ReadOptions) -> list[Post]:
    assert rec.data is not None
    c = rec.data["comment"]
    if not isinstance(c, dict):
        raise fields.FieldError("no comment object (topLevelComment)")
    s = _obj(c.get("snippet"))
    native_id = fields.native_id(c.get("id"))
    require(native_id, "id")
    text = _text(s)
    require(text, "text (textOriginal or textDisplay)")
    created = fields.timestamp(s.get("publishedAt"), opts.tz)
    require(created, "date (publishedAt)")
    assert native_id is not None and text is not None and created is not None
    platform = opts.platform or Platform.YOUTUBE
    display = fields.clean(s.get("authorDisplayName"))
    handle = display.lstrip("@") if display else None
    channel = s.get("authorChannelId")
    author_id = fields.clean(channel.get("value") if isinstance(channel, dict) else channel)
    video = fields.clean(s.get("videoId")) or rec.data["video"]
    return [
        Post(
            platform=platform,
            native_id=native_id,
            text=text,
            created_at=created,
            url=f"https://www.youtube.com/watch?v={video}&lc={native_id}" if video else None,
            author=Author(author_id, handle, display if display and not display.startswith("@") else None, None),
            conversation_id=video,
            reply_to_id=fields.clean(s.get("parentId")),
            kind=PostKind.COMMENT,
            is_official=opts.is_official(platform, handle, author_id),
            engagement=Engagement(likes=fields.count(s.get("likeCount")), replies=rec.data["replies"]),
            query=opts.query,
            raw=rec.raw,
        )
    ]


def _parse(opened: Opened, opts: ReadOptions) -> Iterator[Item]:
    return mapped(_units(opened.records), _to_posts, opts)


FORMAT = Format(
    "youtube",
    "YouTube Data API commentThreads JSON/JSONL (responses with items, or youtube#commentThread items)",
    _matches,
    _parse,
)
