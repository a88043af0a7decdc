"""Files only the owner may read: the workspace holds citizens' posts, account data and citra.toml's secrets.

Modes are set with an explicit ``chmod`` after creation, so they do not depend on the process umask. Only what
citra creates is changed; an existing folder or file keeps the mode its owner gave it.
"""

from __future__ import annotations

import os
from pathlib import Path

DIR_MODE = 0o700
FILE_MODE = 0o600


def make_dir(path: Path) -> Path:
    """Create ``path`` (and missing parents) as 0700; the folders that already existed are left as they are."""
    missing = [p for p in (path, *path.parents) if not p.exists()]
    path.mkdir(parents=True, exist_ok=True)
    for created in missing:
        os.chmod(created, DIR_MODE)
    return path


def write_bytes(path: Path, content: bytes) -> None:
    """Write ``path``; a file citra creates is 0600, an existing one keeps its mode."""
    new = not path.exists()
    path.write_bytes(content)
    if new:
        os.chmod(path, FILE_MODE)


def write_text(path: Path, text: str) -> None:
    """``write_bytes`` for UTF-8 text."""
    write_bytes(path, text.encode("utf-8"))


def touch(path: Path) -> bool:
    """Create an empty 0600 file unless one exists; returns whether it was created."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    except FileExistsError:
        return False
    os.close(fd)
    os.chmod(path, FILE_MODE)
    return True
