"""Meta Graph API comments: Facebook (``message``, ``created_time``, ``from{id,name}``) and Instagram
(``text``, ``timestamp``, ``username``), as response pages (``data`` + ``paging``) in a JSON file or one per
line, or as comment objects one per line or in an array. Nested replies (FB ``comments``, IG ``replies``)
become Posts too."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from citra.records import Author, Engagement, Platform, Post, PostKind
from citra.sources import fields
from citra.sources.base import Format, Item, ReadOptions, mapped, require
from citra.sources.files import Opened, Record

_FACEBOOK = {"id", "message", "created_time"}
_INSTAGRAM = {"id", "text", "timestamp"}
_IG_OBJECTS = ("from", "replies", "media")
_PAGE = {"data", "paging", "summary"}


def _is_comment(obj: Any, in_page: bool = False) -> bool:
    """A FB comment, or an IG one; outside a page an IG comment must carry a nested object (from, replies,
    media), so generic JSON lines with id, text and timestamp stay generic."""
    if not isinstance(obj, dict):
        return False
    keys = obj.keys()
    if keys >= _FACEBOOK:
        return True
    return keys >= _INSTAGRAM and (in_page or any(isinstance(obj.get(k), dict) for k in _IG_OBJECTS))


def _is_page(obj: dict[str, Any]) -> bool:
    return isinstance(obj.get("data"), list) and "id" not in obj


def _matches(opened: Opened) -> bool:
    first = opened.first
    if opened.container != "json" or first is None:
        return False
    data = first.get("data")
    if isinstance(data, list) and data:
        return _is_comment(data[0], in_page=first.keys() <= _PAGE)
    return _is_comment(first)


def _nested(comment: dict[str, Any]) -> list[Any]:
    for key in ("comments", "replies"):  # FB, IG
        box = comment.get(key)
        if isinstance(box, dict) and isinstance(box.get("data"), list):
            return box["data"]
    return []


def _units(records: Iterator[Record]) -> Iterator[Record]:
    """One record per comment or reply, with the id and conversation of its parent; pages keep their line."""
    for rec in records:
        if rec.data is None:
            yield rec
            continue
        items = rec.data["data"] if _is_page(rec.data) else [rec.data]
        stack: list[tuple[Any, str | None, str | None]] = [(c, None, None) for c in reversed(items)]
        while stack:
            comment, parent, conversation = stack.pop()
            if not isinstance(comment, dict):
                yield Record(rec.file, rec.line, None, "comment is not an object", comment)
                continue
            unit = {"comment": comment, "parent": parent, "conversation": conversation}
            yield Record(rec.file, rec.line, unit, None, comment)
            own = _conversation(comment) or conversation
            stack.extend((c, fields.clean(comment.get("id")), own) for c in reversed(_nested(comment)))


def _conversation(comment: dict[str, Any]) -> str | None:
    """The post or media the comment is on, when the export asked for it."""
    for key in ("media", "object", "post"):
        box = comment.get(key)
        if isinstance(box, dict) and fields.clean(box.get("id")):
            return fields.clean(box.get("id"))
    return None


def _to_posts(rec: Record, opts: ReadOptions) -> list[Post]:
    assert rec.data is not None
    c: dict[str, Any] = rec.data["comment"]
    is_fb = "message" in c or "created_time" in c
    platform = opts.platform or (Platform.FACEBOOK if is_fb else Platform.INSTAGRAM)
    native_id = fields.native_id(c.get("id"))
    require(native_id, "id")
    text = fields.text_value(c.get("message" if is_fb else "text"))
    require(text, "text (message)" if is_fb else "text")
    created = fields.timestamp(c.get("created_time" if is_fb else "timestamp"), opts.tz)
    require(created, "date (created_time)" if is_fb else "date (timestamp)")
    assert native_id is not None and text is not None and created is not None
    sender = c.get("from") if isinstance(c.get("from"), dict) else {}
    author_id = fields.clean(sender.get("id"))
    handle = None if is_fb else fields.clean(c.get("username")) or fields.clean(sender.get("username"))
    parent = c.get("parent")
    reply_to = fields.clean(parent.get("id")) if isinstance(parent, dict) else fields.clean(c.get("parent_id"))
    return [
        Post(
            platform=platform,
            native_id=native_id,
            text=text,
            created_at=created,
            url=fields.clean(c.get("permalink_url")),
            author=Author(author_id, handle, fields.clean(sender.get("name")), None),
            conversation_id=_conversation(c) or rec.data["conversation"],
            reply_to_id=reply_to or rec.data["parent"],
            kind=PostKind.COMMENT,
            is_official=opts.is_official(platform, handle, author_id),
            engagement=Engagement(
                likes=fields.count(c.get("like_count")), replies=fields.count(c.get("comment_count"))
            ),
            query=opts.query,
            raw=c,
        )
    ]


def _parse(opened: Opened, opts: ReadOptions) -> Iterator[Item]:
    return mapped(_units(opened.records), _to_posts, opts)


FORMAT = Format(
    "meta-graph",
    "Meta Graph API comments JSON/JSONL: Facebook (id, message, created_time, from) or Instagram "
    "(id, text, timestamp, username), as pages with data/paging or one comment per line",
    _matches,
    _parse,
)
