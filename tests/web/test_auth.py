"""Login, sessions, CSRF, rate limiting, roles and security headers (SQLite and PostgreSQL)."""

from __future__ import annotations

import stat

from fastapi.testclient import TestClient

from citra.store import Store
from citra.web.app import SECRET_FILE, create_app, secret_key_for

from .conftest import PASSWORD, csrf_of, login


def audit_actions(filled) -> list[tuple[str, str, str]]:
    with Store.open(filled.ws.database_url) as store:
        return [(e["actor"], e["action"], e["target"]) for e in store.accounts.audit_log()]


def test_pages_need_a_login(client: TestClient) -> None:
    for path in ("/", "/percakapan", "/keterlibatan", "/pengaturan"):
        done = client.get(path, follow_redirects=False)
        assert done.status_code == 303
        assert done.headers["location"].startswith("/login?next=")
    assert client.get("/api/v1/me").status_code == 401


def test_login_and_logout(client: TestClient, filled) -> None:
    token = login(client, "admin")
    assert client.get("/").status_code == 200
    cookie = client.cookies.get("citra_session")
    assert cookie
    done = client.post("/logout", data={"csrf_token": token}, follow_redirects=False)
    assert done.status_code == 303
    assert client.get("/", follow_redirects=False).status_code == 303
    actions = [a for _, a, _ in audit_actions(filled)]
    assert "login" in actions and "logout" in actions


def test_session_cookie_flags(client: TestClient) -> None:
    page = client.get("/login")
    cookie = page.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie
    secure = TestClient(client.app, base_url="https://testserver")
    assert "Secure" in secure.get("/login").headers["set-cookie"]


def test_wrong_password_is_refused_and_audited(client: TestClient, filled) -> None:
    token = csrf_of(client.get("/login").text)
    done = client.post("/login", data={"username": "admin", "password": "wrong-password", "csrf_token": token})
    assert done.status_code == 401
    assert ("admin", "login.failed", "admin") in audit_actions(filled)
    unknown = client.post("/login", data={"username": "nobody", "password": "x" * 12, "csrf_token": token})
    assert unknown.status_code == 401


def test_login_rate_limit(client: TestClient) -> None:
    token = csrf_of(client.get("/login").text)
    for _ in range(5):
        done = client.post("/login", data={"username": "analis", "password": "not-it-at-all", "csrf_token": token})
        assert done.status_code == 401
    blocked = client.post("/login", data={"username": "analis", "password": PASSWORD, "csrf_token": token})
    assert blocked.status_code == 429
    assert int(blocked.headers["retry-after"]) > 0
    # other users from the same address are not locked out
    other = client.post(
        "/login", data={"username": "pemirsa", "password": PASSWORD, "csrf_token": token}, follow_redirects=False
    )
    assert other.status_code == 303


def test_csrf_is_checked_on_every_form(client: TestClient, filled) -> None:
    # the login form itself
    client.get("/login")
    assert client.post("/login", data={"username": "admin", "password": PASSWORD}).status_code == 403
    token = login(client, "admin")
    posts = [
        ("/percakapan/label", {"platform": "x", "native_id": filled.native_xss, "label": "positive"}),
        ("/keterlibatan/assign", {"post_id": str(filled.xss_id), "status": "done"}),
        ("/strategi", {"name": "Tanpa token", "on": "2026-09-01", "kind": "campaign"}),
        ("/pengaturan/users", {"name": "baru", "role": "viewer", "password": "x" * 12}),
        ("/pengaturan/users/deactivate", {"name": "pemirsa"}),
        ("/pengaturan/tokens", {"owner": "admin", "token_name": "t1"}),
        ("/logout", {}),
    ]
    for path, form in posts:
        assert client.post(path, data=form).status_code == 403, path
        assert client.post(path, data=form | {"csrf_token": token[:-2] + "xx"}).status_code == 403, path
    # nothing was changed
    with Store.open(filled.ws.database_url) as store:
        assert list(store.labels()) == []
        assert store.accounts.user("pemirsa").active
        assert [i.name for i in store.interventions()] == ["Kampanye Jalan Mulus"]


