"""What every network connector (RSS feeds, later the X API v2 and the Meta Graph API) provides, and the one
HTTP helper they share: bounded retries with exponential backoff that honour a short ``Retry-After``.

A connector is one module with a class satisfying ``Connector`` and a ``connectors(settings)`` factory; it is
listed once in ``citra.collect.CONNECTORS``. Connectors never touch the store: they get the last saved
``FeedState`` and return what they fetched and the state to save."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Protocol

import httpx

from citra.errors import SourceError
from citra.records import FeedState, Post, Rejected

USER_AGENT = "citra/0.1 (self-hosted social listening; +https://github.com/citra)"
RETRY_STATUS = frozenset({429, 500, 502, 503, 504})
RETRY_ERRORS = (httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError)
_TRANSFER_HEADERS = frozenset({"content-encoding", "content-length", "transfer-encoding"})


class FetchError(SourceError):
    """A source could not be fetched or read; ``status`` is the HTTP status when there was a response."""

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True, slots=True)
class Fetched:
    """One fetch: new Posts, entries that could not become Posts, entries left out by the keyword filter,
    and the state to save (its ``status`` 304 means nothing changed since the last fetch)."""

    state: FeedState
    posts: tuple[Post, ...] = ()
    rejected: tuple[Rejected, ...] = ()
    skipped: int = 0


class Connector(Protocol):
    """A source fetched over the network. ``key`` names its saved FeedState (a feed URL, an API query)."""

    @property
    def name(self) -> str: ...

    @property
    def key(self) -> str: ...

    def fetch(self, http: Http, state: FeedState | None) -> Fetched:
        """Fetch what is new since ``state``; raise FetchError when the source is unusable."""
        ...


@dataclass(frozen=True, slots=True)
class Retry:
    """Retry policy: at most ``attempts`` tries, waiting ``base * 2**n`` seconds between them, a server's
    ``Retry-After`` when it is at most ``max_retry_after``, and never more than ``budget`` seconds in all."""

    attempts: int = 4
    base: float = 1.0
    max_retry_after: float = 30.0
    budget: float = 60.0


@dataclass
class Http:
    """An ``httpx.Client`` with a retry policy and a bound on response size (the body is untrusted)."""

    client: httpx.Client
    retry: Retry = field(default_factory=Retry)
    max_bytes: int = 20 * 1024 * 1024
    sleep: Callable[[float], None] = time.sleep

    def get(self, url: str, headers: Mapping[str, str] | None = None) -> httpx.Response:
        """GET ``url`` with retries on connection errors, timeouts, 429 and 5xx. Returns the last response
        (which may still be an error status); raises FetchError when no response came at all."""
        waited = 0.0
        for attempt in range(1, self.retry.attempts + 1):
            try:
                response = self._get_once(url, headers)
            except RETRY_ERRORS as exc:
                delay = self._delay(attempt, None, waited)
                if delay is None:
                    raise FetchError(f"cannot fetch {url}: {_describe(exc)}") from None
            except (httpx.HTTPError, httpx.InvalidURL) as exc:  # bad URL, too many redirects: no retry
                raise FetchError(f"cannot fetch {url}: {_describe(exc)}") from None
            else:
                if response.status_code not in RETRY_STATUS:
                    return response
                delay = self._delay(attempt, response.headers.get("retry-after"), waited)
                if delay is None:
                    return response
            self.sleep(delay)
            waited += delay
        raise AssertionError("unreachable: the last attempt returns or raises")

    def _get_once(self, url: str, headers: Mapping[str, str] | None) -> httpx.Response:
        with self.client.stream("GET", url, headers=headers) as response:
            length = response.headers.get("content-length", "")
            if length.isdigit() and int(length) > self.max_bytes:
                raise FetchError(f"{url}: response of {int(length):,} bytes is larger than {self.max_bytes:,}")
            body = bytearray()
            for chunk in response.iter_bytes():
                body += chunk
                if len(body) > self.max_bytes:
                    raise FetchError(f"{url}: response is larger than {self.max_bytes:,} bytes")
        # the body is already decoded: drop the headers that describe the encoded transfer
        headers = [(k, v) for k, v in response.headers.multi_items() if k.lower() not in _TRANSFER_HEADERS]
        return httpx.Response(response.status_code, headers=headers, content=bytes(body), request=response.request)

    def _delay(self, attempt: int, retry_after: str | None, waited: float) -> float | None:
        """Seconds to wait before the next attempt, or None to stop retrying."""
        if attempt >= self.retry.attempts:
            return None
        delay = self.retry.base * 2 ** (attempt - 1)
        if retry_after is not None:
            asked = parse_retry_after(retry_after)
            if asked is not None:
                if asked > self.retry.max_retry_after:
                    return None
                delay = max(delay, asked)
        return delay if waited + delay <= self.retry.budget else None


def parse_retry_after(value: str, now: datetime | None = None) -> float | None:
    """Seconds from a ``Retry-After`` header (delta-seconds or an HTTP date); None when unreadable."""
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def _describe(exc: Exception) -> str:
    text = str(exc).strip()
    if isinstance(exc, httpx.TimeoutException):
        return f"timed out ({text})" if text else "timed out"
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def make_client(timeout: float = 20.0) -> httpx.Client:
    """The HTTP client collectors use: timeouts on every phase, redirects followed, citra's User-Agent."""
    return httpx.Client(
        timeout=httpx.Timeout(timeout, connect=min(timeout, 10.0)),
        follow_redirects=True,
        headers={"User-Agent": USER_AGENT},
    )
