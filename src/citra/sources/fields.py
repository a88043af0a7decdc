"""Tolerant parsing of the values found in exports from the wild: dates in many shapes, counts written
as ``1.234`` or ``1,2K`` or ``3 rb``, ids mangled by Excel into ``1,69776E+18``, and Excel error cells.

Every parser returns None for "missing"; ``FieldError`` says a value is present but unusable and why.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, tzinfo
from typing import Any

EXCEL_ERRORS = frozenset({"#NAME?", "#VALUE!", "#REF!", "#N/A", "#DIV/0!", "#NUM!", "#NULL!", "#SPILL!", "#CALC!"})
_MISSING = frozenset({"", "nan", "none", "null", "n/a", "-"})
_MISSING_MAX = max(map(len, _MISSING))
_MONTHS = {m: i for i, m in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), start=1)}  # fmt: skip
_MONTHS.update({"mei": 5, "agu": 8, "agt": 8, "okt": 10, "des": 12, "peb": 2, "nop": 11})
_TWITTER = re.compile(r"^\w{3} (\w{3}) +(\d{1,2}) (\d\d):(\d\d):(\d\d) ([+-]\d{4}) (\d{4})$")
_DMY = re.compile(
    r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{2,4})(?:[ T,]+(\d{1,2})[:.](\d{2})(?:[:.](\d{2})(?:[.,](\d{1,6}))?)?"
    r"\s*([AaPp][Mm])?)?$"
)
_SCI = re.compile(r"^\d+(?:[.,]\d+)?[eE]\+?\d+$")
_DIGITS = re.compile(r"^\d+$")
_COUNT = re.compile(r"^(\d+(?:[.,]\d+)?)\s*(k|rb|ribu|m|jt|juta|mio|b|miliar|mlyr)?$", re.IGNORECASE)
_GROUPED = re.compile(r"^\d{1,3}(?:([.,\s])\d{3})(?:\1\d{3})*$")
_STATUS_ID = re.compile(r"/status(?:es)?/(\d+)")
_SCALE = {"k": 1e3, "rb": 1e3, "ribu": 1e3, "m": 1e6, "jt": 1e6, "juta": 1e6, "mio": 1e6, "b": 1e9,
          "miliar": 1e9, "mlyr": 1e9}  # fmt: skip
_EXCEL_EPOCH = datetime(1899, 12, 30)


class FieldError(ValueError):
    """A value is present but cannot be used; the message says why."""


def clean(value: Any) -> str | None:
    """A cell as stripped text, None when empty or an Excel error (#NAME?, #N/A, ...)."""
    if value is None:
        return None
    text = value if isinstance(value, str) else str(value)
    text = text.strip()
    # The guards skip the set look-ups for ordinary values: every Excel error starts with "#", and lower()
    # never shortens a string, so nothing longer than the longest missing marker can be one.
    if (
        not text
        or (text[0] == "#" and text in EXCEL_ERRORS)
        or (len(text) <= _MISSING_MAX and text.lower() in _MISSING)
    ):
        return None
    return text


def text_value(value: Any) -> str | None:
    """Post text: kept as written (line breaks, emoji); None when empty; FieldError when Excel destroyed it."""
    if value is None:
        return None
    text = value if isinstance(value, str) else str(value)
    stripped = text.strip()
    if stripped in EXCEL_ERRORS:
        raise FieldError(f"text lost: Excel replaced it with {stripped} (the cell started with = + - or @)")
    return stripped or None


def native_id(value: Any, url: str | None = None) -> str | None:
    """An id as digits or text. Excel's ``1,69776E+18`` is recovered from the status URL when one is given,
    otherwise it is a FieldError: the digits are gone."""
    if type(value) is str and value.isascii() and value.isdigit():
        return value  # fast path: plain digits, as well-formed exports write ids
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int):
        text: str | None = str(value)
        if value > 2**53 and url:  # a float that went through Excel may have lost its last digits
            recovered = _id_from_url(url)
            text = recovered or text
        return text
    text = clean(value)
    if text is None:
        return _id_from_url(url) if url else None
    text = text.lstrip("'")
    if text.endswith(".0") and _DIGITS.match(text[:-2]):
        text = text[:-2]
    if _SCI.match(text):
        recovered = _id_from_url(url) if url else None
        if recovered:
            return recovered
        raise FieldError(f"id {text!r} was turned into a rounded number by Excel and cannot be recovered")
    return text


