"""The server's capacity settings: request threads and the database pool are sized together, and a request that
finds no free connection within ``pool_timeout`` is told to come back (503 with Retry-After), not given a 500."""

from __future__ import annotations

import dataclasses

import anyio.to_thread
from fastapi.testclient import TestClient

from citra.web import capacity
from citra.web.app import create_app

from .conftest import Filled, login


def _with_web(filled: Filled, **web: object):  # type: ignore[no-untyped-def]
    settings = filled.ws.settings.model_copy(update={"web": filled.ws.settings.web.model_copy(update=web)})
    return dataclasses.replace(filled.ws, settings=settings)


def test_threads_and_pool_are_sized_together(filled: Filled) -> None:
    ws = _with_web(filled, threads=6)
    assert capacity.pool_size(ws.settings.web) == 6 + capacity.BACKGROUND
    app = create_app(ws, secret_key="capacity-test-secret", cache_seconds=0)
    assert app.state.store.engine.pool.size() == 6 + capacity.BACKGROUND
    with TestClient(app) as client:  # the lifespan limits anyio's worker threads of the server's event loop
        tokens = client.portal.call(lambda: anyio.to_thread.current_default_thread_limiter().total_tokens)
    assert tokens == 6
    assert capacity.pool_size(_with_web(filled, threads=6, database_pool=30).settings.web) == 30


def test_no_free_connection_is_a_503_with_retry_after(filled: Filled) -> None:
    app = create_app(_with_web(filled, database_pool=1, pool_timeout=0.2), secret_key="capacity-test-secret")
    with TestClient(app, base_url="http://testserver") as client:
        login(client, "admin")
        with app.state.store.engine.connect():  # the one connection is taken
            busy = client.get("/percakapan")
            api = client.get("/api/v1/posts")
        assert busy.status_code == 503 and busy.headers["retry-after"].isdigit()
        assert "sibuk" in busy.text or "busy" in busy.text
        assert api.status_code == 503 and "busy" in api.json()["detail"]
        assert client.get("/percakapan").status_code == 200  # free again: served
