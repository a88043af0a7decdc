"""A NUL byte (or another control character) in any form field, query parameter, path or API body is refused with
400 naming the field, never stored and never an HTTP 500 (PostgreSQL's text has no NUL), on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from citra.store import Store

from .conftest import PASSWORD, csrf_of, login, token_for

NUL = "jalan\x00rusak"

# (path, form fields) of every page form; the NUL goes into each field in turn
FORMS = [
    ("/login", {"username": "admin", "password": PASSWORD, "next": "/"}),
    ("/strategi", {"name": "Kampanye", "on": "2026-09-01", "kind": "campaign", "description": "x"}),
    ("/percakapan/label", {"platform": "x", "native_id": "1000", "label": "negative", "back": "/percakapan"}),
    (
        "/keterlibatan/assign",
        {
            "post_id": "1",
            "opd": "Dinas PUPR",
            "assignee": "pupr",
            "status": "assigned",
            "note": "catatan",
            "back": "/keterlibatan",
        },
    ),
    ("/label/set", {"post_id": "1", "task": "sentiment", "value": "negative", "mode": "uncertain", "back": "/label"}),
    ("/label/draw", {"task": "sentiment", "n": "5", "since": "", "until": "", "back": "/label"}),
    ("/pengaturan/users", {"name": "baru", "role": "viewer", "opd": "", "password": "kata-sandi-baru-1"}),
    ("/pengaturan/users/deactivate", {"name": "pemirsa"}),
    ("/pengaturan/users/activate", {"name": "pemirsa"}),
    ("/pengaturan/users/role", {"name": "pemirsa", "role": "analyst", "opd": ""}),
    ("/pengaturan/users/password", {"name": "pemirsa", "password": "kata-sandi-baru-1"}),
    ("/pengaturan/tokens", {"owner": "analis", "token_name": "skrip"}),
    ("/pengaturan/tokens/revoke", {"owner": "analis", "token_name": "skrip"}),
    ("/akun/password", {"current": PASSWORD, "new": "kata-sandi-baru-1", "repeat": "kata-sandi-baru-1"}),
]
PAGES = [
    "/percakapan?q=",
    "/percakapan?who=",
    "/percakapan?platform=",
    "/keterlibatan?opd=",
    "/keterlibatan?status=",
    "/strategi?name=",
    "/label?task=",
    "/peringatan?status=",
    "/?since=",
    "/laporan/unduh?period=",
    "/login?next=",
]


def _users(filled) -> list[str]:  # type: ignore[no-untyped-def]
    with Store.open(filled.ws.database_url) as store:
        return sorted(u.name for u in store.accounts.users())


def test_every_page_form_refuses_nul(client: TestClient, filled) -> None:  # type: ignore[no-untyped-def]
    token = login(client, "admin")
    before = _users(filled)
    for path, fields in FORMS:
        for name in fields:
            data = fields | {name: fields[name] + "\x00", "csrf_token": token}
            answer = client.post(path, data=data, follow_redirects=False)
            assert answer.status_code == 400, (path, name, answer.status_code, answer.text[:300])
            assert "karakter kontrol" in answer.text and name in answer.text, (path, name)
    assert client.get("/keterlibatan").status_code == 200, "still logged in: nothing was changed"
    assert _users(filled) == before


@pytest.mark.parametrize("char", ["\x00", "\x01", "\x1b"])
def test_login_with_control_characters(client: TestClient, char: str) -> None:
    token = csrf_of(client.get("/login").text)
    for field in ("username", "password"):
        data = {"username": "admin", "password": PASSWORD, "csrf_token": token} | {field: f"adm{char}in"}
        answer = client.post("/login", data=data)
        assert answer.status_code == 400
        assert "Kolom" in answer.text and field in answer.text
    # tab and line breaks are text, not refused (here: a wrong password, 401)
    data = {"username": "admin", "password": "salah\tsekali\r\n", "csrf_token": token}
    assert client.post("/login", data=data).status_code == 401


def test_every_page_query_refuses_nul(client: TestClient) -> None:
    login(client, "admin")
    for path in PAGES:
        answer = client.get(path + "%00")
        assert answer.status_code == 400, (path, answer.status_code)
        assert "karakter kontrol" in answer.text
    assert client.get("/percakapan?q%00=1").status_code == 400, "names too"
    assert client.get("/percakapan?q=jalan%09rusak").status_code == 200, "a tab is fine"


def test_english_page(client: TestClient) -> None:
    login(client, "admin")
    answer = client.get("/percakapan?lang=en&q=%00")
    assert answer.status_code == 400 and "control character" in answer.text


def test_api_refuses_nul(client: TestClient, filled) -> None:  # type: ignore[no-untyped-def]
    headers = {"authorization": f"Bearer {token_for(filled, 'admin')}"}
    for path in (
        "/api/v1/posts?q=%00",
        "/api/v1/posts?opd=a%00",
        "/api/v1/posts?topic=%00",
        "/api/v1/inbox?opd=%00",
        "/api/v1/interventions/a%00b/impact",
        "/api/v1/index?by=%00",
    ):
        answer = client.get(path, headers=headers)
        assert answer.status_code == 400, (path, answer.status_code, answer.text)
        assert "NUL" in answer.json()["detail"]
    bodies = [
        ("/api/v1/interventions", {"name": "a\x00b", "date": "2026-09-01", "kind": "campaign"}),
        ("/api/v1/interventions", {"name": "ab", "date": "2026-09-01", "kind": "campaign", "description": "\x00"}),
        ("/api/v1/labels", {"platform": "x", "native_id": "10\x0000", "label": "negative"}),
        (f"/api/v1/inbox/{filled.xss_id}/assign", {"note": "a\x00", "status": "assigned"}),
        (f"/api/v1/inbox/{filled.xss_id}/assign", {"note\x00": "a"}),
    ]
    for path, body in bodies:
        answer = client.post(path, json=body, headers=headers)
        assert answer.status_code == 400, (path, body, answer.status_code, answer.text)
        assert answer.json()["detail"].startswith(next(k for k, v in body.items() if "\x00" in k + str(v))[:4])
    # the same request without the NUL goes through
    ok = client.post(
        "/api/v1/labels", json={"platform": "x", "native_id": "1000", "label": "negative"}, headers=headers
    )
    assert ok.status_code == 201, ok.text
