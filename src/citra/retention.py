"""Applying the workspace's retention settings (``[retention]``): every table that holds posts, copies of them or
personal data (``store.pruning.RULES``), the rejects logs and the report files."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from citra.config import Workspace
from citra.store import Store
from citra.store.pruning import Cutoffs


@dataclass(frozen=True)
class Pruned:
    posts: int
    raw: int
    rejects_files: int
    report_files: int = 0
    rows: dict[str, int] = field(default_factory=dict)  # everything deleted or changed in the database, per kind


def _old_files(folder: Path, pattern: str, limit: datetime | None) -> int:
    removed = 0
    if limit is not None and folder.is_dir():
        for path in folder.glob(pattern):
            if path.is_file() and datetime.fromtimestamp(path.stat().st_mtime, UTC) < limit:
                path.unlink()
                removed += 1
    return removed


def apply(store: Store, workspace: Workspace, now: datetime | None = None) -> Pruned:
    """Delete what the workspace's ``[retention]`` says is too old (a setting of 0 keeps for ever)."""
    now = now or datetime.now(UTC)
    keep = workspace.settings.retention

    def cutoff(days: int) -> datetime | None:
        return now - timedelta(days=days) if days else None

    cut = Cutoffs(
        posts=cutoff(keep.posts_days),
        raw=cutoff(keep.raw_days),
        labels=cutoff(keep.labels_days),
        audit=cutoff(keep.audit_days),
        tokens=cutoff(keep.tokens_days),
    )
    rows = store.retain(cut)
    rejects = _old_files(workspace.rejects_dir, "*.jsonl", cutoff(keep.rejects_days))
    reports = _old_files(workspace.root / "reports", "*", cutoff(keep.reports_days))
    return Pruned(rows.get("posts", 0), rows.get("raw records", 0), rejects, reports, rows)
