"""Orchestration of ``citra ingest``: read files through the sources, store Posts in chunks, log rejects.

Each chunk is one transaction together with the import run's counters, so a crash or Ctrl-C loses nothing
already committed and leaves no half chunk; re-running the same files completes the import (the upsert is
idempotent). A run records its process (``Store.runs``), so a run that was killed is marked ``interrupted``
when the next one starts. A file refused part way (too deep, too large) keeps the rows read before."""

from __future__ import annotations

import gc
import json
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import orjson

from citra.config import Workspace
from citra.errors import CitraError
from citra.records import Post, Rejected
from citra.sources import registry
from citra.sources.base import Item, ReadOptions
from citra.store import Store

CHUNK = 5000
# Seconds between two signs of life of a run (see citra.store.runs).
BEAT_EVERY = 30.0
# Young-generation threshold of the cycle collector while storing (Python's default is 700), see _relaxed_gc.
GC_YOUNG = 50_000
Progress = Callable[[str, int], None]


@dataclass
class FileSummary:
    """What happened to one input file."""

    path: str
    format: str | None = None
    read: int = 0
    inserted: int = 0
    updated: int = 0
    rejected: int = 0
    error: str | None = None
    warnings: list[str] = field(default_factory=list)  # what reading had to repair (see files.Notes)

    def as_dict(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if v is not None or k != "error"}


@dataclass
class Summary:
    """What one import run did; ``status`` is done, interrupted or failed (a file could not be read)."""

    batch: str
    rejects_path: str | None = None
    status: str = "running"
    files: list[FileSummary] = field(default_factory=list)

    def total(self, name: str) -> int:
        return sum(getattr(f, name) for f in self.files)

    def as_dict(self) -> dict[str, Any]:
        return {
            "read": self.total("read"), "inserted": self.total("inserted"), "updated": self.total("updated"),
            "rejected": self.total("rejected"), "files": [f.as_dict() for f in self.files],
            "batch": self.batch, "status": self.status, "rejects": self.rejects_path,
            "warnings": [f"{f.path}: {w}" for f in self.files for w in f.warnings],
        }  # fmt: skip


def one_line(message: str, limit: int = 1000) -> str:
    """A message as one bounded line: it may quote a file's header cells, which can hold line breaks."""
    flat = message.replace("\r", "\\r").replace("\n", "\\n")
    return flat if len(flat) <= limit else flat[: limit - 3] + "..."


class RejectLog:
    """``<workspace>/rejects/<batch>.jsonl``, opened on the first reject."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._file: IO[bytes] | None = None

    def write(self, item: Rejected) -> None:
        if self._file is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._file = self.path.open("ab")
        row = {"file": item.file, "line": item.line, "reason": item.reason, "raw": item.raw}
        try:
            line = orjson.dumps(row, default=str)
        except (TypeError, orjson.JSONEncodeError):  # integers beyond 64 bits, lone surrogates: still logged
            line = json.dumps(row, default=str).encode()
        self._file.write(line + b"\n")

    def flush(self) -> None:
        if self._file is not None:
            self._file.flush()

    def close(self) -> None:
        if self._file is not None:
            self._file.close()

    @property
    def used(self) -> bool:
        return self._file is not None


def store_items(
    store: Store, items: Iterable[Item], summary: FileSummary, batch: str, rejects: RejectLog,
    progress: Progress | None = None, chunk_size: int = CHUNK,
) -> None:  # fmt: skip
    """Store Posts in chunks (one transaction each, with the import counters) and log rejects. When the
    file is refused part way (a CitraError from the reader), what was read before it is stored first."""
    chunk: list[Post] = []
    read = rejected = 0
    last_beat = time.monotonic()

    def commit() -> None:
        nonlocal read, rejected, last_beat
        rejects.flush()
        result = store.add_posts(chunk, import_id=batch, read=read, rejected=rejected)
        summary.read += read
        summary.rejected += rejected
        summary.inserted += result.inserted
        summary.updated += result.updated
        chunk.clear()
        read = rejected = 0
        if time.monotonic() - last_beat > BEAT_EVERY:
            store.runs.beat(batch)
            last_beat = time.monotonic()
        if progress is not None:
            progress(summary.path, summary.read)

    with _relaxed_gc():
        try:
            for item in items:
                read += 1
                if isinstance(item, Post):
                    chunk.append(item)
                else:
                    rejected += 1
                    rejects.write(item)
                if read >= chunk_size:
                    commit()
        except CitraError:
            if read:
                commit()
            raise
        if read:
            commit()


@contextmanager
def _relaxed_gc(young: int = GC_YOUNG) -> Iterator[None]:
    """Run the cycle collector less often while a file is stored.

    Reading creates millions of short-lived objects (rows, dicts, Posts) that reference counting frees, and
    a chunk of them is alive at any time; with the default threshold the collector runs after every 700
    allocations and keeps walking that chunk, about a sixth of an import's CPU time. Nothing is left to the
    collector here, so collecting less often changes no result. The threshold is restored afterwards; when
    the collector is off or already relaxed (a concurrent import) it is left alone."""
    first, *older = gc.get_threshold()
    if not gc.isenabled() or first == 0 or first >= young:
        yield
        return
    gc.set_threshold(young, *older)
    try:
        yield
    finally:
        gc.set_threshold(first, *older)


def ingest(
    store: Store, workspace: Workspace, paths: Sequence[Path], fmt: str = "auto", opts: ReadOptions | None = None,
    progress: Progress | None = None, chunk_size: int = CHUNK,
) -> Summary:  # fmt: skip
    """Import files into the store. A file that cannot be read or recognised is reported in its FileSummary
    and the others go on; the run's status is then ``failed``."""
    opts = opts or ReadOptions(tz=workspace.tz, official=workspace.official_handles())
    store.runs.mark_stale()
    batch = store.start_import("ingest", [str(p) for p in paths])
    store.runs.claim(batch)
    rejects = RejectLog(workspace.rejects_dir / f"{batch}.jsonl")
    summary = Summary(batch)
    status = "failed"
    try:
        for path in paths:
            file_summary = FileSummary(str(path))
            summary.files.append(file_summary)
            notes = None
            try:
                file_summary.format, items, notes = registry.read_noting(path, fmt, opts)
                store_items(store, items, file_summary, batch, rejects, progress, chunk_size)
            except CitraError as exc:
                file_summary.error = one_line(str(exc))
            if notes is not None:
                file_summary.warnings = notes.warnings()
        status = "failed" if any(f.error for f in summary.files) else "done"
        if summary.total("inserted"):
            store.refresh_statistics()
    except KeyboardInterrupt:
        status = "interrupted"
        raise
    finally:
        rejects.close()
        summary.rejects_path = str(rejects.path) if rejects.used else None
        summary.status = status
        store.finish_import(batch, status)
    return summary
