"""The network API on SQLite and PostgreSQL: the same groups and communities as ``citra network ... --json``."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from citra import config
from citra.records import Role
from citra.store import Store
from citra.web.app import create_app
from citra.web.auth import hash_password, new_token
from tests.network_data import CO_POST, CO_REPOST, HASHTAG, conversation
from tests.test_cli import citra
from tests.web.conftest import PASSWORD

PERIOD = "since=2026-03-02&until=2026-03-06"


@pytest.fixture
def api(workspace: config.Workspace) -> Iterator[tuple[TestClient, dict[str, str]]]:
    token = new_token()
    with Store.open(workspace.database_url) as store:
        store.add_posts(conversation(2).posts)
        store.accounts.add_user("pemirsa", hash_password(PASSWORD), Role.VIEWER, None)
        store.accounts.add_token("pemirsa", "script", token)
    with TestClient(create_app(workspace, secret_key="test-secret-key", cache_seconds=0)) as client:
        yield client, {"Authorization": f"Bearer {token}"}


def test_coordination_api_equals_the_cli(api: tuple[TestClient, dict[str, str]], workspace: config.Workspace) -> None:
    client, auth = api
    assert client.get(f"/api/v1/network/coordination?{PERIOD}").status_code == 401
    got = client.get(f"/api/v1/network/coordination?{PERIOD}", headers=auth)
    assert got.status_code == 200, got.text
    body = got.json()
    assert body["since"] == "2026-03-02" and body["until"] == "2026-03-06" and body["window_seconds"] == 60
    kinds = {g["kind"]: set(g["accounts"]) for g in body["groups"]}
    assert kinds == {"co-post": set(CO_POST), "co-repost": set(CO_REPOST), "hashtag": set(HASHTAG)}
    cli = json.loads(
        citra(
            "network", "coordination", "--since", "2026-03-02", "--until", "2026-03-06", "--json", ws=workspace.root
        ).stdout
    )
    assert body["groups"] == cli["groups"] and body["posts"] == cli["posts"]
    narrow = client.get(f"/api/v1/network/coordination?{PERIOD}&window_seconds=1", headers=auth).json()
    assert len(narrow["groups"]) < len(body["groups"])
    assert client.get(f"/api/v1/network/coordination?{PERIOD}&window_seconds=0", headers=auth).status_code == 422
    searched = client.get(f"/api/v1/network/coordination?{PERIOD}&q=pemkot", headers=auth).json()
    assert {g["kind"] for g in searched["groups"]} == {"co-post"} and searched["posts"] < body["posts"]


def test_network_api(api: tuple[TestClient, dict[str, str]]) -> None:
    client, auth = api
    body = client.get(f"/api/v1/network?{PERIOD}", headers=auth).json()
    assert body["posts"] == len(conversation(2).posts)
    assert body["influencers"][0]["account"] == "humaskota"
    assert body["links_by_kind"]["repost"] > 0 and body["links_by_kind"]["reply"] > 0
    assert sum(c["accounts"] for c in body["communities"]) <= body["accounts"]
    empty = client.get("/api/v1/network?since=2025-01-01&until=2025-01-02", headers=auth).json()
    assert empty["posts"] == 0 and empty["communities"] == [] and empty["influencers"] == []
