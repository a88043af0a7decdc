"""The Strategi page and the monthly report in real headless Chromium: choose the metric and window an
intervention is measured on, see the verdict, keep the choice (audited) and find it in the report's JSON; and the
Ringkasan shows the report's index for the same month. Without Chromium these tests skip, except in CI."""

from __future__ import annotations

import json
from urllib.parse import quote_plus

from citra import config, reports
from citra.reports import fmt
from citra.store import Store

from .conftest import Site

NAME = "Kampanye Jalan Mulus"


def test_choose_metric_and_window_see_verdict_and_report(page, site: Site) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{site.url}/strategi?name={quote_plus(NAME)}")
    assert "sentimen bersih, 28 hari" in page.locator("#dampak").inner_text()  # the recorded measure
    form = page.locator("#measure-form")
    form.locator("select[name=metric]").select_option("negative_share")
    form.locator("input[name=days]").fill("14")
    form.locator("button[type=submit]").click()
    page.wait_for_selector(".tile.verdict")
    word = page.locator(".tile.verdict").get_attribute("data-verdict")
    assert word in ("naik", "turun", "belum terlihat")
    shown = page.locator(".tile.verdict strong").inner_text()
    assert shown.startswith(word)  # in Indonesian, with "membaik" / "memburuk" when the interval says so
    method = page.locator("#method-line").inner_text()
    assert method.startswith("Metode:") and "14 hari" in method  # the method line is Indonesian
    page.locator("#keep-measure button").click()
    page.wait_for_selector(".flash.ok")
    assert "porsi negatif, 14 hari" in page.locator("tr.chosen").inner_text()
    ws = config.load(site.filled.ws.root)
    with Store.open(ws.database_url) as store:
        item = store.intervention(NAME)
        assert (item.metric, item.window_days) == ("negative_share", 14)
        entry = next(e for e in store.accounts.audit_log() if e["action"] == "intervention.measure")
        assert (entry["actor"], entry["target"]) == ("admin", NAME)
        model = reports.gather(store, ws, "2026-10")
    (measured,) = [i for i in json.loads(reports.render(model, "json"))["interventions"] if i["name"] == NAME]
    assert (measured["metric"], measured["window_days"], measured["verdict"]) == ("negative_share", 14, word)
    # the same month's index on the Ringkasan, the report's JSON and its HTML
    page.goto(f"{site.url}/?since=2026-10-01&until=2026-10-31")
    tile = page.locator(".period-index")
    assert float(tile.get_attribute("data-index")) == model.current.index
    assert fmt.number(model.current.index, 1) in tile.inner_text()
    html = reports.render(model, "html").decode("utf-8")
    assert f"Indeks citra {fmt.number(model.current.index, 1)} dari 100" in html
    assert page.problems == []
