"""Isu baru in Chromium: six fresh complaints about a cancelled food festival that no topic covers show as a new
issue on Isu & OPD, named by their words; its page lists the posts; "Jadikan topik" adds the topic to the
workspace's taxonomy and the issue leaves the list. A viewer sees the issue without the button and may not post
it. Vectors from the real encoder; the complaints are written for the test. Screenshots at 1280 and 390 px go to
the test's folder (and to $CITRA_SHOTS when set)."""

from __future__ import annotations

import os
import tomllib
from datetime import UTC, datetime, timedelta
from pathlib import Path

from citra.nlp.encoder import Encoder
from citra.records import Annotation, Author, Platform, Post, Sentiment
from tests.web.conftest import Site, sign_in

SHOTS = os.environ.get("CITRA_SHOTS")
BASE = "Festival kuliner alun-alun dibatalkan mendadak, tiket tidak dikembalikan"
TAILS = ["", " sama sekali", "!!", " @humaskota", ", kecewa", " tolong dijelaskan"]
OTHERS = ["Antrean vaksin rabies untuk kucing di puskesmas", "Kenapa taman kota tutup jam enam sore", "Info lomba"]


def _fill(site: Site) -> list[int]:
    from citra.store import Store

    now = datetime.now(UTC)
    texts = [BASE + t for t in TAILS] + OTHERS
    posts = [
        Post(Platform.X, f"fest-{k}", text, now - timedelta(hours=k + 1), author=Author(f"f{k}", f"warga_fest{k}"))
        for k, text in enumerate(texts)
    ]
    encoder = Encoder()
    note = Annotation("id", 1.0, Sentiment.NEGATIVE, (0.8, 0.1, 0.1))
    with Store.open(site.filled.ws.database_url) as store:
        store.add_posts(posts)
        ids = [store.lookup(p.native_id, p.platform)[0].id for p in posts]
        store.save_annotations([(i, note) for i in ids], "test-1")
        store.save_vectors(list(zip(ids, encoder.embed(texts), strict=True)), encoder.version)
    return ids[: len(TAILS)]


def test_new_issue_listed_opened_and_made_a_topic(page, browser, site: Site, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    ids = _fill(site)
    page.goto(site.url + "/isu")
    card = page.locator("#isu-baru")
    assert card.locator("h2").inner_text() == "Isu baru"
    issue = card.locator("article.new-issue")
    assert issue.count() == 1  # the three other complaints are strays
    title = issue.locator("h3").inner_text()
    assert "festival kuliner" in title or "festival" in title.split(", ")
    assert "6 unggahan · 6 akun" in issue.inner_text()
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        card.screenshot(path=str(tmp_path / f"newissues-{width}.png"))
        if SHOTS:
            card.screenshot(path=str(Path(SHOTS) / f"newissues-{width}.png"))
    page.set_viewport_size({"width": 1280, "height": 900})

    issue.locator("h3 a").click()
    page.wait_for_url("**/isu/baru?c=*")
    assert sorted(int(x.get_attribute("id").split("-")[1]) for x in page.locator("li.post").all()) == sorted(ids)
    assert "Jadikan topik" in page.locator("form.make-topic button").inner_text()
    page.go_back()

    # a viewer sees the issue but no button, and may not add a topic
    context = browser.new_context()
    viewer = context.new_page()
    sign_in(viewer, site.url, "pemirsa")
    viewer.goto(site.url + "/isu")
    assert viewer.locator("#isu-baru article.new-issue").count() == 1
    assert viewer.locator("#isu-baru form.make-topic").count() == 0
    token = viewer.evaluate("document.querySelector('input[name=csrf_token]')?.value || ''")
    answer = viewer.request.post(
        site.url + "/isu/baru/topik", form={"csrf_token": token, "name": "Festival", "terms": "festival"}
    )
    assert answer.status == 403
    context.close()

    page.locator("#isu-baru form.make-topic input[name=name]").fill("Festival kuliner batal")
    page.locator("#isu-baru form.make-topic button").click()
    page.wait_for_url("**/isu#isu-baru")
    assert "Topik Festival kuliner batal ditambahkan" in page.locator(".flash").first.inner_text()
    assert page.locator("#isu-baru article.new-issue").count() == 0
    ws = site.filled.ws
    data = tomllib.loads((ws.root / "topics.toml").read_text(encoding="utf-8"))
    assert data["topic"][0]["name"] == "Festival kuliner batal" and data["topic"][0]["id"].startswith("isu_festival")
    assert page.problems == []
