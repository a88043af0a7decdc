"""Fixtures of the web tests: a workspace filled through the library (posts, annotations, users), the app and
logged-in clients, on SQLite and on the local PostgreSQL (through the shared ``workspace`` fixture)."""

from __future__ import annotations

import contextlib
import os
import random
import re
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import httpx
import pytest
import uvicorn
from fastapi.testclient import TestClient

from citra import config
from citra.config import Workspace
from citra.records import (
    Alert,
    Annotation,
    Author,
    Engagement,
    Intent,
    Intervention,
    InterventionKind,
    Platform,
    Post,
    PostKind,
    Role,
    Sentiment,
    Target,
    TargetKind,
)
from citra.store import Store
from citra.web.app import create_app
from citra.web.auth import hash_password

PASSWORD = "correct-horse-battery"
XSS = "<script>alert(1)</script>"
START = datetime(2026, 8, 1, 2, 0, tzinfo=UTC)
DAYS = 70
INTERVENTION_DAY = date(2026, 9, 20)
USERS = {
    "admin": (Role.ADMIN, None),
    "analis": (Role.ANALYST, None),
    "pemirsa": (Role.VIEWER, None),
    "pupr": (Role.OPD, "Dinas PUPR"),
    "dinkes": (Role.OPD, "Dinas Kesehatan"),
}
TOPICS = (("roads", "Dinas PUPR"), ("health", "Dinas Kesehatan"), ("waste", "Dinas Lingkungan Hidup"))


@dataclass(frozen=True)
class Filled:
    ws: Workspace
    xss_id: int  # a citizen's post with a script tag, in the inbox of Dinas PUPR
    health_id: int  # an inbox item of Dinas Kesehatan
    native_xss: str


def _post(i: int, when: datetime, text: str, *, official: bool = False, kind: PostKind = PostKind.POST) -> Post:
    handle = "humaskota" if official else f"warga{i % 37}"
    return Post(
        platform=Platform.X,
        native_id=f"{1000 + i}",
        text=text,
        created_at=when,
        url=f"https://x.com/{handle}/status/{1000 + i}",
        author=Author(str(i % 37), handle, handle.title(), 100 + i),
        is_official=official,
        kind=kind,
        engagement=Engagement(i % 11, i % 5, i % 3, 0, 1000 + i),
        conversation_id=f"{1000 + i}",
    )


def _annotation(rnd: random.Random, official: bool, needs: bool, topic: tuple[str, str] | None) -> Annotation:
    label = rnd.choice(list(Sentiment))
    probs = tuple(0.8 if s is label else 0.1 for s in Sentiment)
    targets = (Target(TargetKind.INSTITUTION, "Pemerintah Kota Bekasi"),) if rnd.random() < 0.5 else ()
    if rnd.random() < 0.3:
        targets += (Target(TargetKind.LEADER, "Budi Santoso"),)
    return Annotation(
        lang="id",
        lang_score=0.99,
        sentiment=label,
        probs=probs,
        topics=(topic[0],) if topic else (),  # type: ignore[arg-type]
        opds=(topic[1],) if topic else (),
        targets=targets,
        intent=Intent.COMPLAINT if needs else Intent.INFORMATION,
        needs_response=needs,
        category="service_information" if official else None,
        models={"test": "1"},
    )


def fill(ws: Workspace) -> Filled:
    """~490 posts over 70 days (a few official), annotated; users of every role; one intervention and alert."""
    rnd = random.Random(3)
    posts: list[Post] = []
    for day in range(DAYS):
        for k in range(7):
            i = day * 7 + k
            when = START + timedelta(days=day, hours=k * 2, minutes=rnd.randint(0, 59))
            official = k == 6
            text = f"Laporan warga nomor {i}: jalan rusak di kelurahan {i % 9}" if not official else f"Info resmi {i}"
            posts.append(_post(i, when, text, official=official))
    xss = _post(9999, START - timedelta(hours=1), f"Tolong {XSS} jalan berlubang <b>parah</b>")
    posts.append(xss)
    with Store.open(ws.database_url) as store:
        store.add_posts(posts)
        items = []
        ids = {}
        for n, post in enumerate(posts):
            (pid,) = [s.id for s in store.lookup(post.native_id, post.platform)]
            ids[post.native_id] = pid
            needs = not post.is_official and n % 5 == 0
            topic = TOPICS[n % 3] if not post.is_official else None
            if post is xss:
                needs, topic = True, TOPICS[0]
            items.append((pid, _annotation(rnd, post.is_official, needs, topic)))
        store.save_annotations(items, "test-1")
        health = next(
            pid for (pid, a), p in zip(items, posts, strict=True) if a.needs_response and a.topics == ("health",)
        )
        for name, (role, opd) in USERS.items():
            store.accounts.add_user(name, hash_password(PASSWORD), role, opd)
        store.add_intervention(
            Intervention("Kampanye Jalan Mulus", INTERVENTION_DAY, InterventionKind.CAMPAIGN, "perbaikan")
        )
        store.save_alert(
            Alert(
                None,
                "negative_volume",
                START + timedelta(days=60),
                START + timedelta(days=61),
                9.5,
                "high",
                "open",
                {
                    "terms": ["banjir", XSS],
                    "topics": [{"topic": "roads", "name": "Jalan & Infrastruktur", "count": 12}],
                    "samples": [{"text": XSS, "author": "warga1", "url": "javascript:alert(1)", "platform": "x"}],
                },
            )
        )
    return Filled(ws, ids[xss.native_id], health, xss.native_id)


