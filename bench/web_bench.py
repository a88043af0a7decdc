"""Benchmark the dashboard pages and API lists of a workspace: first request after server start, p50/p95 warm.

    .venv/bin/python bench/web_bench.py -w /tmp/citra-1m/sqlite                 # 1M posts, SQLite
    .venv/bin/python bench/web_bench.py -w /tmp/citra-1m/postgres --json /tmp/web-pg.json
    .venv/bin/python bench/web_bench.py -w /tmp/citra-demo --requests 30 --only /api/v1/posts

The workspace must hold simulator data (``citra demo --no-serve -w DIR``, or ``bench/build_workspace.py`` for
1,000,000 posts with conversations, SQLite or PostgreSQL: the workspace's citra.toml names its database). The
script adds a dashboard user ``bench`` (admin) when it is missing and a fresh API token for each run (revoked at the
end); nothing else in the workspace changes.

Timing, in two passes over the routes (each a real ``citra serve --host 127.0.0.1 --port <free port>`` process):

1. "after start": for every route a fresh server; the bench logs in (pages) or uses a Bearer token (API) and times
   one request as soon as the server answers. The server's start-up warm-up of the default views runs at the same
   time, so this is the worst first request a visitor can meet.
2. "after warm-up" and warm: one server; the bench waits until it is idle (its process uses no CPU and, on
   PostgreSQL, no query of the database is active: the start-up warm-up is over; that time is reported), then per
   route times one first request (aggregates of the default views are cached by then, others are computed now)
   and up to ``--requests`` (<= 30) sequential warm requests, stopping a route's warm requests after ``--budget``
   seconds: p50 and p95 of those.

Pages and API lists are asked for without dates, i.e. at their default range (the last 90 days with data). Prints a
markdown table; ``--json FILE`` writes every figure. Targets: ``--first-target`` (ms, judged on the first request
after start) and ``--p95-target`` (ms).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import time
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import quote

import httpx

from citra import config
from citra.records import Role
from citra.store import PostQuery, Store

ROOT = Path(__file__).resolve().parent.parent
CITRA = ROOT / ".venv" / "bin" / "citra"
USER = "bench"
PASSWORD = "bench-password-123"
MAX_REQUESTS = 30


@dataclass
class Result:
    route: str
    status: int | None = None
    first_ms: float | None = None  # right after server start
    first_idle_ms: float | None = None  # after the start-up warm-up
    p50_ms: float | None = None
    p95_ms: float | None = None
    n: int = 0
    ready_s: float | None = None  # server start to first answer (per-route servers only)
    error: str | None = None


@dataclass
class Context:
    newest: date
    month: str
    intervention: str | None
    posts: int
    backend: str
    leader: str | None = None


def prepare(ws: config.Workspace) -> tuple[Context, str, str]:
    """The workspace's facts the routes need, the bench user (added when missing) and a new API token."""
    from citra.web.auth import hash_password

    with Store.open(ws.database_url) as store:
        if USER not in {u.name for u in store.accounts.users()}:
            store.accounts.add_user(USER, hash_password(PASSWORD), Role.ADMIN)
        token, name = secrets.token_urlsafe(32), f"web-bench-{secrets.token_hex(4)}"
        store.accounts.add_token(USER, name, token)
        newest = store.search(PostQuery(), limit=1).items[0].post.created_at.astimezone(ws.tz).date()
        items = store.interventions()
        posts = store.count()
    month = (newest.replace(day=1) - timedelta(days=1)).strftime("%Y-%m")
    backend = "postgresql" if ws.database_url.startswith("postgresql") else "sqlite"
    leader = ws.settings.leaders[0].name if ws.settings.leaders else None
    return Context(newest, month, items[-1].name if items else None, posts, backend, leader), token, name


