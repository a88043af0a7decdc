"""The network part of the Jaringan page on SQLite and PostgreSQL: the planted co-post, co-repost and hashtag groups
of ``tests.network_data`` are listed with their accounts and evidence for every reading role, the graph's payload
carries the accounts, an account's fragment lists that account's posts only, hostile text arrives escaped, and the
first request of a cached app says "being computed" instead of waiting."""

from __future__ import annotations

import html
import json
import re
import time
from collections.abc import Iterator
from datetime import datetime, timedelta

import pytest
from fastapi.testclient import TestClient

from citra import config
from citra.records import Author, Platform, Post, Role
from citra.store import PostQuery, Store
from citra.web.app import create_app
from citra.web.auth import hash_password
from tests.network_data import CO_POST, CO_REPOST, HASHTAG, PUSHED, START, conversation
from tests.web.conftest import PASSWORD, login

WINDOW = "since=2026-03-02&until=2026-03-05"
HOSTILE = "warga_jahil"
SCRIPT = "<script>alert('x')</script>"
PENDING = "sedang dihitung"


def _fill(ws: config.Workspace) -> None:
    posts = conversation(1).posts
    # a hostile account that joins the conversation: mentions the city (so it is in the network) with script in text
    posts += [
        Post(
            Platform.X,
            f"hostile-{k}",
            f"@humaskota {SCRIPT} <img src=x onerror=alert(1)> jalan rusak {k}",
            START + timedelta(hours=5 + k),
            url="javascript:alert(1)",
            author=Author("uh", HOSTILE, None, 10),
        )
        for k in range(3)
    ]
    with Store.open(ws.database_url) as store:
        store.add_posts(posts)
        for name, role in (("admin", Role.ADMIN), ("analis", Role.ANALYST), ("pemirsa", Role.VIEWER)):
            store.accounts.add_user(name, hash_password(PASSWORD), role, None)
        store.accounts.add_user("pupr", hash_password(PASSWORD), Role.OPD, "Dinas PUPR")


@pytest.fixture
def app(workspace: config.Workspace):  # type: ignore[no-untyped-def]
    _fill(workspace)
    return create_app(workspace, secret_key="test-secret-key", cache_seconds=0)


@pytest.fixture
def client(app) -> Iterator[TestClient]:  # type: ignore[no-untyped-def]
    with TestClient(app, base_url="http://testserver") as c:
        yield c


def _figure(page: str) -> dict:  # type: ignore[type-arg]
    found = re.search(r'<script type="application/json" data-chart="chart-network">(.*?)</script>', page, re.S)
    assert found, "no network graph on the page"
    return json.loads(found.group(1))


def _group(page: str, accounts: tuple[str, ...]) -> str:
    """The article of the group whose accounts are exactly ``accounts``."""
    for article in re.findall(r'<article class="net-group".*?</article>', page, re.S):
        listed = json.loads(html.unescape(re.search(r"data-accounts='([^']*)'", article).group(1)))  # type: ignore[union-attr]
        if sorted(listed) == sorted(accounts):
            return article
    raise AssertionError(f"no group of {accounts}")


@pytest.mark.parametrize("who", ["admin", "analis", "pemirsa"])
def test_page_lists_the_planted_groups_with_their_evidence(client: TestClient, who: str) -> None:
    login(client, who)
    page = client.get(f"/jaringan?{WINDOW}")
    assert page.status_code == 200, page.text
    text = page.text
    assert "Kelompok terkoordinasi" in text and "Komunitas" in text and "Akun berpengaruh" in text
    co_post = _group(text, CO_POST)
    assert "mengunggah teks (hampir) sama dalam hitungan detik" in co_post
    assert "bantuan pangan" in co_post  # the evidence: the campaign's text
    assert re.search(r"\d{2}\.\d{2}\.\d{2} WIB", co_post), "times to the second in WIB"
    assert "Peluang ini terjadi karena kebetulan: kurang dari 1 banding" in co_post
    ring = _group(text, CO_REPOST)
    assert "me-repost unggahan yang sama bersamaan" in ring
    push = _group(text, HASHTAG)
    assert "mendorong tagar yang sama serempak" in push and f"#{PUSHED.lower()}" in push.lower()
    for handle in CO_POST + CO_REPOST + HASHTAG:
        assert f"@{handle}</a>" in text
    assert not re.search(r"\b(bot|buzzer)s?\b", text, re.I), "accounts are never labelled bot or buzzer"
    figure = _figure(text)
    names = [t.get("name") for t in figure["data"]]
    assert "Komunitas 1" in names and "Terkoordinasi" in names
    drawn = {d[0] for t in figure["data"] for d in (t.get("customdata") or [])}
    assert "humaskota" in drawn and set(CO_POST) <= drawn


def test_opd_user_may_not_see_the_page(client: TestClient) -> None:
    login(client, "pupr")
    assert client.get(f"/jaringan?{WINDOW}", follow_redirects=False).status_code in (303, 403)


