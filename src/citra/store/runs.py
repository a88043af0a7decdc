"""Who is running an import and whether it is still alive, so that a run killed with ``kill -9`` or by the
kernel's out-of-memory killer does not stay ``running`` forever.

``citra ingest`` claims its run (process id, host name) and beats after every committed chunk. Before a new
run starts, and when runs are listed, a ``running`` run whose process is gone on this host, or whose last
beat from another host is older than STALE_AFTER, is marked ``interrupted``. What it committed is kept;
running the same files again completes the import (the upsert is idempotent)."""

from __future__ import annotations

import os
import socket
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa

from citra.store.schema import import_owners, imports

STALE_AFTER = timedelta(hours=1)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: it exists
        return True
    return True


class ImportRuns:
    """The liveness of import runs (``import_owners``) beside their records (``imports``)."""

    def __init__(self, engine: sa.Engine) -> None:
        self.engine = engine

    def claim(self, run_id: str) -> None:
        """Record this process as the owner of ``run_id``."""
        with self.engine.begin() as conn:
            conn.execute(
                import_owners.insert().values(
                    run_id=run_id, pid=os.getpid(), host=socket.gethostname()[:255], beat_at=datetime.now(UTC)
                )
            )

    def beat(self, run_id: str) -> None:
        """Say that ``run_id`` is still alive."""
        with self.engine.begin() as conn:
            conn.execute(
                import_owners.update().where(import_owners.c.run_id == run_id).values(beat_at=datetime.now(UTC))
            )

    def mark_stale(self, now: datetime | None = None) -> list[str]:
        """Mark ``interrupted`` every running run whose owner is gone; returns their ids."""
        now = now or datetime.now(UTC)
        host = socket.gethostname()[:255]
        query = (
            sa.select(imports.c.id, import_owners.c.pid, import_owners.c.host, import_owners.c.beat_at)
            .select_from(imports.outerjoin(import_owners, import_owners.c.run_id == imports.c.id))
            .where(imports.c.status == "running")
        )
        with self.engine.connect() as conn:
            rows = conn.execute(query).all()
        stale = []
        for run_id, pid, owner_host, beat_at in rows:
            if pid is None:
                continue  # a run that records no owner (citra collect, or an older citra): left alone
            gone = not _alive(pid) if owner_host == host else now - beat_at > STALE_AFTER
            if gone and pid != os.getpid():
                stale.append((run_id, beat_at))
        for run_id, beat_at in stale:
            with self.engine.begin() as conn:
                conn.execute(
                    imports.update()
                    .where(imports.c.id == run_id, imports.c.status == "running")
                    .values(status="interrupted", finished_at=beat_at)
                )
        return [run_id for run_id, _ in stale]

    def recent(self, limit: int = 20) -> list[dict[str, Any]]:
        """The last ``limit`` runs, newest first, after marking stale ones (see mark_stale)."""
        self.mark_stale()
        c = imports.c
        query = (
            sa.select(c.id, c.command, c.status, c.started_at, c.finished_at, c.read, c.inserted, c.updated, c.rejected)
            .order_by(c.started_at.desc(), c.id.desc())
            .limit(limit)
        )
        with self.engine.connect() as conn:
            return [{str(k): v for k, v in row.items()} for row in conn.execute(query).mappings()]
