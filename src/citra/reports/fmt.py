"""Indonesian formatting of numbers, shares, dates and durations for the report (1.234; 45,6%; 18 Agustus 2024)."""

from __future__ import annotations

import math
from datetime import date, datetime

MONTHS = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)
MONTHS_SHORT = ("Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des")
DAYS = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")
SEVERITY = {"low": "rendah", "medium": "sedang", "high": "tinggi", "critical": "kritis"}
STATUS = {"open": "masih berlangsung", "closed": "selesai"}
NONE = "–"


def _swap(text: str) -> str:
    """English separators (1,234.5) to Indonesian ones (1.234,5)."""
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def _missing(value: float | None) -> bool:
    return value is None or (isinstance(value, float) and not math.isfinite(value))


def number(value: float | None, digits: int = 0) -> str:
    """1234 -> '1.234'; 3.14159 with 2 digits -> '3,14'; None -> '–'."""
    if _missing(value):
        return NONE
    assert value is not None
    text = f"{value:,.{digits}f}"
    if text.startswith("-") and not float(text[1:].replace(",", "")):
        text = text[1:]  # no "-0,0"
    return _swap(text)


def percent(share: float | None, digits: int = 1) -> str:
    """0.456 -> '45,6%'."""
    return NONE if _missing(share) else number(100 * share, digits) + "%"  # type: ignore[operator]


def signed(value: float | None, digits: int = 1, unit: str = "") -> str:
    """A change with its sign: +1,2 / −3,0 / 0,0 (followed by `` unit`` when given)."""
    if _missing(value):
        return NONE
    assert value is not None
    text = number(abs(value), digits)
    zero = text.strip("0,") == ""
    sign = "" if zero else "+" if value > 0 else "-"
    return sign + text + (f" {unit}" if unit else "")


def points(delta_share: float | None, digits: int = 1) -> str:
    """A change of a share in percentage points: 0.021 -> '+2,1 poin persen'."""
    return NONE if _missing(delta_share) else signed(100 * delta_share, digits, "poin persen")  # type: ignore[operator]


def day(value: date | datetime) -> str:
    """18 Agustus 2024."""
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"


def day_short(value: date | datetime) -> str:
    """18 Agu."""
    return f"{value.day} {MONTHS_SHORT[value.month - 1]}"


def moment(value: datetime) -> str:
    """18 Agustus 2024 pukul 14.00 (the caller converts to the local zone)."""
    return f"{day(value)} pukul {value.hour:02d}.{value.minute:02d}"


def month(value: date | datetime) -> str:
    """Agustus 2024."""
    return f"{MONTHS[value.month - 1]} {value.year}"


def duration(minutes: float | None) -> str:
    """45 -> '45 menit'; 228 -> '3 jam 48 menit'; 3000 -> '2 hari 2 jam'."""
    if _missing(minutes):
        return NONE
    assert minutes is not None
    total = round(minutes)
    if total < 60:
        return f"{total} menit"
    hours, mins = divmod(total, 60)
    if hours < 24:
        return f"{hours} jam" + (f" {mins} menit" if mins else "")
    days, hours = divmod(hours, 24)
    return f"{days} hari" + (f" {hours} jam" if hours else "")


def slot(weekday: int, hour: int) -> str:
    """Senin pukul 12.00."""
    return f"{DAYS[weekday]} pukul {hour:02d}.00"


def effect(value: float | None, metric: str) -> str:
    """An intervention's mean daily effect in the unit of its metric: shares in percentage points, volume in posts
    (a day), the index in points."""
    if _missing(value):
        return NONE
    assert value is not None
    if metric in ("net_sentiment", "negative_share"):
        return points(value)
    if metric == "volume":
        return signed(value, 0, "unggahan")
    return signed(value, 1, "poin")
