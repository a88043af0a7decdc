"""The history of monthly reports (``report_history``): what was built, when, by whom or by what (the dashboard,
``citra watch``'s schedule, ``citra report``) and to whom it was sent."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

import sqlalchemy as sa

from citra.store.schema import report_history

VIAS = ("web", "schedule", "cli")
STATUSES = ("built", "sent", "partial", "failed", "skipped")


@dataclass(frozen=True, slots=True)
class ReportRecord:
    """One built (or attempted) report; ``file`` is its name in the workspace's reports folder."""

    id: int
    month: str
    format: str
    file: str
    generated_at: datetime
    via: str
    by: str
    sent_to: tuple[str, ...]
    status: str
    detail: str


class ReportHistory:
    """Rows of ``report_history``."""

    def __init__(self, engine: sa.Engine) -> None:
        self.engine = engine

    def add(
        self,
        month: str,
        fmt: str,
        *,
        via: str,
        by: str = "",
        file: str = "",
        sent_to: Sequence[str] = (),
        status: str = "built",
        detail: str = "",
        at: datetime | None = None,
    ) -> int:
        """Record a report of ``month`` (YYYY-MM); returns its id."""
        if via not in VIAS or status not in STATUSES:
            raise ValueError(f"report history: unknown via {via!r} or status {status!r}")
        values = {
            "month": month,
            "format": fmt,
            "file": file[:255],
            "generated_at": at or datetime.now(UTC),
            "via": via,
            "by": by[:80],
            "sent_to": list(sent_to),
            "status": status,
            "detail": detail[:2000],
        }
        with self.engine.begin() as conn:
            return int(conn.execute(report_history.insert().values(**values)).inserted_primary_key[0])

    def recent(self, limit: int = 50) -> list[ReportRecord]:
        """The newest ``limit`` records, newest first."""
        stmt = sa.select(report_history).order_by(report_history.c.generated_at.desc(), report_history.c.id.desc())
        with self.engine.connect() as conn:
            return [_record(row) for row in conn.execute(stmt.limit(limit)).mappings()]

    def scheduled(self, month: str) -> list[ReportRecord]:
        """The schedule's records of ``month``: when one was sent (or skipped), the month is done."""
        t = report_history.c
        stmt = sa.select(report_history).where(t.month == month, t.via == "schedule").order_by(t.id)
        with self.engine.connect() as conn:
            return [_record(row) for row in conn.execute(stmt).mappings()]


def _record(row: sa.RowMapping) -> ReportRecord:
    return ReportRecord(
        id=row["id"],
        month=row["month"],
        format=row["format"],
        file=row["file"],
        generated_at=row["generated_at"],
        via=row["via"],
        by=row["by"],
        sent_to=tuple(row["sent_to"] or ()),
        status=row["status"],
        detail=row["detail"],
    )
