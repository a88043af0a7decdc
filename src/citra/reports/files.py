"""Report files built for the dashboard (Laporan) and the schedule of ``citra watch``: kept in the workspace's
reports folder (0600) under a name that carries the data's version, so a file is served again until the data
changes; built by ``citra report`` in a child process, which a job can stop (its time is up, the server shuts down)
without waiting for it. Progress goes through ``Steps`` (the dashboard's job ``Progress`` is one), in the stages
of ``STAGES``, so a page can say how far the build is."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Protocol

from citra import private
from citra.config import Workspace
from citra.errors import CitraError

PREFIX = "dasbor-laporan-citra"
NICE = 10
STAGES = ("starting", "building", "saving")  # the progress lines of ``build``, in order


class Steps(Protocol):
    """Called with each stage of ``STAGES``; ``cancelled`` is set when the build must stop."""

    cancelled: threading.Event

    def __call__(self, message: str) -> None: ...


class Quiet:
    """``Steps`` for a build nobody watches (the schedule): never cancelled."""

    def __init__(self) -> None:
        self.cancelled = threading.Event()

    def __call__(self, message: str) -> None:
        return None


def folder(ws: Workspace) -> Path:
    return ws.root / "reports"


def path_for(ws: Workspace, period: str, fmt: str, version: str) -> Path:
    return folder(ws) / f"{PREFIX}-{period}-{version}.{fmt}"


def current(ws: Workspace, period: str, fmt: str, version: str) -> Path | None:
    """The built file of ``period`` and ``fmt`` for this data version, if there is one."""
    path = path_for(ws, period, fmt, version)
    return path if path.is_file() else None


def by_name(ws: Workspace, name: str) -> Path | None:
    """The file ``name`` of the reports folder (a name from the history), if it still exists there."""
    if not name or "/" in name or "\\" in name or name.startswith("."):
        return None
    path = folder(ws) / name
    return path if path.is_file() else None


def build(ws: Workspace, period: str, fmt: str, version: str, progress: Steps) -> Path:
    """Run ``citra report`` for ``period`` in a child process and keep its file (older versions of it are removed);
    the child is terminated as soon as ``progress.cancelled`` is set."""
    target = path_for(ws, period, fmt, version)
    private.make_dir(target.parent)
    partial = target.with_name(f".{target.name}.{os.getpid()}.part")
    command = [sys.executable, "-m", "citra", "report", "--period", period, "--format", fmt, "--out", str(partial)]
    command.append("--no-history")  # the caller records it, with who asked and where it went
    env = dict(os.environ, CITRA_WORKSPACE=str(ws.root), CITRA_DATABASE_URL=ws.database_url)
    progress("starting")
    progress("building")
    with tempfile.TemporaryFile() as errors:
        child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=errors, env=env, cwd=ws.root)
        with contextlib.suppress(OSError):  # pages come first: the build gets the CPU they leave
            os.setpriority(os.PRIO_PROCESS, child.pid, NICE)
        try:
            while child.poll() is None:
                if progress.cancelled.wait(0.2):
                    child.terminate()
                    try:
                        child.wait(5)
                    except subprocess.TimeoutExpired:
                        child.kill()
                        child.wait()
                    raise CitraError("the report build was stopped")
            if child.returncode != 0 or not partial.is_file():
                errors.seek(0)
                lines = errors.read().decode("utf-8", "replace").strip().splitlines()
                raise CitraError(f"the report could not be built: {lines[-1] if lines else child.returncode}")
            progress("saving")
            os.replace(partial, target)
        finally:
            partial.unlink(missing_ok=True)
    for old in folder(ws).glob(f"{PREFIX}-{period}-*.{fmt}"):
        if old != target:
            old.unlink(missing_ok=True)
    return target


def prune(ws: Workspace, older_than_s: float = 0) -> None:
    """Remove unfinished partial files left by a stopped server."""
    now = time.time()
    for part in folder(ws).glob(f".{PREFIX}-*.part"):
        if now - part.stat().st_mtime >= older_than_s:
            part.unlink(missing_ok=True)
