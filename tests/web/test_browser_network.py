"""The Jaringan network in Chromium: the graph is drawn with the planted groups' accounts ringed, a click on an
account loads that account's posts of the period beside the graph, "Sorot di grafik" rings a group's accounts, and
no script error on the way. Screenshots at 1280 and 390 px go to the test's folder (and to $CITRA_SHOTS)."""

from __future__ import annotations

import os
from pathlib import Path

from citra.store import Store
from tests.network_data import CO_POST, conversation
from tests.web.conftest import Site

SHOTS = os.environ.get("CITRA_SHOTS")
URL = "/jaringan?since=2026-03-02&until=2026-03-05"
GRAPH = "document.getElementById('chart-network')"
# the page position of an account's marker, from Plotly's own axes
WHERE = """handle => {
  const gd = document.getElementById('chart-network');
  const tr = gd._fullData.find(t => t.name !== 'highlight' && (t.customdata || []).some(d => d[0] === handle));
  const i = tr.customdata.findIndex(d => d[0] === handle);
  const xa = gd._fullLayout.xaxis, ya = gd._fullLayout.yaxis, box = gd.getBoundingClientRect();
  return [box.left + xa._offset + xa.l2p(tr.x[i]), box.top + ya._offset + ya.l2p(tr.y[i])];
}"""


def test_graph_click_shows_the_accounts_posts(page, site: Site, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    with Store.open(site.filled.ws.database_url) as store:
        store.add_posts(conversation(1).posts)
    page.goto(site.url + URL)
    page.wait_for_function(
        "() => { const g = document.getElementById('chart-network'); return g && g.data && g.data.length > 2; }"
    )
    drawn = page.evaluate(
        "() => document.getElementById('chart-network').data.flatMap(t => (t.customdata || []).map(d => d[0]))"
    )
    assert set(CO_POST) <= set(drawn)
    names = page.evaluate(f"() => {GRAPH}.data.map(t => t.name)")
    assert "Komunitas 1" in names and "Terkoordinasi" in names
    panel = page.locator("#network-account")
    assert "Klik akun pada grafik" in panel.inner_text()

    who = CO_POST[0]
    page.locator("#chart-network").scroll_into_view_if_needed()
    x, y = page.evaluate(WHERE, who)
    page.mouse.move(x, y)
    page.mouse.click(x, y)
    shown = panel.locator(f".account-posts[data-handle='{who}']")
    shown.wait_for(timeout=10_000)
    assert shown.locator("h3").inner_text() == f"@{who}"
    posts = shown.locator("li.post")
    assert posts.count() == 4
    assert all("bantuan pangan" in posts.nth(i).inner_text() for i in range(4))
    linked = panel.locator("p.in-groups a")
    assert panel.locator("p.in-groups").inner_text().startswith("Dalam kelompok terkoordinasi:")
    target = linked.first.get_attribute("href")
    assert page.locator(target).locator(f"a:text-is('@{who}')").count() == 1  # the group it links to has it

    group = page.locator("article.net-group", has=page.locator(f"a:text-is('@{who}')")).first
    button = group.locator("button.highlight-group")
    assert button.is_visible()
    button.click()
    ringed = page.evaluate(
        "() => document.getElementById('chart-network').data.find(t => t.name === 'highlight').x.length"
    )
    assert ringed == len(CO_POST)
    assert button.get_attribute("aria-pressed") == "true"

    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.wait_for_timeout(400)  # Plotly resizes on the window's resize event
        for part in ("#jaringan-peta", "#komunitas", "#kelompok"):
            box = page.locator(part).bounding_box()
            assert box and box["x"] + box["width"] <= width + 1, f"{part} runs off a {width} px screen"
        page.screenshot(path=str(tmp_path / f"jaringan-{width}.png"), full_page=True)
        if SHOTS:
            page.locator("#jaringan-peta").screenshot(path=str(Path(SHOTS) / f"jaringan-graph-{width}.png"))
            page.locator("#kelompok").screenshot(path=str(Path(SHOTS) / f"jaringan-groups-{width}.png"))
            page.screenshot(path=str(Path(SHOTS) / f"jaringan-{width}.png"), full_page=True)
    assert page.problems == []
