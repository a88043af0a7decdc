"""``citra collect`` against a real HTTP server on 127.0.0.1: conditional GET, retries, timeouts, broken
feeds, keyword filter and canonical-URL dedupe, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from citra import config
from citra.collect import collect
from citra.records import Platform, PostKind
from citra.sources.connector import Http, Retry, make_client, parse_retry_after
from citra.sources.rss import canonical_url, native_id, strip_html
from citra.store import PostQuery, Store
from tests.conftest import FIXTURES

FEEDS = FIXTURES / "feeds"
RSS = (FEEDS / "kota_bekasi.rss.xml").read_bytes()
ATOM = (FEEDS / "megapolitan.atom.xml").read_bytes()
RSS_NAME, ATOM_NAME = "Warta Kota Bekasi", "Kabar Megapolitan"
MAX_HANG = 5.0  # the server never sleeps longer than this, whatever a test asks


@dataclass
class Route:
    """What the test server answers on one path."""

    body: bytes = b""
    status: int = 200
    content_type: str = "application/rss+xml; charset=utf-8"
    etag: str | None = None
    last_modified: str | None = None
    fail: int = 0  # answer the first N requests with ``fail_status``
    fail_status: int = 503
    retry_after: str | None = None
    hang: float = 0.0
    requests: list[dict[str, str]] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.requests)


class FeedServer(ThreadingHTTPServer):
    daemon_threads = True
    routes: dict[str, Route]
    lock: threading.Lock

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}{path}"


class Handler(BaseHTTPRequestHandler):
    server: FeedServer

    def do_GET(self) -> None:
        route = self.server.routes.get(self.path)
        if route is None:
            return self._send(404, b"not found", "text/plain")
        with self.server.lock:
            route.requests.append({k.lower(): v for k, v in self.headers.items()})
            n = route.count
        if route.hang:
            time.sleep(min(route.hang, MAX_HANG))
        if n <= route.fail:
            extra = {"Retry-After": route.retry_after} if route.retry_after else {}
            return self._send(route.fail_status, b"busy", "text/plain", extra)
        validators = {k: v for k, v in (("ETag", route.etag), ("Last-Modified", route.last_modified)) if v}
        if (route.etag and self.headers.get("If-None-Match") == route.etag) or (
            route.last_modified and not route.etag and self.headers.get("If-Modified-Since") == route.last_modified
        ):
            return self._send(304, b"", None, validators)
        self._send(route.status, route.body, route.content_type, validators)

    def _send(self, status: int, body: bytes, ctype: str | None, headers: dict[str, str] | None = None) -> None:
        try:
            self.send_response(status)
            if ctype:
                self.send_header("Content-Type", ctype)
            for k, v in (headers or {}).items():
                self.send_header(k, v)
            self.send_header("Content-Length", str(len(body)) if status != 304 else "0")
            self.end_headers()
            if status != 304:
                self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (a timeout test)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[FeedServer]:
    srv = FeedServer(("127.0.0.1", 0), Handler)
    srv.routes, srv.lock = {}, threading.Lock()
    thread = threading.Thread(target=srv.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield srv
    srv.shutdown()
    srv.server_close()


@pytest.fixture
def http() -> Iterator[Http]:
    with make_client(timeout=5.0) as client:
        yield Http(client, Retry(attempts=3, base=0.01))


def closed_port_url() -> str:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}/rss"


def configure(
    ws: config.Workspace, feeds: list[dict[str, object]], keywords: list[str] | None = None
) -> config.Workspace:
    """Append ``[[feeds]]`` to the workspace's citra.toml (and set its keywords) and load it again."""
    path = ws.root / config.CONFIG_NAME
    text = path.read_text(encoding="utf-8")
    if keywords is not None:
        text = text.replace("\nkeywords = []\n", f"\nkeywords = {json.dumps(keywords)}\n", 1)
    for feed in feeds:
        text += "\n[[feeds]]\n" + "".join(f"{k} = {json.dumps(v)}\n" for k, v in feed.items())
    path.write_text(text, encoding="utf-8")
    return config.load(ws.root)


def two_feeds(server: FeedServer) -> list[dict[str, object]]:
    server.routes["/rss"] = Route(RSS, etag='"rss-v1"')
    server.routes["/atom"] = Route(
        ATOM, content_type="application/atom+xml", last_modified="Tue, 14 May 2024 03:00:00 GMT"
    )
    return [{"name": RSS_NAME, "url": server.url("/rss")}, {"name": ATOM_NAME, "url": server.url("/atom")}]


