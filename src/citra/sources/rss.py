"""RSS and Atom news feeds: conditional GET through httpx, parsing by feedparser (which never does network
here), keyword filter, and canonical article URLs so one article is stored once however it is linked."""

from __future__ import annotations

import hashlib
import io
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from html.parser import HTMLParser
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import feedparser

from citra.records import Author, FeedState, Platform, Post, PostKind, Rejected
from citra.sources.connector import Fetched, FetchError, Http

if TYPE_CHECKING:
    from citra.config import Settings

MAX_ID = 128  # the store's native_id width
MAX_TEXT = 10_000
TRACKING = frozenset({"fbclid", "gclid", "dclid", "msclkid", "yclid", "igshid", "mc_cid", "mc_eid"})
DEFAULT_PORTS = {"http": 80, "https": 443}
_HTML_TYPES = ("text/html", "application/xhtml+xml")


@dataclass(frozen=True, slots=True)
class RssFeed:
    """One RSS/Atom feed; ``keywords`` (any case) keep only matching entries, empty keeps all."""

    name: str
    url: str
    keywords: tuple[str, ...] = ()

    @property
    def key(self) -> str:
        return self.url

    def fetch(self, http: Http, state: FeedState | None) -> Fetched:
        headers = {"Accept": "application/rss+xml, application/atom+xml, application/xml;q=0.9, */*;q=0.8"}
        if state is not None and state.etag:
            headers["If-None-Match"] = state.etag
        if state is not None and state.last_modified:
            headers["If-Modified-Since"] = state.last_modified
        response = http.get(self.url, headers)
        now = datetime.now(UTC)
        status = response.status_code
        if status == 304:
            kept = state or FeedState(self.url)
            return Fetched(FeedState(self.url, kept.etag, kept.last_modified, now, status))
        if not 200 <= status < 300:
            raise FetchError(f"{self.url}: HTTP {status} {response.reason_phrase}".rstrip(), status)
        parsed = feedparser.parse(
            io.BytesIO(response.content),  # a stream: feedparser must not treat the body as a URL or path
            response_headers={
                "content-type": response.headers.get("content-type", "application/xml"),
                "content-location": str(response.url),
            },
        )
        if not parsed.get("version") and not parsed.entries:
            problem = parsed.get("bozo_exception") or "no RSS or Atom elements"
            raise FetchError(f"{self.url}: not an RSS or Atom feed ({problem})", status)
        language = _language(parsed.feed.get("language"))
        posts, rejected, skipped = to_items(parsed.entries, self.name, self.url, self.keywords, now, language)
        new_state = FeedState(
            self.url, response.headers.get("etag"), response.headers.get("last-modified"), now, status
        )
        return Fetched(new_state, tuple(posts), tuple(rejected), skipped)


def connectors(settings: Settings) -> list[RssFeed]:
    """The workspace's feeds; a feed's own keywords replace the workspace keywords."""
    return [
        RssFeed(f.name, f.url, tuple(f.keywords if f.keywords is not None else settings.keywords))
        for f in settings.feeds
    ]


def to_items(
    entries: Sequence[Mapping[str, Any]],
    feed_name: str,
    feed_url: str,
    keywords: Iterable[str],
    fetched_at: datetime,
    lang: str | None = None,
) -> tuple[list[Post], list[Rejected], int]:
    """Posts from feedparser entries, the entries that cannot be Posts, and how many the filter left out."""
    wanted = [k.casefold() for k in keywords if k.strip()]
    posts: list[Post] = []
    rejected: list[Rejected] = []
    skipped = 0
    for line, entry in enumerate(entries, start=1):
        raw = jsonable(entry)
        try:
            post = to_post(entry, feed_name, fetched_at, lang, raw)
        except ValueError as exc:
            rejected.append(Rejected(feed_url, line, str(exc), raw))
            continue
        if wanted and not any(k in post.text.casefold() for k in wanted):
            skipped += 1
            continue
        posts.append(post)
    return posts, rejected, skipped


