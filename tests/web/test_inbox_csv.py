"""Keterlibatan "Unduh CSV" over a real loopback server, on both databases: the filtered list with a BOM, the
agreed columns, formula cells neutralised, every item once when read in small pages, and an OPD user's file
holding its own queue only (whatever OPD it asks for)."""

from __future__ import annotations

import csv
import io
import random
from datetime import timedelta

import pytest

from citra.store import Store
from citra.web import inbox_csv
from tests.web.conftest import START, Filled, _annotation, _post, http_login

FORMULA = '=HYPERLINK("http://x") jalan rusak di Jatiasih'


def _rows(body: bytes) -> tuple[list[str], list[dict[str, str]]]:
    assert body.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM, so Excel opens it
    reader = csv.DictReader(io.StringIO(body.decode("utf-8-sig"), newline=""))
    found = list(reader)
    return list(reader.fieldnames or []), found


def test_inbox_downloads_as_csv(filled: Filled, base_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    with Store.open(filled.ws.database_url) as store:
        post = _post(8888, START + timedelta(days=3), FORMULA)
        store.add_posts([post])
        (pid,) = [s.id for s in store.lookup(post.native_id, post.platform)]
        store.save_annotations([(pid, _annotation(random.Random(1), False, True, ("roads", "Dinas PUPR")))], "t")
        every = len(store.inbox.items(limit=10_000))
    monkeypatch.setattr(inbox_csv, "BATCH", 7)  # many pages: each item still comes once

    admin = http_login(base_url, "admin")
    assert "format=csv" in admin.get("/keterlibatan?sort=newest").text
    got = admin.get("/keterlibatan?sort=newest&format=csv")
    assert got.status_code == 200 and got.headers["content-type"].startswith("text/csv")
    assert "keterlibatan_" in got.headers["content-disposition"]
    fields, rows = _rows(got.content)
    assert fields == list(inbox_csv.COLUMNS)
    assert len(rows) == every > 7 and len({r["tautan"] for r in rows}) == every
    assert [r["waktu"] for r in rows] == sorted((r["waktu"] for r in rows), reverse=True)
    [planted] = [r for r in rows if r["tautan"].endswith("/9888")]
    assert planted["teks"] == "'" + FORMULA and planted["opd"] == "Dinas PUPR" and planted["status"] == "baru"

    _, pupr_rows = _rows(admin.get("/keterlibatan?opd=Dinas+PUPR&format=csv").content)
    assert pupr_rows and {r["opd"] for r in pupr_rows} == {"Dinas PUPR"} and len(pupr_rows) < every

    dinkes = http_login(base_url, "dinkes")
    _, own = _rows(dinkes.get("/keterlibatan?opd=Dinas+PUPR&format=csv").content)  # asks for another OPD's
    assert own and {r["opd"] for r in own} == {"Dinas Kesehatan"}