def by_name(summary: object) -> dict[str, object]:
    return {f.name: f for f in summary.files}  # type: ignore[attr-defined]


# pure parts ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "canonical"),
    [
        ("HTTPS://Warta.Example.ID/a/b/?utm_source=x&utm_medium=y#top", "https://warta.example.id/a/b"),
        ("https://warta.example.id/a?z=1&fbclid=abc&a=2&gclid=q", "https://warta.example.id/a?a=2&z=1"),
        ("http://warta.example.id:80/a", "http://warta.example.id/a"),
        ("https://warta.example.id:8443/a/", "https://warta.example.id:8443/a"),
        ("https://warta.example.id/", "https://warta.example.id"),
        ("https://warta.example.id/Berita/Banjir", "https://warta.example.id/Berita/Banjir"),
    ],
)
def test_canonical_url(url: str, canonical: str) -> None:
    assert canonical_url(url) == canonical


@pytest.mark.parametrize("bad", ["javascript:alert(1)", "/relative/only", "mailto:humas@bekasikota.go.id", ""])
def test_canonical_url_refuses_non_http_links(bad: str) -> None:
    with pytest.raises(ValueError, match="http"):
        canonical_url(bad)


def test_long_urls_get_a_short_stable_id() -> None:
    url = "https://warta.example.id/" + "berita-" * 40
    assert native_id(url) == native_id(url) and native_id(url).startswith("sha256:") and len(native_id(url)) <= 128
    assert native_id("https://warta.example.id/a") == "https://warta.example.id/a"


def test_strip_html_keeps_text_and_paragraphs() -> None:
    html = '<p>Pompa&nbsp;air <b>dikerahkan</b> &amp; posko dibuka.</p><script>alert("x")</script><p>Baris 2</p>'
    assert strip_html(html) == "Pompa air dikerahkan & posko dibuka.\nBaris 2"


def test_retry_after_seconds_and_dates() -> None:
    now = datetime(2024, 5, 14, 3, 0, tzinfo=UTC)
    assert parse_retry_after("7") == 7.0
    assert parse_retry_after("Tue, 14 May 2024 03:00:30 GMT", now) == 30.0
    assert parse_retry_after("soon") is None


# collecting ------------------------------------------------------------------------------------------------


def test_articles_stored_once_across_feeds_and_tracking_params(
    workspace: config.Workspace, store: Store, server: FeedServer, http: Http
) -> None:
    ws = configure(workspace, two_feeds(server))
    summary = collect(store, ws, http=http)
    feeds = by_name(summary)
    assert summary.status == "done"
    assert (feeds[RSS_NAME].inserted, feeds[RSS_NAME].rejected, feeds[RSS_NAME].http_status) == (4, 1, 200)
    # the flood story is in both feeds, linked with different tracking parameters, case and fragment
    assert (feeds[ATOM_NAME].inserted, feeds[ATOM_NAME].rejected, feeds[ATOM_NAME].read) == (2, 0, 3)
    assert store.count() == 6
    [flood] = [s.post for s in store.each(PostQuery(text='"Kerahkan Pompa"'), raw=True)]
    assert flood.native_id == flood.url == "https://warta.example.id/2024/05/banjir-bekasi-timur"
    assert (flood.platform, flood.kind, flood.query, flood.lang) == (
        Platform.NEWS,
        PostKind.ARTICLE,
        RSS_NAME,
        "id",
    )
    assert flood.created_at == datetime(2024, 5, 14, 0, 30, tzinfo=UTC)
    assert flood.author.name == "Rina Marlina"
    assert flood.text.startswith("Banjir di Bekasi Timur, Pemkot Kerahkan Pompa\n\nHujan deras sejak Senin")
    assert "<" not in flood.text and "&amp;" not in flood.text and "alert" not in flood.text
    assert "12 pompa air" in flood.text and "lambat & meminta" in flood.text
    assert "utm_source=rss" in flood.raw["link"] and flood.raw["published_parsed"] == "2024-05-14T00:30:00+00:00"
    [undated] = [s.post for s in store.each(PostQuery(text='"Reklame Liar"'))]
    assert (datetime.now(UTC) - undated.created_at).total_seconds() < 600  # no date: the fetch time
    rejects = [json.loads(line) for line in Path(summary.rejects_path).read_text().splitlines()]
    assert [(r["file"], r["line"], r["reason"]) for r in rejects] == [(server.url("/rss"), 4, "no link")]
    run = store.get_import(summary.batch)
    assert (run.command, run.status, run.inserted, run.rejected) == ("collect", "done", 6, 1)
    assert store.feed_state(server.url("/rss")).etag == '"rss-v1"'


