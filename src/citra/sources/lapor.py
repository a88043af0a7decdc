"""SP4N-LAPOR! complaint exports (XLSX or CSV from a K/L/D admin's "rekap laporan") and regional complaint portals
of the same shape: one complaint per row, written to the government and dispositioned to an agency (OPD).

Columns are found by name after folding case, spacing, punctuation and a bracketed suffix (``Instansi Terdisposisi
(SKPD)``, ``TRACKING_ID`` and ``tracking id`` are the same column), in the several versions exports and portals
use. The export's own XLSX starts with a few lines about the export (title, agency, date generated) above the
table: the header is the first row that names a tracking id, a text and a date column.

A Post's text is the citizen's original report (``Isi Laporan Awal``), else the edited one (``Isi Laporan
Akhir``), else the title; the whole row stays in ``raw``, so the title, category, status and the agency the city
routed the complaint to (``Instansi Terdisposisi``) are kept. ``lapor_fields`` names those columns for training
a router on the city's own routing (``citra train routing``). The reporter's name becomes the author only when the
report is neither anonymous nor confidential.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Sequence
from datetime import datetime, time, timedelta, tzinfo
from typing import Any

from citra.errors import SourceError
from citra.records import Author, Platform, Post, Rejected
from citra.sources import fields, tabular
from citra.sources.base import Format, Item, ReadOptions, require
from citra.sources.files import Opened, Record
from citra.sources.limits import post_problem

NAMES: dict[str, tuple[str, ...]] = {
    "id": (
        "tracking id", "trackingid", "id tracking", "no tracking", "nomor tracking", "kode tracking", "id laporan",
        "nomor laporan", "no laporan", "kode laporan", "nomor tiket", "no tiket", "id pengaduan", "nomor pengaduan",
        "no pengaduan", "kode pengaduan", "id aduan", "nomor aduan", "no aduan", "kode aduan", "tiket",
    ),
    "date": (
        "tanggal laporan masuk", "tanggal masuk", "tgl laporan masuk", "tgl masuk", "tanggal laporan", "tgl laporan",
        "tanggal pengaduan", "tgl pengaduan", "tanggal aduan", "tgl aduan", "waktu laporan", "tanggal kirim",
        "tanggal dibuat", "tanggal buat", "tanggal", "tgl", "created at", "date",
    ),
    "time": ("waktu laporan masuk", "jam laporan masuk", "waktu masuk", "jam masuk", "jam"),
    "text": (
        "isi laporan awal", "isi laporan", "isi pengaduan", "isi aduan", "uraian laporan", "uraian pengaduan",
        "uraian aduan", "uraian", "isi", "deskripsi", "keluhan", "content", "text",
    ),
    "text_final": ("isi laporan akhir",),
    "title": ("judul laporan", "judul pengaduan", "judul aduan", "judul", "perihal", "title"),
    "category": ("kategori", "kategori laporan", "kategori pengaduan", "kategori aduan", "topik", "category"),
    "agency": (
        "instansi terdisposisi", "instansi disposisi", "disposisi", "dinas tujuan", "instansi tujuan", "opd tujuan",
        "skpd tujuan", "opd terdisposisi", "skpd terdisposisi", "opd penanggung jawab", "perangkat daerah", "opd",
        "skpd", "unit kerja", "instansi penanganan", "instansi",
    ),
    "status": ("status laporan", "status final", "status pengaduan", "status aduan", "status"),
    "reporter": ("nama pelapor", "pelapor"),
    "privacy": ("tipe laporan", "jenis laporan pelapor", "tipe pelapor"),
    "url": ("url laporan", "link laporan", "url", "link", "tautan"),
}  # fmt: skip
REQUIRED = ("id", "date")
_PRIVATE = ("anonim", "rahasia", "anonymous", "confidential")
_BRACKETS = re.compile(r"\([^)]*\)|\[[^\]]*\]")
_NON_WORD = re.compile(r"[^0-9a-z]+")
_NAMED_DATE = re.compile(
    r"^(?:[a-z]+,\s*)?(\d{1,2})[\s-]+([a-z]+)\.?[\s-]+(\d{4})(?:[\s,T]+(\d{1,2})[:.](\d{2})(?:[:.](\d{2}))?)?$"
)
_CLOCK = re.compile(r"^(\d{1,2})[:.](\d{2})(?:[:.](\d{2}))?(?:\s*(?:WIB|WITA|WIT))?$", re.IGNORECASE)
_MONTHS = {
    **dict.fromkeys(("jan", "januari", "january"), 1), **dict.fromkeys(("feb", "peb", "februari", "february"), 2),
    **dict.fromkeys(("mar", "maret", "march"), 3), **dict.fromkeys(("apr", "april"), 4),
    **dict.fromkeys(("mei", "may"), 5), **dict.fromkeys(("jun", "juni", "june"), 6),
    **dict.fromkeys(("jul", "juli", "july"), 7), **dict.fromkeys(("agu", "agt", "agus", "agustus", "aug", "august"), 8),
    **dict.fromkeys(("sep", "sept", "september"), 9), **dict.fromkeys(("okt", "oct", "oktober", "october"), 10),
    **dict.fromkeys(("nov", "nop", "november", "nopember"), 11),
    **dict.fromkeys(("des", "dec", "desember", "december"), 12),
}  # fmt: skip


def fold(name: object) -> str:
    """A column name as compared: NFKC, lower case, bracketed parts dropped, punctuation and spacing as one space."""
    text = unicodedata.normalize("NFKC", str(name or "")).lower().replace("\ufeff", "")
    return _NON_WORD.sub(" ", _BRACKETS.sub(" ", text)).strip()


def lapor_fields(keys: Sequence[str]) -> dict[str, str]:
    """Field (``id``, ``date``, ``text``, ``title``, ``agency``, ``category``, ...) -> column, for the columns found."""
    folded: dict[str, str] = {}
    for key in keys:
        folded.setdefault(fold(key), key)
    out: dict[str, str] = {}
    for name, candidates in NAMES.items():
        found = next((folded[c] for c in candidates if c in folded), None)
        if found is not None and found not in out.values():
            out[name] = found
    return out


def is_header(keys: Sequence[str]) -> bool:
    """Whether a row names the columns of a complaint table: an id, a date and a text or title."""
    found = lapor_fields(keys)
    return all(f in found for f in REQUIRED) and ("text" in found or "text_final" in found or "title" in found)


def _looks_like_preamble(keys: Sequence[str]) -> bool:
    """The first row of LAPOR!'s own XLSX is a line about the export, not the table's header."""
    named = [fold(k) for k in keys if fold(k)]
    if not named or len(named) > 4:
        return False
    try:
        tabular.resolve_columns(list(keys), {}, "")
        return False  # a generic table with id, text and date columns: not ours
    except SourceError:
        pass
    return any("lapor" in k or k in ("judul laporan", "nama instansi", "tanggal generate", "periode") for k in named)


def looks_like(opened: Opened) -> bool:
    """Whether a file is a complaint table: its header names one, or it starts with LAPOR!'s export lines."""
    return opened.container == "table" and (is_header(opened.keys) or _looks_like_preamble(opened.keys))


