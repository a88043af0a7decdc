"""Bounds on what one input file may ask of citra: nesting depth, line and record size, field size,
decompressed size and ratio. Export files come from outside (a scraper, a colleague's laptop, an attacker),
and without these bounds one crafted file of a few hundred kilobytes can take many gigabytes of memory.

A whole file that breaks a bound is refused with one line (``SourceError``); a row that does is rejected
with its reason and the rows around it are kept. docs/ingest.md lists the figures."""

from __future__ import annotations

import gzip
import zipfile
from pathlib import Path
from typing import IO, TYPE_CHECKING

from citra.errors import SourceError

if TYPE_CHECKING:
    from citra.records import Post

MAX_DEPTH = 64  # JSON nesting (objects and arrays); real exports use fewer than 10
MAX_LINE = 4 * 1024 * 1024  # bytes in one CSV or JSON line, or one item of a JSON array
MAX_FIELD = 1_000_000  # characters in one field (a CSV cell, a JSON string)
MAX_DOCUMENT = 256 * 1024 * 1024  # bytes of a single JSON document (an API page) read whole
MAX_RATIO = 100  # decompressed bytes per compressed byte (.gz, .xlsx), once past RATIO_FLOOR
RATIO_FLOOR = 64 * 1024 * 1024  # small files may compress very well; the ratio is judged beyond this
MAX_DECOMPRESSED = 32 * 1024 * 1024 * 1024  # bytes a compressed file may expand to

_OPEN_SQUARE, _OPEN_CURLY = ord("["), ord("{")
_NOT_BRACKET = bytes(b for b in range(256) if b not in b"[]{}")


class TooDeep(SourceError):
    """JSON nested deeper than MAX_DEPTH, or one JSON item larger than MAX_LINE."""


class JsonGuard:
    """Follows the nesting of a JSON byte stream fed in pieces, at C speed (regular expressions and
    ``bytes.translate``, no Python loop per character), and raises TooDeep when it passes ``depth``.

    Strings are cut out (escapes first, an open string carried to the next piece), leaving the brackets,
    whose running depth is a cumulative sum. A file is not checked for well-formedness here: the parser
    does that. ``item`` bounds the bytes read while inside one item of the
    top-level array (depth 2 or more, or an unfinished string)."""

    def __init__(self, name: str, depth: int = MAX_DEPTH, item: int = MAX_LINE) -> None:
        self.name = name
        self.depth = depth
        self.item = item
        self._open = 0  # depth at the end of what was fed
        self._carry = b""  # trailing backslashes of the last piece
        self._in_string = False
        self._inside = 0  # bytes read since the stream was last at the top level

    def feed(self, piece: bytes) -> None:
        data = self._carry + piece
        stripped = data.rstrip(b"\\")
        self._carry = data[len(stripped) :]
        # escaped backslashes first, then escaped quotes: what is left of each string is between plain quotes
        data = stripped.replace(b"\\\\", b"").replace(b'\\"', b"")
        started_in_string = self._in_string
        quotes = data.count(b'"')
        if started_in_string:
            data = b'"' + data
        self._in_string = (quotes + started_in_string) % 2 == 1
        if self._in_string:
            data += b'"'
        brackets = b"".join(data.split(b'"')[0::2]).translate(None, _NOT_BRACKET)
        if brackets:
            import numpy as np  # only JSON files need it (about 14 MB of memory)

            steps = np.frombuffer(brackets, dtype=np.uint8)
            depths = np.cumsum(np.where((steps == _OPEN_SQUARE) | (steps == _OPEN_CURLY), 1, -1)) + self._open
            deepest, lowest, self._open = int(depths.max()), int(depths.min()), int(depths[-1])
            if deepest > self.depth:
                raise TooDeep(f"{self.name}: JSON nested more than {self.depth} levels deep; refused")
        else:
            lowest = self._open
        if lowest <= 1 and not (started_in_string and self._in_string and not quotes):
            self._inside = 0
        else:
            self._inside += len(piece)
            if self._inside > self.item:
                raise TooDeep(f"{self.name}: a JSON item is larger than {self.item:,} bytes; refused")


def too_deep(text: str, depth: int = MAX_DEPTH) -> bool:
    """Whether one JSON text (a line) nests deeper than ``depth``; cheap when it has few brackets."""
    if text.count("{") + text.count("[") <= depth:
        return False
    try:
        JsonGuard("", depth, item=len(text) * 4 + 1).feed(text.encode("utf-8", "surrogatepass"))
    except TooDeep:
        return True
    return False


