"""Jadikan topik: curate.add_topic appends a topic to the workspace's taxonomy file (created and named in citra.toml
on first use), audited, admins and analysts only; a refused change writes nothing. On SQLite and PostgreSQL."""

from __future__ import annotations

import tomllib
from datetime import UTC, datetime, timedelta

import pytest

from citra import config, curate, newissues
from citra.errors import CitraError, Forbidden
from citra.nlp.normalize import Normalizer
from citra.nlp.topics import Taxonomy
from citra.records import Annotation, Author, Platform, Post, Role, Sentiment
from citra.store import Store

PASSWORD = "correct-horse-battery"
TEXT = "konser festival kuliner dibatalkan mendadak tiket tidak dikembalikan"


def _match(ws: config.Workspace, text: str) -> tuple[str, ...]:
    return Taxonomy.for_settings(ws).match(Normalizer.default().normalize(text))


def test_add_topic_writes_the_file_names_it_and_audits(workspace: config.Workspace, store: Store) -> None:
    admin = curate.add_user(store, "setup", "rina", PASSWORD, Role.ADMIN)
    assert _match(workspace, TEXT) == ()
    fresh, tid = curate.add_topic(store, admin, workspace, "Festival kuliner batal", ["festival kuliner", "tiket"])
    assert tid == "isu_festival_kuliner_batal"
    assert fresh.settings.nlp.topics == "topics.toml" and fresh.settings.nlp.topics_mode == "extend"
    assert _match(fresh, TEXT) == (tid,)
    assert _match(fresh, "lampu jalan mati di gang") == ("street_lights",)  # the shipped topics are still there
    data = tomllib.loads((workspace.root / "topics.toml").read_text(encoding="utf-8"))
    assert data["topic"] == [{"id": tid, "name": "Festival kuliner batal", "patterns": ["festival kuliner", "tiket"]}]
    entry = next(store.accounts.audit_log(limit=1))
    assert (entry["actor"], entry["action"], entry["target"]) == ("rina", "taxonomy.add_topic", f"topic:{tid}")
    assert entry["detail"]["patterns"] == ["festival kuliner", "tiket"]
    again, second = curate.add_topic(store, admin, fresh, "Festival kuliner batal", ["konser"])
    assert second == f"{tid}_2"
    text = (workspace.root / "topics.toml").read_text(encoding="utf-8")
    assert text.startswith("# Topik tambahan") and text.count("[[topic]]") == 2
    assert _match(again, "konser musik") == (second,)


def test_add_topic_refusals_write_nothing(workspace: config.Workspace, store: Store) -> None:
    viewer = curate.add_user(store, "setup", "budi", PASSWORD, Role.VIEWER)
    analyst = curate.add_user(store, "setup", "sari", PASSWORD, Role.ANALYST)
    before = (workspace.root / config.CONFIG_NAME).read_text(encoding="utf-8")
    with pytest.raises(Forbidden):
        curate.add_topic(store, viewer, workspace, "Festival", ["festival"])
    for name, terms in (("Festival", ["re:.*"]), ("Festival", ["festival *"]), ("", ["festival"]), ("X", [])):
        with pytest.raises(CitraError):
            curate.add_topic(store, analyst, workspace, name, terms)
    with pytest.raises(CitraError):
        curate.add_topic(store, analyst, workspace, "Festival", [f"kata{k}" for k in range(11)])
    assert not (workspace.root / "topics.toml").exists()
    assert (workspace.root / config.CONFIG_NAME).read_text(encoding="utf-8") == before
    assert not [e for e in store.accounts.audit_log() if e["action"] == "taxonomy.add_topic"]
    _, tid = curate.add_topic(store, analyst, workspace, "Festival", ["festival kuliner"])  # an analyst may
    assert tid == "isu_festival"


def test_a_new_topic_takes_its_posts_out_of_the_new_issues(workspace: config.Workspace, store: Store) -> None:
    t0 = datetime(2026, 11, 20, tzinfo=UTC)
    posts = [
        Post(Platform.X, f"p{k}", f"{TEXT} {k}", t0 + timedelta(hours=k), author=Author(f"a{k}", f"w{k}"))
        for k in range(6)
    ]
    store.add_posts(posts)
    ids = [store.lookup(p.native_id, p.platform)[0].id for p in posts]
    note = Annotation("id", 1.0, Sentiment.NEGATIVE, (0.8, 0.1, 0.1))
    store.save_annotations([(i, note) for i in ids], "v1")
    until = t0 + timedelta(days=1)
    rows, _ = newissues.candidates(store, workspace, until)
    assert len(rows) == 6
    admin = curate.add_user(store, "setup", "rina", PASSWORD, Role.ADMIN)
    fresh, _ = curate.add_topic(store, admin, workspace, "Festival kuliner", ["festival kuliner"])
    assert newissues.candidates(store, fresh, until)[0] == []
