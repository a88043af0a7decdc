"""Laporan offers only months with data (a month without gets an Indonesian message, not an English error page),
lists the reports built here, by the schedule and by ``citra report`` with a download while the file is kept, and
error pages speak the reader's language. Real report builds, on SQLite and PostgreSQL."""

from __future__ import annotations

import re

from citra.store import Store
from tests.test_cli import citra

from .conftest import Filled


def test_months_history_and_downloads(as_user, app, filled: Filled) -> None:  # type: ignore[no-untyped-def]
    admin, csrf = as_user("admin")
    page = admin.get("/laporan").text
    offered = sorted(re.findall(r"<option(?: selected)?>(\d{4}-\d{2})</option>", page))
    assert offered == ["2026-08", "2026-09", "2026-10"]  # the filled workspace's posts: August to early October
    assert "Belum ada laporan yang dibuat." in page

    empty = admin.post("/laporan/buat", data={"period": "2026-11", "fmt": "pdf", "csrf_token": csrf})
    assert empty.status_code == 200 and "Belum ada unggahan warga yang dianalisis pada 2026-11" in empty.text
    assert app.state.reports.state(("2026-11", "pdf")).state == "idle"  # nothing started for it

    admin.post("/laporan/buat", data={"period": "2026-09", "fmt": "xlsx", "csrf_token": csrf})
    assert app.state.reports.wait(("2026-09", "xlsx"), 180).state == "done"
    citra("report", "--period", "2026-08", "--format", "xlsx", ws=filled.ws.root)

    page = admin.get("/laporan").text
    links = re.findall(r'href="/laporan/riwayat/(\d+)"', page)
    assert len(links) == 2 and "baris perintah" in page and ">admin<" in page
    with Store.open(filled.ws.database_url) as store:
        history = store.report_history.recent()
    assert [(r.month, r.format, r.via) for r in history] == [("2026-08", "xlsx", "cli"), ("2026-09", "xlsx", "web")]
    got = admin.get(f"/laporan/riwayat/{history[1].id}")
    assert got.status_code == 200 and got.content.startswith(b"PK")
    assert got.headers["content-disposition"] == 'attachment; filename="citra-2026-09.xlsx"'

    (filled.ws.root / "reports" / history[0].file).unlink()  # a file removed (retention): no link any more
    page = admin.get("/laporan").text
    assert len(re.findall(r'href="/laporan/riwayat/(\d+)"', page)) == 1 and "berkas sudah tidak disimpan" in page
    gone = admin.get(f"/laporan/riwayat/{history[0].id}")
    assert gone.status_code == 404
    assert "<title>Tidak ditemukan · citra</title>" in gone.text
    assert "Berkas laporan itu sudah tidak disimpan lagi." in gone.text


def test_error_pages_in_the_readers_language(as_user) -> None:  # type: ignore[no-untyped-def]
    viewer, _ = as_user("pemirsa")
    missing = viewer.get("/tidak-ada")
    assert missing.status_code == 404 and "Halaman yang Anda cari tidak ada." in missing.text
    assert "Not Found" not in missing.text
    bad = viewer.get("/laporan?period=2026-13&fmt=pdf")
    assert bad.status_code == 400 and "Bulan: tulis sebagai TTTT-BB" in bad.text and "write YYYY-MM" not in bad.text
    forbidden = viewer.get("/pengaturan")
    assert forbidden.status_code == 403 and "Tidak diizinkan" in forbidden.text
    english = viewer.get("/laporan?period=2026-13&fmt=pdf&lang=en")
    assert "period: write YYYY-MM" in english.text and "The request cannot be processed" in english.text
    invalid = viewer.get("/laporan/riwayat/abc?lang=id")
    assert invalid.status_code == 422 and "Isian tidak dapat digunakan" in invalid.text
