"""The share-of-voice and spillover section of Jaringan in real Chromium, on the hand-counted fixture of
``tests.test_voice``: both charts drawn, the numbers in Indonesian, nothing wider than a phone."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from citra import config
from citra.records import Role
from citra.store import Store
from citra.web.app import create_app
from citra.web.auth import hash_password
from tests.test_voice import fill
from tests.web.conftest import PASSWORD, Site, _need_chromium, serve

URL = "/jaringan?since=2024-03-01&until=2024-03-31"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    _need_chromium()
    saved = {k: os.environ.pop(k, None) for k in ("CITRA_DATABASE_URL", "CITRA_WORKSPACE")}
    try:
        ws = config.init(tmp_path_factory.mktemp("voice") / "ws", "Pemerintah Kota Bekasi")
        with Store.open(ws.database_url) as store:
            store.upgrade()
        ws = fill(ws)
        with Store.open(ws.database_url) as store:
            store.accounts.add_user("admin", hash_password(PASSWORD), Role.ADMIN, None)
        with serve(create_app(ws, secret_key="browser-test-secret", cache_seconds=0)) as url:
            yield Site(url, None)  # type: ignore[arg-type]
    finally:
        for key, value in saved.items():
            if value is not None:
                os.environ[key] = value


@pytest.mark.parametrize("width", [1280, 390])
def test_voice_section(page, site, width: int) -> None:  # type: ignore[no-untyped-def]
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(site.url + URL)
    page.wait_for_selector("#chart-voice_share .main-svg")
    page.wait_for_selector("#chart-voice_spill .main-svg")
    assert page.locator("nav a[href='/jaringan']").count() == 1
    share = page.locator("#porsi-suara")
    assert "Porsi suara" in share.inner_text() and "Kota Depok" in share.inner_text()
    first = share.locator("tbody tr").first.inner_text()
    assert "Pemerintah Kota Bekasi" in first and "66,7%" in first  # 8 of 12 posts
    spill = page.locator("#limpahan").inner_text()
    assert "Limpahan dari pimpinan" in spill and "2 dari 5 posting negatif" in spill and "Budi Santoso" in spill
    assert "Klarifikasi" in spill and "tidak jelas berubah" in spill
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 1
    assert page.problems == []
