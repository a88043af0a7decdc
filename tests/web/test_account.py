"""Akun: a user changes their own password; their other sessions (and copied cookies) end, this one stays logged
in; wrong current passwords are limited and audited. A real uvicorn server on loopback (SQLite and PostgreSQL)."""

from __future__ import annotations

import httpx
import pytest

from citra.store import Store
from tests.web.conftest import PASSWORD, csrf_of, http_login

NEW = "kata-sandi-baru-sekali"


def _logged_in(client: httpx.Client) -> bool:
    answer = client.get("/akun")
    assert answer.status_code in (200, 303), answer.status_code
    return answer.status_code == 200


def _change(client: httpx.Client, current: str, new: str, repeat: str | None = None) -> httpx.Response:
    token = csrf_of(client.get("/akun").text)
    data = {"current": current, "new": new, "repeat": new if repeat is None else repeat, "csrf_token": token}
    return client.post("/akun/password", data=data)


def _audit(filled) -> list[tuple[str, str, str]]:  # type: ignore[no-untyped-def]
    with Store.open(filled.ws.database_url) as store:
        return [(e["actor"], e["action"], e["target"]) for e in store.accounts.audit_log(limit=200)]


@pytest.mark.parametrize("name", ["pemirsa", "pupr"])  # a viewer and an OPD user: every role has the page
def test_change_own_password(base_url: str, filled, name: str) -> None:  # type: ignore[no-untyped-def]
    here = http_login(base_url, name)
    elsewhere = http_login(base_url, name)
    stolen = httpx.Client(base_url=base_url, cookies=dict(here.cookies), timeout=30)
    page = here.get("/akun")
    assert page.status_code == 200 and "Ubah kata sandi Anda" in page.text and "Kata sandi saat ini" in page.text
    done = _change(here, PASSWORD, NEW)
    assert done.status_code == 303 and done.headers["location"] == "/akun"
    assert "Sesi Anda di perangkat lain telah diakhiri" in here.get("/akun").text
    assert _logged_in(here), "this session stays logged in"
    assert not _logged_in(elsewhere) and not _logged_in(stolen), "other sessions and copied cookies end"
    with httpx.Client(base_url=base_url, timeout=30) as old:
        token = csrf_of(old.get("/login").text)
        refused = old.post("/login", data={"username": name, "password": PASSWORD, "csrf_token": token})
        assert refused.status_code == 401, "the old password no longer works"
    assert _logged_in(http_login(base_url, name, NEW))
    assert (name, "user.passwd", name) in _audit(filled)


def test_wrong_inputs_change_nothing(base_url: str, filled) -> None:  # type: ignore[no-untyped-def]
    client = http_login(base_url, "analis")
    mismatch = _change(client, PASSWORD, NEW, NEW + "x")
    assert mismatch.status_code == 400 and "Kedua kata sandi baru tidak sama" in mismatch.text
    short = _change(client, PASSWORD, "pendek")
    assert short.status_code == 400 and "minimal 10 karakter" in short.text
    no_csrf = client.post("/akun/password", data={"current": PASSWORD, "new": NEW, "repeat": NEW})
    assert no_csrf.status_code == 403
    for _ in range(5):
        wrong = _change(client, "bukan-sandinya", NEW)
        assert wrong.status_code == 400 and "Kata sandi saat ini salah" in wrong.text
    blocked = _change(client, PASSWORD, NEW)
    assert blocked.status_code == 429 and int(blocked.headers["retry-after"]) > 0
    assert _audit(filled).count(("analis", "passwd.failed", "analis")) == 5
    assert ("analis", "user.passwd", "analis") not in _audit(filled)
    assert _logged_in(http_login(base_url, "pemirsa")), "nothing else changed"
    assert _logged_in(client)
    with Store.open(filled.ws.database_url) as store:
        assert store.accounts.session_state("analis") is not None


def test_account_page_needs_ahttp_login(base_url: str) -> None:
    with httpx.Client(base_url=base_url, timeout=30) as client:
        assert client.get("/akun").status_code == 303
