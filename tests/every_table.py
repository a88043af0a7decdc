"""A workspace with rows in every table (for backups, data-subject requests and retention), and a reader of every
table's rows for comparing two databases."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np
import sqlalchemy as sa

from citra.config import Workspace
from citra.records import Alert, Author, FeedState, HumanLabel, InboxStatus, Platform, Post, Sentiment
from citra.store import Store
from citra.store.schema import metadata
from tests.web.conftest import START, fill

AUTHOR = "warga3"  # a citizen of the filled workspace whose data-subject requests the tests answer


@dataclass(frozen=True)
class Populated:
    ws: Workspace
    author_ids: list[int]  # posts of AUTHOR
    other_id: int  # a post by someone else, labelled and in the inbox too


def populate(ws: Workspace) -> Populated:
    """The web tests' filled workspace (posts, annotations, topics, targets, routes, users, an intervention, an
    alert) plus an import run, a feed state, labels, the team's labels, an audit sample, an inbox assignment, an
    API token and audit entries, several of them about AUTHOR's posts."""
    fill(ws)
    with Store.open(ws.database_url) as store:
        run = store.start_import("ingest", ["kota.csv"])
        store.runs.claim(run)
        raw_post = Post(
            platform=Platform.X,
            native_id="777001",
            text="Lampu jalan mati sejak minggu lalu, tolong pak",
            created_at=START + timedelta(days=3),
            url=f"https://x.com/{AUTHOR}/status/777001",
            author=Author("3", AUTHOR, "Warga Tiga", 55),
            raw={"user": {"screen_name": AUTHOR, "name": "Warga Tiga"}, "full_text": "Lampu jalan mati"},
        )
        store.add_posts([raw_post], import_id=run, read=1)
        store.finish_import(run, "done")
        store.save_feed_state(FeedState("https://example.org/rss.xml", etag='"x1"', status=200))
        mine = sorted(p.id for p in store.each() if p.post.author.handle == AUTHOR)
        other = next(p.id for p in store.each() if p.post.author.handle == "warga4")
        for pid in (mine[0], other):
            store.set_human(pid, "web:analis", sentiment=Sentiment.NEGATIVE, opd="Dinas PUPR", needs_response=True)
            store.inbox.assign(pid, by="pupr", opd="Dinas PUPR", status=InboxStatus.ASSIGNED, note="cek lokasi")
            store.accounts.audit("pupr", "inbox.assign", f"post:{pid}", note="cek lokasi")
            store.inbox.set_draft(pid, by="pupr", draft="Terima kasih, lampu segera diperbaiki")
            store.inbox.add_note(pid, author="pupr", text="sudah dicek ke lokasi")
        store.add_labels([HumanLabel(store.get(mine[1]).post.text, Sentiment.NEUTRAL, "import:rekap.csv")])
        store.labelling.add_to_audit([mine[0], mine[1], other], "sentiment", "analis")
        unit = np.full(384, 384**-0.5, np.float32)  # the deep tier's vector and label (values need not be real)
        deep = [(pid, np.array([0.7, 0.2, 0.1])) for pid in (mine[0], other)]
        store.deep.save(deep, "deep-test@1", [(pid, unit) for pid in (mine[0], other)], "encoder-test@1")
        store.accounts.add_token("analis", "script", "secret-token-value")
        store.accounts.audit("admin", "user.add", "analis", role="analyst")
        samples = [
            {"text": raw_post.text, "author": "@Warga3", "url": raw_post.url, "platform": "x"},
            {"text": "Sampah menumpuk", "author": "warga4", "url": None, "platform": "x"},
        ]
        when = START + timedelta(days=3)
        alert = store.save_alert(
            Alert(None, "negative_volume", when, when, 6.0, "medium", "open", {"samples": samples})
        )
        assert alert.id is not None
        store.alert_work.add_note(alert.id, "analis", "Sudah dikoordinasikan dengan Dinas PUPR")
        store.subjects.forget(store.subjects.post_ids("warga9")[:1])  # an earlier request: a row in forgotten
        store.saved.add("Banjir negatif", {"q": "banjir", "sentiment": "negative", "since": "2026-09-01"}, "analis")
        store.report_history.add(
            "2026-09", "pdf", via="schedule", file="laporan.pdf", sent_to=["humas@example.go.id"], status="sent"
        )
    return Populated(ws, mine, other)


def table_rows(url: str) -> dict[str, list[dict[str, Any]]]:
    """Every citra table's rows, in primary-key order, with Python values (comparable across databases)."""
    with Store.open(url) as store, store.engine.connect() as conn:
        ordered = {t.name: sa.select(t).order_by(*t.primary_key.columns) for t in metadata.sorted_tables}
        return {name: [dict(r) for r in conn.execute(stmt).mappings()] for name, stmt in ordered.items()}


def now() -> datetime:
    return datetime.now(UTC)
