"""Backups of the whole database, and restoring them.

SQLite: the backup is itself a SQLite file, copied with SQLite's online backup API, so it is consistent while the
server and ``citra watch`` keep writing, and opens with any SQLite tool.

PostgreSQL: a citra dump, a gzipped file of JSON lines (a header with the schema revision, then each table's rows)
read in one REPEATABLE READ, READ ONLY transaction, so every table is seen at the same instant. Not pg_dump: a
pg_dump client must be at least the server's major version (a Debian 15 client refuses a managed 16 server), its
archive restores only into PostgreSQL, and it would carry the server's roles and extensions. A citra dump needs
nothing but citra, is checked against citra's own schema revision, and restores into SQLite or PostgreSQL alike,
which is also how a workspace moves between them.

Restore reads both kinds into either database. It refuses a database that holds data unless ``force``, and a
backup of another schema revision than this citra's (an older SQLite backup is first upgraded by the migrations).
It is all or nothing: PostgreSQL loads in one transaction; SQLite is prepared in a temporary file and copied into
the database in one write transaction by the backup API (not renamed over it: a server still holding the old file
open, or the old file's -wal, would then see a mix of both).
"""

from __future__ import annotations

import base64
import gzip
import os
import sqlite3
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import IO, Any

import orjson
import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from citra import private
from citra.errors import CitraError
from citra.store.schema import UTCDateTime, metadata
from citra.store.store import MIGRATIONS, Store

FORMAT = "citra-dump"
VERSION = 1
SQLITE_MAGIC = b"SQLite format 3\x00"
GZIP_MAGIC = b"\x1f\x8b"
CHUNK = 2000


@dataclass(frozen=True)
class BackupInfo:
    """What a backup holds: its kind (``sqlite`` or ``dump``), schema revision and rows per table."""

    path: Path
    kind: str
    revision: str | None
    rows: dict[str, int] = field(default_factory=dict)


