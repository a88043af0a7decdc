"""Load benchmark: N logged-in users at once on the dashboard for a fixed time; requests/s, p50/p95/p99, errors.

    .venv/bin/python bench/load_bench.py -w /tmp/citra-demo                         # 50 users, 30 s, 3 runs
    .venv/bin/python bench/load_bench.py -w /tmp/citra-demo-pg --users 50 --duration 30 --runs 3 --json /tmp/l.json
    .venv/bin/python bench/load_bench.py --url http://127.0.0.1:8000 --user admin --password ...   # a running server

The workspace must hold simulator data (``citra demo --no-serve -w DIR``; for PostgreSQL set ``database_url`` in
its citra.toml). The script adds the dashboard user ``bench`` (admin) when it is missing; nothing else changes.
Each run starts its own ``citra serve --host 127.0.0.1 --port <free port>`` process, waits until the server's
start-up warm-up is over (the process is idle), logs every user in with its own session (a few at a time: a login
is an argon2 verification, which is not what is measured), then lets every user ask for the next page of the mix
as soon as the previous answer arrived (closed loop, no think time) for ``--duration`` seconds. The page mix:
overview, the posts page with and without a query, the inbox, the alerts, and the report page. Every user starts
at a different place in the mix. A request counts when it was sent within the duration; requests still open at the
end are waited for (up to ``--timeout`` seconds) and counted. An error is any status other than 200, or no answer
within ``--timeout`` seconds. The client runs in one asyncio process on the same machine, so it takes part of the
CPU too. Prints a table per run and the median over the runs; ``--json FILE`` writes every figure.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import statistics
import sys
import time
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from web_bench import PASSWORD, USER, Server, wait_idle

PAGES = (
    "/",
    "/percakapan",
    "/percakapan?q=banjir",
    "/percakapan?q=jalan%20OR%20sampah",
    "/keterlibatan",
    "/peringatan",
    "/laporan",
)


@dataclass
class Run:
    users: int
    duration_s: float
    requests: int = 0
    per_s: float = 0.0
    p50_ms: float = 0.0
    p95_ms: float = 0.0
    p99_ms: float = 0.0
    max_ms: float = 0.0
    errors: dict[str, int] = field(default_factory=dict)
    load_1min: float = 0.0  # the machine's load average at the end (other work on it skews the figures)
    server_cpu: float = 0.0  # CPU seconds per second of the server process (1.0: one core)
    client_cpu: float = 0.0  # the same for this benchmark's client
    pages: dict[str, dict[str, float]] = field(default_factory=dict)


def add_user(workspace: Path) -> None:
    from citra import config
    from citra.records import Role
    from citra.store import Store
    from citra.web.auth import hash_password

    ws = config.load(workspace)
    with Store.open(ws.database_url) as store:
        if USER not in {u.name for u in store.accounts.users()}:
            store.accounts.add_user(USER, hash_password(PASSWORD), Role.ADMIN)


async def login(base: str, user: str, password: str, timeout: float) -> httpx.AsyncClient:
    limits = httpx.Limits(max_connections=1, keepalive_expiry=4.0)  # idle connections dropped before uvicorn's 5 s
    client = httpx.AsyncClient(base_url=base, timeout=timeout, limits=limits)
    page = await client.get("/login")
    csrf = page.text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    done = await client.post("/login", data={"username": user, "password": password, "csrf_token": csrf})
    if done.status_code != 303 or done.headers["location"].startswith("/login"):
        raise RuntimeError(f"login failed: HTTP {done.status_code}")
    return client


def _pct(values: list[float], q: int) -> float:
    if len(values) < 2:
        return values[0] if values else 0.0
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


async def load(base: str, users: int, duration: float, timeout: float, user: str, password: str) -> Run:
    gate = asyncio.Semaphore(4)

    async def one_login() -> httpx.AsyncClient:
        async with gate:
            return await login(base, user, password, timeout)

    clients = await asyncio.gather(*(one_login() for _ in range(users)))
    samples: list[tuple[str, float, str]] = []  # page, ms, status
    stop_at = time.perf_counter() + duration

    async def visit(client: httpx.AsyncClient, start: int) -> None:
        k = start
        while time.perf_counter() < stop_at:
            page = PAGES[k % len(PAGES)]
            k += 1
            began = time.perf_counter()
            try:
                answer = await client.get(page)
                status = str(answer.status_code)
            except httpx.TimeoutException:
                status = "timeout"
            except httpx.TransportError as exc:
                status = type(exc).__name__
            samples.append((page, (time.perf_counter() - began) * 1000, status))

    began = time.perf_counter()
    await asyncio.gather(*(visit(c, i) for i, c in enumerate(clients)))
    took = time.perf_counter() - began
    await asyncio.gather(*(c.aclose() for c in clients))
    times = [ms for _, ms, _ in samples]
    run = Run(users, round(took, 1), len(samples), round(len(samples) / took, 1))
    run.p50_ms, run.p95_ms, run.p99_ms = (round(_pct(times, q), 1) for q in (50, 95, 99))
    run.max_ms = round(max(times, default=0.0), 1)
    run.load_1min = round(os.getloadavg()[0], 1)
    run.errors = dict(Counter(s for _, _, s in samples if s != "200"))
    by_page: dict[str, list[float]] = defaultdict(list)
    for page, ms, _ in samples:
        by_page[page].append(ms)
    run.pages = {
        p: {"n": len(v), "p50_ms": round(_pct(v, 50), 1), "p95_ms": round(_pct(v, 95), 1)} for p, v in by_page.items()
    }
    return run


def show(run: Run) -> None:
    errors = ", ".join(f"{k}: {v}" for k, v in sorted(run.errors.items())) or "none"
    print(
        f"{run.users} users, {run.duration_s} s: {run.requests} requests, {run.per_s}/s, p50 {run.p50_ms} ms, "
        f"p95 {run.p95_ms} ms, p99 {run.p99_ms} ms, max {run.max_ms} ms; errors {errors}; load {run.load_1min}; "
        f"CPU server {run.server_cpu}, client {run.client_cpu}",
        file=sys.stderr,
    )
    for page, figures in run.pages.items():
        line = f"    {page}: n {figures['n']:.0f}, p50 {figures['p50_ms']} ms, p95 {figures['p95_ms']} ms"
        print(line, file=sys.stderr)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-w", "--workspace", type=Path, help="Workspace to serve (one server per run).")
    parser.add_argument("--url", help="A running server instead of a workspace (one run per --runs).")
    parser.add_argument("--user", default=USER)
    parser.add_argument("--password", default=PASSWORD)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--duration", type=float, default=30.0, help="Seconds of load per run (<= 300).")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--timeout", type=float, default=60.0, help="Seconds before a request counts as failed.")
    parser.add_argument(
        "--cold", action="store_true", help="Start the load as soon as the server answers (its warm-up still running)."
    )
    parser.add_argument("--log", default="/tmp/citra-load-bench.log", help="Server output.")
    parser.add_argument("--json", type=Path, help="Write every figure here.")
    args = parser.parse_args()
    if (args.workspace is None) == (args.url is None):
        parser.error("give --workspace or --url")
    duration = min(args.duration, 300.0)
    runs: list[Run] = []
    if args.workspace is not None:
        add_user(args.workspace)
    for _ in range(args.runs):
        server = None
        base = args.url
        if args.workspace is not None:
            from citra import config

            server = Server(args.workspace, Path(args.log))
            if not args.cold:
                wait_idle(server, config.load(args.workspace).database_url)
            base = server.base
        try:
            cpu = server.cpu_s() if server is not None else 0.0
            mine = time.process_time()
            run = asyncio.run(load(base, args.users, duration, args.timeout, args.user, args.password))
            if server is not None:  # logins included: a small part
                run.server_cpu = round((server.cpu_s() - cpu) / run.duration_s, 2)
            run.client_cpu = round((time.process_time() - mine) / run.duration_s, 2)
        finally:
            if server is not None:
                server.stop()
        show(run)
        runs.append(run)
    summary = {key: statistics.median(getattr(r, key) for r in runs) for key in ("per_s", "p50_ms", "p95_ms", "p99_ms")}
    summary["errors"] = sum(sum(r.errors.values()) for r in runs)
    print(f"median of {len(runs)} runs: {summary}", file=sys.stderr)
    if args.json:
        record = {
            "date": datetime.now(UTC).isoformat(timespec="seconds"),
            "machine": {"cpus": os.cpu_count(), "platform": platform.platform()},
            "args": {k: str(v) for k, v in vars(args).items()},
            "runs": [asdict(r) for r in runs],
            "median": summary,
        }
        args.json.write_text(json.dumps(record, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
