"""Isu & OPD with a cache (as `citra serve` runs it): the first request does not wait for the new-issue clusters,
it says they are being grouped; they appear once the background computation is done."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

from fastapi.testclient import TestClient

from citra.nlp.encoder import Encoder
from citra.records import Annotation, Author, Platform, Post, Sentiment
from citra.store import Store
from citra.web.app import create_app
from tests.web.conftest import Filled, login

TEXT = "Pasar malam di lapangan kota dibatalkan mendadak, uang tiket belum dikembalikan"
PENDING = "Isu baru sedang dikelompokkan"


def test_first_request_does_not_wait_for_the_clusters(filled: Filled) -> None:
    now = datetime.now(UTC)
    texts = [TEXT + tail for tail in ("", "!!", " sama sekali", ", kecewa", " tolong dijelaskan")]
    posts = [
        Post(Platform.X, f"pasar-{k}", t, now - timedelta(hours=k + 1), author=Author(f"p{k}", f"warga_pasar{k}"))
        for k, t in enumerate(texts)
    ]
    encoder = Encoder()
    note = Annotation("id", 1.0, Sentiment.NEGATIVE, (0.8, 0.1, 0.1))
    with Store.open(filled.ws.database_url) as store:
        store.add_posts(posts)
        ids = [store.lookup(p.native_id, p.platform)[0].id for p in posts]
        store.save_annotations([(i, note) for i in ids], "test-1")
        store.save_vectors(list(zip(ids, encoder.embed(texts), strict=True)), encoder.version)
    app = create_app(filled.ws, secret_key="test-secret-key", cache_seconds=60)
    with TestClient(app, base_url="http://testserver") as client:
        login(client, "admin")
        first = client.get("/isu")
        assert first.status_code == 200 and PENDING in first.text
        deadline = time.monotonic() + 60
        while True:
            page = client.get("/isu")
            if PENDING not in page.text:
                break
            assert time.monotonic() < deadline, "the clusters were never computed"
            time.sleep(0.2)
        assert 'class="new-issue"' in page.text and "pasar" in page.text.lower()