class GuardedStream:
    """A binary stream (a gzip member or a plain file) that refuses to expand beyond MAX_DECOMPRESSED or
    MAX_RATIO times the compressed bytes read, and optionally feeds a JsonGuard with what it reads."""

    def __init__(self, name: str, stream: IO[bytes], compressed: IO[bytes] | None) -> None:
        self.name = name
        self._stream = stream
        self._compressed = compressed
        self._out = 0
        self.json: JsonGuard | None = None

    def _count(self, data: bytes) -> bytes:
        self._out += len(data)
        if self._compressed is not None and self._out > RATIO_FLOOR:
            if self._out > MAX_DECOMPRESSED:
                raise SourceError(f"{self.name}: decompresses to more than {MAX_DECOMPRESSED:,} bytes; refused")
            if self._out > MAX_RATIO * max(self._compressed.tell(), 1):
                raise SourceError(
                    f"{self.name}: decompresses to more than {MAX_RATIO} times its size (a zip bomb?); refused"
                )
        if self.json is not None:
            self.json.feed(data)
        return data

    def read(self, size: int = -1) -> bytes:
        return self._count(self._stream.read(size))

    def readline(self, size: int = -1) -> bytes:
        return self._count(self._stream.readline(size))

    def seek(self, offset: int) -> None:
        self._stream.seek(offset)
        self._out = offset

    def close(self) -> None:
        self._stream.close()
        if self._compressed is not None:
            self._compressed.close()

    def __enter__(self) -> GuardedStream:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_guarded(path: Path) -> GuardedStream:
    """``path`` as bytes, gunzipped when it starts with the gzip magic, with the bounds above."""
    raw = path.open("rb")
    if raw.read(2) == b"\x1f\x8b":
        raw.seek(0)
        return GuardedStream(str(path), gzip.GzipFile(fileobj=raw, mode="rb"), raw)
    raw.seek(0)
    return GuardedStream(str(path), raw, None)


def check_zip(path: Path) -> None:
    """Refuse a workbook whose members would expand beyond MAX_DECOMPRESSED or MAX_RATIO times its size."""
    try:
        with zipfile.ZipFile(path) as archive:
            expanded = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return  # not a zip: the workbook reader says so
    size = max(path.stat().st_size, 1)
    if expanded > MAX_DECOMPRESSED:
        raise SourceError(f"{path}: decompresses to more than {MAX_DECOMPRESSED:,} bytes; refused")
    if expanded > RATIO_FLOOR and expanded > MAX_RATIO * size:
        raise SourceError(f"{path}: decompresses to more than {MAX_RATIO} times its size (a zip bomb?); refused")


# Columns the store bounds (PostgreSQL enforces their lengths; SQLite would keep anything).
_ID_FIELDS = (
    ("native_id", "id", 128),
    ("conversation_id", "conversation id", 128),
    ("reply_to_id", "reply-to id", 128),
)
_INT64_MAX = 2**63 - 1


def _huge(value: int | None) -> bool:
    return value is not None and not -_INT64_MAX <= value <= _INT64_MAX


def post_problem(post: Post) -> str | None:
    """Why a Post cannot be stored as it is (a value longer or larger than its column), else None."""
    a, e = post.author, post.engagement
    conversation, reply, author_id, handle, lang = post.conversation_id, post.reply_to_id, a.id, a.handle, post.lang
    # the common case in plain comparisons (a few hundred nanoseconds a post); the reason only when one fails
    if not (
        len(post.native_id) > 128
        or (conversation is not None and len(conversation) > 128)
        or (reply is not None and len(reply) > 128)
        or (author_id is not None and len(author_id) > 128)
        or (handle is not None and len(handle) > 256)
        or (lang is not None and len(lang) > 16)
        or _huge(e.likes) or _huge(e.reposts) or _huge(e.replies) or _huge(e.quotes) or _huge(e.views)
        or _huge(a.followers)
    ):  # fmt: skip
        return None
    counts = (e.likes, e.reposts, e.replies, e.quotes, e.views, a.followers)
    for name, what, limit in _ID_FIELDS:
        value = getattr(post, name)
        if value is not None and len(value) > limit:
            return f"{what} longer than {limit} characters"
    if a.id is not None and len(a.id) > 128:
        return "author id longer than 128 characters"
    if a.handle is not None and len(a.handle) > 256:
        return "author handle longer than 256 characters"
    if post.lang is not None and len(post.lang) > 16:
        return "language code longer than 16 characters"
    names = ("likes", "reposts", "replies", "quotes", "views", "followers")
    return next(
        f"{n} out of range: {v}" for n, v in zip(names, counts, strict=True) if v is not None and abs(v) > _INT64_MAX
    )
