"""Alert scopes in real Chromium: an analyst marks a saved search "Pantau" on Percakapan, the alert scan (run here
through the library) finds the spike planted in its topic, and Peringatan shows the alert with its scope and
filters by it."""

from __future__ import annotations

import dataclasses
import random
from datetime import timedelta

from citra import config, curate
from citra.alerts import scan
from citra.records import Role, Sentiment, User
from citra.store import Store

from .conftest import START, Site, _annotation, _post

SPIKE_AT = START + timedelta(days=50, hours=3)


def _plant(site: Site) -> int:
    """A saved search on the waste topic and 30 negative waste posts in one hour; returns the search's id."""
    with Store.open(site.filled.ws.database_url) as store:
        saved = curate.save_search(store, User(1, "admin", Role.ADMIN), "Sampah menumpuk", {"topic": "waste"})
        posts = [_post(7000 + k, SPIKE_AT + timedelta(minutes=k), f"Sampah tidak diangkut {k}") for k in range(30)]
        store.add_posts(posts)
        rnd, notes = random.Random(5), []
        for post in posts:
            (pid,) = [s.id for s in store.lookup(post.native_id, post.platform)]
            note = _annotation(rnd, False, False, ("waste", "Dinas Lingkungan Hidup"))
            notes.append((pid, dataclasses.replace(note, sentiment=Sentiment.NEGATIVE)))
        store.save_annotations(notes, "test-1")
    return saved


def test_watch_a_search_then_see_its_alert(page, site: Site) -> None:  # type: ignore[no-untyped-def]
    saved = _plant(site)
    page.goto(site.url + "/percakapan")
    item = page.locator("#saved-searches li", has_text="Sampah menumpuk")
    item.locator("form[action$='/pantau'] button").click()
    page.wait_for_selector("#saved-searches .badge.watched")
    assert "Berhenti memantau" in item.inner_text()

    with Store.open(site.filled.ws.database_url) as store:
        scan.scan(store, config.load(site.filled.ws.root), notify=False, now=SPIKE_AT + timedelta(hours=2))
        [scoped] = store.alerts(scope=saved)

    page.goto(f"{site.url}/peringatan?status=all&scope={saved}")
    card = page.locator(f"#alert-{scoped.id}")
    assert "Cakupan: Sampah menumpuk" in card.locator(".alert-scope").inner_text()
    assert page.locator("section.card.alert").count() == 1  # the filter keeps this scope's alerts only
    assert page.locator("select[name=scope] option:checked").inner_text() == "Sampah menumpuk"
    negative = card.locator("a", has_text="Lihat unggahan negatif").get_attribute("href") or ""
    assert f"saved={saved}" in negative and "sentiment=negative" in negative

    with Store.open(site.filled.ws.database_url) as store:  # a deleted search's alert keeps its name
        curate.delete_search(store, User(1, "admin", Role.ADMIN), saved)
    page.reload()
    assert "Cakupan: Sampah menumpuk" in card.inner_text() and card.locator(".alert-scope a").count() == 0
    assert "saved=" not in (card.locator("a", has_text="Lihat unggahan negatif").get_attribute("href") or "")
    assert not page.problems
