"""citra db prune covers every table: old posts leave with everything derived from or copying them (and the search
index), labelled texts, audit entries and revoked tokens by their own settings, rejects logs and report files;
SQLite and PostgreSQL."""

from __future__ import annotations

import dataclasses
import os
from datetime import timedelta
from pathlib import Path

import sqlalchemy as sa

from citra import retention
from citra.config import Workspace
from citra.store import PostQuery, Store
from citra.store.pruning import RULES
from citra.store.schema import api_tokens, audit_log, labels, metadata
from tests.every_table import AUTHOR, populate, table_rows
from tests.test_cli import citra
from tests.web.conftest import START

DOCS = Path(__file__).resolve().parents[1] / "docs" / "privacy.md"


def test_every_table_has_a_rule_and_is_documented() -> None:
    assert set(RULES) == set(metadata.tables)
    text = DOCS.read_text(encoding="utf-8")
    assert [name for name in metadata.tables if f"`{name}`" not in text] == []


def test_prune_covers_every_table(workspace: Workspace) -> None:
    done = populate(workspace)
    now = START + timedelta(days=40)
    with Store.open(workspace.database_url) as store, store.engine.begin() as conn:
        conn.execute(labels.update().where(labels.c.post_id.is_(None)).values(created_at=START))
        conn.execute(audit_log.update().where(audit_log.c.action == "user.add").values(at=START))
        conn.execute(api_tokens.update().values(revoked=True, created_at=START))
        first_text = store.get(done.author_ids[0]).post.text
    old_report = workspace.root / "reports" / "laporan-citra-2026-08.pdf"
    old_report.parent.mkdir(exist_ok=True)
    old_report.write_bytes(b"%PDF")
    os.utime(old_report, (START.timestamp(), START.timestamp()))
    new_report = workspace.root / "reports" / "laporan-citra-2026-09.pdf"
    new_report.write_bytes(b"%PDF")
    os.utime(new_report, (now.timestamp(), now.timestamp()))
    before = table_rows(workspace.database_url)
    keep = workspace.settings.retention.model_copy(
        update={"posts_days": 20, "labels_days": 30, "audit_days": 30, "tokens_days": 30, "reports_days": 30}
    )
    ws = dataclasses.replace(workspace, settings=workspace.settings.model_copy(update={"retention": keep}))
    with Store.open(workspace.database_url) as store:
        pruned = retention.apply(store, ws, now=now)
    after = table_rows(workspace.database_url)

    cutoff = now - timedelta(days=20)
    old = {p["id"] for p in before["posts"] if p["created_at"] < cutoff}
    assert old and pruned.posts == len(old) == len(before["posts"]) - len(after["posts"])
    assert all(p["created_at"] >= cutoff for p in after["posts"])
    for table in metadata.sorted_tables:
        if "post_id" in table.c:
            assert not [r for r in after[table.name] if r["post_id"] in old], table.name
    of_old = {r["id"] for r in before["labels"] if r["post_id"] in old}
    bare = {r["id"] for r in before["labels"] if r["post_id"] is None}
    assert of_old and len(bare) == 1
    assert {r["id"] for r in before["labels"]} - {r["id"] for r in after["labels"]} == of_old | bare
    assert first_text not in {r["text"] for r in after["labels"]}
    assert pruned.rows["post labels"] == len(of_old) and pruned.rows["labelled texts"] == 1
    samples = {a["id"]: a["drivers"].get("samples") for a in after["alerts"]}
    assert sorted(map(bool, samples.values())) == [False, True]  # the alert of day 3 lost its samples
    assert [r["action"] for r in after["audit_log"] if r["action"] == "user.add"] == []
    assert len(after["audit_log"]) == len(before["audit_log"]) - 1
    assert after["api_tokens"] == [] and after["users"] == before["users"]
    assert not old_report.exists() and new_report.exists() and pruned.report_files == 1
    with Store.open(workspace.database_url) as store:
        assert store.count(PostQuery(text='"lampu jalan mati"')) == 0, "the search index forgets pruned posts"
        assert len(store.subjects.post_ids(AUTHOR)) < len(done.author_ids)


def test_prune_command_reports_every_kind(workspace: Workspace) -> None:
    populate(workspace)
    path = workspace.root / "citra.toml"
    text = path.read_text(encoding="utf-8").replace("posts_days = 0", "posts_days = 1")
    path.write_text(text.replace("audit_days = 0", "audit_days = 1"), encoding="utf-8")
    with Store.open(workspace.database_url) as store, store.engine.begin() as conn:
        conn.execute(sa.update(audit_log).values(at=START))
    done = citra("db", "prune", ws=workspace.root)
    assert "posts" in done.stderr and "audit entries" in done.stderr
    assert table_rows(workspace.database_url)["audit_log"] == []
