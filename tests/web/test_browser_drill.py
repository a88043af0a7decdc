"""From a number to its posts in real Chromium: follow a table row of Isu & OPD to Percakapan and see the same
count, download the list as CSV and read it, save the search and apply it."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from pathlib import Path

from citra.records import Author, Platform, Post
from citra.store import Store

from .conftest import START, Site


def test_drill_down_download_and_save(page, site: Site, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    with Store.open(site.filled.ws.database_url) as store:
        store.add_posts(
            [
                Post(
                    platform=Platform.X,
                    native_id="formula-7",
                    text='=HYPERLINK("http://evil.example","klik") jalan rusak',
                    created_at=START + timedelta(days=4),
                    author=Author("98", "jahil", "Jahil", 1),
                )
            ]
        )
    page.goto(site.url + "/isu")
    # a bar of the topics chart opens its posts (static/drill.js follows the bar's customdata)
    page.wait_for_selector("#chart-topics.clickable .bars path")
    page.locator("#chart-topics .bars path").first.click(force=True)
    page.wait_for_url("**/percakapan?topic=*")
    assert "sentiment=" in page.url and int(page.locator("#post-total").get_attribute("data-total") or "0") > 0
    page.goto(site.url + "/isu")
    row = page.locator("table[data-table=opd] a.drill-count").first
    count = int(row.get_attribute("data-count") or "-1")
    row.click()
    page.wait_for_url("**/percakapan?opd=*")
    assert int(page.locator("#post-total").get_attribute("data-total") or "-2") == count
    assert page.locator(".chip").count() == 2  # the OPD and "citizens"
    # remove the OPD chip: all citizens' posts of the same period
    page.locator(".chip", has_text="OPD").locator(".chip-remove").click()
    page.wait_for_url("**/percakapan?who=citizen*")
    everyone = int(page.locator("#post-total").get_attribute("data-total") or "0")
    assert everyone > count
    with page.expect_download() as waiting:
        page.locator("a.csv-download").click()
    download = waiting.value
    assert download.suggested_filename.startswith("percakapan_") and download.suggested_filename.endswith(".csv")
    body = Path(download.path()).read_bytes()
    assert body.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"), newline="")))
    assert len(rows) == everyone and "teks" in rows[0]
    (bad,) = [r for r in rows if r["id_asli"] == "formula-7"]
    assert bad["teks"].startswith("'=")
    # save the search and apply it from the list
    page.fill(".save-search input[name=name]", "Semua warga")
    page.click(".save-search button[type=submit]")
    page.wait_for_selector(".flash.ok")
    page.goto(site.url + "/percakapan")
    page.locator("#saved-searches a", has_text="Semua warga").click()
    page.wait_for_url("**/percakapan?saved=*")
    assert int(page.locator("#post-total").get_attribute("data-total") or "0") == everyone
    assert page.locator(".chip", has_text="Semua warga").count() == 1
    assert page.problems == []
