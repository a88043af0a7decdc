"""SP4N-LAPOR! exports and complaint-portal tables: header versions, the export's preamble, bad rows, re-imports.

Every text here is written for the tests (no real complaint)."""

from __future__ import annotations

import csv
from datetime import UTC, datetime, time, timedelta, timezone
from pathlib import Path

import pytest
from openpyxl import Workbook

from citra import config
from citra.errors import SourceError
from citra.ingest import ingest
from citra.records import Platform
from citra.sources import lapor, registry
from citra.sources.base import ReadOptions
from citra.store import Store
from tests.sources.helpers import claimed_by, read_items

WIB = timezone(timedelta(hours=7))
HEADER = [
    "Tracking ID", "Tanggal Laporan Masuk", "Waktu Laporan Masuk", "Nama Pelapor", "Klasifikasi Laporan", "Kategori",
    "Judul Laporan", "Isi Laporan Awal", "Isi Laporan Akhir", "Tipe Laporan (Anonim/Rahasia)", "Sumber Laporan",
    "Instansi Induk", "ID Instansi Terdisposisi", "Instansi Terdisposisi", "Status Laporan",
]  # fmt: skip
UPPER = [
    "TRACKING  ID",
    "TANGGAL LAPORAN MASUK",
    "JUDUL LAPORAN",
    "ISI LAPORAN",
    "INSTANSI TERDISPOSISI (SKPD)",
    "STATUS",
]
ROWS = [
    [9100001, "3 Jan 2026", "08:45", "Warga Satu", "Pengaduan", "Infrastruktur", "Jalan berlubang",
     "jalan di gang melati berlubang besar mohon diperbaiki", "Jalan di Gang Melati berlubang besar.", "Biasa",
     "Website", "Pemerintah Kota Contoh", 501, "Dinas PUPR", "Ditutup oleh Admin"],
    [9100002, datetime(2026, 1, 4, 13, 5), None, "Warga Dua", "Pengaduan", "Lingkungan Hidup", "Sampah menumpuk",
     "sampah di pasar belum diangkut tiga hari", None, "Anonim", "Aplikasi Mobile", "Pemerintah Kota Contoh", 502,
     "Dinas Lingkungan Hidup", "Diproses"],
    [9100003, "5 Januari 2026", "10.30 WIB", "Warga Tiga", "Aspirasi", "Ketertiban Umum", "PKL di trotoar",
     "#NAME?", "Pedagang kaki lima menutup trotoar di depan stasiun.", "Rahasia", "SMS", "Pemerintah Kota Contoh",
     503, "Satpol PP", "Terverifikasi"],
    [9100004, None, None, "Warga Empat", "Pengaduan", "Kesehatan", "Antrian puskesmas",
     "antrian puskesmas terlalu lama", None, "Biasa", "Website", "Pemerintah Kota Contoh", 504, "Dinas Kesehatan",
     "Diproses"],
]  # fmt: skip


def _xlsx(path: Path, header: list[str], rows: list[list[object]], preamble: bool = True) -> Path:
    wb = Workbook()
    sheet = wb.active
    if preamble:  # the lines LAPOR!'s own export writes above its table
        sheet.append(["Judul Laporan", "Rekap Laporan Pengaduan"])
        sheet.append(["Nama Instansi", "Pemerintah Kota Contoh"])
        sheet.append(["Tanggal Generate", "06 Jan 2026"])
        sheet.append([])
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    wb.save(path)
    return path


def test_export_with_preamble_maps_every_field(tmp_path: Path) -> None:
    path = _xlsx(tmp_path / "rekap.xlsx", HEADER, ROWS)
    assert claimed_by(path) == ["lapor"]
    name, posts, rejected = read_items(path, tz=WIB)
    assert name == "lapor" and list(posts) == ["9100001", "9100002", "9100003"]
    first = posts["9100001"]
    assert first.platform is Platform.LAPOR and first.text == "jalan di gang melati berlubang besar mohon diperbaiki"
    assert first.created_at == datetime(2026, 1, 3, 8, 45, tzinfo=WIB)
    assert first.author.name == "Warga Satu" and first.author.handle is None and not first.is_official
    assert first.raw["Instansi Terdisposisi"] == "Dinas PUPR" and first.raw["Judul Laporan"] == "Jalan berlubang"
    assert first.raw["Kategori"] == "Infrastruktur" and first.raw["Status Laporan"] == "Ditutup oleh Admin"
    second = posts["9100002"]
    assert second.created_at == datetime(2026, 1, 4, 13, 5, tzinfo=WIB) and second.author.name is None  # anonymous
    third = posts["9100003"]  # Excel destroyed the original text: the edited one is used; confidential: no name
    assert third.text == "Pedagang kaki lima menutup trotoar di depan stasiun." and third.author.name is None
    assert third.created_at == datetime(2026, 1, 5, 10, 30, tzinfo=WIB)
    [bad] = rejected
    assert bad.line == 9 and bad.reason == "no date (Tanggal Laporan Masuk)" and bad.raw[0] == 9100004


