"""Data subjects' requests (UU PDP 27/2022): what is held about a person, and forgetting it.

A person is found by their handle (any case, with or without @, on one platform or all) or by post ids. Forgetting
removes their posts and everything derived from or copying them (``Store.subjects``), the lines of the rejects
logs that mention the handle, and remembers the posts so that no later import stores them again. Pseudonymising
instead keeps the posts' measures (the index of past periods does not move) with the author replaced by a keyed
hash and the text, link and raw record removed. Both are audited under the pseudonym, never the handle: the audit
log proves the request was answered without keeping who asked.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import secrets
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from citra import private, vocab
from citra.config import Workspace
from citra.errors import CitraError
from citra.records import Platform
from citra.store import Store
from citra.store.subjects import normal_handle

KEY_NAME = "privacy.key"


@dataclass
class Forgot:
    """What ``forget`` did."""

    subject: str  # the pseudonym of the author, or "posts:N"
    mode: str  # "removed" or "pseudonymised"
    posts: int
    changed: dict[str, int] = field(default_factory=dict)
    rejects_lines: int = 0
    cached_reports: int = 0  # the dashboard's built reports, deleted
    reports: list[Path] = field(default_factory=list)  # written before by citra report: may quote the posts


def _key(ws: Workspace) -> bytes:
    """The workspace's pseudonym key (``privacy.key``, 0600, made on first use). Without it a pseudonym cannot be
    traced back by hashing candidate handles; it is not in the database nor in its backups."""
    path = ws.root / KEY_NAME
    if private.touch(path):
        private.write_text(path, secrets.token_hex(32) + "\n")
    key = path.read_text(encoding="utf-8").strip()
    if not key:
        raise CitraError(f"{path} is empty: delete it to make a new pseudonym key")
    return key.encode()


def pseudonym(ws: Workspace, handle: str) -> str:
    """The stable pseudonym of a handle in this workspace, e.g. ``anon-3f9c2a1b7d04``."""
    digest = hmac.new(_key(ws), normal_handle(handle).encode(), hashlib.sha256).hexdigest()
    return f"anon-{digest[:12]}"


def posts_of(
    store: Store, author: str | None, platform: str | None, post_ids: Sequence[int]
) -> tuple[list[int], str | None]:
    """The ids of the posts a request names (an author's, and/or by id) and the normalised handle."""
    if not (author and author.strip()) and not post_ids:
        raise CitraError("name the person: --author HANDLE and/or --post ID")
    chosen = vocab.optional(Platform, platform, "--platform")
    handle = normal_handle(author) if author and author.strip() else None
    ids = store.subjects.post_ids(handle, chosen.value if chosen else None, post_ids)
    return ids, handle


def _mentions(handle: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w.]){re.escape(handle)}(?!\w)", re.IGNORECASE)


def _rejects(ws: Workspace, handle: str) -> list[tuple[Path, list[str], list[str]]]:
    """Per rejects log: (path, lines kept, lines mentioning the handle)."""
    pattern = _mentions(handle)
    out = []
    if ws.rejects_dir.is_dir():
        for path in sorted(ws.rejects_dir.glob("*.jsonl")):
            kept, found = [], []
            with path.open(encoding="utf-8", errors="replace") as fh:
                for line in fh:
                    (found if pattern.search(line) else kept).append(line)
            out.append((path, kept, found))
    return out


def _rewrite(path: Path, lines: list[str]) -> None:
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.writelines(lines)
    os.chmod(name, private.FILE_MODE)
    os.replace(name, path)


def _reports(ws: Workspace) -> tuple[int, list[Path]]:
    """Delete the dashboard's built reports (a cache, built again on demand from the data as it is now); return
    how many, and the other report files, which were written before and may quote the forgotten posts."""
    from citra.reports import files as reportfiles

    folder = reportfiles.folder(ws)
    if not folder.is_dir():
        return 0, []
    cached = [p for p in folder.glob(f"{reportfiles.PREFIX}-*") if p.is_file()]
    for path in cached:
        path.unlink(missing_ok=True)
    return len(cached), sorted(p for p in folder.iterdir() if p.is_file())


def forget(
    store: Store,
    ws: Workspace,
    actor: str,
    *,
    author: str | None = None,
    platform: str | None = None,
    post_ids: Sequence[int] = (),
    pseudonymise: bool = False,
) -> Forgot:
    """Forget an author's posts (and/or the given posts) everywhere citra keeps them; audited."""
    ids, handle = posts_of(store, author, platform, post_ids)
    subject = pseudonym(ws, handle) if handle else f"posts:{len(ids)}"
    alias = (lambda h: pseudonym(ws, h)) if pseudonymise else None
    done = store.subjects.forget(ids, [handle] if handle else [], pseudonym=alias)
    result = Forgot(subject, "pseudonymised" if pseudonymise else "removed", done.posts, done.changed)
    if handle:
        for path, kept, found in _rejects(ws, handle):
            if found:
                _rewrite(path, kept)
                result.rejects_lines += len(found)
    result.cached_reports, result.reports = _reports(ws)
    detail: dict[str, Any] = {"mode": result.mode, "posts": result.posts, "rejects_lines": result.rejects_lines}
    detail["cached_reports"] = result.cached_reports
    store.accounts.audit(actor[:80], "privacy.forget", subject, **detail, **result.changed)
    return result


def export(
    store: Store,
    ws: Workspace,
    actor: str,
    *,
    author: str | None = None,
    platform: str | None = None,
    post_ids: Sequence[int] = (),
) -> dict[str, Any]:
    """Everything citra holds about an author (and/or the given posts), as JSON-ready data; audited."""
    ids, handle = posts_of(store, author, platform, post_ids)
    held = store.subjects.held(ids, [handle] if handle else [])
    rejects = []
    if handle:
        for path, _kept, found in _rejects(ws, handle):
            rejects += [{"file": path.name, "line": line.rstrip("\n")} for line in found]
    subject = pseudonym(ws, handle) if handle else f"posts:{len(ids)}"
    store.accounts.audit(actor[:80], "privacy.export", subject, posts=len(ids))
    return {
        "organisation": ws.settings.organisation,
        "generated_at": datetime.now(UTC).isoformat(),
        "subject": {"author": handle, "platform": platform, "post_ids": ids},
        **held,
        "rejects": rejects,
    }