def test_second_collect_is_conditional_and_stores_nothing_new(
    workspace: config.Workspace, store: Store, server: FeedServer, http: Http
) -> None:
    ws = configure(workspace, two_feeds(server))
    collect(store, ws, http=http)
    again = collect(store, ws, http=http)
    rss, atom = server.routes["/rss"], server.routes["/atom"]
    assert rss.requests[1]["if-none-match"] == '"rss-v1"'
    assert atom.requests[1]["if-modified-since"] == "Tue, 14 May 2024 03:00:00 GMT"
    assert "if-none-match" not in rss.requests[0]
    assert [(f.http_status, f.read, f.inserted, f.updated) for f in again.files] == [(304, 0, 0, 0)] * 2
    assert again.status == "done" and store.count() == 6
    kept = store.feed_state(server.url("/rss"))
    assert (kept.etag, kept.status, kept.error) == ('"rss-v1"', 304, None)
    # the feed changes: a new version is fetched and only the new article is stored
    extra = (
        b"<item><title>Sekda Bekasi Pimpin Apel Siaga Banjir</title>"
        b"<link>https://warta.example.id/2024/05/apel-siaga</link></item></channel>"
    )
    rss.body, rss.etag = RSS.replace(b"</channel>", extra), '"rss-v2"'
    third = by_name(collect(store, ws, http=http))
    assert (third[RSS_NAME].http_status, third[RSS_NAME].inserted) == (200, 1)
    assert store.feed_state(server.url("/rss")).etag == '"rss-v2"'


def test_keyword_filter(workspace: config.Workspace, store: Store, server: FeedServer, http: Http) -> None:
    server.routes["/rss"] = Route(RSS)
    server.routes["/rss-again"] = Route(RSS)
    server.routes["/atom"] = Route(ATOM, content_type="application/atom+xml")
    ws = configure(
        workspace,
        [
            {"name": "semua", "url": server.url("/rss"), "keywords": []},  # its own empty list keeps all
            {"name": "depok", "url": server.url("/atom"), "keywords": ["DePoK"]},  # its own list, any case
            {"name": "bawaan", "url": server.url("/rss-again")},  # the workspace keywords
        ],
        keywords=["BEKASI"],
    )
    feeds = by_name(collect(store, ws, http=http))
    assert (feeds["semua"].inserted, feeds["semua"].skipped) == (4, 0)
    assert (feeds["depok"].inserted, feeds["depok"].skipped) == (1, 2)
    assert [p.text.split("\n")[0] for p in (s.post for s in store.each(PostQuery(text="PLN")))] == [
        "Jadwal Pemadaman Listrik di Depok Pekan Ini"
    ]
    assert (feeds["bawaan"].inserted, feeds["bawaan"].skipped, feeds["bawaan"].read) == (0, 1, 4)


def test_retries_503_then_succeeds(workspace: config.Workspace, store: Store, server: FeedServer, http: Http) -> None:
    server.routes["/rss"] = Route(RSS, fail=2, retry_after="0")
    ws = configure(workspace, [{"name": RSS_NAME, "url": server.url("/rss")}])
    summary = collect(store, ws, http=http)
    assert summary.status == "done" and server.routes["/rss"].count == 3
    assert (summary.files[0].http_status, summary.files[0].inserted) == (200, 4)


def test_long_retry_after_is_not_waited_for(
    workspace: config.Workspace, store: Store, server: FeedServer, http: Http
) -> None:
    server.routes["/rss"] = Route(RSS, fail=5, fail_status=429, retry_after="3600")
    ws = configure(workspace, [{"name": RSS_NAME, "url": server.url("/rss")}])
    started = time.monotonic()
    summary = collect(store, ws, http=http)
    assert time.monotonic() - started < 5 and server.routes["/rss"].count == 1
    assert summary.status == "failed" and summary.files[0].http_status == 429 and "429" in summary.files[0].error


