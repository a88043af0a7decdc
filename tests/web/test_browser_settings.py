"""Pengaturan in real Chromium: change a setting in its form and find it in citra.toml with the file's comments
kept; upload a small export file and read the import summary on the page."""

from __future__ import annotations

from pathlib import Path

from citra import config
from tests.web.conftest import Site

CSV = (
    "id,created_at,text,author,platform\n"
    "b1,2026-10-02T08:00:00Z,Sampah menumpuk di pinggir jalan sudah tiga hari,warga_x,x\n"
    "b2,2026-10-02T09:30:00Z,Terima kasih pemkot jalannya sudah mulus,warga_y,x\n"
    "b3,,Baris tanpa tanggal,warga_z,x\n"
)


def test_change_a_setting_and_upload_a_file(page, site: Site, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    toml = site.filled.ws.root / config.CONFIG_NAME
    comments = [line for line in toml.read_text().splitlines() if line.startswith("#")]
    page.goto(site.url + "/pengaturan")
    page.fill("textarea[name=keywords]", "bekasi\npemkot bekasi\nwali kota bekasi")
    page.click("#cfg-keywords button:has-text('Simpan kata kunci')")
    page.wait_for_selector("text=Tersimpan di citra.toml")
    assert page.input_value("textarea[name=keywords]") == "bekasi\npemkot bekasi\nwali kota bekasi"
    text = toml.read_text()
    assert [line for line in text.splitlines() if line.startswith("#")] == comments
    assert config.load(site.filled.ws.root).settings.keywords == ["bekasi", "pemkot bekasi", "wali kota bekasi"]

    page.fill("input[name=threshold]", "-3")
    page.click("button:has-text('Simpan ambang')")
    assert page.locator(".field-error").first.inner_text() == "Isi angka lebih dari 0 (misalnya 5 atau 4,5)."
    assert toml.read_text() == text

    export = tmp_path / "ekspor.csv"
    export.write_text(CSV, encoding="utf-8")
    page.click("a:has-text('Unggah data')")
    page.set_input_files("input[name=file]", str(export))
    page.click("button:has-text('Unggah dan impor')")
    page.wait_for_selector("#upload-status[data-state=done]", timeout=60_000)  # the page refreshes itself
    summary = page.inner_text("#upload-status")
    assert "Impor ekspor.csv selesai." in summary
    assert page.inner_text("[data-k=inserted]") == "2" and page.inner_text("[data-k=rejected]") == "1"
    assert "Baris 4:" in summary
    assert [p for p in page.problems if "400 (Bad Request)" not in p] == []  # the refused form answers 400
