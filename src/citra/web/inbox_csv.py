"""Keterlibatan as CSV: the filtered inbox list (the page's URL with ``format=csv``), read from the store a page at
a time while it streams, so a long queue is never held whole in memory. Same encoding rules as every download
(``citra.web.downloads``: UTF-8 with BOM, formula-leading cells neutralised by ``citra.csvsafe``)."""

from __future__ import annotations

import gettext
from collections.abc import Iterator
from datetime import datetime
from typing import Any, Literal

from fastapi.responses import StreamingResponse

from citra.records import InboxItem, InboxStatus
from citra.store import Store
from citra.web.downloads import csv_response
from citra.workdays import Deadlines

BATCH = 2000  # items per query while streaming (the demo's 35,700 items: 18 queries of about 0.5 s)
MAX_ROWS = 100_000  # a bound on one download (the inbox of a year of a large city fits)
COLUMNS = (
    "waktu",
    "platform",
    "akun",
    "teks",
    "opd",
    "status",
    "petugas",
    "prioritas",
    "tenggat",
    "tautan",
)


def row(item: InboxItem, tz: Any, status_words: gettext.NullTranslations) -> dict[str, Any]:
    """One inbox item as a row of ``COLUMNS``: the time and deadline in the workspace zone, the status in the
    page's language, the OPD it is assigned to (else the suggested one)."""
    post = item.post
    return {
        "waktu": post.created_at.astimezone(tz).isoformat(timespec="seconds"),
        "platform": post.platform.value,
        "akun": post.author.handle or post.author.name or "",
        "teks": post.text,
        "opd": item.opd or item.suggested_opd or "",
        "status": status_words.gettext(item.status.value),
        "petugas": item.assignee or "",
        "prioritas": item.priority,
        "tenggat": item.due_at.astimezone(tz).isoformat(timespec="minutes") if item.due_at else "",
        "tautan": post.url or "",
    }


def download(
    store: Store,
    *,
    status: InboxStatus | None,
    opd: str | None,
    unanswered: bool,
    overdue: bool,
    sort: Literal["priority", "newest", "oldest"],
    rules: Deadlines,
    now: datetime,
    tz: Any,
    words: gettext.NullTranslations,
) -> StreamingResponse:
    """The whole filtered list (``opd`` already narrowed to an OPD user's own queue by the caller)."""

    def rows() -> Iterator[dict[str, Any]]:
        offset = 0
        while offset < MAX_ROWS:
            items = store.inbox.items(
                status=status,
                opd=opd,
                limit=BATCH,
                offset=offset,
                unanswered=unanswered,
                sort=sort,
                rules=rules,
                overdue=overdue,
                now=now,
            )
            for item in items:
                yield row(item, tz, words)
            if len(items) < BATCH:
                return
            offset += BATCH

    return csv_response(f"keterlibatan_{now.astimezone(tz).date().isoformat()}.csv", COLUMNS, rows())
