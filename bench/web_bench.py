"""Benchmark the web dashboard on a SQLite workspace with 1,000,000 posts: p50/p95 per page and API route.

    .venv/bin/python bench/web_bench.py                  # fill bench/out/ws_web once (kept), then time
    .venv/bin/python bench/web_bench.py --rows 100000 --requests 30 --refill

Filling: the tweet-harvest CSV of ``make_tweet_harvest.py`` is ingested through ``citra.ingest``, every post gets a
synthetic annotation through ``Store.save_annotations`` (the shipped NLP models are not needed) and ``citra alerts
scan`` runs once. Timing: a real uvicorn server on 127.0.0.1 in a thread (cache cold, no warm-up), one first request
per route (shown separately: it computes the route's aggregates) and then ``--requests`` sequential requests with
httpx (a logged-in session for pages, a Bearer token for the API). Routes that wait on the Store's inbox/answer
queries get ``--limit`` seconds for their first answer. Prints a markdown table for docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import random
import secrets
import shutil
import socket
import statistics
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path

import httpx
import uvicorn

import make_tweet_harvest
from citra import config
from citra.alerts.scan import scan
from citra.ingest import ingest
from citra.nlp.topics import Taxonomy
from citra.records import Annotation, Intent, Intervention, InterventionKind, Role, Sentiment, Target, TargetKind
from citra.store import PostQuery, Store

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
WS = OUT / "ws_web"
VERSION = "bench-synthetic"
CATEGORIES = ("service_information", "leader_activity", "appeal", "achievement", "social_activity", "other")
LEADER = "Budi Santoso"
PASSWORD = "bench-password-123"
INTERVENTION = "Kampanye Bekasi Bersih"


def _annotation(rnd: random.Random, topics: list[tuple[str, str]], official: bool, org: str) -> Annotation:
    label = rnd.choices(list(Sentiment), (35, 40, 25))[0]
    top = rnd.uniform(0.5, 0.95)
    rest = (1 - top) / 2
    probs = tuple(top if s is label else rest for s in Sentiment)
    chosen = rnd.sample(topics, rnd.choices((0, 1, 2), (30, 55, 15))[0])
    targets = [Target(TargetKind.INSTITUTION, org)] if rnd.random() < 0.4 else []
    if rnd.random() < 0.15:
        targets.append(Target(TargetKind.LEADER, LEADER))
    intent = rnd.choices(list(Intent), (30, 15, 15, 20, 10, 10))[0]
    needs = not official and intent in (Intent.COMPLAINT, Intent.QUESTION, Intent.REQUEST) and rnd.random() < 0.5
    return Annotation(
        lang="id",
        lang_score=0.99,
        sentiment=label,
        probs=probs,
        topics=tuple(t for t, _ in chosen),  # type: ignore[arg-type]
        opds=tuple(o for _, o in chosen),
        targets=tuple(targets),
        intent=intent,
        needs_response=needs,
        category=rnd.choice(CATEGORIES) if official else None,
        models={"bench": VERSION},
    )


def annotate(store: Store, ws: config.Workspace, seed: int) -> int:
    """A synthetic annotation for every post."""
    rnd = random.Random(seed)
    topics = [(t.id, t.opd) for t in Taxonomy.for_settings(ws).topics]
    org = ws.settings.organisation
    done = 0
    for chunk in store.posts_to_annotate(VERSION, batch=20_000):
        items = [(pid, _annotation(rnd, topics, post.is_official, org)) for pid, post in chunk]
        store.save_annotations(items, VERSION)
        done += len(items)
    return done


def fill(rows: int, seed: int) -> config.Workspace:
    """A fresh workspace with ``rows`` ingested posts, each with a synthetic annotation."""
    csv = OUT / f"tweet_harvest_{rows}.csv"
    if not csv.exists():
        make_tweet_harvest.write(csv, rows, seed)
    shutil.rmtree(WS, ignore_errors=True)
    ws = config.init(WS, "Pemerintah Kota Bekasi")
    text = (WS / config.CONFIG_NAME).read_text(encoding="utf-8")
    handles = ", ".join(f'"{h}"' for h in make_tweet_harvest.OFFICIAL)
    text = text.replace("x = []", f"x = [{handles}]", 1)
    text += f'\n[[leaders]]\nname = "{LEADER}"\nrole = "Wali Kota"\naliases = ["pak budi"]\n'
    (WS / config.CONFIG_NAME).write_text(text, encoding="utf-8")
    ws = config.load(WS)
    began = time.perf_counter()
    with Store.open(ws.database_url) as store:
        store.upgrade()
        summary = ingest(store, ws, [csv])
        print(f"ingested {summary.total('inserted'):,} posts in {time.perf_counter() - began:.0f} s", file=sys.stderr)
        annotate(store, ws, seed)
        print(f"annotated after {time.perf_counter() - began:.0f} s", file=sys.stderr)
        scan(store, ws, notify=False)  # alerts for the Peringatan page
        from citra.web.auth import hash_password

        store.accounts.add_user("bench", hash_password(PASSWORD), Role.ADMIN)
    return ws


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _serve(ws: config.Workspace) -> tuple[uvicorn.Server, str]:
    from citra.web.app import create_app

    app = create_app(ws, secret_key=secrets.token_hex(32))
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on"))
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    return server, f"http://127.0.0.1:{port}"


def _login(base: str) -> httpx.Client:
    client = httpx.Client(base_url=base, timeout=120)
    page = client.get("/login")
    token = page.text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    done = client.post("/login", data={"username": "bench", "password": PASSWORD, "csrf_token": token})
    if done.status_code != 303 or done.headers["location"].startswith("/login"):
        sys.exit(f"login failed: {done.status_code}")
    return client


def routes(store: Store, ws: config.Workspace) -> tuple[list[str], list[str]]:
    """(routes answered from bounded queries and cached aggregates, routes that wait on the inbox/answers query)."""
    newest = next(store.posts(PostQuery(limit=1)))
    day = newest.created_at.astimezone(ws.tz).date()
    since = (day - timedelta(days=7)).isoformat()
    month = (day.replace(day=1) - timedelta(days=1)).strftime("%Y-%m")
    if not store.interventions():
        store.add_intervention(Intervention(INTERVENTION, day - timedelta(days=30), InterventionKind.CAMPAIGN))
    impact = f"/api/v1/interventions/{INTERVENTION.replace(' ', '%20')}/impact"
    fast = [
        "/isu",
        "/percakapan",
        "/percakapan?q=banjir",
        "/percakapan?sentiment=negative&topic=roads",
        f"/percakapan?since={since}&platform=x",
        "/peringatan",
        "/strategi",
        f"/strategi?name={INTERVENTION.replace(' ', '+')}",
        "/laporan",
        "/pengaturan",
        "/api/v1/me",
        "/api/v1/index",
        "/api/v1/index?freq=week&by=topic",
        f"/api/v1/index?since={since}&freq=hour",
        "/api/v1/posts",
        "/api/v1/posts?q=jalan&limit=100",
        "/api/v1/posts?sentiment=negative",
        "/api/v1/alerts",
        "/api/v1/interventions",
        impact,
        "/",  # last: it starts counting the inbox in the background (see the inbox routes below)
    ]
    slow = [
        "/keterlibatan",
        "/publikasi",
        "/api/v1/inbox",
        "/api/v1/engagement",
        f"/laporan/unduh?period={month}&fmt=html",
    ]
    return fast, slow


Result = tuple[str, float | None, float | None, float | None]


def _time(client: httpx.Client, path: str, requests: int, limit: float) -> Result:
    began = time.perf_counter()
    try:
        first = client.get(path, timeout=limit)
    except httpx.TimeoutException:
        print(f"{path}: no answer within {limit:.0f} s", file=sys.stderr)
        return (path, None, None, None)
    cold = (time.perf_counter() - began) * 1000
    if first.status_code != 200:
        sys.exit(f"{path}: HTTP {first.status_code}: {first.text[:500]}")
    times = []
    for _ in range(requests):
        began = time.perf_counter()
        client.get(path).raise_for_status()
        times.append((time.perf_counter() - began) * 1000)
    p50 = statistics.median(times)
    p95 = statistics.quantiles(times, n=20, method="inclusive")[-1]
    print(f"{path}: first {cold:.0f} ms, p50 {p50:.1f} ms, p95 {p95:.1f} ms", file=sys.stderr)
    return (path, cold, p50, p95)


def time_routes(ws: config.Workspace, requests: int, limit: float) -> list[Result]:
    server, base = _serve(ws)
    try:
        with Store.open(ws.database_url) as store:
            token = secrets.token_urlsafe(32)
            store.accounts.add_token("bench", f"bench-{secrets.token_hex(4)}", token)
            fast, slow = routes(store, ws)
        pages = _login(base)
        api = httpx.Client(base_url=base, timeout=120, headers={"Authorization": f"Bearer {token}"})
        pick = lambda path: api if path.startswith("/api/") else pages  # noqa: E731
        results = [_time(pick(p), p, requests, 120) for p in fast]
        # a report is a generation job, not a page view: a few downloads are enough
        results += [_time(pick(p), p, 3 if p.startswith("/laporan/unduh") else requests, limit) for p in slow]
    finally:
        server.should_exit = True
    return results


def _ms(value: float | None, digits: int = 1) -> str:
    return f"{value:,.{digits}f}" if value is not None else "–"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--limit", type=float, default=30, help="seconds to wait for the first answer of a route")
    parser.add_argument("--refill", action="store_true", help="rebuild the workspace even if it exists")
    parser.add_argument("--fill-only", action="store_true")
    parser.add_argument("--annotate-only", action="store_true", help="annotate the posts of an existing workspace")
    args = parser.parse_args(argv)
    if args.annotate_only:
        ws = config.load(WS)
        with Store.open(ws.database_url) as store:
            print(f"annotated {annotate(store, ws, args.seed):,} posts", file=sys.stderr)
            from citra.web.auth import hash_password

            store.accounts.add_user("bench", hash_password(PASSWORD), Role.ADMIN)
        return
    ws = fill(args.rows, args.seed) if args.refill or not (WS / config.DB_NAME).exists() else config.load(WS)
    if args.fill_only:
        return
    results = time_routes(ws, args.requests, args.limit)
    with Store.open(ws.database_url) as store:
        posts = store.count_posts()
    print(f"\n{posts:,} posts; {args.requests} sequential requests per route after a first (cold) one\n")
    print("| route | first request (ms) | p50 (ms) | p95 (ms) |")
    print("| --- | ---: | ---: | ---: |")
    for path, cold, p50, p95 in results:
        first = _ms(cold, 0) if cold is not None else f"no answer in {args.limit:.0f} s"
        print(f"| `{path}` | {first} | {_ms(p50)} | {_ms(p95)} |")


if __name__ == "__main__":
    main()
