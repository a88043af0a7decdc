"""The inbox's similar past complaints in Chromium: a new pothole complaint shows "Mirip dengan aduan yang dulu ke
Dinas Perhubungan" (the OPD a like complaint was routed to, with its similarity), the link opens that complaint
alone, and an OPD user may not open another OPD's item that way. Vectors from the real encoder; the complaints are
written for the test. Screenshots at 1280 and 390 px go to the test's folder (and to $CITRA_SHOTS when set)."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

from citra.nlp.encoder import Encoder
from citra.records import Author, Platform, Post
from citra.store import Store
from tests.test_answers import _note
from tests.web.conftest import Site, sign_in

SHOTS = os.environ.get("CITRA_SHOTS")
OLD = "Jalan di depan SD Negeri 3 berlubang besar dan tergenang air, motor sering jatuh, mohon segera diperbaiki"
NEW = "Jalan depan SD Negeri 3 masih berlubang besar dan tergenang, sudah ada motor jatuh lagi, tolong diperbaiki"
OTHER = "Pelayanan KTP elektronik di kecamatan sangat lambat, blangko habis terus"


def _complaints(site: Site) -> dict[str, int]:
    """Three fresh complaints with vectors: OLD routed to Dinas Perhubungan, OTHER to Disdukcapil, NEW unrouted."""
    now = datetime.now(UTC)
    texts = {"sim-old": OLD, "sim-other": OTHER, "sim-new": NEW}
    posts = [
        Post(Platform.X, key, text, now - timedelta(minutes=30 - i), author=Author(handle=f"warga{i}"))
        for i, (key, text) in enumerate(texts.items())
    ]
    encoder = Encoder()
    with Store.open(site.filled.ws.database_url) as store:
        store.add_posts(posts)
        ids = {p.native_id: store.lookup(p.native_id, p.platform)[0].id for p in posts}
        store.save_annotations([(ids[k], _note(opds=("Dinas PUPR",))) for k in texts], "test-1")
        store.inbox.assign(ids["sim-old"], by="admin", opd="Dinas Perhubungan")
        store.inbox.assign(ids["sim-other"], by="admin", opd="Disdukcapil")
        vectors = encoder.embed(list(texts.values()))
        store.save_vectors([(ids[k], v) for k, v in zip(texts, vectors, strict=True)], encoder.version)
    return ids


def test_similar_complaints_beside_the_suggestion(page, browser, site: Site, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    ids = _complaints(site)
    page.goto(site.url + "/keterlibatan?sort=newest")
    item = page.locator(f"#item-{ids['sim-new']}")
    line = item.locator(".similar")
    assert line.count() == 1  # OTHER is not similar enough to show
    text = line.inner_text()
    assert text.startswith("Mirip dengan aduan yang dulu ke Dinas Perhubungan:")
    link = line.locator("a")
    assert link.inner_text() == f"#{ids['sim-old']}" and "kemiripan 0,9" in link.get_attribute("title")
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        item.screenshot(path=str(tmp_path / f"similar-{width}.png"))
        if SHOTS:
            item.screenshot(path=str(Path(SHOTS) / f"similar-{width}.png"))
    link.click()
    page.wait_for_url(f"**/keterlibatan?item={ids['sim-old']}")
    assert page.locator("ol.inbox > li.post").count() == 1
    assert OLD in page.locator(f"#item-{ids['sim-old']} .text").inner_text()
    assert "Satu item kotak masuk" in page.content()
    assert page.problems == []

    # an OPD user opens only its own queue's items by link
    context = browser.new_context()
    opd = context.new_page()
    sign_in(opd, site.url, "pupr")
    assert opd.goto(site.url + f"/keterlibatan?item={ids['sim-old']}").status == 403
    assert opd.goto(site.url + f"/keterlibatan?item={ids['sim-new']}").status == 200  # suggested to Dinas PUPR
    context.close()
