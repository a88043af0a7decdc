"""The scheduled report's form in real Chromium: set its recipients and find them in citra.toml, the file's
comments kept."""

from __future__ import annotations

from citra import config
from tests.web.conftest import Site


def test_set_the_report_recipients(page, site: Site) -> None:  # type: ignore[no-untyped-def]
    toml = site.filled.ws.root / config.CONFIG_NAME
    comments = [line for line in toml.read_text().splitlines() if line.startswith("#")]
    page.goto(site.url + "/pengaturan#cfg-reports")
    page.check("#cfg-reports input[name=schedule]")
    page.fill("#cfg-reports textarea[name=recipients]", "walikota@kota.go.id, humas@kota.go.id")
    page.click("#cfg-reports button:has-text('Simpan laporan terjadwal')")
    page.wait_for_selector("text=Tersimpan di citra.toml")
    assert page.input_value("#cfg-reports textarea[name=recipients]") == "walikota@kota.go.id, humas@kota.go.id"
    text = toml.read_text()
    assert 'recipients = ["walikota@kota.go.id", "humas@kota.go.id"]' in text
    assert [line for line in text.splitlines() if line.startswith("#")] == comments
    assert config.load(site.filled.ws.root).settings.reports.schedule
    assert page.problems == []
