"""Every main page on a phone (390x844 in real Chromium): nothing scrolls the page sideways, the "Ukur dampak"
buttons stay on screen, the folded menu opens from the keyboard, the glossary's (i) tooltips are links a keyboard
reaches, and an error page is in Indonesian. One logged-in page object for all of it."""

from __future__ import annotations

import pytest

PAGES = {
    "Ringkasan": "/",
    "Isu & OPD": "/isu",
    "Percakapan": "/percakapan",
    "Kotak masuk": "/keterlibatan",
    "Peringatan": "/peringatan",
    "Strategi": "/strategi",
    "Publikasi": "/publikasi",
    "Laporan": "/laporan",
    "Pengaturan": "/pengaturan",
    "Glosarium": "/glosarium",
}
WIDER = "document.documentElement.scrollWidth - window.innerWidth"


@pytest.fixture
def phone(page):  # type: ignore[no-untyped-def]
    page.set_viewport_size({"width": 390, "height": 844})
    return page


def test_every_main_page_fits_a_phone(phone, site) -> None:  # type: ignore[no-untyped-def]
    wide = {}
    for name, path in PAGES.items():
        phone.goto(site.url + path)
        extra = phone.evaluate(WIDER)
        if extra > 1:
            wide[name] = extra
    assert wide == {}, f"pages wider than a 390 px phone (px too wide): {wide}"
    assert phone.problems == []


def test_buttons_tooltips_and_errors_on_a_phone(phone, site) -> None:  # type: ignore[no-untyped-def]
    phone.goto(site.url + "/strategi")
    button = phone.get_by_role("button", name="Ukur dampak").first
    box = button.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390

    menu = phone.get_by_role("link", name="Laporan")
    assert not menu.is_visible()  # the menu is folded away on a phone, and opens from the keyboard too
    phone.focus("#nav-toggle")
    phone.keyboard.press("Space")
    menu.wait_for(state="visible")

    phone.goto(site.url + "/")
    tip = phone.locator("a.tip[href='/glosarium#indeks']").first
    assert "Indeks citra" in (tip.get_attribute("title") or "") and tip.get_attribute("aria-label")
    tip.focus()
    assert phone.evaluate("document.activeElement.classList.contains('tip')")  # a keyboard reaches it
    tip.press("Enter")
    phone.wait_for_url(site.url + "/glosarium#indeks")
    assert phone.locator("dt#indeks").inner_text() == "Indeks citra"

    response = phone.goto(site.url + "/halaman-yang-tidak-ada")
    assert response is not None and response.status == 404
    assert phone.title() == "Tidak ditemukan · citra"
    assert "Halaman yang Anda cari tidak ada." in phone.locator("main").inner_text()
    assert phone.evaluate(WIDER) <= 1
