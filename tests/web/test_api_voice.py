"""The share-of-voice and spillover API on SQLite and PostgreSQL: the hand-counted fixture of ``tests.test_voice``."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from citra import config
from citra.records import Role
from citra.store import Store
from citra.web.app import create_app
from citra.web.auth import hash_password, new_token
from tests.test_voice import EXPECTED, KEYS, LEADER, W1, W2, fill
from tests.web.conftest import PASSWORD


@pytest.fixture
def api(workspace: config.Workspace) -> Iterator[tuple[TestClient, dict[str, str]]]:
    ws = fill(workspace)
    token = new_token()
    with Store.open(ws.database_url) as store:
        store.accounts.add_user("pemirsa", hash_password(PASSWORD), Role.VIEWER, None)
        store.accounts.add_token("pemirsa", "script", token)
    with TestClient(create_app(ws, secret_key="test-secret-key", cache_seconds=0)) as client:
        yield client, {"Authorization": f"Bearer {token}"}


def test_share_of_voice_api(api: tuple[TestClient, dict[str, str]]) -> None:
    client, auth = api
    assert client.get("/api/v1/network/share-of-voice").status_code == 401
    got = client.get("/api/v1/network/share-of-voice?since=2024-03-01&until=2024-03-31", headers=auth)
    assert got.status_code == 200, got.text
    body = got.json()
    assert [g["key"] for g in body["groups"]] == KEYS and body["freq"] == "week"
    assert [(r["period"][:10], r["group"], r["volume"]) for r in body["rows"]] == [
        (w.date().isoformat(), k, EXPECTED[w][k][0]) for w in (W1, W2) for k in KEYS
    ]
    assert [r["volume"] for r in body["totals"]] == [8, 3, 1]
    assert body["rows"][5]["index"] is None  # Kota Bogor has no post in week 2
    bad = client.get("/api/v1/network/share-of-voice?period=hour", headers=auth)
    assert bad.status_code == 422


def test_spillover_api(api: tuple[TestClient, dict[str, str]]) -> None:
    client, auth = api
    got = client.get(
        "/api/v1/network/spillover?since=2024-03-01&until=2024-03-31&window_days=7&leader=pak%20budi", headers=auth
    )
    assert got.status_code == 200, got.text
    body = got.json()
    assert body["leader"] == LEADER and body["window_days"] == 7
    assert [(r["negative"], r["with_leader"], r["share"]) for r in body["rows"]] == [(2, 1, 0.5), (3, 1, 0.3333)]
    (change,) = body["changes"]
    assert (change["before"]["k"], change["before"]["n"], change["after"]["k"], change["after"]["n"]) == (1, 2, 1, 3)
    assert change["low"] < change["difference"] < change["high"]
    missing = client.get("/api/v1/network/spillover?leader=Siti&since=2024-03-01&until=2024-03-31", headers=auth)
    assert missing.status_code == 400 and "no leader named" in missing.json()["detail"]
