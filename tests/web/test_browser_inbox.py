"""The inbox in Chromium: Humas bulk-assigns two items (with "pilih semua di halaman"), then the OPD user hands one
back with a reason; the page fits a 390 px phone without sideways scrolling. Screenshots go to the test's folder."""

from __future__ import annotations

from pathlib import Path

from citra.records import InboxStatus
from citra.store import Store

from .conftest import Site, sign_in


def test_bulk_assign_then_hand_back(page, browser, site: Site, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    with Store.open(site.filled.ws.database_url) as store:
        first, second = [i.post_id for i in store.inbox.items(opd="Dinas PUPR", limit=2)]
    page.goto(site.url + "/keterlibatan?opd=Dinas+PUPR&sort=oldest")
    boxes = page.locator('input[name=post_id][form="bulk"]')
    page.get_by_label("Pilih semua di halaman").check()
    assert boxes.count() >= 2 and all(boxes.nth(i).is_checked() for i in range(boxes.count()))
    page.get_by_label("Pilih semua di halaman").uncheck()
    page.locator(f'#item-{first} input[name=post_id][form="bulk"]').check()
    page.locator(f'#item-{second} input[name=post_id][form="bulk"]').check()
    bulk = page.locator("form#bulk")
    bulk.locator("select[name=opd]").select_option("Dinas PUPR")
    bulk.locator("select[name=assignee]").select_option("pupr")
    bulk.get_by_role("button", name="Tugaskan yang dipilih").click()
    assert "Item ditugaskan: 2." in page.locator(".flash.ok").inner_text()
    with Store.open(site.filled.ws.database_url) as store:
        assigned = [store.inbox.item(i) for i in (first, second)]
        assert [(i.opd, i.assignee, i.status) for i in assigned] == [("Dinas PUPR", "pupr", InboxStatus.ASSIGNED)] * 2
        (entry,) = [e for e in store.accounts.audit_log() if e["action"] == "inbox.assign_bulk"]
        assert entry["actor"] == "admin" and entry["detail"]["ids"] == sorted([first, second])
    page.set_viewport_size({"width": 1280, "height": 900})
    page.screenshot(path=str(tmp_path / "inbox-1280.png"))
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # no sideways scrolling on a phone
    page.screenshot(path=str(tmp_path / "inbox-390.png"))
    assert page.problems == []

    # the OPD user hands one back: a reason is required
    context = browser.new_context(viewport={"width": 390, "height": 844})
    opd = context.new_page()
    sign_in(opd, site.url, "pupr")
    opd.goto(site.url + "/keterlibatan?sort=oldest")
    item = opd.locator(f"#item-{second}")
    item.locator("summary").click()
    hand_back = item.locator("form.hand-back")
    hand_back.get_by_role("button", name="Kembalikan").click()
    assert hand_back.locator("input[name=reason]").evaluate("e => e.validity.valueMissing")
    hand_back.locator("input[name=reason]").fill("Ini wewenang Dinas Perhubungan")
    hand_back.get_by_role("button", name="Kembalikan").click()
    assert "dikembalikan ke Humas" in opd.locator(".flash.ok").inner_text()
    assert opd.locator(f"#item-{second}").count() == 0 and opd.locator(f"#item-{first}").count() == 1
    assert opd.evaluate("document.documentElement.scrollWidth") <= 390
    context.close()
    with Store.open(site.filled.ws.database_url) as store:
        back = store.inbox.item(second)
        assert (back.status, back.opd, back.assignee, back.returned_reason) == (
            InboxStatus.NEW,
            None,
            None,
            "Ini wewenang Dinas Perhubungan",
        )
        (entry,) = [e for e in store.accounts.audit_log() if e["action"] == "inbox.hand_back"]
        assert entry["actor"] == "pupr" and entry["target"] == f"post:{second}"
    # Humas sees it as new again, with the reason
    page.goto(site.url + "/keterlibatan?status=new&sort=oldest")
    assert "Ini wewenang Dinas Perhubungan" in page.locator(f"#item-{second} .returned").inner_text()
