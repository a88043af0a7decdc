"""The fast paths added for bulk ingest give exactly what the tolerant slow paths give.

Each ``_reference_*`` function is the implementation as it was before the fast path, kept here verbatim, and
the tests compare results (or the error raised) on generated and hand-picked values.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from citra.records import Author, Engagement, Platform, Post
from citra.sources import fields, files
from citra.sources.fields import EXCEL_ERRORS, FieldError
from citra.store import bulk

WIB = ZoneInfo("Asia/Jakarta")


# the slow paths, verbatim -----------------------------------------------------------------------------------


def _reference_clean(value: Any) -> str | None:
    if value is None:
        return None
    text = value if isinstance(value, str) else str(value)
    text = text.strip()
    if not text or text in EXCEL_ERRORS or text.lower() in fields._MISSING:
        return None
    return text


def _reference_native_id(value: Any, url: str | None = None) -> str | None:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int):
        text: str | None = str(value)
        if value > 2**53 and url:
            recovered = fields._id_from_url(url)
            text = recovered or text
        return text
    text = _reference_clean(value)
    if text is None:
        return fields._id_from_url(url) if url else None
    text = text.lstrip("'")
    if text.endswith(".0") and fields._DIGITS.match(text[:-2]):
        text = text[:-2]
    if fields._SCI.match(text):
        recovered = fields._id_from_url(url) if url else None
        if recovered:
            return recovered
        raise FieldError(f"id {text!r} was turned into a rounded number by Excel and cannot be recovered")
    return text


def _reference_count(value: Any) -> int | None:
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value >= 0 else None
    if isinstance(value, float):
        return int(value) if value == value and value >= 0 else None
    text = _reference_clean(value)
    if text is None:
        return None
    if fields._DIGITS.match(text):
        return int(text)
    if fields._GROUPED.match(text):
        return int(re.sub(r"[.,\s]", "", text))
    match = fields._COUNT.match(text.replace(" ", "") if " " in text else text)
    if not match:
        return None
    number = float(match.group(1).replace(",", "."))
    suffix = match.group(2)
    return int(round(number * fields._SCALE[suffix.lower()])) if suffix else int(number)  # noqa: RUF046


def _reference_timestamp(value: Any, tz: tzinfo = UTC) -> datetime | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=tz)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return fields._from_number(float(value), tz)
    text = _reference_clean(value)
    if text is None:
        return None
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        parsed = fields._other_forms(text, tz)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=tz)


def _reference_sqlite_time(value: datetime) -> str:
    return value.astimezone(UTC).replace(tzinfo=None).isoformat(" ", "microseconds")


def _outcome(fn: Callable[..., Any], *args: Any) -> tuple[str, Any]:
    """What a call returns, or which error it raises with which message."""
    try:
        result = fn(*args)
    except (FieldError, ValueError, OverflowError) as exc:
        return "raises", (type(exc), str(exc))
    return "returns", (type(result), result)


# values -------------------------------------------------------------------------------------------------------

TRICKY = [
    "", " ", "\t\n", "0", "7", " 7 ", "007", "12\n", "1697763123456789012", "'1697763123456789012",
    "1697763123456789012.0", "1,69776E+18", "1.69776e+18", "1.234", "1,234", "1 234", "12.0", "1,2K", "1.5k",
    "3 rb", "1,5 jt", "2 juta", "-", "-5", "+5", "nan", "NaN", "None", "NULL", "n/a", "N/A", "#NAME?", " #N/A ",
    "#VALUE!", "#", "#hashtag", "٣", "١٢", "²", "½", "İ", "İİİ", "ǅ", "abc_123", "x" * 300, "9" * 5000,
    "2024-01-15T03:12:45.000Z", " 2024-01-15T03:12:45.000Z", "2024-01-15T03:12:45.000Z\n", "2024-01-15",
    "2024-01-15 10:12:45", "15/01/2024 10.12", "1/15/2024 10:12 PM", "45306.5", "1705288365", "1705288365000",
    "Wed Oct 10 20:19:24 +0000 2018", "Mon, 15 Jan 2024 03:12:45 GMT", "2024-13-45", "32/13/2024", "2024-01-15T25:00",
    "20240115", "2024-W03-1", "2024-01-15T03:12:45+07:00", "0001-01-01T00:00:00+01:00", "2024\u00a0",
]  # fmt: skip
values = st.one_of(
    st.sampled_from(TRICKY),
    st.text(),
    st.text(alphabet="0123456789 .,+-eEkKmbrjt'#/:TZ\t\n\u00a0٣²", max_size=24),
    st.from_regex(r"\A\s?\d{1,20}(\.0)?\s?\Z"),
    st.integers(min_value=-(2**64), max_value=2**64),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.none(),
)
iso_text = st.builds(
    lambda d, sep, spec, z: d.isoformat(sep, spec) + z,
    st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(2100, 1, 1)),
    st.sampled_from(["T", " "]),
    st.sampled_from(["auto", "seconds", "milliseconds", "microseconds", "minutes"]),
    st.sampled_from(["", "Z", "+07:00", "-03:30", " ", "\n"]),
)
urls = st.one_of(st.none(), st.just("https://x.com/wargabekasi/status/1697763123456789012"), st.text(max_size=40))


# tests --------------------------------------------------------------------------------------------------------


@settings(max_examples=800)
@given(values)
def test_clean_fast_path(value: Any) -> None:
    assert _outcome(fields.clean, value) == _outcome(_reference_clean, value)


@settings(max_examples=800)
@given(values, urls)
def test_native_id_fast_path(value: Any, url: str | None) -> None:
    assert _outcome(fields.native_id, value, url) == _outcome(_reference_native_id, value, url)


@settings(max_examples=800)
@given(values)
@example("9" * 5000)  # too many digits for int(): both raise the same ValueError
def test_count_fast_path(value: Any) -> None:
    assert _outcome(fields.count, value) == _outcome(_reference_count, value)


@settings(max_examples=800)
@given(st.one_of(values, iso_text), st.sampled_from([UTC, WIB, timezone(timedelta(hours=-5))]))
def test_timestamp_fast_path(value: Any, tz: tzinfo) -> None:
    assert _outcome(fields.timestamp, value, tz) == _outcome(_reference_timestamp, value, tz)


@given(
    st.datetimes(
        min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30),
        timezones=st.sampled_from([UTC, WIB, timezone(timedelta(hours=-11)), timezone(timedelta(hours=14))]),
    )
)  # fmt: skip
def test_sqlite_time_matches_the_naive_isoformat(value: datetime) -> None:
    assert bulk._sqlite_time(value) == _reference_sqlite_time(value)
    naive = value.replace(tzinfo=None)  # taken as local time by both
    assert bulk._sqlite_time(naive) == _reference_sqlite_time(naive)


@given(
    st.lists(
        st.tuples(
            st.one_of(st.none(), st.text(max_size=5)), st.one_of(st.none(), st.integers(0, 9)),
            st.one_of(st.none(), st.integers(0, 9)), st.one_of(st.none(), st.just("q")),
        ),
        min_size=1, max_size=6,
    )
)  # fmt: skip
def test_empty_columns_written_as_null_store_the_same_rows(specs: list[tuple[Any, ...]]) -> None:
    created = datetime(2024, 1, 15, 3, 12, 45, tzinfo=UTC)
    posts = [
        Post(
            Platform.X, str(i), "teks", created, url=url, author=Author("1", "h", None, followers),
            engagement=Engagement(likes, None, None, None, None), query=query, raw={"i": i},
        )
        for i, (url, followers, likes, query) in enumerate(specs)
    ]  # fmt: skip
    rows = [bulk._row(p, "b", "now", bulk._sqlite_time(p.created_at), "{}", 0) for p in posts]

    def stored(sql: str, bound: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
        con = sqlite3.connect(":memory:")
        con.execute(bulk._SQLITE_STAGE)
        con.executemany(sql, bound)
        return con.execute(f"SELECT {', '.join(bulk.COLUMNS)} FROM posts_stage ORDER BY native_id").fetchall()

    assert stored(*bulk._without_empty_columns(rows)) == stored(bulk._stage_sql(), rows)


@pytest.mark.parametrize("cut", [1, 2, 3])
def test_encoding_prescan_reads_characters_split_between_pieces(tmp_path: Path, cut: int) -> None:
    """The prescan decodes in pieces of files._SCAN_CHUNK bytes; a character cut by a piece boundary is read
    whole; a byte that is not UTF-8 beside real UTF-8 leaves the file UTF-8 (that line is decoded on its own),
    and such bytes with no UTF-8 beyond ASCII make it cp1252."""
    emoji = "😡".encode()
    head = b"a" * (files._SCAN_CHUNK - cut)
    utf8 = tmp_path / "utf8.csv"
    utf8.write_bytes(head + emoji + b"\n" + b"b" * 100)
    assert files.detect_encoding(utf8) == "utf-8-sig"
    excel = tmp_path / "cp1252.csv"
    excel.write_bytes(head + emoji + b"\n" + b"b" * files._SCAN_CHUNK + "é".encode("cp1252"))
    assert files.detect_encoding(excel) == "utf-8"
    excel.write_bytes(head + b"\n" + b"b" * files._SCAN_CHUNK + "é".encode("cp1252"))
    assert files.detect_encoding(excel) == "cp1252"
