"""Speed of `citra db backup` and `citra db restore` on a workspace, both ways between SQLite and PostgreSQL, with
every table compared after each restore.

Backs up the SQLite workspace, restores that into a new PostgreSQL database, backs PostgreSQL up (a citra dump),
restores the dump into a new SQLite file and a second PostgreSQL database. Run by hand on the demo workspace:

    .venv/bin/citra demo -w /tmp/demo --no-serve
    .venv/bin/python bench/backup_bench.py /tmp/demo/citra.db
"""

from __future__ import annotations

import argparse
import os
import platform
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import psycopg
import sqlalchemy as sa

from citra.store import Store
from citra.store.backup import backup, restore
from citra.store.schema import metadata

PG_ADMIN = os.environ.get("CITRA_TEST_PG_ADMIN", "postgresql://postgres@127.0.0.1:5432/postgres")


def rows(url: str) -> dict[str, list[dict[str, Any]]]:
    with Store.open(url) as store, store.engine.connect() as conn:
        ordered = {t.name: sa.select(t).order_by(*t.primary_key.columns) for t in metadata.sorted_tables}
        return {name: [dict(r) for r in conn.execute(stmt).mappings()] for name, stmt in ordered.items()}


def timed(label: str, action: Any) -> Any:
    start = time.perf_counter()
    result = action()
    print(f"{label:<42} {time.perf_counter() - start:7.1f} s")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sqlite", type=Path, help="the SQLite database of a workspace (e.g. demo/citra.db)")
    args = parser.parse_args()
    source = f"sqlite:///{args.sqlite.resolve()}"
    names = [f"citra_bench_{uuid.uuid4().hex[:8]}" for _ in range(2)]
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        for name in names:
            conn.execute(f'CREATE DATABASE "{name}"')
    pg = [f"{PG_ADMIN.rsplit('/', 1)[0]}/{name}" for name in names]
    print(f"{platform.node()}: {os.cpu_count()} cores, Python {platform.python_version()}, {time.strftime('%F')}")
    try:
        with tempfile.TemporaryDirectory() as tmp:
            work = Path(tmp)
            expected = rows(source)
            print(f"{sum(map(len, expected.values())):,} rows, {len(expected['posts']):,} posts, {args.sqlite}")
            with Store.open(source) as store:
                info = timed("backup SQLite (online backup API)", lambda: backup(store, work / "b.db"))
            print(f"{'':<42} {(work / 'b.db').stat().st_size / 1e6:7.1f} MB")
            targets = [(pg[0], work / "b.db", "restore SQLite backup into PostgreSQL")]
            with Store.open(pg[0]) as store:
                timed(targets[0][2], lambda: restore(store, work / "b.db"))
            with Store.open(pg[0]) as store:
                timed("backup PostgreSQL (citra dump)", lambda: backup(store, work / "b.dump"))
            print(f"{'':<42} {(work / 'b.dump').stat().st_size / 1e6:7.1f} MB (gzip)")
            lite = f"sqlite:///{work / 'restored.db'}"
            for url, label in ((lite, "restore dump into SQLite"), (pg[1], "restore dump into PostgreSQL")):
                with Store.open(url) as store:
                    timed(label, lambda s=store: restore(s, work / "b.dump"))
            for url in (pg[0], lite, pg[1]):
                same = rows(url) == expected
                print(f"every table equal to the source: {same} ({url.split('/')[-1]})")
            assert info.rows == {name: len(r) for name, r in expected.items()}
    finally:
        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            for name in names:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    main()