def table_rows(opened: Opened) -> tuple[list[str], Iterator[Record]]:
    """The header and the records of a complaint table, after the export's preamble lines when it has them.

    Raises SourceError when no row names an id, a date and a text column."""
    if is_header(opened.keys):
        return opened.keys, opened.records
    for rec in opened.records:
        cells = _cells(rec)
        if cells and is_header([str(c).strip() if c is not None else "" for c in cells]):
            header = [str(c).strip() if c is not None else "" for c in cells]
            while header and not header[-1]:
                header.pop()
            return header, _rekeyed(opened.records, header)
    raise SourceError(
        f"{opened.path}: no header row with a tracking id, a date and a report text (e.g. Tracking ID, "
        f"Tanggal Laporan Masuk, Isi Laporan Awal); name the columns with --format csv --platform lapor --map"
    )


def _cells(rec: Record) -> list[Any] | None:
    if isinstance(rec.raw, list):
        return rec.raw
    return list(rec.data.values()) if rec.data is not None else None


def _rekeyed(records: Iterator[Record], header: list[str]) -> Iterator[Record]:
    width = len(header)
    for rec in records:
        cells = _cells(rec)
        if cells is None:
            yield rec
            continue
        if len(cells) > width and any(fields.clean(c) is not None for c in cells[width:]):
            yield Record(rec.file, rec.line, None, f"wrong column count: expected {width}, got {len(cells)}", cells)
            continue
        if all(fields.clean(c) is None for c in cells):
            continue
        row = list(cells[:width]) + [None] * (width - len(cells))
        yield Record(rec.file, rec.line, dict(zip(header, row, strict=True)), None, cells)


