"""``citra serve`` stops gracefully on SIGTERM: requests in flight are answered, a report build in progress is
stopped (its child process ends, no partial file is left), the process exits soon, and nothing listens after.
A real server process on loopback, on SQLite and PostgreSQL."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

from citra.reports import files as reportfiles

from .conftest import PASSWORD, Filled, csrf_of

CITRA = Path(sys.executable).with_name("citra")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _children_building(root: Path) -> list[int]:
    """Processes still running ``citra report`` for this workspace."""
    found = []
    for proc in Path("/proc").iterdir():
        try:
            command = (proc / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if b"report" in command and any(str(root).encode() in part for part in command):
            found.append(int(proc.name))
    return found


def _get(client: httpx.Client, path: str) -> int | str:
    try:
        return client.get(path).status_code
    except httpx.TransportError as exc:  # not accepted any more: refused, never a server error
        return type(exc).__name__


def test_sigterm_finishes_requests_stops_the_build_and_exits(filled: Filled, tmp_path: Path) -> None:
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    log = (tmp_path / "serve.log").open("wb")
    server = subprocess.Popen(
        [str(CITRA), "serve", "--host", "127.0.0.1", "--port", str(port), "-w", str(filled.ws.root)],
        stdout=log,
        stderr=subprocess.STDOUT,
        env=dict(os.environ, CITRA_SECRET_KEY="shutdown-test-secret"),
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            assert server.poll() is None, (tmp_path / "serve.log").read_text()
            try:
                if httpx.get(base + "/login", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, "citra serve did not start"
            time.sleep(0.1)
        client = httpx.Client(base_url=base, timeout=60)
        client.post(
            "/login", data={"username": "admin", "password": PASSWORD, "csrf_token": csrf_of(client.get("/login").text)}
        )
        page = client.get("/laporan").text
        client.post("/laporan/buat", data={"period": "2026-09", "fmt": "pdf", "csrf_token": csrf_of(page)})
        while 'data-state="running"' not in client.get("/laporan?period=2026-09&fmt=pdf").text:
            assert time.monotonic() < deadline, "the report build did not start"
            time.sleep(0.05)
        while not _children_building(filled.ws.root):  # the child process is up
            assert time.monotonic() < deadline, "no citra report child process"
            time.sleep(0.05)
        with ThreadPoolExecutor(8) as pool:
            pages = ["/", "/percakapan", "/keterlibatan", "/percakapan?q=jalan"] * 2
            in_flight = [pool.submit(_get, client, p) for p in pages]
            time.sleep(0.05)
            server.send_signal(signal.SIGTERM)
            answers = [f.result(60) for f in in_flight]
        # uvicorn re-raises the signal once it has shut down, so the status is that of SIGTERM (or 0)
        assert server.wait(45) in (0, -signal.SIGTERM)
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()
        log.close()
    output = (tmp_path / "serve.log").read_text()
    assert "Application shutdown complete" in output and "Traceback" not in output, output[-3000:]
    assert all(a == 200 or isinstance(a, str) for a in answers), answers  # answered, or refused: never 5xx
    assert 200 in answers, answers  # at least the requests already accepted were finished
    time.sleep(0.5)
    assert _children_building(filled.ws.root) == []
    assert list(reportfiles.folder(filled.ws).glob(".*.part")) == []
    try:
        httpx.get(base + "/login", timeout=2)
        raise AssertionError("still listening after SIGTERM")
    except httpx.TransportError:
        pass
