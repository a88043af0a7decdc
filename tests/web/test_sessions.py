"""Sessions end server-side: logout, a password or role change and deactivation end every session of the user,
copies of the cookie included, on a real uvicorn server on loopback (SQLite and PostgreSQL)."""

from __future__ import annotations

import httpx
import pytest

from citra import curate
from citra.store import Store
from tests.web.conftest import PASSWORD, csrf_of, http_login


def _copy(client: httpx.Client) -> httpx.Client:
    """Another client holding a copy of ``client``'s session cookie (a stolen or shared cookie)."""
    return httpx.Client(base_url=str(client.base_url), cookies=dict(client.cookies), timeout=20)


def _logged_in(client: httpx.Client) -> bool:
    answer = client.get("/keterlibatan")
    assert answer.status_code in (200, 303), answer.status_code
    return answer.status_code == 200


def test_logout_ends_every_session_and_copied_cookies(base_url: str, filled) -> None:
    first = http_login(base_url, "analis")
    second = http_login(base_url, "analis")  # another browser of the same user
    stolen = _copy(first)
    other = http_login(base_url, "pemirsa")
    assert _logged_in(first) and _logged_in(second) and _logged_in(stolen)
    token = csrf_of(first.get("/keterlibatan").text)
    assert first.post("/logout", data={"csrf_token": token}).status_code == 303
    assert not _logged_in(stolen) and not _logged_in(second) and not _logged_in(first)
    assert _logged_in(other), "another user's session is untouched"
    assert _logged_in(http_login(base_url, "analis")), "logging in again works"
    with Store.open(filled.ws.database_url) as store:
        assert [e["action"] for e in store.accounts.audit_log(5)].count("logout") == 1


@pytest.mark.parametrize("change", ["passwd", "role", "deactivate"])
def test_account_changes_end_sessions(base_url: str, filled, change: str) -> None:
    client = http_login(base_url, "pemirsa")
    stolen = _copy(client)
    assert _logged_in(client)
    with Store.open(filled.ws.database_url) as store:
        if change == "passwd":
            curate.set_password(store, "admin", "pemirsa", "kata-sandi-baru-1")
        elif change == "role":
            curate.set_role(store, "admin", "pemirsa", "analyst")
        else:
            curate.deactivate_user(store, "admin", "pemirsa")
            curate.activate_user(store, "admin", "pemirsa")  # reactivating must not revive the old session
    assert not _logged_in(client) and not _logged_in(stolen)
    password = "kata-sandi-baru-1" if change == "passwd" else PASSWORD
    assert _logged_in(http_login(base_url, "pemirsa", password))


def test_ending_sessions_elsewhere_applies_on_the_next_request(client, filled) -> None:
    """The epoch is read on each request (no cache): a logout through another store (process) applies at once."""
    from tests.web.conftest import login

    login(client, "analis")
    assert client.get("/keterlibatan").status_code == 200
    with Store.open(filled.ws.database_url) as store:
        store.accounts.end_sessions("analis")
    assert client.get("/keterlibatan", follow_redirects=False).status_code == 303