def timestamp(day: Any, clock: Any, tz: tzinfo) -> datetime | None:
    """The report time from a date cell (``3 Jan 2026``, ``Senin, 3 Januari 2026 08:45``, any form
    ``fields.timestamp`` reads) and an optional separate time cell (``08:45``, ``08.45 WIB``, an Excel time)."""
    text = fields.clean(day) if isinstance(day, str) else None
    match = _NAMED_DATE.match(text.lower()) if text else None
    if match:
        d, month_name, year, hh, mm, ss = match.groups()
        month = _MONTHS.get(month_name)
        if month is None:
            raise fields.FieldError(f"unreadable date {text!r}: unknown month {month_name!r}")
        try:
            when = datetime(int(year), month, int(d), int(hh or 0), int(mm or 0), int(ss or 0), tzinfo=tz)
        except ValueError as exc:
            raise fields.FieldError(f"unreadable date {text!r}: {exc}") from None
    else:
        when = fields.timestamp(day, tz)
    if when is None or clock is None or when.timetz().replace(tzinfo=None) != time(0):
        return when
    offset = _clock(clock)
    return when + offset if offset is not None else when


def _clock(value: Any) -> timedelta | None:
    if isinstance(value, datetime):
        value = value.time()
    if isinstance(value, time):
        return timedelta(hours=value.hour, minutes=value.minute, seconds=value.second)
    if isinstance(value, float) and 0 <= value < 1:  # an Excel time: a fraction of a day
        return timedelta(seconds=round(value * 86400))
    text = fields.clean(value)
    match = _CLOCK.match(text) if text else None
    if not match:
        return None
    hh, mm, ss = (int(g or 0) for g in match.groups())
    return timedelta(hours=hh, minutes=mm, seconds=ss) if hh < 24 and mm < 60 and ss < 60 else None


def _text(values: Sequence[Any]) -> str | None:
    """The first usable text of the given cells; the first Excel-destroyed one is the error when none is."""
    error: fields.FieldError | None = None
    for value in values:
        try:
            text = fields.text_value(value)
        except fields.FieldError as exc:
            error = error or exc
            continue
        if text is not None:
            return text
    if error is not None:
        raise error
    return None


def _parse(opened: Opened, opts: ReadOptions) -> Iterator[Item]:
    header, records = table_rows(opened)
    col = lapor_fields(header)

    def value(data: dict[str, Any], name: str) -> Any:
        column = col.get(name)
        return data.get(column) if column is not None else None

    for rec in records:
        if rec.data is None:
            yield Rejected(rec.file, rec.line, rec.problem or "unusable record", rec.raw)
            continue
        try:
            post = _post(rec.data, value, opts)
            problem = post_problem(post)
            yield post if problem is None else Rejected(rec.file, rec.line, problem, rec.raw)
        except fields.FieldError as exc:
            yield Rejected(rec.file, rec.line, str(exc), rec.raw if rec.raw is not None else rec.data)
        except (KeyError, TypeError, AttributeError, ValueError) as exc:
            yield Rejected(rec.file, rec.line, f"unexpected shape: {type(exc).__name__}: {exc}", rec.raw)


def _post(data: dict[str, Any], value: Any, opts: ReadOptions) -> Post:
    url = fields.clean(value(data, "url"))
    native_id = fields.native_id(value(data, "id"))
    require(native_id, "tracking id")
    text = _text([value(data, "text"), value(data, "text_final"), value(data, "title")])
    require(text, "report text (Isi Laporan Awal, Isi Laporan Akhir or Judul Laporan)")
    created = timestamp(value(data, "date"), value(data, "time"), opts.tz)
    require(created, "date (Tanggal Laporan Masuk)")
    assert native_id is not None and text is not None and created is not None
    privacy = (fields.clean(value(data, "privacy")) or "").lower()
    name = None if any(p in privacy for p in _PRIVATE) else fields.clean(value(data, "reporter"))
    return Post(
        platform=opts.platform or Platform.LAPOR,
        native_id=native_id,
        text=text,
        created_at=created,
        url=url,
        author=Author(None, None, name, None),
        query=opts.query,
        raw=data,
    )


FORMAT = Format(
    "lapor",
    "SP4N-LAPOR! or a complaint portal's export (Tracking ID, Tanggal Laporan Masuk, Isi Laporan, ...)",
    looks_like,
    _parse,
)
