"""citra db backup / restore: round trips that compare every table, on SQLite and PostgreSQL and across them."""

from __future__ import annotations

import gzip
import stat
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path

import orjson
import psycopg
import pytest

from citra.config import Workspace
from citra.errors import CitraError
from citra.records import Platform, Post, Role
from citra.store import PostQuery, Store
from citra.store.backup import backup, kind_of, restore
from citra.store.schema import metadata
from tests.conftest import PG_ADMIN
from tests.every_table import populate, table_rows
from tests.test_cli import citra
from tests.web.conftest import START


@pytest.fixture
def new_database(pg_url: str, tmp_path: Path) -> Iterator[Callable[[str], str]]:
    """``new_database("sqlite" | "postgres")``: the URL of an empty database of that kind."""
    made: list[str] = []

    def make(kind: str) -> str:
        if kind == "sqlite":
            return f"sqlite:///{tmp_path / f'{uuid.uuid4().hex[:8]}.db'}"
        name = f"citra_restore_{uuid.uuid4().hex[:10]}"
        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        made.append(name)
        return f"{pg_url.rsplit('/', 1)[0]}/{name}"

    yield make
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        for name in made:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.parametrize("into", ["sqlite", "postgres"])
def test_round_trip_keeps_every_table(
    workspace: Workspace, backend: str, into: str, new_database: Callable[[str], str], tmp_path: Path
) -> None:
    populate(workspace)
    before = table_rows(workspace.database_url)
    assert set(before) == set(metadata.tables)
    assert [name for name, rows in before.items() if not rows] == [], "every table holds data"
    out = tmp_path / "backup.bin"
    with Store.open(workspace.database_url) as store:
        info = backup(store, out)
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert kind_of(out) == ("sqlite" if backend == "sqlite" else "dump") == info.kind
    assert info.rows == {name: len(rows) for name, rows in before.items()}

    target = new_database(into)
    with Store.open(target) as store:
        done = restore(store, out)
        assert done.rows == info.rows
        store.check_current()
    assert table_rows(target) == before
    with Store.open(target) as store:  # ids continue after the restored ones (PostgreSQL sequences)
        added = store.accounts.add_user("baru", "x", Role.VIEWER)
        assert added.id > max(u["id"] for u in before["users"])
        assert store.count(PostQuery(text="lampu jalan")) == 1, "the search index covers the restored posts"


