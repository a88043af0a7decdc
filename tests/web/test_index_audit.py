"""The dashboard and the monthly report say how many audit labels back the index, and show the same corrected
numbers for the same month (SQLite and PostgreSQL)."""

from __future__ import annotations

import random
import re
from datetime import datetime

from citra import reports
from citra.measure import index_rows
from citra.records import Sentiment
from citra.store import PostQuery, Store
from citra.store import confusion as audit_table
from tests.web.conftest import token_for
from tests.web.test_api import bearer

MONTH = "2026-09"


def _audit(store: Store, n: int) -> None:
    """The team labels ``n`` citizens' posts drawn at random (their own truth: the model's label, shifted for
    every fourth post, so that the model looks imperfect)."""
    found = store.search(PostQuery(official=False, annotated=True), limit=400).items
    rnd = random.Random(5)
    chosen = rnd.sample(found, n)
    labels = list(Sentiment)
    for k, item in enumerate(chosen):
        model = item.annotation.sentiment
        truth = labels[(labels.index(model) + 1) % 3] if k % 4 == 0 else model
        store.set_human(item.id, "tester", sentiment=truth)
    audit_table.draw(store, [item.id for item in chosen], "tester")


def test_overview_and_report_name_the_audit_and_agree(as_user, client, filled) -> None:
    admin, _ = as_user("admin")
    window = f"/?since={MONTH}-01&until={MONTH}-30"
    before = admin.get(window).text
    assert "belum dikoreksi: 0 dari 50 label audit" in before
    assert "Komposisi sentimen, dikoreksi" not in before  # the donut shows the label counts
    with Store.open(filled.ws.database_url) as store:
        _audit(store, 60)
        data = reports.gather(store, filled.ws, MONTH, now=datetime(2026, 10, 20, tzinfo=filled.ws.tz))
        page_report = reports.build(store, filled.ws, fmt="html", now=data.generated).decode("utf-8")
        since = datetime(2026, 9, 1, tzinfo=filled.ws.tz)
        until = datetime(2026, 10, 1, tzinfo=filled.ws.tz)
        (total,) = index_rows(store, filled.ws, freq="total", since=since, until=until)
    page = admin.get(window).text
    assert "dikoreksi dengan 60 label audit" in page
    assert "Komposisi sentimen, dikoreksi dengan sampel audit" in page  # the donut shows the tiles' shares
    assert "dikoreksi untuk kesalahan model dengan 60 label audit" in page_report
    current = data.current
    assert current.corrected and current.labels_used == 60 and total.corrected
    assert (current.index, current.ci_low, current.ci_high) == (total.index, total.ci_low, total.ci_high)
    assert (current.negative_share, current.net_sentiment) == (total.negative_share, total.net_sentiment)
    tile = re.search(r"Porsi negatif</span>\s*<strong>(?:<a [^>]*>)?([^<]+)<", page)  # the tile links to its posts
    assert tile and tile.group(1) == f"{current.negative_share:.0%}"  # the dashboard rounds to whole percents
    api = client.get(
        f"/api/v1/index?freq=total&since={MONTH}-01&until={MONTH}-30", headers=bearer(token_for(filled, "analis"))
    ).json()
    (row,) = api["rows"]
    assert row["corrected"] is True and row["labels_used"] == 60 and row["index"] == current.index
    assert row["negative_share_ci_low"] <= row["negative_share"] <= row["negative_share_ci_high"]
