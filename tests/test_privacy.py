"""citra privacy forget / export: a person's posts leave every table (or keep only their measures), the search
index and the rejects logs, stay out of later imports, and are exported whole; SQLite and PostgreSQL."""

from __future__ import annotations

import re
import stat
from datetime import timedelta
from typing import Any

import orjson
import sqlalchemy as sa

from citra import privacy
from citra.config import Workspace
from citra.records import Author, Platform, Post
from citra.store import PostQuery, Store
from citra.store.schema import metadata
from citra.store.subjects import REDACTED
from tests.every_table import AUTHOR, Populated, populate, table_rows
from tests.test_cli import citra
from tests.web.conftest import START

MENTION = re.compile(rf"{AUTHOR}(?!\d)", re.IGNORECASE)  # warga3, not warga30..warga36
LAMP = "Lampu jalan mati sejak minggu lalu, tolong pak"  # the text of AUTHOR's post with a raw record


def _setup(ws: Workspace) -> tuple[Populated, dict[int, str]]:
    done = populate(ws)
    rejects = ws.rejects_dir / "20260101T000000Z-abcd.jsonl"
    rejects.write_text(
        '{"line": 3, "reason": "no text", "raw": {"username": "Warga3"}}\n'
        '{"line": 4, "reason": "no text", "raw": {"username": "warga30"}}\n',
        encoding="utf-8",
    )
    (ws.root / "reports").mkdir(exist_ok=True)
    (ws.root / "reports" / "laporan-citra-2026-08.html").write_text("<p>laporan</p>", encoding="utf-8")
    (ws.root / "reports" / "dasbor-laporan-citra-2026-08-0123456789abcdef.pdf").write_bytes(b"%PDF")
    with Store.open(ws.database_url) as store:
        texts = {i: store.get(i).post.text for i in done.author_ids}
    return done, texts


def _dump(rows: dict[str, list[dict[str, Any]]]) -> str:
    return orjson.dumps(rows, default=str, option=orjson.OPT_NON_STR_KEYS).decode()


