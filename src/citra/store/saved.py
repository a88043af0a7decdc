"""Saved searches: a name and the URL parameters of a Percakapan slice, shared by the whole team.

Changes go through ``citra.curate`` (validated and audited); this module only reads and writes rows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa

from citra.errors import NotFound
from citra.store.schema import saved_searches

LIST_MAX = 500


@dataclass(frozen=True, slots=True)
class SavedSearch:
    """One saved search; ``params`` are URL parameters (``citra.filters.PARAMS`` without ``saved``)."""

    id: int
    name: str
    params: dict[str, str]
    created_by: str
    created_at: datetime
    updated_at: datetime
    watched: bool = False  # "Pantau": ``citra alerts scan`` looks for spikes within it (an alert scope)

    @property
    def since(self) -> str | None:
        return self.params.get("since")

    @property
    def until(self) -> str | None:
        return self.params.get("until")


def _saved(row: Any) -> SavedSearch:
    params = {str(k): str(v) for k, v in dict(row["params"] or {}).items()}
    return SavedSearch(
        int(row["id"]),
        row["name"],
        params,
        row["created_by"],
        row["created_at"],
        row["updated_at"],
        bool(row.get("watched")),
    )


class SavedSearches:
    """Rows of ``saved_searches``, by name order."""

    def __init__(self, engine: sa.Engine) -> None:
        self.engine = engine

    def add(self, name: str, params: dict[str, str], created_by: str) -> SavedSearch:
        now = datetime.now(UTC)
        values = {"name": name, "params": params, "created_by": created_by, "created_at": now, "updated_at": now}
        with self.engine.begin() as conn:
            new_id = conn.execute(saved_searches.insert().values(**values)).inserted_primary_key[0]
        return SavedSearch(int(new_id), name, dict(params), created_by, now, now)

    def get(self, saved_id: int) -> SavedSearch:
        with self.engine.connect() as conn:
            row = conn.execute(saved_searches.select().where(saved_searches.c.id == saved_id)).mappings().first()
        if row is None:
            raise NotFound(f"no saved search with id {saved_id}")
        return _saved(row)

    def all(self) -> list[SavedSearch]:
        s = saved_searches.c
        with self.engine.connect() as conn:
            stmt = saved_searches.select().order_by(sa.func.lower(s.name), s.id).limit(LIST_MAX)
            return [_saved(r) for r in conn.execute(stmt).mappings()]

    def watched(self) -> list[SavedSearch]:
        """The searches marked "Pantau", by id (the alert scopes)."""
        s = saved_searches.c
        with self.engine.connect() as conn:
            stmt = saved_searches.select().where(s.watched.is_(True)).order_by(s.id).limit(LIST_MAX)
            return [_saved(r) for r in conn.execute(stmt).mappings()]

    def watch(self, saved_id: int, watched: bool) -> None:
        stmt = saved_searches.update().where(saved_searches.c.id == saved_id)
        with self.engine.begin() as conn:
            if not conn.execute(stmt.values(watched=watched, updated_at=datetime.now(UTC))).rowcount:
                raise NotFound(f"no saved search with id {saved_id}")

    def rename(self, saved_id: int, name: str) -> None:
        stmt = saved_searches.update().where(saved_searches.c.id == saved_id)
        with self.engine.begin() as conn:
            if not conn.execute(stmt.values(name=name, updated_at=datetime.now(UTC))).rowcount:
                raise NotFound(f"no saved search with id {saved_id}")

    def delete(self, saved_id: int) -> None:
        with self.engine.begin() as conn:
            if not conn.execute(saved_searches.delete().where(saved_searches.c.id == saved_id)).rowcount:
                raise NotFound(f"no saved search with id {saved_id}")
