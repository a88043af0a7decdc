"""Applying the workspace's retention settings: old posts, old raw records, old rejects logs."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from citra.config import Workspace
from citra.store import Store


@dataclass(frozen=True)
class Pruned:
    posts: int
    raw: int
    rejects_files: int


def apply(store: Store, workspace: Workspace, now: datetime | None = None) -> Pruned:
    """Delete what the workspace's ``[retention]`` says is too old (a setting of 0 keeps for ever)."""
    now = now or datetime.now(UTC)
    keep = workspace.settings.retention

    def cutoff(days: int) -> datetime | None:
        return now - timedelta(days=days) if days else None

    posts, raw = store.prune(cutoff(keep.posts_days), cutoff(keep.raw_days))
    removed = 0
    limit = cutoff(keep.rejects_days)
    if limit is not None and workspace.rejects_dir.is_dir():
        for path in workspace.rejects_dir.glob("*.jsonl"):
            if datetime.fromtimestamp(path.stat().st_mtime, UTC) < limit:
                path.unlink()
                removed += 1
    return Pruned(posts, raw, removed)