def routes(ctx: Context) -> list[str]:
    """Every dashboard page at its default range and the API lists, with and without filters."""
    since = (ctx.newest - timedelta(days=7)).isoformat()
    either = quote("banjir OR genangan")
    out = [
        "/",
        "/isu",
        "/percakapan",
        "/percakapan?q=banjir",
        f"/percakapan?q={either}",
        "/percakapan?sentiment=negative&topic=roads",
        "/percakapan?who=official",
        f"/percakapan?since={since}&platform=x",
        "/percakapan?topic=roads&sentiment=negative&who=citizen",  # a drill-down from a topic row
        f"/percakapan?since={since}&topic=roads&who=citizen&format=csv",  # its CSV, one week
        "/keterlibatan",
        "/keterlibatan?unanswered=true",
        "/keterlibatan?sort=priority&overdue=true",
        "/keterlibatan?sort=newest",
        "/publikasi",
        "/peringatan",
        "/peringatan?status=all",
        "/strategi",
        "/glosarium",
        "/pengaturan/unggah",
        "/jaringan",
        f"/jaringan?since={since}",
    ]
    if ctx.leader:
        out.append(f"/percakapan?target={quote('leader:' + ctx.leader)}&who=citizen")
    if ctx.intervention:
        out.append(f"/strategi?name={quote(ctx.intervention)}")
    out += [
        "/laporan",
        "/pengaturan",
        "/api/v1/me",
        "/api/v1/posts",
        "/api/v1/posts?limit=200",
        "/api/v1/posts?sentiment=negative",
        "/api/v1/posts?topic=floods",
        "/api/v1/posts?q=banjir",
        f"/api/v1/posts?q={either}",
        "/api/v1/posts?sentiment=negative&topic=roads&q=jalan",
        f"/api/v1/posts?since={since}&platform=x",
        "/api/v1/inbox",
        "/api/v1/inbox?unanswered=true",
        "/api/v1/inbox?status=new&offset=500",
        "/api/v1/engagement",
        f"/api/v1/network?since={since}",
        f"/api/v1/network/coordination?since={since}",
        "/api/v1/network/share-of-voice",
        "/api/v1/index",
        "/api/v1/index?freq=week&by=topic",
        "/api/v1/index?freq=hour",
        "/api/v1/alerts",
        "/api/v1/interventions",
    ]
    if ctx.intervention:
        out.append(f"/api/v1/interventions/{quote(ctx.intervention)}/impact")
    return out