@pytest.mark.parametrize(
    ("header", "delimiter", "encoding"),
    [
        (["tracking_id", "tanggal_masuk", "judul", "isi_laporan_awal", "dinas_tujuan", "status_final"], ",", "utf-8"),
        (UPPER, ";", "cp1252"),
        ([" No. Tiket ", "Tgl. Pengaduan", "Perihal", "Uraian Pengaduan", "OPD Tujuan", "Status"], "\t", "utf-8-sig"),
    ],
    ids=["snake-case", "upper-semicolon-cp1252", "portal-tab"],
)
def test_header_versions(tmp_path: Path, header: list[str], delimiter: str, encoding: str) -> None:
    path = tmp_path / "aduan.csv"
    rows = [
        ["7700001", "15/01/2026 09.12", "Lampu jalan mati", "lampu PJU di jalan kenanga mati sejak minggu lalu",
         "Dinas Perhubungan", "Selesai"],
        ["7,7E+06", "16/01/2026", "Air keruh", "air PDAM keruh", "PDAM", "Proses"],  # id rounded by Excel
        ["7700003", "17/01/2026", "Beasiswa", "", "Dinas Pendidikan", "Proses"],  # no text: the title is used
    ]  # fmt: skip
    with path.open("w", newline="", encoding=encoding) as f:
        csv.writer(f, delimiter=delimiter).writerows([header, *rows])
    name, posts, rejected = read_items(path, tz=WIB)
    assert name == "lapor" and list(posts) == ["7700001", "7700003"]
    assert posts["7700001"].created_at == datetime(2026, 1, 15, 9, 12, tzinfo=WIB)
    assert posts["7700003"].text == "Beasiswa"
    assert posts["7700001"].raw[header[4]] == "Dinas Perhubungan"
    [bad] = rejected
    assert bad.line == 3 and "rounded number by Excel" in bad.reason


def test_fields_and_header_folding() -> None:
    found = lapor.lapor_fields(["Tracking ID", "Isi Laporan Awal", "Isi Laporan Akhir", "Instansi Terdisposisi (SKPD)"])
    assert found == {
        "id": "Tracking ID",
        "text": "Isi Laporan Awal",
        "text_final": "Isi Laporan Akhir",
        "agency": "Instansi Terdisposisi (SKPD)",
    }
    assert lapor.fold("\ufeffTRACKING_ID ") == "tracking id"
    assert not lapor.is_header(["id", "text", "date"])  # a generic table stays the generic reader's
    assert lapor.timestamp("Senin, 3 Februari 2025", time(7, 5), UTC) == datetime(2025, 2, 3, 7, 5, tzinfo=UTC)
    assert lapor.timestamp("3 Agt 2025 14:00", "09:00", UTC) == datetime(2025, 8, 3, 14, 0, tzinfo=UTC)
    assert lapor.timestamp(46025.0, 0.5, UTC) == datetime(2026, 1, 3, 12, 0, tzinfo=UTC)


def test_forced_format_on_another_file_fails(tmp_path: Path) -> None:
    path = tmp_path / "tweets.csv"
    path.write_text("id,text,date\n1,halo,2026-01-01\n", encoding="utf-8")
    with pytest.raises(SourceError, match="does not look like lapor"):
        registry.read(path, "lapor", ReadOptions())


def test_preamble_without_a_table_is_a_file_error(workspace: config.Workspace, store: Store, tmp_path: Path) -> None:
    path = _xlsx(tmp_path / "kosong.xlsx", ["Catatan", "tidak ada data"], [["baris", "lain"]])
    summary = ingest(store, workspace, [path], "lapor")
    assert summary.status == "failed" and "no header row with a tracking id" in (summary.files[0].error or "")
    assert store.count() == 0


def test_ingest_exactly_once_and_rejects_logged(workspace: config.Workspace, store: Store, tmp_path: Path) -> None:
    path = _xlsx(tmp_path / "rekap.xlsx", HEADER, ROWS)
    first = ingest(store, workspace, [path], "lapor")
    assert (first.total("read"), first.total("inserted"), first.total("rejected")) == (4, 3, 1)
    assert first.rejects_path is not None and "no date" in Path(first.rejects_path).read_text(encoding="utf-8")
    again = ingest(store, workspace, [path])
    assert again.files[0].format == "lapor" and (again.total("inserted"), again.total("rejected")) == (0, 1)
    assert store.count() == 3
    stored = {s.post.native_id: s.post for s in store.each(raw=True)}
    assert {p.platform for p in stored.values()} == {Platform.LAPOR}
    assert stored["9100003"].raw["Instansi Terdisposisi"] == "Satpol PP"


def test_generic_table_as_a_complaint_channel(workspace: config.Workspace, store: Store, tmp_path: Path) -> None:
    path = tmp_path / "portal.csv"
    path.write_text("id,text,date\n11,mohon perbaikan drainase,2026-02-01T08:00:00+07:00\n", encoding="utf-8")
    opts = ReadOptions(Platform.LAPOR, workspace.tz)
    summary = ingest(store, workspace, [path], "csv", opts)
    assert summary.files[0].format == "table" and summary.total("inserted") == 1
    [post] = [s.post for s in store.each(raw=True)]
    assert post.platform is Platform.LAPOR and post.native_id == "11"


def test_routed_agency_becomes_the_teams_opd_label(workspace: config.Workspace, store: Store, tmp_path: Path) -> None:
    """Ingest leaves labels to the team; ``citra label import`` turns the disposition column into OPD labels."""
    from citra.labels import import_labels

    path = tmp_path / "rekap.csv"
    with path.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows([HEADER, *ROWS[:3]])
    ingest(store, workspace, [path])
    assert {s.human.opd for s in store.each(raw=True)} == {None}
    summary = import_labels(store, path, id_col="Tracking ID", opd_col="Instansi Terdisposisi", source="lapor")
    assert summary.matched_posts == 3
    labelled = {s.post.native_id: s.human.opd for s in store.each(raw=True)}
    assert labelled == {"9100001": "Dinas PUPR", "9100002": "Dinas Lingkungan Hidup", "9100003": "Satpol PP"}
