"""An export file uploaded from the dashboard: kept as a private file in the workspace, imported as ``citra ingest``
does (same sources, same hostile-input limits of sources/limits.py), then the new posts analysed as ``citra
analyze`` does, so they reach the dashboard. The file is deleted afterwards; its rejects stay in the rejects log.

Progress lines are ``read:N`` and ``analyse:DONE:TOTAL`` (the page words them)."""

from __future__ import annotations

import contextlib
import logging
import re
import secrets
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

import orjson

from citra import private
from citra.config import Workspace
from citra.errors import CitraError
from citra.store import Store

MAX_BYTES = 256 * 1024 * 1024  # an upload's size; larger exports go through `citra ingest` on the server
SUFFIXES = (".csv", ".xlsx", ".json", ".jsonl", ".ndjson")
REASONS = 5  # rejects shown with their reason
CHUNK = 1024 * 1024
log = logging.getLogger(__name__)
STALE_S = 24 * 3600  # an upload file older than this was left by a stopped server


class TooLarge(CitraError):
    http_status = 413


def suffix(filename: str) -> str:
    """The file's type from its name (``.csv``, ``.jsonl.gz``, ...), else a CitraError naming the accepted ones."""
    name = filename.lower().strip()
    gz = name.endswith(".gz")
    base = name[:-3] if gz else name
    found = next((s for s in SUFFIXES if base.endswith(s)), None)
    if found is None:
        raise CitraError("unsupported file type: upload a CSV, XLSX, JSON or JSONL export (optionally .gz)")
    return found + (".gz" if gz else "")


def folder(ws: Workspace) -> Path:
    """``<workspace>/uploads`` (0700), without the files a stopped server left behind more than a day ago."""
    found = private.make_dir(ws.root / "uploads")
    for left in found.glob("upload-*"):
        with contextlib.suppress(OSError):
            if time.time() - left.stat().st_mtime > STALE_S:
                left.unlink()
    return found


def keep(source: IO[bytes], ws: Workspace, filename: str, limit: int = MAX_BYTES) -> Path:
    """Copy an uploaded stream to a new owner-only file in ``<workspace>/uploads``; refused (and nothing kept)
    when it is empty or larger than ``limit`` bytes."""
    path = folder(ws) / f"upload-{secrets.token_hex(8)}{suffix(filename)}"
    private.touch(path)
    size = 0
    try:
        with path.open("wb") as out:
            while piece := source.read(CHUNK):
                size += len(piece)
                if size > limit:
                    raise TooLarge(f"the file is larger than {limit // (1024 * 1024)} MB")
                out.write(piece)
        if size == 0:
            raise CitraError("the file is empty")
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return path


def display_name(filename: str) -> str:
    """The uploaded file's own name, for the summary (no folders, no control characters, bounded)."""
    name = re.sub(r"[\x00-\x1f\x7f]", "", filename.replace("\\", "/").rsplit("/", 1)[-1])
    return name[:120] or "?"


def first_reasons(rejects: str | None, limit: int = REASONS) -> list[dict[str, Any]]:
    """The first rejects of a run (line and reason) from its rejects log."""
    if not rejects:
        return []
    found = []
    with open(rejects, "rb") as f:
        for line in f:
            row = orjson.loads(line)
            found.append({"line": row.get("line"), "reason": str(row.get("reason", ""))[:300]})
            if len(found) >= limit:
                break
    return found


def ingest_and_analyze(
    store: Store,
    ws: Workspace,
    path: Path,
    name: str,
    say: Callable[[str], None],
    cancelled: threading.Event | None = None,
) -> dict[str, Any]:
    """Import the uploaded file, analyse the posts still lacking annotations, delete the file; returns the summary
    (posts added, already present, rejected with the first reasons, read errors, posts analysed)."""
    from citra.analyze import analyze
    from citra.ingest import ingest, one_line
    from citra.nlp.pipeline import Pipeline

    def read(_: str, count: int) -> None:
        if cancelled is not None and cancelled.is_set():
            raise CitraError("stopped")
        say(f"read:{count}")

    try:
        summary = ingest(store, ws, [path], progress=read)
    finally:
        path.unlink(missing_ok=True)
    result: dict[str, Any] = {
        "name": name,
        "read": summary.total("read"),
        "inserted": summary.total("inserted"),
        # already stored (changed or not): every row read that was neither new nor rejected
        "duplicates": summary.total("read") - summary.total("inserted") - summary.total("rejected"),
        "rejected": summary.total("rejected"),
        "reasons": first_reasons(summary.rejects_path),
        "errors": [f.error.replace(str(path), name) for f in summary.files if f.error],
        "format": summary.files[0].format if summary.files else None,
        "annotated": 0,
    }
    result["analysis_error"] = ""
    if summary.total("inserted") or summary.total("updated"):
        say("analyse:0:0")
        try:
            pipeline = Pipeline.for_workspace(ws)
            done = analyze(store, pipeline, progress=lambda n, total: say(f"analyse:{n}:{total}"))
        except Exception as exc:  # the import stands; the next analysis (citra watch, citra analyze) picks them up
            log.exception("analysing the uploaded posts failed")
            result["analysis_error"] = one_line(str(exc).split("[SQL:")[0] or type(exc).__name__, 300)
        else:
            result["annotated"] = done.annotated
    return result