def to_post(
    entry: Mapping[str, Any], feed_name: str, fetched_at: datetime, lang: str | None, raw: dict[str, Any]
) -> Post:
    """One article Post; ValueError says why an entry cannot be one."""
    title = _plain(entry.get("title"), entry.get("title_detail"))
    if not title:
        raise ValueError("no title")
    link = str(entry.get("link") or "").strip()
    if not link:
        raise ValueError("no link")
    url = canonical_url(link)
    summary = _plain(entry.get("summary"), entry.get("summary_detail"))
    if not summary and entry.get("content"):
        first = entry["content"][0]
        summary = _plain(first.get("value"), first)
    text = f"{title}\n\n{summary}" if summary and summary != title else title
    author = str(entry.get("author") or "").strip() or None
    return Post(
        platform=Platform.NEWS,
        native_id=native_id(url),
        text=text[:MAX_TEXT],
        created_at=_when(entry, fetched_at),
        url=url,
        author=Author(name=author),
        lang=lang,
        kind=PostKind.ARTICLE,
        query=feed_name,
        raw=raw,
    )


def canonical_url(url: str) -> str:
    """Lower-case scheme and host, no default port, fragment or tracking parameters (utm_*, fbclid, gclid
    ...), remaining parameters sorted, no trailing slash. ValueError for anything but an http(s) URL."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        raise ValueError(f"link is not a valid URL: {url[:200]!r}") from None
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").rstrip(".")
    if scheme not in DEFAULT_PORTS or not host:
        raise ValueError(f"link is not an http(s) URL: {url[:200]!r}")
    netloc = f"[{host}]" if ":" in host else host
    if port is not None and port != DEFAULT_PORTS[scheme]:
        netloc += f":{port}"
    params = [
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if not k.lower().startswith("utm_") and k.lower() not in TRACKING
    ]
    return urlunsplit((scheme, netloc, parts.path.rstrip("/"), urlencode(sorted(params)), ""))


def native_id(url: str) -> str:
    """The canonical URL, or a short stable hash of it when it is longer than the store's id column."""
    if len(url) <= MAX_ID:
        return url
    return "sha256:" + hashlib.sha256(url.encode()).hexdigest()[:40]


class _TextParser(HTMLParser):
    """Text content of an HTML fragment; block elements become line breaks, scripts and styles vanish."""

    BLOCKS = frozenset({"p", "br", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "section"})
    HIDDEN = frozenset({"script", "style", "template"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.HIDDEN:
            self.hidden += 1
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.HIDDEN:
            self.hidden = max(0, self.hidden - 1)
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.parts.append(data)


def strip_html(fragment: str) -> str:
    """Plain text of an HTML fragment, whitespace collapsed within lines, no blank lines."""
    parser = _TextParser()
    parser.feed(fragment)
    parser.close()
    lines = (" ".join(line.split()) for line in "".join(parser.parts).splitlines())
    return "\n".join(line for line in lines if line)


def _plain(value: object, detail: object) -> str:
    if not value:
        return ""
    kind = detail.get("type", "") if isinstance(detail, Mapping) else ""
    text = str(value)
    if kind in _HTML_TYPES or (not kind and "<" in text):
        return strip_html(text)
    return " ".join(text.split())


def _when(entry: Mapping[str, Any], fetched_at: datetime) -> datetime:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        value = entry.get(key)
        if isinstance(value, time.struct_time):
            return datetime(*value[:6], tzinfo=UTC)  # feedparser gives UTC
    return fetched_at


def _language(value: object) -> str | None:
    code = str(value or "").strip().lower().replace("_", "-").split("-")[0]
    return code[:16] or None


def jsonable(value: Any) -> Any:
    """A JSON-serialisable copy of a feedparser value; ``*_parsed`` times become ISO strings."""
    if isinstance(value, time.struct_time):
        return datetime(*value[:6], tzinfo=UTC).isoformat()
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)
