"""The XLSX report: one sheet per table (openpyxl), numbers as numbers, dates as dates, bold header rows.

Every string is written as text, never as a formula, since topic names, terms and OPD names may come from posts or
settings."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any

from citra.reports import fmt, narrative, speakers
from citra.reports.model import ReportData

SHEETS = (
    "Ringkasan",
    "Indeks Harian",
    "Isu",
    "OPD",
    "Sasaran",
    "Krisis",
    *speakers.SHEETS,
    "Strategi",
    "Publikasi",
    "Jam Publikasi",
    "Keterlibatan",
    "Rekomendasi",
)
INT, DEC1, DEC2, DEC3, PCT, DAY, TIME = "#,##0", "#,##0.0", "0.00", "0.000", "0.0%", "DD/MM/YYYY", "DD/MM/YYYY HH:MM"
KIND_FORMAT = {"count": INT, "index": DEC1, "net": DEC2, "share": PCT, "minutes": INT}
Column = tuple[str, str | None]  # header, number format


def render(data: ReportData, recommendations: Sequence[str]) -> bytes:
    """The workbook as bytes."""
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    book.properties.title = f"Laporan Citra {data.organisation} {data.period}"
    book.properties.creator = "citra"
    for title, columns, rows in _tables(data, recommendations):
        _sheet(book, title, columns, rows)
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def _tables(d: ReportData, recommendations: Sequence[str]) -> Iterable[tuple[str, list[Column], Iterable[list[Any]]]]:
    heads = d.headlines()
    c = d.current
    yield (
        "Ringkasan",
        [("Indikator", None), ("Bulan ini", None), ("Bulan lalu", None), ("Perubahan", None)],
        [
            *(_summary_row(h) for h in heads),
            [
                ("Indeks: batas bawah 95%", None),
                (c.ci_low, DEC1),
                (d.previous.ci_low if d.previous else None, DEC1),
                (None, None),
            ],
            [
                ("Indeks: batas atas 95%", None),
                (c.ci_high, DEC1),
                (d.previous.ci_high if d.previous else None, DEC1),
                (None, None),
            ],
        ],
    )
    yield (
        "Indeks Harian",
        [
            ("Tanggal", DAY),
            ("Unggahan", INT),
            ("Positif", INT),
            ("Netral", INT),
            ("Negatif", INT),
            ("Porsi negatif", PCT),
            ("Sentimen bersih", DEC2),
            ("Indeks", DEC1),
            ("Batas bawah 95%", DEC1),
            ("Batas atas 95%", DEC1),
        ],
        (
            [
                r.day,
                r.volume,
                r.positive,
                r.neutral,
                r.negative,
                r.negative_share,
                r.net_sentiment,
                r.index,
                r.ci_low,
                r.ci_high,
            ]
            for r in d.days
        ),
    )
    yield (
        "Isu",
        [
            ("Isu", None),
            ("OPD penanggung jawab", None),
            ("Unggahan", INT),
            ("Porsi positif", PCT),
            ("Porsi negatif", PCT),
            ("Indeks", DEC1),
            ("Batas bawah 95%", DEC1),
            ("Batas atas 95%", DEC1),
            ("Unggahan bulan lalu", INT),
            ("Porsi negatif bulan lalu", PCT),
            ("Perubahan porsi negatif", PCT),
        ],
        (
            [
                t.name,
                t.detail,
                t.volume,
                t.positive_share,
                t.negative_share,
                t.index,
                t.ci_low,
                t.ci_high,
                t.previous_volume,
                t.previous_negative_share,
                t.negative_change,
            ]
            for t in d.topics
        ),
    )
    replies = {r.opd: r for r in d.opd_replies}
    groups = {g.name: g for g in d.opds}
    names = [g.name for g in d.opds] + [r.opd for r in d.opd_replies if r.opd not in groups]
    yield (
        "OPD",
        [
            ("OPD", None),
            ("Unggahan", INT),
            ("Porsi negatif", PCT),
            ("Indeks", DEC1),
            ("Indeks bulan lalu", DEC1),
            ("Perlu jawaban", INT),
            ("Dijawab", INT),
            ("Keluhan belum dijawab", INT),
        ],
        ([n, *_group_cells(groups.get(n)), *_reply_cells(replies.get(n))] for n in names),
    )
    yield (
        "Sasaran",
        [
            ("Sasaran", None),
            ("Keterangan", None),
            ("Unggahan", INT),
            ("Porsi negatif", PCT),
            ("Indeks", DEC1),
            ("Batas bawah 95%", DEC1),
            ("Batas atas 95%", DEC1),
            ("Indeks bulan lalu", DEC1),
            ("Perubahan indeks", DEC1),
        ],
        (
            [
                t.name,
                t.detail,
                t.volume,
                t.negative_share,
                t.index,
                t.ci_low,
                t.ci_high,
                t.previous_index,
                t.index_change,
            ]
            for t in d.targets
        ),
    )
    yield (
        "Krisis",
        [
            ("Mulai", TIME),
            ("Terakhir terdeteksi", TIME),
            ("Tingkat", None),
            ("Status", None),
            ("Skor puncak", DEC1),
            ("Jam puncak", TIME),
            ("Negatif pada jam puncak", INT),
            ("Unggahan negatif", INT),
            ("Biasanya", DEC1),
            ("Isu", None),
            ("Sasaran", None),
            ("Kata kunci", None),
            ("Perlu jawaban", INT),
            ("Dijawab", INT),
            ("Porsi dijawab", PCT),
            ("Unggahan resmi", INT),
            ("Menit sampai unggahan resmi pertama", INT),
        ],
        (
            [
                k.start,
                k.last_seen,
                fmt.SEVERITY.get(k.severity, k.severity),
                fmt.STATUS.get(k.status, k.status),
                k.peak_score,
                k.peak_hour,
                k.peak_negative,
                k.negative,
                k.expected_negative,
                ", ".join(k.topics),
                ", ".join(k.targets),
                ", ".join(k.terms),
                k.needing,
                k.answered,
                k.answered_share,
                k.official_posts,
                k.first_official_minutes,
            ]
            for k in d.crises
        ),
    )
    yield from speakers.sheets(d)
    yield (
        "Strategi",
        [
            ("Strategi", None),
            ("Jenis", None),
            ("Tanggal", DAY),
            ("Diukur dengan", None),
            ("Jangka (hari)", INT),
            ("Dampak rata-rata harian", DEC3),
            ("Batas bawah 95%", DEC3),
            ("Batas atas 95%", DEC3),
            ("p", DEC3),
            ("Hari data sebelum", INT),
            ("Hari data sesudah", INT),
            ("Diukur sampai", DAY),
            ("Kesimpulan", None),
        ],
        (
            [
                i.name,
                i.kind,
                i.day,
                narrative.metric_name(i.metric),
                i.window_days,
                i.effect,
                i.ci_low,
                i.ci_high,
                i.p_value,
                i.pre_days or None,
                i.post_days or None,
                i.end,
                narrative.verdict(i),
            ]
            for i in d.impacts
        ),
    )
    yield (
        "Publikasi",
        [
            ("Jenis konten", None),
            ("Unggahan", INT),
            ("Rata-rata interaksi", DEC1),
            ("Median interaksi", DEC1),
            ("Interaksi per tayangan", "0.00%"),
        ],
        ([k.name, k.posts, k.engagement_mean, k.engagement_median, k.rate] for k in d.categories),
    )
    yield (
        "Jam Publikasi",
        [("Hari", None), ("Jam", "00"), ("Unggahan", INT), ("Rata-rata interaksi", DEC1)],
        ([fmt.DAYS[s.weekday], s.hour, s.posts, s.engagement_mean] for s in d.slots),
    )
    yield (
        "Keterlibatan",
        [
            ("Jenis unggahan", None),
            ("Perlu jawaban", INT),
            ("Dijawab", INT),
            ("Porsi dijawab", PCT),
            ("Median waktu jawab (menit)", DEC1),
        ],
        [
            *([r.label, r.needing, r.answered, r.answered_share, r.median_minutes] for r in d.replies),
            ["Jumlah", c.needing, c.answered, c.answered_share, c.median_minutes],
        ],
    )
    yield "Rekomendasi", [("No", INT), ("Rekomendasi", None)], ([n, r] for n, r in enumerate(recommendations, 1))


def _summary_row(h: Any) -> list[tuple[Any, str | None]]:
    """A headline as (value, number format) cells: its own format per row."""
    label = h.label + (" (menit)" if h.kind == "minutes" else "")
    number = KIND_FORMAT[h.kind]
    change_format = PCT if h.kind == "share" else number
    return [(label, None), (h.value, number), (h.previous, number), (h.change, change_format)]


def _group_cells(g: Any) -> list[Any]:
    return [None] * 4 if g is None else [g.volume, g.negative_share, g.index, g.previous_index]


def _reply_cells(r: Any) -> list[Any]:
    return [0, 0, 0] if r is None else [r.needing, r.answered, r.complaints_open]


def _sheet(book: Any, title: str, columns: list[Column], rows: Iterable[list[Any]]) -> None:
    from openpyxl.styles import Alignment, Font

    sheet = book.create_sheet(title)
    widths = [len(name) + 2 for name, _ in columns]
    for j, (name, _) in enumerate(columns, 1):
        cell = sheet.cell(row=1, column=j, value=name)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(vertical="top", wrap_text=True)
    for i, row in enumerate(rows, 2):
        for j, ((_, number), raw) in enumerate(zip(columns, row, strict=True), 1):
            value, cell_format = raw if isinstance(raw, tuple) else (raw, number)
            cell = sheet.cell(row=i, column=j)
            _put(cell, value, cell_format)
            widths[j - 1] = max(widths[j - 1], _width(value))
    for j, width in enumerate(widths, 1):
        sheet.column_dimensions[sheet.cell(row=1, column=j).column_letter].width = min(width, 70)
        if width > 70:
            for (cell,) in sheet.iter_rows(min_row=2, min_col=j, max_col=j):
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A2"


def _put(cell: Any, value: Any, number: str | None) -> None:
    """Write a value: text as text (never a formula), aware datetimes as local naive ones, numbers with a format."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if isinstance(value, str):
        cell.value = ILLEGAL_CHARACTERS_RE.sub("", value)
        cell.data_type = "s"
        return
    if isinstance(value, datetime) and value.tzinfo is not None:
        value = value.replace(tzinfo=None)  # already in the workspace zone
    elif isinstance(value, float):
        value = round(value, 6)  # no 0.1 + 0.2 noise in the cells
    cell.value = value
    if number and value is not None:
        cell.number_format = number


def _width(value: Any) -> int:
    if value is None:
        return 0
    if isinstance(value, datetime):
        return 17
    if isinstance(value, date):
        return 11
    if isinstance(value, float):
        return 10
    return len(str(value)) + 2
