"""Who talks to whom: the repost, quote, reply and mention edges a post makes, read from what every source keeps.

Sources differ in what they say about a post's links (tweet-harvest gives a reply's addressee, X API v2 the
referenced post's id, 4CAT only flags), but all keep the text, and on X the text carries the links: a repost
starts ``RT @handle:``, a reply starts with the addressees' ``@handles``, a quote carries the quoted post's
``/handle/status/`` URL, and any other ``@handle`` is a mention. So the edges come from the text and the kind,
the same way for every source. Pure functions; no I/O."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import regex

from citra.records import Post, PostKind

EDGE_KINDS = ("repost", "quote", "reply", "mention")
HANDLE = regex.compile(r"(?<![\w@])@(\w{1,30})")
HASHTAG = regex.compile(r"(?<![\w#&])#(\w{2,60})")
_RT = regex.compile(r"^\s*RT\s+@(\w{1,30}):?\s*")
_LEADING = regex.compile(r"^(?:\s*@\w{1,30})+")
_STATUS = regex.compile(r"(?:twitter|x)\.com/(\w{1,30})/status(?:es)?/\d+", regex.IGNORECASE)
_REPLIES = frozenset({PostKind.REPLY.value, PostKind.COMMENT.value})


@dataclass(frozen=True, slots=True)
class NetPost:
    """One post as the network sees it: ``handle`` is the author's, lower-case without "@"; ``at`` POSIX
    seconds (UTC); ``kind`` a ``PostKind`` value; ``targets`` the subjects the post is about
    (``"leader:Name"``)."""

    id: int
    handle: str
    at: float
    kind: str
    text: str
    followers: int = 0
    sentiment: str | None = None
    official: bool = False
    targets: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Link:
    """One directed link a post makes from its author to ``target`` (a handle, lower-case)."""

    target: str
    kind: str  # one of EDGE_KINDS


def netpost(post_id: int, post: Post, sentiment: str | None = None, targets: tuple[str, ...] = ()) -> NetPost:
    """The network's view of a stored ``Post``."""
    handle = (post.author.handle or post.author.id or "").lstrip("@").lower()
    return NetPost(
        post_id,
        handle,
        post.created_at.timestamp(),
        post.kind.value,
        post.text,
        post.author.followers or 0,
        sentiment,
        post.is_official,
        targets,
    )


def reposted(text: str) -> tuple[str, str] | None:
    """(source handle, the reposted text) of a ``RT @handle: text`` repost, else None."""
    m = _RT.match(text)
    return (m.group(1).lower(), text[m.end() :]) if m else None


def is_repost(p: NetPost) -> bool:
    return p.kind == PostKind.REPOST.value or _RT.match(p.text) is not None


def links(p: NetPost) -> Iterator[Link]:
    """The links ``p`` makes, without self-links and with each target once per kind: the reposted or quoted
    author, the addressee of a reply (the first leading handle), then every other handle as a mention."""
    text, me = p.text, p.handle
    seen: set[str] = {me}
    rt = reposted(text)
    if rt is not None:
        if rt[0] not in seen:
            seen.add(rt[0])
            yield Link(rt[0], "repost")
        text = rt[1]
    elif p.kind == PostKind.QUOTE.value:
        m = _STATUS.search(text)
        if m and m.group(1).lower() not in seen:
            seen.add(m.group(1).lower())
            yield Link(m.group(1).lower(), "quote")
    if rt is None and p.kind in _REPLIES:
        lead = _LEADING.match(text)
        if lead:
            first = HANDLE.search(lead.group(0))
            if first and first.group(1).lower() not in seen:
                seen.add(first.group(1).lower())
                yield Link(first.group(1).lower(), "reply")
    for m in HANDLE.finditer(text):
        h = m.group(1).lower()
        if h not in seen:
            seen.add(h)
            yield Link(h, "mention")


def hashtags(text: str) -> set[str]:
    """The post's hashtags, lower-case, each once."""
    return {m.group(1).lower() for m in HASHTAG.finditer(text)}
