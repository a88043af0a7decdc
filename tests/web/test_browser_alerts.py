"""The crisis workflow in real Chromium: Ringkasan shows the crisis as a banner and shades its days on the trend
chart; on Peringatan an admin acknowledges the alert, assigns it, adds a note and resolves it."""

from __future__ import annotations

from citra.records import Handling
from citra.store import Store

from .conftest import Site


def test_crisis_banner_then_acknowledge_assign_note_resolve(page, site: Site) -> None:  # type: ignore[no-untyped-def]
    with Store.open(site.filled.ws.database_url) as store:
        [alert] = store.alerts()
    card = f"#alert-{alert.id}"

    banner = page.locator("a.crisis-banner")
    assert banner.count() == 1 and "Krisis" in banner.inner_text() and "belum ditangani" in banner.inner_text()
    page.wait_for_selector("#chart-trend .main-svg", timeout=30_000)
    assert "Krisis: tinggi" in (page.locator("#chart-trend .annotation-text").first.text_content() or "")  # the marker
    assert page.locator("#chart-trend .shapelayer path").count() >= 1
    banner.click()
    page.wait_for_selector(card)

    page.goto(site.url + "/peringatan")  # the default tab lists the open crisis
    page.locator(f"{card} form[action$='/acknowledge'] button").click()
    page.wait_for_selector(f"{card} .handling-acknowledged")
    page.locator(f"{card} form[action$='/assign'] select").select_option("analis")
    page.locator(f"{card} form[action$='/assign'] button").click()
    page.wait_for_selector(f"{card} .flash, .flash.ok")
    assert "Ditugaskan ke analis" in page.locator(f"{card} .handling-line").inner_text()
    page.fill(f"{card} form[action$='/note'] textarea", "Klarifikasi disiapkan Humas")
    page.locator(f"{card} form[action$='/note'] button").click()
    page.wait_for_selector(f"{card} .notes li")
    assert "Klarifikasi disiapkan Humas" in page.locator(f"{card} .notes").inner_text()
    page.locator(f"{card} form[action$='/resolve'] button").click()
    page.wait_for_selector(f"{card} .handling-resolved")  # resolved today: still on the default tab
    assert page.locator(f"{card} form[action$='/reopen']").count() == 1

    with Store.open(site.filled.ws.database_url) as store:
        done = store.alert_work.get(alert.id or 0)
        audit = [e["action"] for e in store.accounts.audit_log() if e["target"] == f"alert:{alert.id}"]
    assert done.work and done.work.handling is Handling.RESOLVED
    assert (done.work.assignee, done.work.acknowledged_by, done.work.resolved_by) == ("analis", "admin", "admin")
    assert sorted(audit) == ["alert.acknowledge", "alert.assign", "alert.note", "alert.resolve"]
    assert page.problems == []
