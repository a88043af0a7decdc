"""Who is locked out: proxy headers count only from configured trusted proxies, a per-IP limit stops guessing over
many names, and refusals are cheap; on a real uvicorn server on loopback (SQLite and PostgreSQL)."""

from __future__ import annotations

import contextlib
import dataclasses
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator

import httpx
import pytest

from citra.config import WebSettings
from citra.store import Store
from citra.web import auth
from citra.web.app import create_app
from citra.web.proxy import forwarded_client, networks
from tests.web.conftest import PASSWORD, csrf_of, serve


def _server(filled, trusted: list[str]) -> Iterator[str]:  # type: ignore[no-untyped-def]
    settings = filled.ws.settings.model_copy(update={"web": WebSettings(trusted_proxies=trusted)})
    ws = dataclasses.replace(filled.ws, settings=settings)
    with serve(create_app(ws, secret_key="test-secret-key", cache_seconds=0)) as url:
        yield url


@pytest.fixture
def direct(filled) -> Iterator[str]:  # type: ignore[no-untyped-def]
    yield from _server(filled, [])


@pytest.fixture
def proxied(filled) -> Iterator[str]:  # type: ignore[no-untyped-def]
    yield from _server(filled, ["127.0.0.1", "10.0.0.0/8"])


def _try(client: httpx.Client, name: str, password: str, xff: str | None = None, **headers: str) -> httpx.Response:
    token = csrf_of(client.get("/login").text)
    if xff is not None:
        headers["x-forwarded-for"] = xff
    data = {"username": name, "password": password, "csrf_token": token}
    return client.post("/login", data=data, headers=headers)


def _failures(filled) -> int:  # type: ignore[no-untyped-def]
    with Store.open(filled.ws.database_url) as store:
        return sum(e["action"] == "login.failed" for e in store.accounts.audit_log(limit=1000))


def test_rotating_x_forwarded_for_does_not_escape_a_lockout(direct: str) -> None:
    with httpx.Client(base_url=direct, timeout=30) as client:
        for i in range(5):
            assert _try(client, "analis", "not-it-at-all", f"198.51.100.{i}").status_code == 401
        blocked = _try(client, "analis", PASSWORD, "198.51.100.77")
        assert blocked.status_code == 429 and int(blocked.headers["retry-after"]) > 0
    with httpx.Client(base_url=direct, timeout=30) as client:  # a fresh session: its cookie is set now
        # without a trusted proxy, X-Forwarded-Proto does not make the cookie Secure either
        assert "Secure" not in client.get("/login", headers={"x-forwarded-proto": "https"}).headers["set-cookie"]


def test_a_trusted_proxy_header_is_honoured(proxied: str) -> None:
    with httpx.Client(base_url=proxied, timeout=30) as client:
        for _ in range(5):
            assert _try(client, "analis", "not-it-at-all", "203.0.113.5").status_code == 401
        assert _try(client, "analis", PASSWORD, "203.0.113.5").status_code == 429
        # a client prepending an address of its choice is still the address the proxy appended
        assert _try(client, "analis", PASSWORD, "192.0.2.1, 203.0.113.5").status_code == 429
        # hops through trusted proxies are skipped: the rightmost untrusted address is the client
        assert _try(client, "analis", PASSWORD, "203.0.113.5, 10.1.2.3").status_code == 429
        other = _try(client, "analis", PASSWORD, "203.0.113.6")
        assert other.status_code == 303, "another client behind the proxy is not locked out"
    with httpx.Client(base_url=proxied, timeout=30) as client:
        cookie = client.get("/login", headers={"x-forwarded-proto": "https"}).headers["set-cookie"]
        assert "Secure" in cookie


def test_per_ip_limit_over_many_names(direct: str, filled) -> None:  # type: ignore[no-untyped-def]
    """200 failed logins over 40 names from one address: refused with 429 long before 200, and a refusal computes
    no password hash and writes no audit row."""
    statuses = []
    with httpx.Client(base_url=direct, timeout=30) as client:
        for i in range(200):
            answer = _try(client, f"tebakan{i % 40}", "not-it-at-all")
            statuses.append(answer.status_code)
            if answer.status_code == 429:
                assert int(answer.headers["retry-after"]) > 0
        assert statuses.index(429) <= 30
        assert set(statuses[statuses.index(429) :]) == {429}
        assert _try(client, "pemirsa", PASSWORD).status_code == 429, "the address is refused for every name"
    assert _failures(filled) == statuses.index(429)


@pytest.mark.parametrize(
    ("peer", "header", "expected"),
    [
        ("198.51.100.9", "1.2.3.4", "198.51.100.9"),  # not a proxy: the header is ignored
        ("127.0.0.1", "", "127.0.0.1"),
        ("127.0.0.1", "1.2.3.4", "1.2.3.4"),
        ("127.0.0.1", "6.6.6.6, 1.2.3.4", "1.2.3.4"),
        ("127.0.0.1", "1.2.3.4, 10.0.0.2", "1.2.3.4"),
        ("127.0.0.1", "10.0.0.3, 10.0.0.2", "10.0.0.3"),  # every hop trusted: the leftmost
        ("127.0.0.1", "garbage", "garbage"),
        ("::1", "2001:db8::1", "2001:db8::1"),
    ],
)
def test_forwarded_client(peer: str, header: str, expected: str) -> None:
    assert forwarded_client(peer, header, networks(["127.0.0.1", "::1", "10.0.0.0/8"])) == expected


def test_citra_serve_ignores_x_forwarded_for(filled, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The real command (uvicorn as `citra serve` runs it, which by itself would trust 127.0.0.1's headers)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    cmd = [sys.executable, "-m", "citra", "serve", "--port", str(port), "--workspace", str(filled.ws.root)]
    log = (tmp_path / "serve.log").open("wb")
    server = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, env=os.environ | {"CITRA_SECRET_KEY": "k"})
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            assert server.poll() is None and time.monotonic() < deadline, (tmp_path / "serve.log").read_text()
            with contextlib.suppress(httpx.TransportError):
                if httpx.get(f"{base}/login", timeout=5).status_code == 200:
                    break
            time.sleep(0.1)
        with httpx.Client(base_url=base, timeout=30) as client:
            for i in range(5):
                assert _try(client, "analis", "not-it-at-all", f"198.51.100.{i}").status_code == 401
            assert _try(client, "analis", PASSWORD, "198.51.100.99").status_code == 429
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()


def test_password_checks_are_bounded(client, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """While every argon2 slot is taken, a login waits CHECK_WAIT seconds and then gets 503 with Retry-After
    (argon2 holds 64 MiB per check: unbounded, parallel logins exhausted memory); it works again once one is free."""
    monkeypatch.setattr(auth, "CHECK_WAIT", 0.2)
    token = csrf_of(client.get("/login").text)
    data = {"username": "analis", "password": PASSWORD, "csrf_token": token}
    taken = 0
    while auth._CHECKS.acquire(blocking=False):
        taken += 1
    try:
        assert taken >= 2
        busy = client.post("/login", data=data, follow_redirects=False)
        assert busy.status_code == 503 and int(busy.headers["retry-after"]) > 0, (busy.headers, busy.text[-2000:])
    finally:
        for _ in range(taken):
            auth._CHECKS.release()
    assert client.post("/login", data=data, follow_redirects=False).status_code == 303