def test_forget_removes_an_author_everywhere(workspace: Workspace) -> None:
    done, texts = _setup(workspace)
    before = table_rows(workspace.database_url)
    assert MENTION.search(_dump(before))
    with Store.open(workspace.database_url) as store:
        assert store.count(PostQuery(text='"lampu jalan mati"')) == 1

    dry = citra("privacy", "forget", "--author", "@WARGA3", "--dry-run", ws=workspace.root)
    assert f"Would forget {len(done.author_ids)} posts" in dry.stderr
    assert table_rows(workspace.database_url) == before
    citra("privacy", "forget", "--author", "@WARGA3", ws=workspace.root)

    after = table_rows(workspace.database_url)
    text = _dump(after)
    assert not MENTION.search(text), "the handle is nowhere in the database"
    assert not [t for t in texts.values() if t in text], "nor the text of the posts"
    assert len(after["posts"]) == len(before["posts"]) - len(done.author_ids)
    gone = set(done.author_ids)
    for table in metadata.sorted_tables:
        if "post_id" in table.c:
            assert not [r for r in after[table.name] if r["post_id"] in gone], table.name
    assert not [r for r in after["labels"] if r["text"] in texts.values()], "bare-text label copies too"
    samples = [s for a in after["alerts"] for s in (a["drivers"].get("samples") or [])]
    assert sorted(s["author"] for s in samples) == ["warga1", "warga4"]
    redacted = [r for r in after["audit_log"] if r["target"] in {f"post:{i}" for i in gone}]
    assert redacted and all(r["detail"] == {"forgotten": True} for r in redacted)
    (entry,) = [r for r in after["audit_log"] if r["action"] == "privacy.forget"]
    assert entry["target"] == privacy.pseudonym(workspace, AUTHOR) and entry["detail"]["posts"] == len(gone)
    # someone else's labels, inbox item and audit sample are untouched
    assert [r["post_id"] for r in after["assignments"]] == [done.other_id]
    assert done.other_id in {r["post_id"] for r in after["post_labels"]}
    # the search index, the rejects log, and the next import
    with Store.open(workspace.database_url) as store:
        assert store.count(PostQuery(text='"lampu jalan mati"')) == 0
        again = Post(Platform.X, "777001", LAMP, START + timedelta(days=3), author=Author("3", AUTHOR, "W", 1))
        assert store.add_posts([again]).inserted == 0
        assert store.count() == len(after["posts"])
    assert [p.name for p in (workspace.root / "reports").iterdir()] == ["laporan-citra-2026-08.html"]
    lines = (workspace.rejects_dir / "20260101T000000Z-abcd.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 1 and "warga30" in lines[0]
    assert stat.S_IMODE((workspace.rejects_dir / "20260101T000000Z-abcd.jsonl").stat().st_mode) == 0o600


def test_pseudonymise_keeps_measures_not_the_person(workspace: Workspace) -> None:
    done, texts = _setup(workspace)
    before = table_rows(workspace.database_url)
    with Store.open(workspace.database_url) as store:
        result = privacy.forget(store, workspace, "cli:test", author=AUTHOR, pseudonymise=True)
    assert result.mode == "pseudonymised" and result.posts == len(done.author_ids)
    assert [p.name for p in result.reports] == ["laporan-citra-2026-08.html"] and result.cached_reports == 1
    after = table_rows(workspace.database_url)
    assert not MENTION.search(_dump(after))
    assert not [t for t in texts.values() if t in _dump(after)]
    for name in ("posts", "annotations", "post_topics", "post_opds", "post_labels", "audit_sample", "assignments"):
        assert len(after[name]) == len(before[name]), name  # the index of past periods does not move
    alias = privacy.pseudonym(workspace, "@Warga3")
    assert alias.startswith("anon-") and alias == privacy.pseudonym(workspace, "warga3")
    mine = [p for p in after["posts"] if p["id"] in set(done.author_ids)]
    assert {(p["author_handle"], p["author_name"], p["text"], p["url"], p["raw"]) for p in mine} == {
        (alias, None, REDACTED, None, None)
    }
    assert not {p["native_id"] for p in mine} & {p["native_id"] for p in before["posts"]}
    notes = {r["post_id"]: r["note"] for r in after["assignments"]}
    assert notes[done.author_ids[0]] == "" and notes[done.other_id] == "cek lokasi"
    assert stat.S_IMODE((workspace.root / privacy.KEY_NAME).stat().st_mode) == 0o600
    with Store.open(workspace.database_url) as store:  # by post id: each post under its own author's pseudonym
        by_id = privacy.forget(store, workspace, "cli:test", post_ids=[done.other_id], pseudonymise=True)
        assert by_id.subject == "posts:1" and by_id.posts == 1
        assert store.get(done.other_id).post.author.handle == privacy.pseudonym(workspace, "warga4") != alias


def test_export_gives_everything_held(workspace: Workspace, tmp_path) -> None:  # type: ignore[no-untyped-def]
    done, texts = _setup(workspace)
    out = tmp_path / "warga3.json"
    citra("privacy", "export", "--author", "warga3", "--out", out, ws=workspace.root)
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    data = orjson.loads(out.read_bytes())
    assert data["subject"]["author"] == AUTHOR
    assert sorted(p["id"] for p in data["posts"]) == done.author_ids
    assert any(p["raw"] and p["raw"]["user"]["screen_name"] == AUTHOR for p in data["posts"])
    assert {a["post_id"] for a in data["annotations"]} == set(done.author_ids[:-1])  # the last: not analysed
    assert data["post_topics"] and data["post_opds"]
    assert {label["text"] for label in data["labels"]} == {texts[done.author_ids[0]], texts[done.author_ids[1]]}
    assert [r["post_id"] for r in data["post_labels"]] == [done.author_ids[0]]
    assert [r["note"] for r in data["assignments"]] == ["cek lokasi"]
    assert {r["post_id"] for r in data["audit_sample"]} == {done.author_ids[0], done.author_ids[1]}
    assert [r["action"] for r in data["audit_log"]] == ["inbox.assign"]
    assert [a["sample"]["author"] for a in data["alerts"]] == ["@Warga3"]
    assert len(data["rejects"]) == 1 and "Warga3" in data["rejects"][0]["line"]
    shown = citra("privacy", "export", "--post", str(done.other_id), ws=workspace.root)
    assert [p["id"] for p in orjson.loads(shown.stdout)["posts"]] == [done.other_id]
    with Store.open(workspace.database_url) as store, store.engine.connect() as conn:
        actions = conn.execute(sa.text("SELECT action, target FROM audit_log WHERE action = 'privacy.export'")).all()
    assert [a.target for a in actions] == [privacy.pseudonym(workspace, AUTHOR), "posts:1"]
    refused = citra("privacy", "forget", ws=workspace.root, check=False)
    assert refused.returncode != 0 and "--author" in refused.stderr
    missing = citra("privacy", "forget", "--post", "987654321", ws=workspace.root, check=False)
    assert missing.returncode != 0 and "no stored post" in missing.stderr