class Server:
    """``citra serve`` on 127.0.0.1 and a free port, as its own process."""

    def __init__(self, workspace: Path, log: Path) -> None:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = int(s.getsockname()[1])
        self.base = f"http://127.0.0.1:{self.port}"
        env = {k: v for k, v in os.environ.items() if k not in ("CITRA_WORKSPACE", "CITRA_DATABASE_URL")}
        cmd = [str(CITRA), "serve", "--host", "127.0.0.1", "--port", str(self.port), "-w", str(workspace)]
        began = self.began = time.perf_counter()
        self.log = log.open("ab")
        self.proc = subprocess.Popen(cmd, stdout=self.log, stderr=subprocess.STDOUT, env=env)
        while True:
            if self.proc.poll() is not None:
                raise RuntimeError(f"citra serve exited with {self.proc.returncode}; see {log}")
            try:
                if httpx.get(f"{self.base}/login", timeout=5).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.perf_counter() - began > 120:
                self.stop()
                raise RuntimeError(f"citra serve did not answer within 120 s; see {log}")
            time.sleep(0.05)
        self.ready_s = time.perf_counter() - began

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()

    def cpu_s(self) -> float:
        """CPU seconds (user + system) the server process has used."""
        fields = Path(f"/proc/{self.proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def wait_idle(server: Server, database_url: str, limit: float = 300.0) -> float:
    """Seconds from the server's start until it is idle: two checks in a row with under 0.05 s of its CPU in a
    second and, on PostgreSQL, no other active query on the database."""
    import sqlalchemy as sa

    engine = sa.create_engine(database_url) if database_url.startswith("postgresql") else None
    active = sa.text(
        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND state = 'active' "
        "AND pid <> pg_backend_pid()"
    )
    quiet = 0
    try:
        while quiet < 2 and time.perf_counter() - server.began < limit:
            before = server.cpu_s()
            time.sleep(1.0)
            busy = server.cpu_s() - before >= 0.05
            if not busy and engine is not None:
                with engine.connect() as conn:
                    busy = bool(conn.execute(active).scalar())
            quiet = 0 if busy else quiet + 1
    finally:
        if engine is not None:
            engine.dispose()
    return time.perf_counter() - server.began - 2.0  # the two quiet seconds are not warm-up


def _start(workspace: Path, log: Path) -> Server | None:
    """A server, or None when it fails twice (the code under test may be mid-edit: wait a minute, try again)."""
    for attempt in range(2):
        try:
            return Server(workspace, log)
        except RuntimeError as exc:
            print(f"{exc}{'; retrying in 60 s' if attempt == 0 else ''}", file=sys.stderr)
            if attempt == 0:
                time.sleep(60)
    return None


def login(base: str, timeout: float) -> httpx.Client:
    client = httpx.Client(base_url=base, timeout=timeout)
    page = client.get("/login")
    csrf = page.text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    done = client.post("/login", data={"username": USER, "password": PASSWORD, "csrf_token": csrf})
    if done.status_code != 303 or done.headers["location"].startswith("/login"):
        raise RuntimeError(f"login failed: HTTP {done.status_code}")
    return client


def first(client: httpx.Client, path: str) -> tuple[float | None, str | None]:
    """The time of one request (ms) and an error, if any."""
    began = time.perf_counter()
    try:
        answer = client.get(path)
    except httpx.TimeoutException:
        return None, f"no answer within {client.timeout.read:.0f} s"
    took = (time.perf_counter() - began) * 1000
    return took, None if answer.status_code == 200 else f"HTTP {answer.status_code}: {answer.text[:200]}"


def warm(client: httpx.Client, result: Result, requests: int, budget: float) -> None:
    times: list[float] = []
    stop_at = time.perf_counter() + budget
    while len(times) < requests and time.perf_counter() < stop_at:
        began = time.perf_counter()
        answer = client.get(result.route)
        times.append((time.perf_counter() - began) * 1000)
        if answer.status_code != 200:
            result.error = f"HTTP {answer.status_code} on a warm request"
            return
    result.n = len(times)
    if times:
        result.p50_ms = statistics.median(times)
        result.p95_ms = statistics.quantiles(times, n=20, method="inclusive")[-1] if len(times) > 1 else times[0]


def _clients(server: Server, token: str, timeout: float) -> tuple[httpx.Client, httpx.Client]:
    pages = login(server.base, timeout)
    api = httpx.Client(base_url=server.base, timeout=timeout, headers={"Authorization": f"Bearer {token}"})
    return pages, api


def _show(r: Result) -> None:
    cells = [
        f"{name} {_ms(value, 1)} ms" for name, value in (("first", r.first_ms), ("after warm-up", r.first_idle_ms))
    ]
    cells += [f"p50 {_ms(r.p50_ms, 1)} ms", f"p95 {_ms(r.p95_ms, 1)} ms", f"n {r.n}"]
    print(f"{r.route}: {', '.join(cells)}" + (f" [{r.error}]" if r.error else ""), file=sys.stderr)


def run(args: argparse.Namespace) -> tuple[Context, list[Result], dict[str, float]]:
    ws = config.load(args.workspace)
    ctx, token, token_name = prepare(ws)
    log = Path(args.log)
    chosen = [r for r in routes(ctx) if not args.only or any(o in r for o in args.only)]
    results = [Result(path) for path in chosen]
    info: dict[str, float] = {}
    try:
        if "start" in args.passes:
            for r in results:
                server = _start(args.workspace, log)
                if server is None:
                    r.error = f"citra serve did not start (twice); see {log}"
                    continue
                try:
                    r.ready_s = server.ready_s
                    pages, api = _clients(server, token, args.timeout)
                    r.first_ms, r.error = first(api if r.route.startswith("/api/") else pages, r.route)
                finally:
                    server.stop()
                _show(r)
        if "warm" in args.passes:
            server = _start(args.workspace, log)
            if server is None:
                raise RuntimeError(f"citra serve did not start (twice); see {log}")
            try:
                pages, api = _clients(server, token, args.timeout)
                info["warmup_s"] = round(wait_idle(server, ws.database_url), 1)
                print(f"server idle {info['warmup_s']} s after its start", file=sys.stderr)
                began = time.perf_counter()
                for r in results:
                    if r.error:
                        continue
                    client = api if r.route.startswith("/api/") else pages
                    r.first_idle_ms, r.error = first(client, r.route)
                    if r.error is None:
                        warm(client, r, args.requests, args.budget)
                    _show(r)
                info["warm_pass_s"] = round(time.perf_counter() - began, 1)
            finally:
                server.stop()
    finally:
        with Store.open(ws.database_url) as store:
            store.accounts.revoke_token(USER, token_name)
    return ctx, results, info


def _ms(value: float | None, digits: int) -> str:
    return f"{value:,.{digits}f}" if value is not None else "–"


def table(results: list[Result], first_target: float, p95_target: float) -> str:
    lines = [
        "| route | first after start (ms) | first after warm-up (ms) | p50 (ms) | p95 (ms) | n | targets |",
        "| --- | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for r in results:
        if r.error:
            verdict = f"ERROR {r.error}"
        else:
            misses = []
            if r.first_ms is not None and r.first_ms > first_target:
                late = r.first_idle_ms is not None and r.first_idle_ms <= first_target
                misses.append("first" + (" (met after warm-up)" if late else ""))
            if r.p95_ms is not None and r.p95_ms > p95_target:
                misses.append("p95")
            verdict = "met" if not misses else "MISSED " + " and ".join(misses)
        cells = [_ms(r.first_ms, 0), _ms(r.first_idle_ms, 0), _ms(r.p50_ms, 1), _ms(r.p95_ms, 1), str(r.n), verdict]
        lines.append(f"| `{r.route}` | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def machine() -> dict[str, object]:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    status = subprocess.run(["git", "status", "--short", "src"], cwd=ROOT, capture_output=True, text=True)
    return {
        "uncommitted_src": status.stdout.splitlines(),
        "date": date.today().isoformat(),
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "python": platform.python_version(),
        "commit": commit.stdout.strip(),
        "load": [round(x, 2) for x in os.getloadavg()],
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-w", "--workspace", type=Path, required=True)
    parser.add_argument(
        "--requests", type=int, default=MAX_REQUESTS, help=f"warm requests per route (<= {MAX_REQUESTS})"
    )
    parser.add_argument("--budget", type=float, default=20.0, help="seconds of warm requests per route at most")
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds to wait for one answer")
    parser.add_argument("--passes", default="start,warm", help="start (first request after start), warm, or both")
    parser.add_argument("--only", action="append", help="time only routes containing this text (repeatable)")
    parser.add_argument("--json", type=Path, help="write every figure to this file")
    parser.add_argument("--log", default="/tmp/citra-web-bench-serve.log", help="the servers' output")
    parser.add_argument("--first-target", type=float, default=2000.0)
    parser.add_argument("--p95-target", type=float, default=300.0)
    args = parser.parse_args(argv)
    args.requests = max(1, min(args.requests, MAX_REQUESTS))
    args.workspace = args.workspace.resolve()
    before = machine()
    began = time.perf_counter()
    ctx, results, info = run(args)
    after = machine()
    print(
        f"\n{ctx.posts:,} posts ({ctx.backend}); passes {args.passes}; up to {args.requests} warm requests per "
        f"route; server idle {info.get('warmup_s', '-')} s after its start; "
        f"warm pass {info.get('warm_pass_s', '-')} s; "
        f"{before['date']}, {before['nproc']} cores ({before['cpu']}), commit {before['commit']} "
        f"({len(before['uncommitted_src'])} uncommitted changes under src/), "
        f"load {before['load']} before, {after['load']} after; {time.perf_counter() - began:.0f} s in all\n"
    )
    print(table(results, args.first_target, args.p95_target))
    if args.json:
        body = {
            "workspace": str(args.workspace),
            "context": {**asdict(ctx), "newest": ctx.newest.isoformat()},
            "settings": {k: str(v) for k, v in vars(args).items()},
            "server": info,
            "machine_before": before,
            "machine_after": after,
            "results": [asdict(r) for r in results],
        }
        args.json.write_text(json.dumps(body, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