def _alembic(conn: sa.Connection | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["connection"] = conn
    return cfg


def head_revision() -> str:
    """The schema revision this citra's migrations end at."""
    head = ScriptDirectory.from_config(_alembic()).get_current_head()
    assert head is not None
    return head


def _known_revisions() -> set[str]:
    return {s.revision for s in ScriptDirectory.from_config(_alembic()).walk_revisions()}


def _revision(conn: sa.Connection) -> str | None:
    return MigrationContext.configure(conn).get_current_revision()


def _count(conn: sa.Connection) -> dict[str, int]:
    """Rows per citra table present (a database of an older schema lacks some)."""
    there = set(sa.inspect(conn).get_table_names())
    counted = [t for t in _tables() if t.name in there]
    return {t.name: int(conn.execute(sa.select(sa.func.count()).select_from(t)).scalar_one()) for t in counted}


def _tables() -> list[sa.Table]:
    """Every citra table, parents before children (the order rows are loaded in)."""
    return list(metadata.sorted_tables)


def _ordered(table: sa.Table) -> sa.Select[Any]:
    return sa.select(table).order_by(*table.primary_key.columns)


# backing up -----------------------------------------------------------------------------------------------------


def backup(store: Store, target: Path) -> BackupInfo:
    """Write a consistent backup of the store's database to ``target`` (0600; an existing file is replaced only
    once the new one is complete)."""
    target = target.expanduser().resolve()
    if not target.parent.is_dir():
        raise CitraError(f"{target.parent} is not a folder")
    if target.is_dir():
        raise CitraError(f"{target} is a folder: name the backup file")
    revision = store.revision()
    if revision is None:
        raise CitraError("the database has no citra tables: nothing to back up")
    if store.dialect != "sqlite" and revision != head_revision():
        raise CitraError(
            f"the database is at schema revision {revision}, this citra at {head_revision()}: a citra dump is read "
            "with this citra's schema, so back it up with the citra that matches it (or pg_dump), then upgrade"
        )
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    os.close(fd)
    partial = Path(name)
    os.chmod(partial, private.FILE_MODE)
    try:
        if store.dialect == "sqlite":
            rows = _backup_sqlite(store, partial)
            kind = "sqlite"
        else:
            rows = _backup_dump(store, partial, revision)
            kind = "dump"
        os.replace(partial, target)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return BackupInfo(target, kind, revision, rows)


def _backup_sqlite(store: Store, out: Path) -> dict[str, int]:
    """SQLite's online backup API: one step, so the copy is one consistent state of the database."""
    raw = store.engine.raw_connection()
    try:
        dest = sqlite3.connect(out)
        try:
            raw.driver_connection.backup(dest)  # type: ignore[union-attr]
            dest.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
            count = 'SELECT count(*) FROM "{}"'  # names from citra's own metadata
            there = {name for (name,) in dest.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            rows = {t.name: int(dest.execute(count.format(t.name)).fetchone()[0]) for t in _tables() if t.name in there}
        finally:
            dest.close()
    finally:
        raw.close()
    return rows


def _backup_dump(store: Store, out: Path, revision: str) -> dict[str, int]:
    rows: dict[str, int] = {}
    header = {"format": FORMAT, "version": VERSION, "revision": revision, "dialect": store.dialect}
    header["created_at"] = datetime.now(UTC).isoformat()
    header["tables"] = [str(t.name) for t in _tables()]
    with gzip.open(out, "wb", compresslevel=6) as fh:
        fh.write(orjson.dumps(header) + b"\n")
        conn = store.engine.connect().execution_options(isolation_level="REPEATABLE READ")
        try:
            with conn.begin():
                conn.exec_driver_sql("SET TRANSACTION READ ONLY")
                for table in _tables():
                    names = [c.name for c in table.columns]
                    fh.write(orjson.dumps({"table": table.name, "columns": names}) + b"\n")
                    n = 0
                    result = conn.execution_options(stream_results=True, yield_per=CHUNK).execute(_ordered(table))
                    for row in result:
                        fh.write(orjson.dumps(list(row), default=_encode) + b"\n")
                        n += 1
                    rows[str(table.name)] = n
        finally:
            conn.close()
        fh.write(orjson.dumps({"end": True, "rows": rows}) + b"\n")
    return rows


def _encode(value: Any) -> Any:
    if isinstance(value, bytes | memoryview):  # post_vectors.vector
        return base64.b64encode(bytes(value)).decode("ascii")
    raise TypeError(f"cannot write {type(value).__name__} into a citra dump")


# reading backups -------------------------------------------------------------------------------------------------


def kind_of(path: Path) -> str:
    """``sqlite`` or ``dump``, from the file's first bytes; a CitraError for anything else."""
    try:
        with path.open("rb") as fh:
            start = fh.read(16)
    except OSError as exc:
        raise CitraError(f"cannot read {path}: {exc.strerror}") from None
    if start == SQLITE_MAGIC:
        return "sqlite"
    if start[:2] == GZIP_MAGIC:
        return "dump"
    raise CitraError(f"{path} is neither a citra dump nor a SQLite database")


class _Dump:
    """A citra dump read line by line; ``tables`` yields (table, rows) with values of the columns' Python types."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.fh: IO[bytes] = gzip.open(path, "rb")  # noqa: SIM115 (closed by close(), the caller's finally)
        try:
            header = orjson.loads(self.fh.readline())
        except (orjson.JSONDecodeError, OSError, EOFError) as exc:
            self.fh.close()
            raise CitraError(f"{path}: not a citra dump ({exc})") from None
        if not isinstance(header, dict) or header.get("format") != FORMAT:
            self.fh.close()
            raise CitraError(f"{path}: not a citra dump")
        if header.get("version") != VERSION:
            self.fh.close()
            raise CitraError(f"{path}: citra dump version {header.get('version')}, this citra reads {VERSION}")
        self.revision: str | None = header.get("revision")
        self._pending: Any = None

    def close(self) -> None:
        self.fh.close()

    def _next(self) -> Any:
        if self._pending is not None:
            line, self._pending = self._pending, None
            return line
        try:
            raw = self.fh.readline()
        except (OSError, EOFError) as exc:
            raise CitraError(f"{self.path}: damaged ({exc})") from None
        if not raw:
            raise CitraError(f"{self.path}: ends early (an incomplete backup)")
        try:
            return orjson.loads(raw)
        except orjson.JSONDecodeError as exc:
            raise CitraError(f"{self.path}: damaged line ({exc})") from None

    def tables(self) -> Iterator[tuple[sa.Table, Iterator[list[dict[str, Any]]]]]:
        known = metadata.tables
        while True:
            line = self._next()
            if isinstance(line, dict) and line.get("end"):
                return
            if not isinstance(line, dict) or line.get("table") not in known:
                raise CitraError(f"{self.path}: unexpected content {str(line)[:80]!r}")
            table = known[line["table"]]
            columns = line["columns"]
            if set(columns) != {c.name for c in table.columns}:
                raise CitraError(f"{self.path}: the columns of {table.name} differ from this citra's")
            yield table, self._rows(table, columns)

    def _rows(self, table: sa.Table, columns: list[str]) -> Iterator[list[dict[str, Any]]]:
        decoders = [_decoder(table.c[name].type) for name in columns]
        chunk: list[dict[str, Any]] = []
        while True:
            line = self._next()
            if not isinstance(line, list):
                self._pending = line
                break
            chunk.append({c: d(v) for c, d, v in zip(columns, decoders, line, strict=True)})
            if len(chunk) >= CHUNK:
                yield chunk
                chunk = []
        if chunk:
            yield chunk


def _decoder(kind: sa.types.TypeEngine[Any]) -> Any:
    if isinstance(kind, UTCDateTime | sa.DateTime):
        return lambda v: None if v is None else datetime.fromisoformat(v)
    if isinstance(kind, sa.Date):
        return lambda v: None if v is None else date.fromisoformat(v)
    if isinstance(kind, sa.LargeBinary):
        return lambda v: None if v is None else base64.b64decode(v)
    return lambda v: v


def _engine_tables(engine: sa.Engine) -> Iterator[tuple[sa.Table, Iterator[list[dict[str, Any]]]]]:
    """The rows of every citra table of a (prepared, current) database."""

    def rows(conn: sa.Connection, table: sa.Table) -> Iterator[list[dict[str, Any]]]:
        result = conn.execute(_ordered(table)).mappings()
        while chunk := result.fetchmany(CHUNK):
            yield [dict(r) for r in chunk]

    with engine.connect() as conn:
        for table in _tables():
            yield table, rows(conn, table)


# restoring ------------------------------------------------------------------------------------------------------


def restore(store: Store, source: Path, *, force: bool = False) -> BackupInfo:
    """Replace the store's database by the backup ``source`` (all or nothing); refuses a database holding data
    unless ``force``."""
    source = source.expanduser().resolve()
    kind = kind_of(source)
    head = head_revision()
    with tempfile.TemporaryDirectory(prefix="citra-restore-") as work:
        if kind == "sqlite":
            prepared = _prepare_sqlite(source, Path(work) / "restore.db", head)
            revision = head
            try:
                if store.dialect == "sqlite":
                    rows = _install_sqlite(store, prepared, force)
                else:
                    rows = _load(store, _engine_tables(prepared.engine), force)
            finally:
                prepared.close()
        else:
            dump = _Dump(source)
            try:
                if dump.revision != head:
                    raise CitraError(
                        f"{source} is a backup at schema revision {dump.revision}, this citra is at {head}: "
                        "restore it with the citra version that wrote it, then upgrade"
                    )
                revision = dump.revision
                if store.dialect == "sqlite":
                    prepared = Store.open(f"sqlite:///{Path(work) / 'restore.db'}")
                    try:
                        prepared.upgrade()
                        _load(prepared, dump.tables(), force=True)
                        rows = _install_sqlite(store, prepared, force)
                    finally:
                        prepared.close()
                else:
                    rows = _load(store, dump.tables(), force)
            finally:
                dump.close()
    return BackupInfo(source, kind, revision, rows)


def _prepare_sqlite(source: Path, work: Path, head: str) -> Store:
    """A private copy of a SQLite backup, checked and upgraded to this citra's schema."""
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    try:
        dest = sqlite3.connect(work)
        try:
            src.backup(dest)
            if dest.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                raise CitraError(f"{source}: the SQLite file is damaged (integrity check failed)")
        finally:
            dest.close()
    except sqlite3.DatabaseError as exc:
        raise CitraError(f"{source}: not a readable SQLite database ({exc})") from None
    finally:
        src.close()
    prepared = Store.open(f"sqlite:///{work}")
    try:
        revision = prepared.revision()
        if revision is None:
            raise CitraError(f"{source} holds no citra database")
        if revision not in _known_revisions():
            raise CitraError(
                f"{source} is at schema revision {revision}, newer than this citra ({head}): upgrade citra"
            )
        if revision != head:
            prepared.upgrade()
    except BaseException:
        prepared.close()
        raise
    return prepared


def _refuse_data(conn: sa.Connection, force: bool) -> None:
    if force:
        return
    held = {name: n for name, n in _count(conn).items() if n}
    if held:
        what = ", ".join(f"{n:,} {name}" for name, n in sorted(held.items()))
        raise CitraError(f"the database is not empty ({what}); restore with --force to replace it")


def _load(
    store: Store, tables: Iterator[tuple[sa.Table, Iterator[list[dict[str, Any]]]]], force: bool
) -> dict[str, int]:
    """Load rows into a database in one transaction: migrated to this citra's schema, emptied, filled."""
    rows: dict[str, int] = {}
    with store.engine.begin() as conn:
        current = _revision(conn)
        if current is not None and current not in _known_revisions():
            raise CitraError(f"the database is at schema revision {current}, unknown to this citra: upgrade citra")
        if current != head_revision():
            command.upgrade(_alembic(conn), "head")
        _refuse_data(conn, force)
        names = [t.name for t in _tables()]
        if store.dialect == "postgresql":
            conn.exec_driver_sql(f"TRUNCATE {', '.join(names)} RESTART IDENTITY CASCADE")
        else:
            for table in reversed(_tables()):
                conn.execute(table.delete())
        for table, chunks in tables:
            if store.dialect == "postgresql":
                rows[table.name] = _copy(conn, table, chunks)
                continue
            rows[table.name] = 0
            for chunk in chunks:
                conn.execute(table.insert(), chunk)
                rows[table.name] += len(chunk)
        if store.dialect == "postgresql":
            _reset_sequences(conn)
    return rows


def _copy(conn: sa.Connection, table: sa.Table, chunks: Iterator[list[dict[str, Any]]]) -> int:
    """PostgreSQL: COPY the rows in (about four times faster than multi-row INSERTs)."""
    from psycopg.types.json import Jsonb

    columns = list(table.columns)
    wrap = [isinstance(c.type, sa.JSON) for c in columns]
    names = ", ".join(f'"{c.name}"' for c in columns)
    n = 0
    cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
    with cursor.copy(f'COPY "{table.name}" ({names}) FROM STDIN') as copy:
        for chunk in chunks:
            for row in chunk:
                values = [row[c.name] for c in columns]
                copy.write_row([Jsonb(v) if w and v is not None else v for v, w in zip(values, wrap, strict=True)])
            n += len(chunk)
    return n


def _reset_sequences(conn: sa.Connection) -> None:
    """PostgreSQL: the next id of every serial key after the largest restored one."""
    for table in _tables():
        keys = list(table.primary_key.columns)
        if len(keys) == 1 and isinstance(keys[0].type, sa.Integer):  # not a serial: pg_get_serial_sequence is NULL
            top = sa.func.max(keys[0])
            sequence = sa.func.pg_get_serial_sequence(table.name, keys[0].name)
            conn.execute(sa.select(sa.func.setval(sequence, sa.func.coalesce(top, 1), top.is_not(None))))


def _install_sqlite(store: Store, prepared: Store, force: bool) -> dict[str, int]:
    """Copy a prepared SQLite database over the store's in one write transaction of the backup API."""
    with store.engine.connect() as conn:
        if _revision(conn) is not None:
            _refuse_data(conn, force)
    store.engine.dispose()
    with prepared.engine.connect() as conn:
        rows = _count(conn)
    prepared.engine.dispose()
    path = store.engine.url.database
    assert path
    src = sqlite3.connect(prepared.engine.url.database or "")
    try:
        dest = sqlite3.connect(path, timeout=30)
        try:
            src.backup(dest)
        except sqlite3.OperationalError as exc:
            raise CitraError(f"cannot write {path}: {exc} (stop citra serve and citra watch first)") from None
        finally:
            dest.close()
    finally:
        src.close()
    return rows
