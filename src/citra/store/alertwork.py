"""The team's handling of alerts: acknowledge, assign, resolve, reopen, and notes. Only these write the handling
columns; ``Store.save_alert`` (the scan) leaves them alone."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa

from citra.errors import NotFound
from citra.records import Alert, AlertNote
from citra.store import rows
from citra.store.schema import alert_notes, alerts


class AlertWork:
    """Handling columns of ``alerts`` and the ``alert_notes`` table."""

    def __init__(self, engine: sa.Engine) -> None:
        self.engine = engine

    def get(self, alert_id: int) -> Alert:
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(alerts).where(alerts.c.id == alert_id)).mappings().first()
        if row is None:
            raise NotFound(f"no alert {alert_id}")
        return rows.alert(row)

    def update(self, alert_id: int, **values: Any) -> Alert:
        """Set handling columns (acknowledged_at/by, assignee, resolved_at/by) of one alert; returns it."""
        allowed = {"acknowledged_at", "acknowledged_by", "assignee", "resolved_at", "resolved_by"}
        unknown = set(values) - allowed
        if unknown:
            raise ValueError(f"not a handling column: {sorted(unknown)}")
        with self.engine.begin() as conn:
            done = conn.execute(alerts.update().where(alerts.c.id == alert_id).values(**values)).rowcount
        if not done:
            raise NotFound(f"no alert {alert_id}")
        return self.get(alert_id)

    def add_note(self, alert_id: int, author: str, text: str, at: datetime | None = None) -> AlertNote:
        note = AlertNote(alert_id, author, text, at or datetime.now(UTC))
        with self.engine.begin() as conn:
            if conn.execute(sa.select(alerts.c.id).where(alerts.c.id == alert_id)).first() is None:
                raise NotFound(f"no alert {alert_id}")
            conn.execute(alert_notes.insert().values(alert_id=alert_id, author=author, text=text, at=note.at))
        return note

    def notes(self, alert_ids: list[int]) -> dict[int, list[AlertNote]]:
        """The notes of these alerts, oldest first, by alert id."""
        found: dict[int, list[AlertNote]] = {i: [] for i in alert_ids}
        if not alert_ids:
            return found
        stmt = (
            sa.select(alert_notes)
            .where(alert_notes.c.alert_id.in_(alert_ids))
            .order_by(alert_notes.c.alert_id, alert_notes.c.at, alert_notes.c.id)
        )
        with self.engine.connect() as conn:
            for r in conn.execute(stmt).mappings():
                found[int(r["alert_id"])].append(AlertNote(int(r["alert_id"]), r["author"], r["text"], r["at"]))
        return found