def test_roles_are_enforced_on_pages(as_user, filled) -> None:
    viewer, token = as_user("pemirsa")
    assert viewer.get("/").status_code == 200
    assert viewer.get("/pengaturan").status_code == 403
    form = {"platform": "x", "native_id": filled.native_xss, "label": "positive", "csrf_token": token}
    assert viewer.post("/percakapan/label", data=form).status_code == 403
    assign = {"post_id": str(filled.xss_id), "status": "done", "csrf_token": token}
    assert viewer.post("/keterlibatan/assign", data=assign).status_code == 403
    analyst, token = as_user("analis")
    assert analyst.get("/pengaturan").status_code == 403
    assert analyst.post("/keterlibatan/assign", data=assign | {"csrf_token": token}).status_code == 403
    opd, _ = as_user("pupr")
    for path in ("/", "/isu", "/percakapan", "/peringatan", "/strategi", "/publikasi", "/laporan", "/pengaturan"):
        assert opd.get(path).status_code == 403, path
    assert opd.get("/keterlibatan").status_code == 200


def test_deactivated_user_loses_the_session(as_user, filled) -> None:
    viewer, _ = as_user("pemirsa")
    assert viewer.get("/").status_code == 200
    with Store.open(filled.ws.database_url) as store:
        store.accounts.update_user("pemirsa", active=False)
    assert viewer.get("/", follow_redirects=False).status_code == 303


def test_password_change_ends_other_sessions(as_user, filled) -> None:
    viewer, _ = as_user("pemirsa")
    with Store.open(filled.ws.database_url) as store:
        from citra.web.auth import hash_password

        store.accounts.update_user("pemirsa", password_hash=hash_password("another-password-1"))
    assert viewer.get("/", follow_redirects=False).status_code == 303


def test_session_expires(filled) -> None:
    app = create_app(filled.ws, secret_key="k" * 32, session_hours=0.0001, cache_seconds=0)
    with TestClient(app) as c:
        token = csrf_of(c.get("/login").text)
        c.post("/login", data={"username": "admin", "password": PASSWORD, "csrf_token": token})
        import time

        time.sleep(1.2)
        assert c.get("/", follow_redirects=False).status_code == 303


def test_tampered_session_is_ignored(client: TestClient) -> None:
    login(client, "admin")
    value = client.cookies.get("citra_session")
    client.cookies.set("citra_session", value[:-3] + "abc")
    assert client.get("/", follow_redirects=False).status_code == 303


def test_open_redirect_is_refused(client: TestClient) -> None:
    token = csrf_of(client.get("/login").text)
    data = {"username": "admin", "password": PASSWORD, "csrf_token": token, "next": "//evil.example/x"}
    done = client.post("/login", data=data, follow_redirects=False)
    assert done.headers["location"] == "/"


def test_security_headers(client: TestClient) -> None:
    page = client.get("/login")
    csp = page.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-eval" not in csp and "frame-ancestors 'none'" in csp
    assert "'unsafe-inline'" not in csp.split("script-src")[1].split(";")[0]
    assert page.headers["x-content-type-options"] == "nosniff"
    assert page.headers["x-frame-options"] == "DENY"
    assert page.headers["cache-control"] == "no-store"
    js = client.get("/static/plotly.min.js")
    assert js.status_code == 200 and js.headers["content-type"].startswith("text/javascript")
    assert len(js.content) > 1_000_000


def test_secret_key_file(filled, monkeypatch) -> None:
    monkeypatch.delenv("CITRA_SECRET_KEY", raising=False)
    key = secret_key_for(filled.ws)
    path = filled.ws.root / SECRET_FILE
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert secret_key_for(filled.ws) == key and len(key) == 64
    monkeypatch.setenv("CITRA_SECRET_KEY", "from-the-environment")
    assert secret_key_for(filled.ws) == "from-the-environment"