@pytest.fixture
def filled(workspace: Workspace) -> Filled:
    return fill(workspace)


@pytest.fixture
def app(filled: Filled):  # type: ignore[no-untyped-def]
    return create_app(filled.ws, secret_key="test-secret-key", cache_seconds=0)


@pytest.fixture
def client(app) -> Iterator[TestClient]:  # type: ignore[no-untyped-def]
    with TestClient(app, base_url="http://testserver") as c:
        yield c


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found, "no CSRF token in the page"
    return found.group(1)


def login(client: TestClient, name: str, password: str = PASSWORD) -> str:
    """Log in through the form; returns the session's CSRF token."""
    page = client.get("/login")
    token = csrf_of(page.text)
    done = client.post(
        "/login", data={"username": name, "password": password, "csrf_token": token}, follow_redirects=False
    )
    assert done.status_code == 303, done.text
    return csrf_of(client.get("/keterlibatan").text)


@pytest.fixture
def as_user(app):  # type: ignore[no-untyped-def]
    """``as_user(name)`` -> (a new client logged in as ``name``, its CSRF token)."""
    clients: list[TestClient] = []

    def make(name: str) -> tuple[TestClient, str]:
        c = TestClient(app, base_url="http://testserver")
        c.__enter__()
        clients.append(c)
        return c, login(c, name)

    yield make
    for c in clients:
        c.__exit__(None, None, None)


def token_for(filled: Filled, user: str, name: str = "script") -> str:
    from citra.web.auth import new_token

    token = new_token()
    with Store.open(filled.ws.database_url) as store:
        store.accounts.add_token(user, name, token)
    return token


@contextlib.contextmanager
def serve(app) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """A real uvicorn server for ``app`` on a free loopback port, in a thread; yields its base URL. Proxy headers
    are left to the app, as in `citra serve`."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", proxy_headers=False))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)


@pytest.fixture
def base_url(app) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """The app on a real loopback server (``serve``)."""
    with serve(app) as url:
        yield url


def http_login(base_url: str, name: str, password: str = PASSWORD) -> httpx.Client:
    """A real HTTP client logged in through the form as ``name``."""
    client = httpx.Client(base_url=base_url, timeout=30)
    token = csrf_of(client.get("/login").text)
    done = client.post("/login", data={"username": name, "password": password, "csrf_token": token})
    assert done.status_code == 303, done.text
    return client


# Real headless Chromium (Debian's /usr/bin/chromium driven by Playwright) against a real uvicorn server on
# 127.0.0.1 with a SQLite workspace. `site` and `browser` are per test module, so each browser test file has its own
# data to change. Without Chromium these tests skip, except in CI where they fail.
CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def _need_chromium() -> None:
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is required in CI")
        pytest.skip(f"{CHROMIUM} is not installed")


@dataclass
class Site:
    url: str
    filled: Filled


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    _need_chromium()
    saved = {k: os.environ.pop(k, None) for k in ("CITRA_DATABASE_URL", "CITRA_WORKSPACE")}
    try:
        ws = config.init(tmp_path_factory.mktemp("browser") / "ws", "Pemerintah Kota Bekasi")
        with Store.open(ws.database_url) as store:
            store.upgrade()
        filled = fill(ws)
        app = create_app(ws, secret_key="browser-test-secret", cache_seconds=0)
        with serve(app) as url:
            yield Site(url, filled)
    finally:
        for key, value in saved.items():
            if value is not None:
                os.environ[key] = value


@pytest.fixture(scope="module")
def browser(site: Site):  # type: ignore[no-untyped-def]
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield chromium
        chromium.close()


def sign_in(page, url: str, name: str) -> None:  # type: ignore[no-untyped-def]
    """Log ``page`` in as ``name`` through the login form of the site at ``url``."""
    page.goto(url + "/login")
    page.fill("input[name=username]", name)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")


@pytest.fixture
def page(browser, site: Site):  # type: ignore[no-untyped-def]
    context = browser.new_context(accept_downloads=True)
    page = context.new_page()
    page.problems = []  # console errors, uncaught exceptions and dialogs (an executed script would open one)
    page.on("console", lambda m: page.problems.append(f"console: {m.text} {m.location}") if m.type == "error" else None)
    page.on("pageerror", lambda e: page.problems.append(f"pageerror: {e}"))
    page.on("dialog", lambda d: (page.problems.append(f"dialog: {d.message}"), d.dismiss()))
    sign_in(page, site.url, "admin")
    page.wait_for_url(site.url + "/")
    yield page
    context.close()
