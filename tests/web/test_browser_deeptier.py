"""The deep model's setting in Pengaturan, in real Chromium: choose which posts it reads and find the choice in
citra.toml (``[nlp] deep``), the file's comments kept."""

from __future__ import annotations

import os
from pathlib import Path

from citra import config
from tests.web.conftest import Site

SHOTS = os.environ.get("CITRA_SHOTS")  # a folder: also save screenshots of the section at 1280 and 390 px


def test_choose_the_posts_the_deep_model_reads(page, site: Site) -> None:  # type: ignore[no-untyped-def]
    toml = site.filled.ws.root / config.CONFIG_NAME
    comments = [line for line in toml.read_text().splitlines() if line.lstrip().startswith("#")]
    page.goto(site.url + "/pengaturan#cfg-deep")
    assert page.is_checked("#cfg-deep input[name=deep][value=attention]")  # the default
    page.check("#cfg-deep input[name=deep][value=all]")
    page.click("#cfg-deep button:has-text('Simpan pengaturan model mendalam')")
    page.wait_for_selector("text=Tersimpan di citra.toml")
    assert page.is_checked("#cfg-deep input[name=deep][value=all]")
    text = toml.read_text()
    assert 'deep = "all"' in text
    assert [line for line in text.splitlines() if line.lstrip().startswith("#")] == comments
    assert config.load(site.filled.ws.root).settings.nlp.deep == "all"
    if SHOTS:
        for width in (1280, 390):
            page.set_viewport_size({"width": width, "height": 900})
            page.locator("#cfg-deep").screenshot(path=str(Path(SHOTS) / f"deep-setting-{width}.png"))
    page.check("#cfg-deep input[name=deep][value=attention]")  # as it was, for the other tests of this site
    page.click("#cfg-deep button:has-text('Simpan pengaturan model mendalam')")
    page.wait_for_selector("text=Tersimpan di citra.toml")
    assert config.load(site.filled.ws.root).settings.nlp.deep == "attention"
    assert page.problems == []
