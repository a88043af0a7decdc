"""The dashboard in real headless Chromium (Debian's /usr/bin/chromium driven by Playwright) against a real
uvicorn server on 127.0.0.1 with a SQLite workspace: log in, charts render without console errors, correct a
label, assign an inbox item, download a report. Without Chromium these tests skip, except in CI where they fail."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from citra.records import InboxStatus, Sentiment
from citra.store import Store

from .conftest import PASSWORD, XSS, Site, sign_in


def test_overview_draws_charts_without_console_errors(page) -> None:  # type: ignore[no-untyped-def]
    page.wait_for_selector("#chart-trend .main-svg", timeout=30_000)
    page.wait_for_selector("#chart-mix .main-svg")
    assert page.locator(".js-plotly-plot").count() == 3
    assert page.locator("#chart-trend .scatterlayer .trace").count() >= 3  # band, index, reach-weighted index
    assert "Ringkasan" in page.title()
    page.click("a[hreflang=en]")
    page.wait_for_selector("#chart-trend .main-svg")
    assert "Overview" in page.title()
    assert page.problems == []


def test_correct_a_label(page, site: Site) -> None:  # type: ignore[no-untyped-def]
    page.goto(site.url + "/percakapan?q=berlubang")
    post = page.locator(f"#post-{site.filled.xss_id}")
    assert XSS in post.locator(".text").inner_text()  # shown as text, never run
    post.locator("select[name=label]").select_option("positive")
    post.locator("button[type=submit]").click()
    page.wait_for_selector(".flash.ok")
    with Store.open(site.filled.ws.database_url) as store:
        labels = [lb for lb in store.labels() if lb.post_id == site.filled.xss_id]
    assert labels and labels[-1].label is Sentiment.POSITIVE and labels[-1].source == "web:admin"
    assert page.problems == []


def test_assign_an_inbox_item(page, site: Site) -> None:  # type: ignore[no-untyped-def]
    page.goto(site.url + "/keterlibatan")
    item = page.locator(f"#item-{site.filled.xss_id}")
    assert XSS in item.locator(".text").inner_text()
    item.locator(".assign-form select[name=assignee]").select_option("pupr")
    item.locator("select[name=status]").select_option("in_progress")
    item.locator(".assign-form button[type=submit]").click()
    page.wait_for_selector(".flash.ok")
    with Store.open(site.filled.ws.database_url) as store:
        stored = store.inbox.item(site.filled.xss_id)
    assert stored.status is InboxStatus.IN_PROGRESS and stored.assignee == "pupr"
    assert page.problems == []


def test_an_item_without_a_suggestion_asks_for_an_opd(page, site: Site) -> None:  # type: ignore[no-untyped-def]
    from datetime import timedelta

    from citra.records import Annotation, Author, Intent, Platform, Post

    from .conftest import START

    post = Post(Platform.X, "8801", "mohon ditindaklanjuti", START - timedelta(days=3), author=Author("88", "w88"))
    note = Annotation("id", 0.9, Sentiment.NEGATIVE, (0.8, 0.1, 0.1), intent=Intent.COMPLAINT, needs_response=True)
    with Store.open(site.filled.ws.database_url) as store:
        store.add_posts([post])
        (pid,) = [s.id for s in store.lookup("8801", Platform.X)]
        store.save_annotations([(pid, note)], "test-1")
    page.goto(site.url + "/keterlibatan")
    item = page.locator(f"#item-{pid}")
    choice = item.locator("select[name=opd]")
    assert choice.input_value() == ""  # no agency preselected
    item.locator(".assign-form select[name=assignee]").select_option("dinkes")
    item.locator(".assign-form button[type=submit]").click()
    assert choice.evaluate("e => e.validity.valueMissing")  # the browser asks instead of sending a default
    with Store.open(site.filled.ws.database_url) as store:
        assert store.inbox.item(pid).assignee is None
    choice.select_option("Dinas Kesehatan")
    item.locator(".assign-form button[type=submit]").click()
    page.wait_for_selector(".flash.ok")
    with Store.open(site.filled.ws.database_url) as store:
        stored = store.inbox.item(pid)
    assert (stored.opd, stored.assignee) == ("Dinas Kesehatan", "dinkes")
    assert page.problems == []


@pytest.mark.parametrize(("fmt", "magic"), [("pdf", b"%PDF"), ("xlsx", b"PK\x03\x04"), ("html", b"<")])
def test_download_a_report(page, site: Site, fmt: str, magic: bytes, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Ask for a report: the page says it is being built and reloads itself until the link to the file appears.
    Screenshots before, while and after (laporan-*.png) stay in the test's folder."""
    import citra.reports as reports

    if not hasattr(reports, "build"):
        if os.environ.get("CI"):
            pytest.fail("citra.reports.build is missing")
        pytest.skip("citra.reports.build is not there yet")
    page.goto(site.url + "/laporan")
    page.screenshot(path=str(tmp_path / "laporan-before.png"))
    page.select_option("select[name=fmt]", fmt)
    page.click("button[type=submit].primary")
    status = page.wait_for_selector("#report-status")
    if status.get_attribute("data-state") in ("queued", "running"):
        assert "dibuat" in status.inner_text() or "Menunggu" in status.inner_text()
        page.screenshot(path=str(tmp_path / "laporan-while.png"))
    link = page.wait_for_selector("a.download", timeout=180_000)  # the page reloads itself every 2 s meanwhile
    page.screenshot(path=str(tmp_path / "laporan-after.png"))
    with page.expect_download(timeout=60_000) as download:
        link.click()
    body = Path(download.value.path()).read_bytes()
    assert body.lstrip()[: len(magic)] == magic
    assert download.value.suggested_filename.endswith("." + fmt)
    assert page.problems == []


