"""Publikasi's category rows open Percakapan on the official posts of that category and period, and the list
holds as many posts as the row counts: replies are left out (as the table leaves them out) and posts without a
category are the "lainnya" row."""

from __future__ import annotations

import csv
import dataclasses
import html
import io
import random
import re
from datetime import timedelta

from citra.records import PostKind
from citra.store import Store
from tests.web.conftest import DAYS, START, Filled, _annotation, _post


def _csv(body: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"), newline="")))


def test_category_rows_open_their_official_posts(as_user, filled: Filled) -> None:  # type: ignore[no-untyped-def]
    when = START + timedelta(days=DAYS - 2)
    extra = [
        _post(9100, when, "Balasan resmi: laporan diteruskan", official=True, kind=PostKind.REPLY),
        _post(9101, when, "Info resmi tanpa kategori", official=True),
    ]
    with Store.open(filled.ws.database_url) as store:
        store.add_posts(extra)
        rnd = random.Random(2)
        notes = []
        for post, category in zip(extra, ("service_information", None), strict=True):
            (pid,) = [s.id for s in store.lookup(post.native_id, post.platform)]
            notes.append((pid, dataclasses.replace(_annotation(rnd, True, False, None), category=category)))
        store.save_annotations(notes, "test-1")
    admin, _ = as_user("admin")
    page = admin.get("/publikasi").text
    hrefs = [html.unescape(h) for h in re.findall(r'<td><a href="(/percakapan\?[^"]*category=[^"]+)">', page)]
    counts = {r["kategori"]: int(r["posting"]) for r in _csv(admin.get("/publikasi?format=csv").content)}
    assert set(counts) == {"service_information", "lainnya"} and len(hrefs) == 2
    for href in hrefs:
        assert "who=official" in href and "since=" in href and "until=" in href
        category = re.search(r"category=([a-z_]+)", href).group(1)  # type: ignore[union-attr]
        rows = _csv(admin.get(href + "&format=csv").content)
        assert len(rows) == counts[category] > 0 and {r["akun_resmi"] for r in rows} == {"ya"}
    listed = admin.get(hrefs[0]).text
    assert "Kategori:" in listed  # the filter shows as a removable chip, and the filter form keeps it
    assert re.search(r'<input type="hidden" name="category" value="[a-z_]+">', listed)
