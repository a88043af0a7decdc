"""What every file format module provides, and the options a read runs with."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, tzinfo

from citra.records import Platform, Post, Rejected
from citra.sources.fields import FieldError
from citra.sources.files import Opened, Record
from citra.sources.limits import post_problem

Item = Post | Rejected


@dataclass(frozen=True)
class ReadOptions:
    """How to read files: ``platform`` overrides the format's own, ``tz`` applies to naive timestamps,
    ``column_map`` maps citra fields to columns for generic tables, ``official`` holds the workspace's
    (platform, lower-case handle) pairs, ``query`` names what captured the posts."""

    platform: Platform | None = None
    tz: tzinfo = UTC
    column_map: Mapping[str, str] = field(default_factory=dict)
    official: frozenset[tuple[str, str]] = frozenset()
    query: str | None = None

    def is_official(self, platform: Platform, handle: str | None, author_id: str | None = None) -> bool:
        if not self.official:
            return False
        return (handle is not None and (platform.value, handle.lstrip("@").lower()) in self.official) or (
            author_id is not None and (platform.value, author_id.lower()) in self.official
        )


@dataclass(frozen=True)
class Format:
    """A file format: a name, a test on an opened file's container and keys, and a parser.

    ``parse`` turns records into Posts and Rejected items; it never raises for one bad row."""

    name: str
    description: str
    matches: Callable[[Opened], bool]
    parse: Callable[[Opened, ReadOptions], Iterator[Item]]


def mapped(
    records: Iterator[Record], to_posts: Callable[[Record, ReadOptions], list[Post]], opts: ReadOptions
) -> Iterator[Item]:
    """Run ``to_posts`` over each record; unusable records and FieldErrors become Rejected items."""
    for rec in records:
        if rec.data is None:
            yield Rejected(rec.file, rec.line, rec.problem or "unusable record", rec.raw)
            continue
        try:
            posts = to_posts(rec, opts)
        except FieldError as exc:
            yield Rejected(rec.file, rec.line, str(exc), rec.raw if rec.raw is not None else rec.data)
            continue
        except (KeyError, TypeError, AttributeError, ValueError) as exc:
            yield Rejected(rec.file, rec.line, f"unexpected shape: {type(exc).__name__}: {exc}", rec.data)
            continue
        for post in posts:
            problem = post_problem(post)
            if problem is None:
                yield post
            else:
                yield Rejected(rec.file, rec.line, problem, rec.raw if rec.raw is not None else rec.data)


def require(value: object, what: str) -> None:
    """FieldError ``no <what>`` when a required value is missing."""
    if value is None:
        raise FieldError(f"no {what}")