def test_restore_refuses_data_revision_and_damage(workspace: Workspace, backend: str, tmp_path: Path) -> None:
    populate(workspace)
    out = tmp_path / "backup.bin"
    with Store.open(workspace.database_url) as store:
        backup(store, out)
        before = table_rows(workspace.database_url)
        with pytest.raises(CitraError, match=r"not empty.*--force"):
            restore(store, out)
        garbage = tmp_path / "garbage.bin"
        garbage.write_bytes(b"hello, not a backup")
        with pytest.raises(CitraError, match="neither a citra dump nor a SQLite"):
            restore(store, garbage, force=True)
    if backend == "postgres":
        lines = gzip.decompress(out.read_bytes()).splitlines()
        header = orjson.loads(lines[0])
        old = tmp_path / "old.dump"
        old.write_bytes(gzip.compress(orjson.dumps(header | {"revision": "0001"}) + b"\n" + b"\n".join(lines[1:])))
        cut = tmp_path / "cut.dump"
        cut.write_bytes(gzip.compress(b"\n".join(lines[: len(lines) // 2]) + b"\n"))
        with Store.open(workspace.database_url) as store:
            with pytest.raises(CitraError, match="revision 0001"):
                restore(store, old, force=True)
            with pytest.raises(CitraError, match="ends early"):
                restore(store, cut, force=True)
    else:
        cut = tmp_path / "cut.db"
        cut.write_bytes(out.read_bytes()[: out.stat().st_size // 2])
        with Store.open(workspace.database_url) as store, pytest.raises(CitraError, match=r"damaged|not a readable"):
            restore(store, cut, force=True)
    assert table_rows(workspace.database_url) == before, "a refused restore changes nothing"


def test_force_replaces_and_cli(workspace: Workspace, backend: str, tmp_path: Path) -> None:
    populate(workspace)
    before = table_rows(workspace.database_url)
    out = tmp_path / "cli-backup"
    citra("db", "backup", out, ws=workspace.root)
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    with Store.open(workspace.database_url) as store:
        store.accounts.add_user("sesudah", "x", Role.VIEWER)
    refused = citra("db", "restore", out, ws=workspace.root, check=False)
    assert refused.returncode != 0 and "--force" in refused.stderr
    citra("db", "restore", out, "--force", ws=workspace.root)
    after = table_rows(workspace.database_url)
    assert [u["name"] for u in after["users"]] == [u["name"] for u in before["users"]]
    audit, prior = after.pop("audit_log"), before.pop("audit_log")
    assert audit[:-1] == prior and audit[-1]["action"] == "db.restore"
    assert after == before


def test_backup_is_one_instant_while_an_import_writes(
    workspace: Workspace, new_database: Callable[[str], str], tmp_path: Path
) -> None:
    """Posts and the import's counters are committed together; a backup taken while batches keep coming holds
    both at the same instant (the SQLite backup API in one step, PostgreSQL in one REPEATABLE READ snapshot)."""
    stop = threading.Event()
    batches = []

    def write() -> None:
        with Store.open(workspace.database_url) as store:
            run = store.start_import("ingest", ["stream.csv"])
            k = 0
            while not stop.is_set() and k < 400:
                posts = [
                    Post(Platform.X, f"s{k}-{i}", f"banjir lagi {k} {i}", START + timedelta(minutes=k), raw={"k": k})
                    for i in range(50)
                ]
                store.add_posts(posts, import_id=run, read=50)
                batches.append(k)
                k += 1

    writer = threading.Thread(target=write)
    writer.start()
    try:
        while len(batches) < 3:
            time.sleep(0.01)
        out = tmp_path / "live.bin"
        with Store.open(workspace.database_url) as store:
            backup(store, out)
        during = len(batches)
    finally:
        stop.set()
        writer.join(60)
    target = new_database("sqlite")
    with Store.open(target) as store:
        restore(store, out)
    copied = table_rows(target)
    (run,) = copied["imports"]
    assert 0 < len(copied["posts"]) == run["inserted"] == run["read"]
    assert during < 400, "the backup ran while the import was still writing"


def test_an_older_sqlite_backup_is_upgraded_and_a_folder_refused(
    backend: str, new_database: Callable[[str], str], tmp_path: Path
) -> None:
    """A SQLite database of an older citra (schema 0009) is backed up as it is, before `citra db upgrade`, and its
    backup restores into this citra's schema on either database."""
    old = f"sqlite:///{tmp_path / 'old.db'}"
    with Store.open(old) as store:
        store.upgrade("0009")
        store.accounts.add_user("lama", "hash", Role.ANALYST)
        out = tmp_path / "old-backup.db"
        info = backup(store, out)
        assert info.revision == "0009" and "forgotten" not in info.rows
        with pytest.raises(CitraError, match="is a folder"):
            backup(store, tmp_path)
    target = new_database("sqlite" if backend == "sqlite" else "postgres")
    with Store.open(target) as store:
        restore(store, out)
        store.check_current()
        assert [u.name for u in store.accounts.users()] == ["lama"]
    if backend == "postgres":  # a citra dump is read with this citra's schema: an older one is refused
        behind = new_database("postgres")
        with Store.open(behind) as store:
            store.upgrade("0009")
            with pytest.raises(CitraError, match="revision 0009"):
                backup(store, tmp_path / "behind.dump")
        assert not (tmp_path / "behind.dump").exists()


def test_restore_into_a_database_of_an_older_schema(
    workspace: Workspace, backend: str, new_database: Callable[[str], str], tmp_path: Path
) -> None:
    populate(workspace)
    out = tmp_path / "backup.bin"
    with Store.open(workspace.database_url) as store:
        backup(store, out)
    target = new_database(backend)
    with Store.open(target) as store:
        store.upgrade("0009")
        store.accounts.add_user("lama", "hash", Role.VIEWER)
        with pytest.raises(CitraError, match=r"not empty \(1 users\)"):
            restore(store, out)
        assert store.revision() == "0009"
        restore(store, out, force=True)
        store.check_current()
    assert table_rows(target) == table_rows(workspace.database_url)
