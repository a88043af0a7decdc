""" "Unduh CSV": any table or post list as a CSV download that Excel opens as it is.

UTF-8 with a byte-order mark (Excel otherwise reads UTF-8 as the ANSI code page), CRLF lines, every cell through
``citra.csvsafe`` (a post starting with ``=`` stays text), streamed in chunks so a long post list is never held
whole in memory, and a filename that says what and which period (``percakapan_2026-09-01_2026-09-30.csv``)."""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

from fastapi.responses import StreamingResponse

from citra import csvsafe
from citra.records import StoredPost
from citra.web.data import Window

BOM = "\ufeff"
CHUNK = 500  # rows per chunk sent
POST_COLUMNS = (
    "waktu",
    "platform",
    "id_asli",
    "akun",
    "nama",
    "akun_resmi",
    "teks",
    "sentimen",
    "label_tim",
    "topik",
    "opd",
    "target",
    "suka",
    "dibagikan",
    "balasan",
    "url",
)


def filename(what: str, win: Window) -> str:
    """``<what>_<start>_<end>.csv`` with only letters, digits, ``-`` and ``_`` in ``what``."""
    safe = re.sub(r"[^A-Za-z0-9_-]+", "-", what).strip("-") or "data"
    return f"{safe}_{win.start.isoformat()}_{win.end.isoformat()}.csv"


def _chunks(fields: Sequence[str], rows: Iterable[Mapping[str, Any]]) -> Iterator[bytes]:
    buffer = io.StringIO()
    writer = csvsafe.DictWriter(buffer, list(fields), extrasaction="ignore")
    buffer.write(BOM)
    writer.writeheader()
    for i, row in enumerate(rows, 1):
        writer.writerow(row)
        if i % CHUNK == 0:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode("utf-8")


def csv_response(name: str, fields: Sequence[str], rows: Iterable[Mapping[str, Any]]) -> StreamingResponse:
    """A streamed CSV download called ``name`` (rows are read as they are sent)."""
    headers = {"Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store"}
    return StreamingResponse(_chunks(fields, rows), media_type="text/csv; charset=utf-8", headers=headers)


def post_row(found: StoredPost, tz: Any, topic_names: Mapping[str, str]) -> dict[str, Any]:
    """One post as a row of ``POST_COLUMNS`` (time in the workspace zone; the team's labels win)."""
    post, note, human = found.post, found.annotation, found.human
    targets = "; ".join(f"{t.kind.value}:{t.name}" for t in note.targets) if note else ""
    return {
        "waktu": post.created_at.astimezone(tz).isoformat(timespec="seconds"),
        "platform": post.platform.value,
        "id_asli": post.native_id,
        "akun": post.author.handle or "",
        "nama": post.author.name or "",
        "akun_resmi": "ya" if post.is_official else "tidak",
        "teks": post.text,
        "sentimen": found.sentiment.value if found.sentiment else "",
        "label_tim": "ya" if human.sentiment else "tidak",
        "topik": "; ".join(topic_names.get(t, t) for t in note.topics) if note else "",
        "opd": human.opd or "; ".join(found.opds),
        "target": targets,
        "suka": post.engagement.likes,
        "dibagikan": post.engagement.reposts,
        "balasan": post.engagement.replies,
        "url": post.url or "",
    }


INDEX_COLUMNS = (
    "kunci",
    "nama",
    "posting",
    "negatif",
    "netral",
    "positif",
    "porsi_negatif",
    "porsi_positif",
    "indeks_citra",
    "indeks_bawah_95",
    "indeks_atas_95",
    "tautan",
)


def index_rows_csv(what: str, win: Window, rows: Iterable[Any], names: Mapping[str, str], link: Any) -> Any:
    """A table of citra index rows (one per topic, OPD, target ...) as a CSV download, each row with the link
    to its posts."""

    def lines() -> Iterator[dict[str, Any]]:
        for r in rows:
            yield {
                "kunci": r.group or "",
                "nama": names.get(r.group or "", r.group or ""),
                "posting": r.volume,
                "negatif": r.negative,
                "netral": r.neutral,
                "positif": r.positive,
                "porsi_negatif": round(r.negative_share, 4),
                "porsi_positif": round(r.positive_share, 4),
                "indeks_citra": round(r.index, 1),
                "indeks_bawah_95": round(r.ci_low, 1),
                "indeks_atas_95": round(r.ci_high, 1),
                "tautan": link(r, None),
            }

    return csv_response(filename(what, win), INDEX_COLUMNS, lines())
