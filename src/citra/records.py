"""The typed records that flow through citra. Frozen dataclasses, no I/O."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any


class Platform(StrEnum):
    """Where a post was published. Sources map their own names onto these."""

    X = "x"
    INSTAGRAM = "instagram"
    FACEBOOK = "facebook"
    YOUTUBE = "youtube"
    TIKTOK = "tiktok"
    NEWS = "news"
    OTHER = "other"

    @classmethod
    def parse(cls, value: str) -> Platform:
        """Map a user-given platform name (``twitter``, ``IG``, ``fb`` ...) onto a Platform."""
        key = value.strip().lower()
        aliases = {"twitter": "x", "ig": "instagram", "fb": "facebook", "yt": "youtube", "rss": "news", "web": "news"}
        key = aliases.get(key, key)
        try:
            return cls(key)
        except ValueError:
            names = ", ".join(p.value for p in cls)
            raise ValueError(f"unknown platform {value!r}; expected one of: {names}") from None


class PostKind(StrEnum):
    """What kind of message a post is."""

    POST = "post"
    REPLY = "reply"
    QUOTE = "quote"
    REPOST = "repost"
    COMMENT = "comment"
    ARTICLE = "article"


@dataclass(frozen=True, slots=True)
class Author:
    """Who wrote a post, as far as the source tells."""

    id: str | None = None
    handle: str | None = None
    name: str | None = None
    followers: int | None = None


@dataclass(frozen=True, slots=True)
class Engagement:
    """Public engagement figures at capture time; None where the source does not say."""

    likes: int | None = None
    reposts: int | None = None
    replies: int | None = None
    quotes: int | None = None
    views: int | None = None


@dataclass(frozen=True, slots=True)
class Post:
    """One message from any platform: the record every source produces and the store keeps.

    ``created_at`` is timezone-aware; the store keeps it in UTC. ``raw`` is the original record as the
    source gave it (a JSON-serialisable mapping), so no mapping loses data.
    """

    platform: Platform
    native_id: str
    text: str
    created_at: datetime
    url: str | None = None
    author: Author = field(default_factory=Author)
    lang: str | None = None
    conversation_id: str | None = None
    reply_to_id: str | None = None
    kind: PostKind = PostKind.POST
    is_official: bool = False
    engagement: Engagement = field(default_factory=Engagement)
    query: str | None = None
    batch: str | None = None
    raw: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Rejected:
    """An input row that could not become a Post, with where it came from and why."""

    file: str
    line: int
    reason: str
    raw: Any = None
