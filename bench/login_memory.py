"""Memory of `citra serve` under parallel failed logins: each argon2 verification takes its memory_cost (64 MiB),
so the number running at once decides the server's peak memory.

    .venv/bin/python bench/login_memory.py                    # 40 parallel failed logins, a fresh SQLite workspace
    .venv/bin/python bench/login_memory.py --parallel 40 --json /tmp/m.json

Creates a workspace in a temporary folder (``citra init`` and one user), starts ``citra serve`` on 127.0.0.1 and a
free port, reads the server's resident memory from /proc (VmRSS, and VmHWM, the peak) before and after
``--parallel`` clients each fetch the login form and post a wrong password at the same moment (each a different
user name, so no per-name lockout answers first), and counts the answers by status.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import threading
from collections import Counter
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from web_bench import CITRA, Server, machine


def memory_mb(pid: int) -> dict[str, float]:
    """VmRSS and VmHWM of ``pid`` in MB."""
    found = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            found[key] = round(int(value.split()[0]) / 1024, 1)
    return found


def attack(base: str, parallel: int) -> Counter[int]:
    statuses: Counter[int] = Counter()
    ready = threading.Barrier(parallel)
    lock = threading.Lock()

    def one(i: int) -> None:
        with httpx.Client(base_url=base, timeout=120) as client:
            page = client.get("/login").text
            token = page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
            ready.wait()
            data = {"username": f"tebakan{i}", "password": "salah-sekali-123", "csrf_token": token}
            status = client.post("/login", data=data).status_code
        with lock:
            statuses[status] += 1

    threads = [threading.Thread(target=one, args=(i,)) for i in range(parallel)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return statuses


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--parallel", type=int, default=40)
    parser.add_argument("--json", type=Path, help="Write the figures to this file.")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        ws = Path(tmp) / "ws"
        subprocess.run([str(CITRA), "init", str(ws), "--org", "Kota Uji"], check=True, capture_output=True)
        subprocess.run(
            [str(CITRA), "user", "add", "admin", "--role", "admin", "--password-stdin", "-w", str(ws)],
            input="kata-sandi-admin-1\n",
            text=True,
            check=True,
            capture_output=True,
        )
        server = Server(ws, Path(tmp) / "serve.log")
        try:
            before = memory_mb(server.proc.pid)
            statuses = attack(server.base, args.parallel)
            after = memory_mb(server.proc.pid)
        finally:
            server.stop()
    result = {
        "parallel": args.parallel,
        "rss_before_mb": before["VmRSS"],
        "rss_after_mb": after["VmRSS"],
        "peak_rss_mb": after["VmHWM"],
        "statuses": dict(sorted(statuses.items())),
        "machine": machine(),
    }
    print(json.dumps(result, indent=2))
    if args.json:
        args.json.write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