def test_broken_feeds_do_not_stop_the_others(
    workspace: config.Workspace, store: Store, server: FeedServer, http: Http
) -> None:
    server.routes["/gone"] = Route(RSS, status=404)
    server.routes["/error"] = Route(RSS, fail=100, fail_status=500)
    server.routes["/html"] = Route(b"<html><body><h1>Situs dalam perbaikan</h1>", content_type="text/html")
    server.routes["/rss"] = Route(RSS)
    ws = configure(
        workspace,
        [
            {"name": "hilang", "url": server.url("/gone")},
            {"name": "mati", "url": closed_port_url()},
            {"name": "rusak", "url": server.url("/error")},
            {"name": "bukan feed", "url": server.url("/html")},
            {"name": RSS_NAME, "url": server.url("/rss")},
        ],
    )
    summary = collect(store, ws, http=http)
    feeds = by_name(summary)
    assert summary.status == "failed" and store.get_import(summary.batch).status == "failed"
    assert feeds[RSS_NAME].inserted == 4 and feeds[RSS_NAME].error is None
    assert feeds["hilang"].http_status == 404 and "HTTP 404" in feeds["hilang"].error
    assert feeds["mati"].http_status is None and "cannot fetch" in feeds["mati"].error
    assert feeds["rusak"].http_status == 500 and server.routes["/error"].count == 3  # every attempt used
    assert feeds["bukan feed"].http_status == 200 and "not an RSS or Atom feed" in feeds["bukan feed"].error
    gone = store.feed_state(server.url("/gone"))
    assert (gone.status, gone.etag) == (404, None) and "404" in gone.error


def test_timeout_is_honoured(workspace: config.Workspace, store: Store, server: FeedServer) -> None:
    server.routes["/slow"] = Route(RSS, hang=3.0)
    server.routes["/rss"] = Route(RSS)
    ws = configure(
        workspace,
        [{"name": "lambat", "url": server.url("/slow")}, {"name": RSS_NAME, "url": server.url("/rss")}],
    )
    started = time.monotonic()
    with make_client(timeout=0.3) as client:
        summary = collect(store, ws, http=Http(client, Retry(attempts=2, base=0.01)))
    assert time.monotonic() - started < 2.5
    feeds = by_name(summary)
    assert "timed out" in feeds["lambat"].error and server.routes["/slow"].count == 2
    assert feeds[RSS_NAME].inserted == 4


def test_oversized_response_is_refused(workspace: config.Workspace, store: Store, server: FeedServer) -> None:
    server.routes["/rss"] = Route(RSS)
    ws = configure(workspace, [{"name": RSS_NAME, "url": server.url("/rss")}])
    with make_client(timeout=5.0) as client:
        summary = collect(store, ws, http=Http(client, Retry(base=0.01), max_bytes=1000))
    assert "larger than" in summary.files[0].error and store.count() == 0


# the command line -------------------------------------------------------------------------------------------


def run_cli(ws: config.Workspace) -> subprocess.CompletedProcess[str]:
    cmd = [sys.executable, "-m", "citra", "collect", "--json", "--workspace", str(ws.root)]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120)


def test_cli_collect_json(workspace: config.Workspace, server: FeedServer) -> None:
    ws = configure(workspace, two_feeds(server))
    first = run_cli(ws)
    assert first.returncode == 0, first.stderr
    data = json.loads(first.stdout)
    assert (data["inserted"], data["updated"], data["rejected"]) == (6, 0, 1)
    assert [(f["name"], f["http_status"], f["inserted"]) for f in data["feeds"]] == [
        (RSS_NAME, 200, 4),
        (ATOM_NAME, 200, 2),
    ]
    second = json.loads(run_cli(ws).stdout)
    assert second["inserted"] == 0 and [f["http_status"] for f in second["feeds"]] == [304, 304]
    server.routes["/gone"] = Route(status=404)
    ws = configure(ws, [{"name": "hilang", "url": server.url("/gone")}])
    failed = run_cli(ws)
    assert failed.returncode == 3
    assert "HTTP 404" in json.loads(failed.stdout)["feeds"][-1]["error"]


def test_cli_collect_table(workspace: config.Workspace, server: FeedServer) -> None:
    server.routes["/rss"] = Route(RSS)
    ws = configure(workspace, [{"name": RSS_NAME, "url": server.url("/rss")}])
    done = subprocess.run(
        [sys.executable, "-m", "citra", "collect", "-w", str(ws.root)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert RSS_NAME in done.stderr and "Rejected entries" in done.stderr
