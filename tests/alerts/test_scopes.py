"""Saved searches as alert scopes: a watched ("Pantau") search gets its own spike alerts, counted in the database
with its filters; an unwatched one gets none; a quiet scope does not alert on a handful of posts; the whole-city
alerts stay what they were without any watched search."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
import pytest

from citra import config, curate
from citra.alerts import message, scan
from citra.errors import Forbidden
from citra.records import Annotation, Author, Platform, Post, Role, Sentiment, User
from citra.store import Store

START = datetime(2024, 5, 1, tzinfo=UTC)
ONSET = START + timedelta(days=29, hours=3)  # 10:00 WIB
QUIET_AT = START + timedelta(days=25, hours=4)
PROBS = {
    Sentiment.NEGATIVE: (0.85, 0.1, 0.05),
    Sentiment.NEUTRAL: (0.1, 0.8, 0.1),
    Sentiment.POSITIVE: (0.05, 0.1, 0.85),
}
CALM = {
    "Jalan berlubang di Jatiasih belum ditambal": "roads",
    "Sampah menumpuk di pasar": "waste",
    "Info jadwal posyandu minggu ini": "health",
    "Macet di Bulak Kapal pagi ini": "traffic",
    "Pelayanan KTP cepat, terima kasih": "",
}
WASTE = "Sampah tidak diangkut seminggu, bau busuk sekali di Bekasi Timur"
ADMIN = User(1, "admin", Role.ADMIN)


def _fill(store: Store) -> None:
    """A month of calm posts (one topic per text), a waste spike of 30 negative posts over three hours at ONSET,
    and 12 negative health posts in one hour at QUIET_AT (under the scope minimum)."""
    rng = np.random.default_rng(11)
    texts = list(CALM)
    posts: list[tuple[Post, Sentiment]] = []
    for h in range(32 * 24):
        when = START + timedelta(hours=h)
        rate = 4.0 if 7 <= (when.hour + 7) % 24 <= 22 else 0.5
        for k in range(rng.poisson(rate)):
            label = [Sentiment.NEGATIVE, Sentiment.NEUTRAL, Sentiment.POSITIVE][rng.choice(3, p=[0.3, 0.4, 0.3])]
            posts.append((Post(Platform.X, f"c{h}-{k}", texts[rng.integers(len(texts))], when), label))
        planted = (10 if ONSET <= when < ONSET + timedelta(hours=3) else 0, 12 if when == QUIET_AT else 0)
        for n, text in zip(planted, (WASTE, "Posyandu tutup, ibu-ibu kecewa"), strict=True):
            for k in range(n):
                post = Post(Platform.X, f"p{h}-{k}", text, when + timedelta(minutes=k), author=Author(handle=f"w{k}"))
                posts.append((post, Sentiment.NEGATIVE))
    store.add_posts([p for p, _ in posts])
    with store.engine.connect() as conn:
        ids = dict(conn.exec_driver_sql("SELECT native_id, id FROM posts").all())
    notes = []
    for post, label in posts:
        topic = CALM.get(post.text) or ("waste" if post.text == WASTE else "health")
        notes.append((ids[post.native_id], Annotation("id", 0.9, label, PROBS[label], (topic,), (), ())))
    store.save_annotations(notes, "v1")


def _city(store: Store) -> list[tuple[int | None, datetime, float]]:
    return [(a.id, a.start, round(a.peak_score, 6)) for a in store.alerts(scope=None)]


def test_watched_search_raises_a_scoped_alert(workspace: config.Workspace, store: Store) -> None:
    _fill(store)
    waste = curate.save_search(store, ADMIN, "Sampah", {"topic": "waste", "since": "2024-06-01"})
    roads = curate.save_search(store, ADMIN, "Jalan rusak", {"topic": "roads"})
    health = curate.save_search(store, ADMIN, "Posyandu", {"topic": "health"})
    now = ONSET + timedelta(hours=6)
    scan.scan(store, workspace, notify=False, now=now)
    before = _city(store)
    assert store.alerts(scope=waste) == []  # not watched yet: no scoped alert

    curate.watch_search(store, ADMIN, waste, True)
    curate.watch_search(store, ADMIN, health, True)
    with pytest.raises(Forbidden):
        curate.watch_search(store, User(2, "opd", Role.OPD, opd="DLH"), roads, True)
    assert [s.id for s in store.saved.watched()] == [waste, health]
    result = scan.scan(store, workspace, notify=False, now=now)

    [scoped] = store.alerts(scope=waste)
    assert (scoped.scope_id, scoped.scope_name, scoped.status) == (waste, "Sampah", "open")
    assert ONSET <= scoped.start <= ONSET + timedelta(hours=2)
    assert scoped.drivers["samples"][0]["text"] == WASTE  # drivers read within the scope
    assert {t["topic"] for t in scoped.drivers["topics"]} == {"waste"}
    assert store.alerts(scope=roads) == [] and store.alerts(scope=health) == []  # unwatched; under the minimum
    assert _city(store) == before  # the whole city's alerts are what they were
    assert any(a.scope_id == waste for a in result.alerts)
    assert "Cakupan: <b>Sampah</b>" in message.render_text(scoped, "Pemkot", workspace.tz)
    assert "cakupan: Sampah" in message.render_subject(scoped, "Pemkot")
    assert message.render_json(scoped, "Pemkot")["alert"]["scope"] == {"saved_search": waste, "name": "Sampah"}

    again = scan.scan(store, workspace, notify=False, now=now)  # matched, not duplicated
    assert [a.id for a in store.alerts(scope=waste)] == [scoped.id] and again.new == 0


def test_minimum_keeps_a_quiet_scope_silent(
    workspace: config.Workspace, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The 12 health posts do score as a spike: only the minimum count keeps them from alerting."""
    _fill(store)
    health = curate.save_search(store, ADMIN, "Posyandu", {"topic": "health"})
    curate.watch_search(store, ADMIN, health, True)
    scan.scan(store, workspace, notify=False)
    assert store.alerts(scope=health) == []
    monkeypatch.setattr(scan, "SCOPE_MIN_NEGATIVE", 1)
    scan.scan(store, workspace, notify=False)
    assert [a.start for a in store.alerts(scope=health)] == [QUIET_AT]
