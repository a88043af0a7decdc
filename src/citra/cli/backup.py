"""citra commands: backing up and restoring the database (``citra db backup|restore``)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from citra import config, curate
from citra.cli.common import WorkspaceOpt, db_app, err
from citra.store import Store


@db_app.command("backup")
def db_backup(
    file: Annotated[Path, typer.Argument(help="File to write (replaced once the new backup is complete).")],
    workspace: WorkspaceOpt = None,
) -> None:
    """Write a consistent backup of the database to FILE (mode 0600), safe while citra serve and citra watch run:
    a SQLite copy (online backup API), or a citra dump of PostgreSQL. It holds personal data: keep it like the
    database. Back up before citra db upgrade."""
    from citra.store import backup

    ws = config.load(workspace)  # any schema revision: back up before citra db upgrade
    with Store.open(ws.database_url) as store:
        info = backup.backup(store, file)
        if info.revision == backup.head_revision():
            store.accounts.audit(curate.os_actor(), "db.backup", str(info.path)[-256:], kind=info.kind)
    total = sum(info.rows.values())
    err.print(f"Backed up {total:,} rows of {len(info.rows)} tables to {info.path} ({info.kind}, {info.revision})")


@db_app.command("restore")
def db_restore(
    file: Annotated[Path, typer.Argument(help="A file written by citra db backup (SQLite copy or citra dump).")],
    force: Annotated[bool, typer.Option("--force", help="Replace a database that already holds data.")] = False,
    workspace: WorkspaceOpt = None,
) -> None:
    """Replace the workspace's database by a backup, all or nothing (stop citra serve and citra watch first). Either
    kind restores into SQLite or PostgreSQL; a database holding data is replaced only with --force."""
    from citra.store import backup

    ws = config.load(workspace)
    with Store.open(ws.database_url) as store:
        info = backup.restore(store, file, force=force)
    with Store.open(ws.database_url) as store:
        store.accounts.audit(curate.os_actor(), "db.restore", str(info.path)[-256:], kind=info.kind, force=force)
    total = sum(info.rows.values())
    err.print(f"Restored {total:,} rows of {len(info.rows)} tables from {info.path} ({info.kind}, {info.revision})")
