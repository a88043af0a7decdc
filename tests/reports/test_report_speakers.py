"""The report's "who drove the month" section: its numbers are those of ``citra network show --json`` and ``citra
network coordination --json`` for the same month (a small workspace: a month with a planted co-post group and a
crisis, tests/alerts/test_coordinated_driver.py); the crisis names the group; a month without one says so."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime, timedelta

from openpyxl import load_workbook

from citra import config, reports
from citra.alerts.scan import scan
from citra.reports import speakers
from citra.store import Store
from tests.alerts.test_coordinated_driver import _fill
from tests.network_data import CO_POST, START
from tests.test_cli import citra

NOW = datetime(2026, 4, 2, tzinfo=UTC)
MONTH = "2026-03"


def test_section_equals_the_cli(workspace: config.Workspace, store: Store) -> None:
    _fill(store, planted=True)  # eight calm days in February, then the conversation and a crisis in March
    scan(store, workspace, notify=False, now=START + timedelta(hours=70))
    got = json.loads(reports.build(store, workspace, MONTH, "json", now=NOW))["speakers"]
    args = ("--since", "2026-03-01", "--until", "2026-03-31", "--json")
    show = json.loads(citra("network", "show", *args, ws=workspace.root).stdout)
    coord = json.loads(citra("network", "coordination", *args, ws=workspace.root).stdout)

    assert got["posts"] == show["posts"] and got["accounts"] == show["accounts"] and got["links"] == show["links"]
    assert [
        (i["handle"], round(i["pagerank"], 6), i["links_in"], i["followers"], i["posts"], i["community"])
        for i in got["influencers"]
    ] == [
        (i["account"], i["pagerank"], i["links_in"], i["followers"], i["posts"], i["community"])
        for i in show["influencers"]
    ]
    assert len(got["influencers"]) >= 5
    assert [
        (c["number"], c["accounts"], c["posts"], round(c["share"], 4), c["terms"], c["negative_share"])
        for c in got["communities"]
    ] == [
        (c["number"], c["accounts"], c["posts"], c["share"], c["terms"], c["sentiment"]["negative"])
        for c in show["communities"]
    ]
    assert [[(t[0], t[2]) for t in c["targets"]] for c in got["communities"]] == [
        [(t["target"], t["posts"]) for t in c["targets"]] for c in show["communities"]
    ]
    assert [(g["kind"], g["accounts"], g["posts"], g["score"], len(g["accounts"])) for g in got["coordinated"]] == [
        (g["kind"], g["accounts"], g["posts"], g["score"], len(g["accounts"])) for g in coord["groups"]
    ]
    assert [g["n_accounts"] for g in got["coordinated"]] == [len(g["accounts"]) for g in coord["groups"]]
    assert [datetime.fromisoformat(g["first"]) for g in got["coordinated"]] == [
        min(datetime.fromisoformat(b["start"]) for b in g["bursts"]) for g in coord["groups"]
    ]
    co_post = [g for g in got["coordinated"] if g["kind"] == "co-post"]
    assert len(co_post) == 1 and set(co_post[0]["accounts"]) == set(CO_POST)
    assert got["window_seconds"] == coord["window_seconds"] == 60

    page = reports.build(store, workspace, MONTH, "html", now=NOW).decode()
    section = page[page.index('id="penggerak"') : page.index('id="strategi"')]
    assert "8. Siapa yang menggerakkan percakapan bulan ini" in section
    assert f"Terdeteksi {len(coord['groups'])} kelompok akun yang bergerak serempak" in section
    assert f"{len(CO_POST)} akun mengunggah teks hampir sama dalam hitungan detik" in section
    assert "@" + show["influencers"][0]["account"] in section
    assert "bot" not in section.lower().split() and "buzzer" not in section.lower()
    crisis = page[page.index('id="krisis"') : page.index('id="penggerak"')]
    assert "Akun serempak" in crisis and f"{len(CO_POST)} akun mengunggah teks hampir sama" in crisis

    book = load_workbook(io.BytesIO(reports.build(store, workspace, MONTH, "xlsx", now=NOW)))
    assert set(speakers.SHEETS) <= set(book.sheetnames)
    assert book["Kelompok Serempak"].max_row == 1 + len(coord["groups"])
    assert book["Pemengaruh"].max_row == 1 + len(show["influencers"])
    assert book["Komunitas"]["D2"].value == round(got["communities"][0]["share"], 6)


def test_month_without_groups_says_so(workspace: config.Workspace, store: Store) -> None:
    _fill(store, planted=False)
    got = json.loads(reports.build(store, workspace, MONTH, "json", now=NOW))["speakers"]
    assert got["coordinated"] == [] and got["posts"] > 1000 and got["communities"]
    page = reports.build(store, workspace, MONTH, "html", now=NOW).decode()
    section = page[page.index('id="penggerak"') : page.index('id="strategi"')]
    assert "Tidak ditemukan kelompok akun yang bergerak serempak bulan ini." in section
    assert "Skor menunjukkan" not in section
