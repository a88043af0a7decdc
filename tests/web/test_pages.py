"""The pages: content, escaping of post text, labels, assignments, interventions, settings (both backends)."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from citra.records import InboxStatus, Sentiment
from citra.store import Store

from .conftest import XSS

PAGES = (
    "/",
    "/isu",
    "/percakapan",
    "/peringatan",
    "/strategi",
    "/publikasi",
    "/keterlibatan",
    "/laporan",
    "/pengaturan",
)
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"


def test_every_page_renders_for_an_admin(as_user) -> None:
    admin, _ = as_user("admin")
    for path in PAGES:
        page = admin.get(path)
        assert page.status_code == 200, path
        assert "<nav" in page.text and "Ringkasan" in page.text


def test_overview_embeds_charts_as_json(as_user) -> None:
    admin, _ = as_user("admin")
    page = admin.get("/").text
    assert '<script type="application/json" data-chart="chart-trend">' in page
    assert 'src="/static/plotly.min.js' in page
    assert re.search(r"<script>(?!</script>)", page) is None  # no inline script
    assert "Indeks citra" in page


def test_post_text_is_escaped_everywhere(as_user) -> None:
    admin, _ = as_user("admin")
    for path in ("/percakapan?q=berlubang", "/keterlibatan", "/keterlibatan?status=new", "/peringatan"):
        page = admin.get(path).text
        assert ESCAPED in page, path
        assert XSS not in page, path
        assert "<b>parah</b>" not in page
    alerts = admin.get("/peringatan").text
    assert "javascript:alert" not in alerts  # only http(s) links to originals


def test_links_to_originals_are_safe(as_user) -> None:
    admin, _ = as_user("admin")
    page = admin.get("/percakapan").text
    links = re.findall(r'<a href="(https://x\.com/[^"]+)" target="_blank" rel="noopener noreferrer">', page)
    assert links


def test_filters_and_pagination(as_user) -> None:
    admin, _ = as_user("admin")
    first = admin.get("/percakapan").text
    found = re.search(r'href="\?([^"]*cursor=[^"]+)" rel="next"', first)
    assert found
    second = admin.get("/percakapan?" + found.group(1).replace("&amp;", "&")).text
    ids = lambda html: set(re.findall(r'id="post-(\d+)"', html))  # noqa: E731
    assert ids(first) and ids(second) and not ids(first) & ids(second)
    negative = admin.get("/percakapan?sentiment=negative&topic=roads").text
    assert ids(negative)
    assert admin.get("/percakapan?platform=x&since=2026-08-01&until=2026-08-03").status_code == 200
    assert admin.get("/percakapan?sentiment=angry").status_code == 400
    assert admin.get("/percakapan?since=kemarin").status_code == 400
    either = admin.get("/percakapan", params={"q": "berlubang OR zzzkatatakada"}).text
    assert len(ids(either)) == 1
    broken = admin.get("/percakapan", params={"q": "(jalan OR"})
    assert broken.status_code == 200 and 'id="query-error"' in broken.text and "Kueri" in broken.text
    assert not ids(broken.text)


def test_correct_a_label(as_user, filled) -> None:
    analyst, token = as_user("analis")
    form = {
        "platform": "x",
        "native_id": filled.native_xss,
        "label": "positive",
        "csrf_token": token,
        "back": "/percakapan?q=jalan",
    }
    done = analyst.post("/percakapan/label", data=form, follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"] == "/percakapan?q=jalan"
    assert "Label disimpan" in analyst.get(done.headers["location"]).text
    with Store.open(filled.ws.database_url) as store:
        (label,) = list(store.labels())
        assert label.post_id == filled.xss_id and label.label is Sentiment.POSITIVE
        assert label.source == "web:analis" and XSS in label.text
        entry = next(store.accounts.audit_log())
        assert (entry["actor"], entry["action"], entry["target"]) == ("analis", "label.set", f"post:{filled.xss_id}")
        assert entry["detail"]["label"] == "positive"
    bad = analyst.post("/percakapan/label", data=form | {"back": "https://evil.example/"}, follow_redirects=False)
    assert bad.headers["location"] == "/percakapan"
    assert analyst.post("/percakapan/label", data=form | {"native_id": "nope"}).status_code == 404


def test_assign_an_inbox_item(as_user, filled) -> None:
    admin, token = as_user("admin")
    form = {
        "post_id": str(filled.xss_id),
        "opd": "Dinas PUPR",
        "assignee": "pupr",
        "status": "in_progress",
        "note": "cek <script>",
        "csrf_token": token,
    }
    # the assignee is a user of the workspace, never free text
    assert admin.post("/keterlibatan/assign", data=form | {"assignee": "Budi <b>"}).status_code == 400
    done = admin.post("/keterlibatan/assign", data=form, follow_redirects=False)
    assert done.status_code == 303
    with Store.open(filled.ws.database_url) as store:
        item = store.inbox.item(filled.xss_id)
        assert (item.opd, item.assignee, item.status, item.note) == (
            "Dinas PUPR",
            "pupr",
            InboxStatus.IN_PROGRESS,
            "cek <script>",
        )
        entry = next(store.accounts.audit_log())
        assert entry["action"] == "inbox.assign" and entry["detail"]["status"] == "in_progress"
    page = admin.get("/keterlibatan?status=in_progress").text
    assert '<option value="pupr" selected>pupr (Dinas PUPR)</option>' in page and "cek &lt;script&gt;" in page


def test_opd_user_sees_and_updates_only_its_queue(as_user, filled) -> None:
    pupr, token = as_user("pupr")
    page = pupr.get("/keterlibatan").text
    assert f'id="item-{filled.xss_id}"' in page
    assert f'id="item-{filled.health_id}"' not in page
    # asking for another OPD's queue still shows its own
    assert f'id="item-{filled.health_id}"' not in pupr.get("/keterlibatan?opd=Dinas+Kesehatan").text
    other = {"post_id": str(filled.health_id), "status": "done", "csrf_token": token}
    assert pupr.post("/keterlibatan/assign", data=other).status_code == 403
    own = {"post_id": str(filled.xss_id), "opd": "Dinas Kesehatan", "status": "done", "csrf_token": token}
    assert pupr.post("/keterlibatan/assign", data=own, follow_redirects=False).status_code == 303
    with Store.open(filled.ws.database_url) as store:
        item = store.inbox.item(filled.xss_id)
        assert item.status is InboxStatus.DONE and item.opd == "Dinas PUPR"  # cannot move it to another OPD
        assert store.inbox.item(filled.health_id).status is InboxStatus.NEW


def test_strategy_add_and_impact(as_user, filled) -> None:
    analyst, token = as_user("analis")
    page = analyst.get("/strategi?name=Kampanye+Jalan+Mulus").text
    assert 'data-chart="chart-impact"' in page
    form = {
        "name": "Deklarasi Antikorupsi",
        "on": "2026-08-10",
        "kind": "declaration",
        "description": "<i>x</i>",
        "csrf_token": token,
    }
    assert analyst.post("/strategi", data=form, follow_redirects=False).status_code == 303
    again = analyst.post("/strategi", data=form)  # the name must be new: said on the page, nothing saved
    assert again.status_code == 200 and "Tidak disimpan" in again.text and "already exists" in again.text
    short = analyst.get("/strategi?name=Deklarasi+Antikorupsi").text
    assert "minimal 28 hari" in short and "&lt;i&gt;x&lt;/i&gt;" in short
    with Store.open(filled.ws.database_url) as store:
        assert ("analis", "intervention.add", "Deklarasi Antikorupsi") in [
            (e["actor"], e["action"], e["target"]) for e in store.accounts.audit_log()
        ]
    viewer, token = as_user("pemirsa")
    assert viewer.post("/strategi", data=form | {"csrf_token": token, "name": "lain"}).status_code == 403


def test_settings_users_and_tokens(as_user, filled) -> None:
    admin, token = as_user("admin")
    page = admin.get("/pengaturan").text
    assert "Pemerintah Kota Bekasi" in page and "pemirsa" in page
    added = {"name": "humas2", "role": "analyst", "password": "panjang-sekali-1", "csrf_token": token}
    assert admin.post("/pengaturan/users", data=added, follow_redirects=False).status_code == 303
    assert admin.post("/pengaturan/users", data=added | {"name": "pendek", "password": "short"}).status_code == 400
    gone = {"name": "pemirsa", "csrf_token": token}
    assert admin.post("/pengaturan/users/deactivate", data=gone, follow_redirects=False).status_code == 303
    assert admin.post("/pengaturan/users/deactivate", data={"name": "admin", "csrf_token": token}).status_code == 400
    created = admin.post("/pengaturan/tokens", data={"owner": "humas2", "token_name": "skrip", "csrf_token": token})
    value = re.search(r"<code>(citra_[A-Za-z0-9_-]+)</code>", created.text).group(1)
    assert admin.get("/api/v1/me", headers={"Authorization": f"Bearer {value}"}).json()["name"] == "humas2"
    revoke = {"owner": "humas2", "token_name": "skrip", "csrf_token": token}
    assert admin.post("/pengaturan/tokens/revoke", data=revoke, follow_redirects=False).status_code == 303
    assert admin.get("/api/v1/me", headers={"Authorization": f"Bearer {value}"}).status_code == 401
    with Store.open(filled.ws.database_url) as store:
        assert store.accounts.user("humas2").role.value == "analyst"
        assert not store.accounts.user("pemirsa").active
        actions = [(e["action"], e["target"]) for e in store.accounts.audit_log()]
    for expected in (
        ("user.add", "humas2"),
        ("user.deactivate", "pemirsa"),
        ("token.create", "humas2/skrip"),
        ("token.revoke", "humas2/skrip"),
    ):
        assert expected in actions
    assert value not in str(actions)


def test_settings_hide_secrets(as_user, filled) -> None:
    toml = filled.ws.root / "citra.toml"
    text = toml.read_text() + '\n[[alerts.channels]]\nkind = "telegram"\nbot_token = "RAHASIA-123"\nchat_id = "1"\n'
    toml.write_text(text.replace("[alerts]\n", "[alerts]\n", 1))
    from citra import config
    from citra.web.app import create_app

    app = create_app(config.load(filled.ws.root), secret_key="s" * 32, cache_seconds=0)
    with TestClient(app) as c:
        from .conftest import login

        login(c, "admin")
        page = c.get("/pengaturan").text
    assert "RAHASIA-123" not in page and "telegram" in page


def test_language_switch(as_user) -> None:
    admin, _ = as_user("admin")
    english = admin.get("/?lang=en")
    assert "Overview" in english.text and "citra_lang=en" in english.headers["set-cookie"]
    assert '<html lang="en">' in admin.get("/isu").text  # remembered in the cookie
    assert "Ringkasan" in admin.get("/?lang=id").text


def test_reports_page(as_user) -> None:
    admin, _ = as_user("admin")
    page = admin.get("/laporan")
    assert page.status_code == 200 and 'name="period"' in page.text
    assert admin.get("/laporan/unduh?period=2026-13&fmt=pdf").status_code == 400
    assert admin.get("/laporan/unduh?period=2026-09&fmt=exe").status_code == 400


def test_warm_up_fills_the_default_views(filled) -> None:
    """After a start, the default views' aggregates are computed before anyone asks (the warm-up thread's work,
    run here in the foreground): the pages then read them from the cache."""
    from citra.web.app import _warm, create_app

    app = create_app(filled.ws, secret_key="s" * 32, cache_seconds=300)
    _warm(app)
    keys = {key[0] for key in app.state.memo._items}
    assert {"index", "totals", "engagement", "inbox", "impact"} <= keys, keys
