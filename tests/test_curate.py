"""Audited changes (``citra.curate``) on SQLite and PostgreSQL: every change is validated once, written and audited
with its actor, and the web pages, the API and the CLI refuse the same bad input."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from citra import config, curate
from citra.errors import CitraError, Forbidden, NotFound
from citra.records import (
    Annotation,
    Author,
    InboxStatus,
    Intent,
    InterventionKind,
    Platform,
    Post,
    Role,
    Sentiment,
    User,
)
from citra.store import Store
from tests.test_cli import citra

PASSWORD = "kata-sandi-panjang"
WHEN = datetime(2024, 3, 4, 2, 0, tzinfo=UTC)
OPDS = {"roads": "Dinas PUPR", "health": "Dinas Kesehatan"}


def audit(store: Store) -> list[dict[str, Any]]:
    """The audit log, oldest first."""
    return list(reversed(list(store.accounts.audit_log())))


def fill(store: Store) -> dict[str, int]:
    """Two citizens' complaints needing a response (one about roads, one about health), the model says negative;
    returns topic -> post id."""
    posts = [
        Post(
            Platform.X, f"10{n}", f"Keluhan {topic} nomor {n}", WHEN + timedelta(hours=n), author=Author(handle="warga")
        )
        for n, topic in enumerate(OPDS)
    ]
    store.add_posts(posts)
    ids = {topic: store.lookup(p.native_id, Platform.X)[0].id for topic, p in zip(OPDS, posts, strict=True)}
    store.save_annotations(
        [
            (
                ids[topic],
                Annotation(
                    lang="id",
                    lang_score=0.99,
                    sentiment=Sentiment.NEGATIVE,
                    probs=(0.8, 0.1, 0.1),
                    topics=(topic,),
                    opds=(opd,),
                    intent=Intent.COMPLAINT,
                    needs_response=True,
                    models={"test": "1"},
                ),
            )
            for topic, opd in OPDS.items()
        ],
        "test-1",
    )
    return ids


def user(store: Store, name: str, role: Role, opd: str | None = None) -> User:
    return curate.add_user(store, "setup", name, PASSWORD, role, opd)


# interventions ----------------------------------------------------------------------------------------------------


def test_add_intervention_writes_and_audits(store: Store) -> None:
    item = curate.add_intervention(
        store, "rina", "  Deklarasi\x00 Antikorupsi ", "2024-03-10", "declaration", " bersama OPD "
    )
    assert (item.name, item.date, item.kind, item.description) == (
        "Deklarasi Antikorupsi",
        date(2024, 3, 10),
        InterventionKind.DECLARATION,
        "bersama OPD",
    )
    assert store.intervention("Deklarasi Antikorupsi") == item
    (entry,) = audit(store)
    assert (entry["actor"], entry["action"], entry["target"]) == ("rina", "intervention.add", "Deklarasi Antikorupsi")
    assert entry["detail"] == {
        "date": "2024-03-10",
        "kind": "declaration",
        "metric": "negative_share",
        "window_days": 28,
    }


@pytest.mark.parametrize(
    ("name", "day", "kind", "message"),
    [
        (" ", "2024-03-10", "campaign", "name: required"),
        ("\x00 \t", "2024-03-10", "campaign", "name: required"),
        ("x" * 201, "2024-03-10", "campaign", "name: at most 200"),
        ("Kampanye", "kemarin", "campaign", "date: 'kemarin' is not a date"),
        ("Kampanye", date(1999, 12, 31), "campaign", "date: choose a day between"),
        ("Kampanye", "2100-01-02", "campaign", "date: choose a day between"),
        ("Kampanye", "2024-03-10", "party", "kind: unknown intervention kind 'party'; choose one of declaration"),
        ("Kampanye Jalan Mulus", "2024-04-01", "campaign", "already exists"),
    ],
)
def test_add_intervention_refuses_bad_input(store: Store, name: str, day: Any, kind: str, message: str) -> None:
    curate.add_intervention(store, "rina", "Kampanye Jalan Mulus", date(2024, 3, 1), InterventionKind.CAMPAIGN)
    with pytest.raises(CitraError, match=re.escape(message)):
        curate.add_intervention(store, "rina", name, day, kind)
    assert [i.name for i in store.interventions()] == ["Kampanye Jalan Mulus"]
    assert [e["action"] for e in audit(store)] == ["intervention.add"]  # a refused change leaves no entry


# labels -----------------------------------------------------------------------------------------------------------


def test_set_label_sentiment_wins_and_becomes_training_data(store: Store) -> None:
    post_id = fill(store)["roads"]
    done = curate.set_label(store, "rina", post_id, sentiment="positive", via="web")
    assert done.human.sentiment is Sentiment.POSITIVE and done.annotation.sentiment is Sentiment.NEGATIVE
    stored = store.get(post_id)
    assert stored.sentiment is Sentiment.POSITIVE and stored.human.sentiment is Sentiment.POSITIVE
    (label,) = list(store.labels())
    assert (label.post_id, label.label, label.source) == (post_id, Sentiment.POSITIVE, "web:rina")
    assert label.text == stored.post.text
    (entry,) = audit(store)
    assert (entry["actor"], entry["action"], entry["target"]) == ("rina", "label.set", f"post:{post_id}")
    assert entry["detail"] == {"label": "positive", "model": "negative"}
    curate.set_label(store, "budi", post_id, sentiment=Sentiment.NEUTRAL)  # the newest label wins
    assert store.get(post_id).sentiment is Sentiment.NEUTRAL
    assert [(lb.label, lb.source) for lb in store.labels()] == [(Sentiment.NEUTRAL, "budi")]


def test_set_label_opd_and_needs_response(store: Store) -> None:
    post_id = fill(store)["roads"]
    curate.set_label(store, "rina", post_id, opd=" Dinas Sosial ")
    stored = store.get(post_id)
    assert stored.human.opd == "Dinas Sosial" and stored.opds == ("Dinas Sosial", "Dinas PUPR")
    assert stored.human.sentiment is None and stored.sentiment is Sentiment.NEGATIVE
    assert list(store.labels()) == []  # only a sentiment label is training data
    curate.set_label(store, "rina", post_id, needs_response=False)
    stored = store.get(post_id)
    assert stored.needs_response is False and stored.human.opd == "Dinas Sosial"
    first, second = audit(store)
    assert first["detail"] == {"opd": "Dinas Sosial", "model_opd": "Dinas PUPR"}
    assert second["detail"] == {"needs_response": False, "model_needs_response": True}
    assert {e["actor"] for e in (first, second)} == {"rina"}


def test_set_label_refuses_bad_input(store: Store) -> None:
    post_id = fill(store)["roads"]
    with pytest.raises(CitraError, match="give a sentiment"):
        curate.set_label(store, "rina", post_id)
    with pytest.raises(CitraError, match="unknown sentiment 'angry'"):
        curate.set_label(store, "rina", post_id, sentiment="angry")
    with pytest.raises(CitraError, match="opd: required"):
        curate.set_label(store, "rina", post_id, opd="  ")
    with pytest.raises(NotFound):
        curate.set_label(store, "rina", post_id + 1000, sentiment="positive")
    assert audit(store) == [] and store.get(post_id).human.sentiment is None


def test_post_by_native_id(store: Store) -> None:
    post_id = fill(store)["roads"]
    assert curate.post_by_native_id(store, "twitter", "100").id == post_id  # platform aliases work
    with pytest.raises(NotFound, match="no stored post '999' on x"):
        curate.post_by_native_id(store, Platform.X, "999")
    with pytest.raises(CitraError, match="unknown platform 'myspace'"):
        curate.post_by_native_id(store, "myspace", "100")


# the inbox --------------------------------------------------------------------------------------------------------


def test_assign_checks_roles_and_opd_scope(store: Store) -> None:
    ids = fill(store)
    admin, analyst = user(store, "admin", Role.ADMIN), user(store, "analis", Role.ANALYST)
    pupr = user(store, "pupr", Role.OPD, "Dinas PUPR")
    before = len(audit(store))
    with pytest.raises(Forbidden, match="own OPD"):
        curate.assign(store, pupr, ids["health"], status="done")
    with pytest.raises(Forbidden):
        curate.assign(store, analyst, ids["roads"], status="done")
    with pytest.raises(CitraError, match="unknown inbox status 'finished'"):
        curate.assign(store, admin, ids["roads"], status="finished")
    with pytest.raises(NotFound):
        curate.assign(store, admin, 10**9, status="done")
    assert store.inbox.item(ids["health"]).status is InboxStatus.NEW and len(audit(store)) == before
    # an OPD user updates its own item, which stays in its OPD
    own = curate.assign(store, pupr, ids["roads"], opd="Dinas Kesehatan", assignee=" pupr ", status="in_progress")
    assert (own.opd, own.assignee, own.status) == ("Dinas PUPR", "pupr", InboxStatus.IN_PROGRESS)
    moved = curate.assign(store, admin, ids["health"], opd="Dinas PUPR", note="cek <b>")
    assert (moved.opd, moved.status, moved.note) == ("Dinas PUPR", InboxStatus.ASSIGNED, "cek <b>")
    kept = curate.assign(store, admin, ids["health"], status=InboxStatus.DONE)
    assert (kept.opd, kept.note, kept.status) == ("Dinas PUPR", "cek <b>", InboxStatus.DONE)
    entries = [e for e in audit(store) if e["action"] == "inbox.assign"]
    assert [(e["actor"], e["target"], e["detail"]["status"]) for e in entries] == [
        ("pupr", f"post:{ids['roads']}", "in_progress"),
        ("admin", f"post:{ids['health']}", "assigned"),
        ("admin", f"post:{ids['health']}", "done"),
    ]
    assert entries[0]["detail"]["opd"] == "Dinas PUPR" and entries[0]["detail"]["assignee"] == "pupr"


# users and tokens -------------------------------------------------------------------------------------------------


def test_users_and_tokens(store: Store) -> None:
    sari = curate.add_user(store, "admin", "sari", PASSWORD, "opd", " Dinas PUPR ")
    assert (sari.role, sari.opd) == (Role.OPD, "Dinas PUPR") and store.accounts.user("sari").active
    for name, role, opd, password, message in [
        ("bu di", "viewer", None, PASSWORD, "user name 'bu di'"),
        ("budi", "boss", None, PASSWORD, "role: unknown role 'boss'"),
        ("budi", "opd", " ", PASSWORD, "opd: a user with role opd"),
        ("budi", "viewer", None, "pendek", "at least 10 characters"),
        ("sari", "viewer", None, PASSWORD, "already exists"),
    ]:
        with pytest.raises(CitraError, match=re.escape(message)):
            curate.add_user(store, "admin", name, password, role, opd)
    token = curate.create_token(store, "admin", "sari", "laporan-mingguan")
    assert token.startswith("citra_") and store.accounts.user_for_token(token).name == "sari"
    with pytest.raises(CitraError, match="token name"):
        curate.create_token(store, "admin", "sari", "laporan mingguan")
    with pytest.raises(NotFound):
        curate.create_token(store, "admin", "nobody", "skrip")
    curate.revoke_token(store, "admin", "sari", "laporan-mingguan")
    assert store.accounts.user_for_token(token) is None
    with pytest.raises(NotFound):
        curate.revoke_token(store, "admin", "sari", "tidak-ada")
    with pytest.raises(CitraError, match="your own account"):
        curate.deactivate_user(store, "sari", "sari")
    curate.deactivate_user(store, "admin", "sari")
    assert not store.accounts.user("sari").active
    with pytest.raises(NotFound):
        curate.deactivate_user(store, "admin", "nobody")
    entries = audit(store)
    assert [(e["actor"], e["action"], e["target"]) for e in entries] == [
        ("admin", "user.add", "sari"),
        ("admin", "token.create", "sari/laporan-mingguan"),
        ("admin", "token.revoke", "sari/laporan-mingguan"),
        ("admin", "user.deactivate", "sari"),
    ]
    assert entries[0]["detail"] == {"role": "opd", "opd": "Dinas PUPR"}
    assert token not in str(entries) and PASSWORD not in str(entries)


def test_os_actor(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("LOGNAME", "USER", "LNAME", "USERNAME"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LOGNAME", "rina")
    assert curate.os_actor() == "cli:rina"


# every shell refuses the same input -------------------------------------------------------------------------------


def test_cli_changes_are_audited_with_the_os_user(workspace: config.Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LOGNAME", "rina")
    ws = workspace.root
    add = ("intervention", "add", "--date", "2024-03-10", "--kind", "campaign")
    blank = citra(*add, "--name", " ", ws=ws, check=False)
    assert blank.returncode == 1 and "name: required" in blank.stderr
    citra(*add, "--name", " Kampanye Bersih ", ws=ws)
    again = citra(*add, "--name", "Kampanye Bersih", ws=ws, check=False)
    assert again.returncode == 1 and "already exists" in again.stderr
    bad_kind = citra(*add[:-1], "party", "--name", "Lain", ws=ws, check=False)
    assert bad_kind.returncode == 1 and "unknown intervention kind 'party'" in bad_kind.stderr
    with Store.open(workspace.database_url) as store:
        assert [i.name for i in store.interventions()] == ["Kampanye Bersih"]
        (entry,) = audit(store)
        assert (entry["actor"], entry["action"], entry["target"]) == ("cli:rina", "intervention.add", "Kampanye Bersih")


@pytest.fixture
def web(workspace: config.Workspace) -> Iterator[tuple[TestClient, dict[str, int]]]:
    """The app over a workspace with two inbox items and users of every role (tokens in the client's headers)."""
    from citra.web.app import create_app

    with Store.open(workspace.database_url) as store:
        ids = fill(store)
        user(store, "analis", Role.ANALYST)
        user(store, "pupr", Role.OPD, "Dinas PUPR")
    app = create_app(workspace, secret_key="test-secret-key", cache_seconds=0)
    with TestClient(app, base_url="http://testserver") as client:
        yield client, ids


def bearer(ws: config.Workspace, name: str) -> dict[str, str]:
    with Store.open(ws.database_url) as store:
        return {"Authorization": f"Bearer {curate.create_token(store, 'setup', name, 'skrip-' + name)}"}


def test_api_uses_the_same_rules(web: tuple[TestClient, dict[str, int]], workspace: config.Workspace) -> None:
    client, ids = web
    analyst = bearer(workspace, "analis")
    body = {"name": " ", "date": "2024-03-10", "kind": "campaign"}
    blank = client.post("/api/v1/interventions", json=body, headers=analyst)
    assert blank.status_code == 400 and blank.json()["detail"] == "name: required"
    early = client.post("/api/v1/interventions", json=body | {"name": "Lama", "date": "1990-01-01"}, headers=analyst)
    assert early.status_code == 400 and "date: choose a day between" in early.json()["detail"]
    nul = client.post("/api/v1/interventions", json=body | {"name": " Kampanye\u0000 "}, headers=analyst)
    assert nul.status_code == 400 and nul.json()["detail"].startswith("name: control characters")
    done = client.post("/api/v1/interventions", json=body | {"name": " Kampanye "}, headers=analyst)
    assert done.status_code == 201 and done.json()["name"] == "Kampanye"
    label = {"platform": "twitter", "native_id": "100", "label": "positive"}
    labelled = client.post("/api/v1/labels", json=label, headers=analyst)
    assert labelled.status_code == 201
    assert labelled.json() == {"post_id": ids["roads"], "label": "positive", "model": "negative"}
    assert client.post("/api/v1/labels", json=label | {"native_id": "999"}, headers=analyst).status_code == 404
    pupr = bearer(workspace, "pupr")
    assert (
        client.post(f"/api/v1/inbox/{ids['health']}/assign", json={"status": "done"}, headers=pupr).status_code == 403
    )
    own = client.post(f"/api/v1/inbox/{ids['roads']}/assign", json={"status": "done"}, headers=pupr)
    assert own.status_code == 200 and own.json()["status"] == "done"
    with Store.open(workspace.database_url) as store:
        assert [i.name for i in store.interventions()] == ["Kampanye"]
        assert store.get(ids["roads"]).sentiment is Sentiment.POSITIVE
        assert [lb.source for lb in store.labels()] == ["api:analis"]
        changes = [(e["actor"], e["action"]) for e in audit(store) if e["actor"] != "setup"]
    assert changes == [("analis", "intervention.add"), ("analis", "label.set"), ("pupr", "inbox.assign")]


def test_pages_use_the_same_rules(web: tuple[TestClient, dict[str, int]], workspace: config.Workspace) -> None:
    client, ids = web
    page = client.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    form = {"username": "analis", "password": PASSWORD, "csrf_token": token}
    assert client.post("/login", data=form, follow_redirects=False).status_code == 303
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/strategi").text).group(1)
    add = {"name": " ", "on": "2024-03-10", "kind": "campaign", "csrf_token": token}
    blank = client.post("/strategi", data=add)
    assert blank.status_code == 200 and "Tidak disimpan: name: required" in blank.text  # said on the form's page
    assert client.post("/strategi", data=add | {"name": "Kampanye"}, follow_redirects=False).status_code == 303
    label = {"platform": "x", "native_id": "101", "label": "neutral", "csrf_token": token}
    assert client.post("/percakapan/label", data=label, follow_redirects=False).status_code == 303
    assert client.post("/percakapan/label", data=label | {"native_id": "999"}).status_code == 404
    with Store.open(workspace.database_url) as store:
        assert store.get(ids["health"]).sentiment is Sentiment.NEUTRAL
        assert [lb.source for lb in store.labels()] == ["web:analis"]
        changes = [(e["actor"], e["action"]) for e in audit(store) if e["action"] not in ("user.add", "login")]
    assert changes == [("analis", "intervention.add"), ("analis", "label.set")]
