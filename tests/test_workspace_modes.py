"""The workspace is private to its owner whatever the umask: folder 0700, citra.toml, the SQLite file and reports
0600 (real command line, SQLite and PostgreSQL); what already existed keeps its mode."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from citra import config, private
from tests.web.conftest import fill

from .test_cli import citra


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def open_umask() -> Iterator[None]:
    """A umask that would leave files world-readable; child processes inherit it."""
    old = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(old)


def test_init_creates_private_workspace(backend: str, tmp_path: Path, open_umask: None) -> None:
    os.chmod(tmp_path, 0o755)
    root = tmp_path / "new" / "bekasi"
    citra("init", root, "--org", "Pemerintah Kota Bekasi")
    assert mode(root) == mode(root.parent) == mode(root / "rejects") == 0o700
    assert mode(root / config.CONFIG_NAME) == 0o600
    assert mode(tmp_path) == 0o755  # a folder that existed before is left alone
    if backend == "sqlite":
        db = root / config.DB_NAME
        assert mode(db) == 0o600
        for suffix in ("-wal", "-shm"):
            extra = db.with_name(db.name + suffix)
            assert not extra.exists() or mode(extra) == 0o600
    else:
        assert not (root / config.DB_NAME).exists()


def test_existing_folder_and_database_keep_their_modes(tmp_path: Path, open_umask: None, monkeypatch) -> None:
    monkeypatch.delenv("CITRA_DATABASE_URL", raising=False)
    root = tmp_path / "shared"
    root.mkdir(mode=0o750)
    (root / config.DB_NAME).touch(mode=0o640)
    os.chmod(root, 0o750)
    os.chmod(root / config.DB_NAME, 0o640)
    citra("init", root, "--org", "Pemerintah Kota Bekasi")
    assert mode(root) == 0o750 and mode(root / config.DB_NAME) == 0o640
    assert mode(root / config.CONFIG_NAME) == 0o600


def test_report_is_private(workspace: config.Workspace, open_umask: None) -> None:
    fill(workspace)
    path = Path(citra("report", "--period", "2026-09", "--format", "html", ws=workspace.root).stdout.strip())
    assert path.parent == workspace.root / "reports"
    assert mode(path.parent) == 0o700 and mode(path) == 0o600


def test_private_writes_keep_existing_file_modes(tmp_path: Path, open_umask: None) -> None:
    existing = tmp_path / "old.html"
    existing.write_text("x")
    os.chmod(existing, 0o644)
    private.write_bytes(existing, b"y")
    assert mode(existing) == 0o644 and existing.read_bytes() == b"y"
    assert private.touch(tmp_path / "new.db") and not private.touch(tmp_path / "new.db")
    assert mode(tmp_path / "new.db") == 0o600
