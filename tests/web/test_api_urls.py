"""The API hands out only http(s) links of posts: a ``javascript:`` or ``data:`` URL from a source becomes null."""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi.testclient import TestClient

from citra.records import Author, Platform, Post
from citra.store import Store

from .conftest import token_for

URLS = {
    "u1": "javascript:alert(document.cookie)",
    "u2": " JavaScript:alert(1)",
    "u3": "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "u4": "https://x.com/warga/status/4",
    "u5": "http://lapor.go.id/laporan/5",
    "u6": "//evil.example/x",
}


def test_posts_api_drops_non_http_urls(client: TestClient, filled) -> None:
    with Store.open(filled.ws.database_url) as store:
        store.add_posts(
            [
                Post(Platform.X, native, "Jalan rusak", datetime(2027, 1, 1, tzinfo=UTC), url=url, author=Author("9"))
                for native, url in URLS.items()
            ]
        )
    h = {"Authorization": f"Bearer {token_for(filled, 'pemirsa')}"}
    items = client.get("/api/v1/posts?limit=6&since=2026-12-31", headers=h).json()["items"]
    got = {p["native_id"]: p["url"] for p in items}
    assert got == {"u1": None, "u2": None, "u3": None, "u4": URLS["u4"], "u5": URLS["u5"], "u6": None}