def _id_from_url(url: str) -> str | None:
    match = _STATUS_ID.search(url)
    return match.group(1) if match else None


def count(value: Any) -> int | None:
    """An engagement count; ``1.234``, ``1,234``, ``1,2K``, ``3 rb``, ``1,5 jt`` and ``12.0`` all read."""
    if type(value) is str and value.isascii() and value.isdigit():
        return int(value)  # fast path: plain digits, as well-formed exports write counts
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value >= 0 else None
    if isinstance(value, float):
        return int(value) if value == value and value >= 0 else None
    text = clean(value)
    if text is None:
        return None
    if _DIGITS.match(text):
        return int(text)
    if _GROUPED.match(text):
        return int(re.sub(r"[.,\s]", "", text))
    match = _COUNT.match(text.replace(" ", "") if " " in text else text)
    if not match:
        return None
    number = float(match.group(1).replace(",", "."))
    suffix = match.group(2)
    return round(number * _SCALE[suffix.lower()]) if suffix else int(number)


def timestamp(value: Any, tz: tzinfo = UTC) -> datetime | None:
    """A timezone-aware datetime from ISO 8601, Twitter's ``Wed Oct 10 20:19:24 +0000 2018``, day-first
    dates as Excel writes them in Indonesia (``15/01/2024 10.12``), Unix seconds or milliseconds, or an
    Excel serial day number. Naive values are taken to be in ``tz``. FieldError when present but unreadable."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=tz)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return _from_number(float(value), tz)
    if type(value) is str and value[:1].isdigit() and not value[-1].isspace():
        text: str | None = value  # fast path: what clean() returns for it (no blanks around, not a marker)
    else:
        text = clean(value)
        if text is None:
            return None
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        parsed = _other_forms(text, tz)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=tz)


def _other_forms(text: str, tz: tzinfo) -> datetime:
    match = _TWITTER.match(text)
    if match:
        mon, day, hh, mm, ss, offset, year = match.groups()
        month = _MONTHS.get(mon.lower())
        if month:
            sign = 1 if offset[0] == "+" else -1
            delta = timedelta(hours=int(offset[1:3]), minutes=int(offset[3:5])) * sign
            return datetime(int(year), month, int(day), int(hh), int(mm), int(ss), tzinfo=UTC) - delta
    match = _DMY.match(text)
    if match:
        return _day_first(match.groups())
    if re.fullmatch(r"\d+(\.\d+)?", text):
        return _from_number(float(text), tz)
    try:  # RFC 2822 (feeds, some exports)
        from email.utils import parsedate_to_datetime

        return parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        pass
    raise FieldError(f"unreadable date {text!r}")


def _day_first(groups: tuple[str | None, ...]) -> datetime:
    a, b, year, hh, mm, ss, frac, ampm = groups
    first, second = int(a or 0), int(b or 0)
    day, month = (second, first) if first <= 12 < second else (first, second)  # day-first unless impossible
    full_year = int(year or 0)
    if full_year < 100:
        full_year += 2000
    hour = int(hh or 0)
    if ampm:
        hour = hour % 12 + (12 if ampm.lower() == "pm" else 0)
    micro = int((frac or "0").ljust(6, "0")[:6])
    try:
        return datetime(full_year, month, day, hour, int(mm or 0), int(ss or 0), micro)
    except ValueError as exc:
        raise FieldError(f"unreadable date {'/'.join(str(g) for g in (a, b, year))}: {exc}") from None


def _from_number(number: float, tz: tzinfo) -> datetime:
    if 20_000 < number < 80_000:  # Excel serial day (1954..2119), in local time
        return (_EXCEL_EPOCH + timedelta(days=number)).replace(tzinfo=tz)
    if number > 1e11:  # milliseconds since the epoch
        number /= 1000.0
    if 1e8 < number < 1e10:
        return datetime.fromtimestamp(number, UTC)
    raise FieldError(f"number {number!r} is not a date")
