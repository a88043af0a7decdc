"""A small bounded load on a real loopback server: 20 logged-in users at once, each asking for the pages of the load
benchmark (bench/load_bench.py) a few times with the aggregate cache on, get no server error, on SQLite and
PostgreSQL. No timing is asserted here; the figures are in docs/benchmarks.md."""

from __future__ import annotations

from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import httpx

from citra.web.app import create_app

from .conftest import PASSWORD, Filled, csrf_of, serve

USERS = 20
ROUNDS = 2
PAGES = ("/", "/percakapan", "/percakapan?q=jalan", "/percakapan?q=jalan%20OR%20sampah", "/keterlibatan")
MORE = ("/peringatan", "/laporan", "/isu", "/api/v1/posts?q=rusak")


def _visit(base: str, n: int) -> list[int]:
    with httpx.Client(base_url=base, timeout=120) as client:
        page = client.get("/login")
        done = client.post(
            "/login",
            data={
                "username": ("admin", "analis", "pemirsa")[n % 3],
                "password": PASSWORD,
                "csrf_token": csrf_of(page.text),
            },
        )
        statuses = [done.status_code]
        for k in range(ROUNDS * len(PAGES + MORE)):
            statuses.append(client.get((PAGES + MORE)[(n + k) % len(PAGES + MORE)]).status_code)
        return statuses


def test_twenty_users_at_once_get_no_server_error(filled: Filled) -> None:
    app = create_app(filled.ws, secret_key="load-test-secret", cache_seconds=300)  # the cache as served
    with serve(app) as base, ThreadPoolExecutor(USERS) as pool:
        answers = [s for statuses in pool.map(_visit, [base] * USERS, range(USERS)) for s in statuses]
    counts = Counter(answers)
    assert counts[303] == USERS  # every login went through
    assert set(counts) == {200, 303}, counts  # no 4xx, no 5xx