def test_beri_label_page(page, site: Site, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Open "Beri label" from the menu, label a post with one click, see the count change and the post leave the
    queue, draw a random audit sample. Screenshots (label-page.png, label-audit.png) stay in the test's folder."""
    from .test_label_page import add_distinct_posts

    def labelled() -> int:
        return int(page.locator("#counts tr[data-task=sentiment] td.labelled").inner_text().replace(".", ""))

    ids = add_distinct_posts(site.filled)
    page.set_viewport_size({"width": 1280, "height": 1000})
    page.click("nav a[href='/label']")
    page.wait_for_url(site.url + "/label")
    assert "Beri label" in page.title()
    before = labelled()
    first = page.locator("#queue li.post").first
    post_id = int((first.get_attribute("id") or "").removeprefix("post-"))
    assert post_id == ids[0]  # the least certain of the distinct texts
    page.screenshot(path=str(tmp_path / "label-page.png"))
    first.locator("button[value=positive]").click()
    page.wait_for_selector(".flash.ok")
    assert labelled() == before + 1
    assert page.locator(f"#post-{post_id}").count() == 0  # labelled posts leave the queue
    with Store.open(site.filled.ws.database_url) as store:
        assert store.get(post_id).human.sentiment is Sentiment.POSITIVE
    page.click("nav.tabs a[href*='mode=audit']")
    page.fill("input[name=n]", "3")
    page.click("form[action='/label/draw'] button[type=submit]")
    page.wait_for_selector(".flash.ok")
    assert page.locator("#queue li.post").count() == 3
    assert page.locator("#queue .badge.human").count() == 3  # each marked as audit sample
    page.screenshot(path=str(tmp_path / "label-audit.png"), full_page=True)
    assert page.problems == []


def test_change_own_password_on_the_account_page(browser, site: Site, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """An OPD user opens Akun from their name in the top bar, changes the password (in Indonesian), stays logged
    in, and another browser of theirs is logged out."""
    other = browser.new_context().new_page()
    context = browser.new_context()
    page = context.new_page()
    for p in (other, page):
        sign_in(p, site.url, "dinkes")
        p.wait_for_url(site.url + "/keterlibatan")
    page.click("a[href='/akun']")
    page.wait_for_url(site.url + "/akun")
    assert page.title().startswith("Akun saya") and "Ubah kata sandi Anda" in page.inner_text("main")
    page.fill("input[name=current]", PASSWORD)
    page.fill("input[name=new]", "sandi-baru-dinkes-1")
    page.fill("input[name=repeat]", "sandi-baru-dinkes-1")
    page.click("form[action='/akun/password'] button[type=submit]")
    page.wait_for_selector(".flash.ok")
    assert "Sesi Anda di perangkat lain telah diakhiri" in page.inner_text(".flash.ok")
    page.screenshot(path=str(tmp_path / "akun.png"))
    page.goto(site.url + "/keterlibatan")
    assert page.url == site.url + "/keterlibatan", "this browser stays logged in"
    other.goto(site.url + "/keterlibatan")
    assert "/login" in other.url, "the other browser is logged out"
    context.close()
    other.context.close()
