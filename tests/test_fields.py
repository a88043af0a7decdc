from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from citra.sources import fields

WIB = ZoneInfo("Asia/Jakarta")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Wed Oct 10 20:19:24 +0000 2018", datetime(2018, 10, 10, 20, 19, 24, tzinfo=UTC)),
        ("Wed Oct 10 20:19:24 +0700 2018", datetime(2018, 10, 10, 13, 19, 24, tzinfo=UTC)),
        ("2024-01-15T03:12:45.000Z", datetime(2024, 1, 15, 3, 12, 45, tzinfo=UTC)),
        ("2024-01-15T10:12:45+07:00", datetime(2024, 1, 15, 3, 12, 45, tzinfo=UTC)),
        ("2024-01-15 10:12:45", datetime(2024, 1, 15, 3, 12, 45, tzinfo=UTC)),  # naive: workspace zone
        ("15/01/2024 10.12", datetime(2024, 1, 15, 3, 12, tzinfo=UTC)),  # Excel, Indonesian locale
        ("15/01/2024 10:12:45", datetime(2024, 1, 15, 3, 12, 45, tzinfo=UTC)),
        ("05/01/2024 10:12", datetime(2024, 1, 5, 3, 12, tzinfo=UTC)),  # ambiguous: day first
        ("1/15/2024 10:12 PM", datetime(2024, 1, 15, 15, 12, tzinfo=UTC)),  # US order when day > 12
        ("45306.5", datetime(2024, 1, 15, 5, 0, tzinfo=UTC)),  # Excel serial day, local noon
        ("1705288365", datetime(2024, 1, 15, 3, 12, 45, tzinfo=UTC)),  # Unix seconds
        ("1705288365000", datetime(2024, 1, 15, 3, 12, 45, tzinfo=UTC)),  # Unix milliseconds
        ("Mon, 15 Jan 2024 03:12:45 GMT", datetime(2024, 1, 15, 3, 12, 45, tzinfo=UTC)),
    ],
)
def test_timestamps_from_the_wild(value: str, expected: datetime) -> None:
    got = fields.timestamp(value, WIB)
    assert got is not None and got.tzinfo is not None
    assert got == expected


def test_datetime_objects_get_the_zone_when_naive() -> None:
    assert fields.timestamp(datetime(2024, 1, 15, 10), WIB) == datetime(2024, 1, 15, 3, tzinfo=UTC)
    aware = datetime(2024, 1, 15, 10, tzinfo=timezone(timedelta(hours=8)))
    assert fields.timestamp(aware, WIB) == aware


@pytest.mark.parametrize("value", [None, "", "  ", "#N/A", "nan"])
def test_missing_dates_are_none(value: object) -> None:
    assert fields.timestamp(value, WIB) is None


@pytest.mark.parametrize("value", ["kemarin sore", "32/13/2024", "2024-13-45"])
def test_unreadable_dates_raise(value: str) -> None:
    with pytest.raises(fields.FieldError):
        fields.timestamp(value, WIB)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("7", 7),
        ("1.234", 1234),
        ("1,234", 1234),
        ("1 234", 1234),
        ("12.0", 12),
        ("1,2K", 1200),
        ("1.5k", 1500),
        ("3 rb", 3000),
        ("1,5 jt", 1_500_000),
        (15, 15),
        (15.0, 15),
        ("", None),
        ("#VALUE!", None),
        ("abc", None),
        (-3, None),
        (None, None),
    ],
)
def test_counts(value: object, expected: int | None) -> None:
    assert fields.count(value) == expected


def test_ids_mangled_by_excel_are_recovered_from_the_url() -> None:
    url = "https://x.com/wargabekasi/status/1697763123456789012"
    assert fields.native_id("1,69776E+18", url) == "1697763123456789012"
    assert fields.native_id("1.69776e+18", url) == "1697763123456789012"
    assert fields.native_id(1.697763123456789e18, url) == "1697763123456789012"
    assert fields.native_id(None, url) == "1697763123456789012"


def test_ids_mangled_without_a_url_cannot_be_recovered() -> None:
    with pytest.raises(fields.FieldError, match="Excel"):
        fields.native_id("1,69776E+18")


def test_plain_ids() -> None:
    assert fields.native_id("'1697763123456789012") == "1697763123456789012"
    assert fields.native_id("1697763123456789012.0") == "1697763123456789012"
    assert fields.native_id(42) == "42"
    assert fields.native_id("abc_123") == "abc_123"
    assert fields.native_id("") is None


def test_text_destroyed_by_excel_is_an_error_not_a_post() -> None:
    with pytest.raises(fields.FieldError, match="#NAME"):
        fields.text_value("#NAME?")
    assert fields.text_value("  baris satu\nbaris dua 😡 ") == "baris satu\nbaris dua 😡"
    assert fields.text_value("   ") is None