def test_account_fragment_lists_that_account_only(client: TestClient) -> None:
    login(client, "pemirsa")
    who = CO_POST[0]
    part = client.get(f"/jaringan/akun?handle=@{who}&{WINDOW}&partial=1")
    assert part.status_code == 200
    assert "<html" not in part.text  # a fragment for the panel
    posts = re.findall(r'<li class="post" id="post-(\d+)"', part.text)
    assert len(posts) == 4  # its four planted posts, nothing else
    with Store.open(client.app.state.workspace.database_url) as store:  # type: ignore[attr-defined]
        found = store.search(PostQuery(ids=tuple(int(p) for p in posts)), limit=50).items
    assert {f.post.author.handle for f in found} == {who}
    full = client.get(f"/jaringan/akun?handle={who}&{WINDOW}")
    assert full.status_code == 200 and "<html" in full.text and f"@{who}" in full.text
    none = client.get(f"/jaringan/akun?handle=nobody_here&{WINDOW}&partial=1")
    assert "Tidak ada unggahan akun ini" in none.text


def test_hostile_text_is_escaped(client: TestClient) -> None:
    login(client, "admin")
    page = client.get(f"/jaringan?{WINDOW}").text
    part = client.get(f"/jaringan/akun?handle={HOSTILE}&{WINDOW}&partial=1").text
    for body in (page, part):
        assert SCRIPT not in body and "<img src=x" not in body and "javascript:alert" not in body
    assert html.escape(SCRIPT, quote=False) in part or "&lt;script&gt;" in part


def test_group_page_lists_every_post_of_the_group(client: TestClient) -> None:
    login(client, "analis")
    page = client.get(f"/jaringan?{WINDOW}").text
    article = _group(page, CO_REPOST)
    link = html.unescape(re.search(r'href="(/jaringan/kelompok\?[^"]+)"', article).group(1))  # type: ignore[union-attr]
    got = client.get(link)
    assert got.status_code == 200
    authors = set(re.findall(r"<strong>@([\w]+)</strong>", got.text))
    assert authors == set(CO_REPOST)
    assert len(re.findall(r'<li class="post"', got.text)) == 4 * len(CO_REPOST)
    assert client.get(f"/jaringan/kelompok?n=999&{WINDOW}").status_code == 404


def test_empty_window_and_bad_search(client: TestClient) -> None:
    login(client, "admin")
    empty = client.get("/jaringan?since=2025-01-01&until=2025-01-31").text
    assert "Tidak ada unggahan pada hari-hari ini" in empty
    bad = client.get(f"/jaringan?{WINDOW}&q=%22unclosed")
    assert bad.status_code == 200 and "Kueri tidak valid" in bad.text
    narrowed = client.get(f"/jaringan?{WINDOW}&q=bantuan+pangan").text
    _group(narrowed, CO_POST)  # a search keeps the group whose posts match
    assert "me-repost unggahan yang sama bersamaan" not in narrowed


def test_first_request_says_being_computed(workspace: config.Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    """As `citra serve` runs it (a cache): a first computation longer than the page waits (here: no wait at all)
    gives the page at once with a note and a reload; the network appears once computed in the background."""
    from citra.web import netview

    _fill(workspace)
    app = create_app(workspace, secret_key="test-secret-key", cache_seconds=60)
    with TestClient(app, base_url="http://testserver") as client:
        login(client, "admin")
        monkeypatch.setattr(netview, "WAIT", 0.0)
        first = client.get(f"/jaringan?{WINDOW}")
        assert first.status_code == 200 and PENDING in first.text
        assert '<meta http-equiv="refresh"' in first.text
        deadline = time.monotonic() + 60
        while PENDING in (page := client.get(f"/jaringan?{WINDOW}")).text:
            assert time.monotonic() < deadline, "the network was never computed"
            time.sleep(0.2)
        assert "Kelompok terkoordinasi" in page.text and '<meta http-equiv="refresh"' not in page.text


def test_times_are_shown_to_the_second_in_the_workspace_zone() -> None:
    from zoneinfo import ZoneInfo

    from citra.web.netview import odds, when

    assert when(datetime.fromisoformat("2026-03-02T03:04:05+00:00").timestamp(), ZoneInfo("Asia/Jakarta"), "id") == (
        "2 Mar 2026 10.04.05 WIB"
    )
    assert str(odds(3.7, "id")) == "1.000" and str(odds(12.2, "en")) == "10<sup>12</sup>"


def test_coincidence_window_is_a_control(client: TestClient) -> None:
    """The planted posts of a burst are up to 45 seconds apart: a 2-second window finds fewer coincidences, and the
    chosen window is said in words and kept in the links."""
    login(client, "analis")
    wide = client.get(f"/jaringan?{WINDOW}").text
    narrow = client.get(f"/jaringan?{WINDOW}&window_seconds=2").text
    assert "paling lama 60 detik" in wide and "paling lama 2 detik" in narrow
    assert narrow.count('class="net-group"') < wide.count('class="net-group"')
    assert 'name="window_seconds" value="2"' in narrow
    assert client.get(f"/jaringan?{WINDOW}&window_seconds=0").status_code == 422
