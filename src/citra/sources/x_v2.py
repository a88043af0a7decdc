"""X API v2 exports: response pages (``data`` + ``includes.users`` + ``meta``) as a JSON file or one page per
line, and flat tweet lines (one tweet object per line, with an embedded ``author`` or only ``author_id``)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from citra.records import Author, Engagement, Platform, Post, PostKind
from citra.sources import fields
from citra.sources.base import Format, Item, ReadOptions, mapped, require
from citra.sources.files import Opened, Record

_MARKERS = {
    "author_id",
    "conversation_id",
    "public_metrics",
    "edit_history_tweet_ids",
    "referenced_tweets",
    "in_reply_to_user_id",
    "note_tweet",
    "possibly_sensitive",
    "reply_settings",
}
_PAGE = {"data", "includes", "meta", "errors"}
_KINDS = {"retweeted": PostKind.REPOST, "replied_to": PostKind.REPLY, "quoted": PostKind.QUOTE}


def _is_tweet(obj: Any, markers: int = 2) -> bool:
    return isinstance(obj, dict) and {"id", "text"} <= obj.keys() and len(_MARKERS & obj.keys()) >= markers


def _is_page(obj: dict[str, Any]) -> bool:
    return not _is_tweet(obj) and bool(_PAGE & obj.keys())  # an empty page has no "data"


def _matches(opened: Opened) -> bool:
    first = opened.first
    if opened.container != "json" or first is None:
        return False
    if _is_tweet(first):
        return True
    data, meta = first.get("data"), first.get("meta")
    # inside a page with meta or includes, a tweet with default fields only (id, text, edit history) counts
    markers = 1 if "meta" in first or "includes" in first else 2
    if isinstance(data, dict):
        return _is_tweet(data, markers)
    if isinstance(data, list) and data:
        return _is_tweet(data[0], markers)
    return isinstance(meta, dict) and "result_count" in meta  # an empty search page


def _users(page: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The page's ``includes.users`` by id."""
    includes = page.get("includes")
    listed = includes.get("users") if isinstance(includes, dict) else None
    if not isinstance(listed, list):
        return {}
    return {u["id"]: u for u in listed if isinstance(u, dict) and isinstance(u.get("id"), str)}


def _units(records: Iterator[Record]) -> Iterator[Record]:
    """One record per tweet, paired with its author: pages are split and keep their own line number."""
    for rec in records:
        page = rec.data
        if page is None:
            yield rec
            continue
        if not _is_page(page):
            yield Record(rec.file, rec.line, {"tweet": page, "user": page.get("author")}, None, page)
            continue
        data = page.get("data", [])
        tweets = [data] if isinstance(data, dict) else data
        if not isinstance(tweets, list):
            yield Record(rec.file, rec.line, None, "page 'data' is not a list of tweets", page)
            continue
        users = _users(page)
        for tweet in tweets:
            if not isinstance(tweet, dict):
                yield Record(rec.file, rec.line, None, "tweet is not an object", tweet)
                continue
            author_id = tweet.get("author_id")
            user = users.get(author_id) if isinstance(author_id, str) else None
            raw = {**tweet, "_user": user} if user else tweet  # keep the author's profile with the tweet
            yield Record(rec.file, rec.line, {"tweet": tweet, "user": user or tweet.get("author")}, None, raw)


def _to_posts(rec: Record, opts: ReadOptions) -> list[Post]:
    assert rec.data is not None
    t: dict[str, Any] = rec.data["tweet"]
    user: dict[str, Any] = rec.data["user"] if isinstance(rec.data["user"], dict) else {}
    native_id = fields.native_id(t.get("id"))
    require(native_id, "id")
    note = t.get("note_tweet")
    text = fields.text_value(note.get("text") if isinstance(note, dict) else None) or fields.text_value(t.get("text"))
    require(text, "text")
    created = fields.timestamp(t.get("created_at"), opts.tz)
    require(created, "date (created_at)")
    assert native_id is not None and text is not None and created is not None
    platform = opts.platform or Platform.X
    handle = fields.clean(user.get("username"))
    author_id = fields.clean(t.get("author_id")) or fields.clean(user.get("id"))
    followers = fields.count((user.get("public_metrics") or {}).get("followers_count"))
    kind, reply_to = PostKind.POST, None
    refs = {r.get("type"): r.get("id") for r in t.get("referenced_tweets") or () if isinstance(r, dict)}
    for ref_type, ref_kind in _KINDS.items():  # a retweet is only a retweet; a reply that quotes is a reply
        if ref_type in refs:
            kind = ref_kind
            break
    if "replied_to" in refs:
        reply_to = fields.native_id(refs["replied_to"])
    m = t.get("public_metrics") or {}
    path = f"{handle}/status" if handle else "i/web/status"
    return [
        Post(
            platform=platform,
            native_id=native_id,
            text=text,
            created_at=created,
            url=f"https://x.com/{path}/{native_id}",
            author=Author(author_id, handle, fields.clean(user.get("name")), followers),
            lang=fields.clean(t.get("lang")),
            conversation_id=fields.native_id(t.get("conversation_id")),
            reply_to_id=reply_to,
            kind=kind,
            is_official=opts.is_official(platform, handle, author_id),
            engagement=Engagement(
                fields.count(m.get("like_count")),
                fields.count(m.get("retweet_count")),
                fields.count(m.get("reply_count")),
                fields.count(m.get("quote_count")),
                fields.count(m.get("impression_count")),
            ),
            query=opts.query,
            raw=rec.raw,
        )
    ]


def _parse(opened: Opened, opts: ReadOptions) -> Iterator[Item]:
    return mapped(_units(opened.records), _to_posts, opts)


FORMAT = Format(
    "x-v2",
    "X API v2 JSON/JSONL (pages with data/includes/meta, or tweets with id, text, author_id, public_metrics)",
    _matches,
    _parse,
)
