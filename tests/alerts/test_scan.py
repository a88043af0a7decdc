"""citra alerts scan end to end: a planted crisis in stored, annotated posts becomes one alert that is updated
(not duplicated) on every scan, with its drivers, and is pushed once to a real webhook on 127.0.0.1."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import numpy as np
import pytest

from citra import config
from citra.alerts.scan import episodes, scan, severity
from citra.records import Annotation, Author, Engagement, Platform, Post, Sentiment, Target, TargetKind
from citra.store import Store
from tests.alerts.test_channels import HTTPReceiver, _serve
from tests.test_cli import citra

START = datetime(2024, 5, 1, tzinfo=UTC)
ONSET = START + timedelta(days=29, hours=3)  # 10:00 WIB
PROBS = {
    Sentiment.NEGATIVE: (0.85, 0.1, 0.05),
    Sentiment.NEUTRAL: (0.1, 0.8, 0.1),
    Sentiment.POSITIVE: (0.05, 0.1, 0.85),
}
CALM = [
    "Jalan berlubang di Jatiasih belum ditambal",
    "Sampah menumpuk di pasar",
    "Pelayanan KTP cepat, terima kasih",
    "Info jadwal posyandu minggu ini",
    "Macet di Bulak Kapal pagi ini",
]
CRISIS = "Wali kota ditangkap KPK dalam OTT, memalukan sekali! #OTTKPK korupsi lagi"


@pytest.fixture
def hooks() -> Iterator[HTTPReceiver]:
    yield from _serve(HTTPReceiver())


def _fill(store: Store, crisis_hours: int = 6, *, days: int = 32, offset: int = 0) -> None:
    rng = np.random.default_rng(7)
    posts: list[tuple[Post, Sentiment, tuple[Target, ...]]] = []
    for h in range(days * 24):
        when = START + timedelta(hours=h)
        local_hour = (when.hour + 7) % 24
        rate = 4.0 if 7 <= local_hour <= 22 else 0.5
        for k in range(rng.poisson(rate)):
            label = [Sentiment.NEGATIVE, Sentiment.NEUTRAL, Sentiment.POSITIVE][rng.choice(3, p=[0.3, 0.4, 0.3])]
            text = CALM[rng.integers(len(CALM))]
            posts.append(
                (
                    Post(
                        Platform.X,
                        f"c{h}-{k}",
                        text,
                        when + timedelta(minutes=k),
                        author=Author(handle=f"w{k}"),
                        engagement=Engagement(likes=int(rng.integers(5))),
                    ),
                    label,
                    (),
                )
            )
        if ONSET <= when < ONSET + timedelta(hours=crisis_hours):
            for k in range(40):
                post = Post(
                    Platform.X if k % 4 else Platform.INSTAGRAM,
                    f"k{h}-{k}-{offset}",
                    CRISIS,
                    when + timedelta(minutes=k),
                    author=Author(handle=f"marah{k % 9}", followers=1000 * k),
                    engagement=Engagement(likes=k * 10, reposts=k),
                )
                posts.append((post, Sentiment.NEGATIVE, (Target(TargetKind.LEADER, "Wali Kota"),)))
    store.add_posts([p for p, _, _ in posts])
    ids = {}
    with store.engine.connect() as conn:
        ids = dict(conn.exec_driver_sql("SELECT native_id, id FROM posts").all())
    notes = []
    for post, label, targets in posts:
        topics = ("corruption",) if post.text == CRISIS else ()
        notes.append(
            (
                ids[post.native_id],
                Annotation("id", 0.9, label, PROBS[label], topics, ("Inspektorat",) * len(topics), targets),
            )
        )
    store.save_annotations(notes, "v1")


def test_episode_grouping_and_severity() -> None:
    times = [START + timedelta(hours=h) for h in range(100)]
    vol = np.full(100, np.nan)
    share = np.full(100, np.nan)
    vol[[10, 11, 30]] = [6, 9, 7]
    share[[12, 80]] = [8, 5.5]
    found = episodes(times, vol, share, 5.0)
    assert [(e.first, e.last, e.kind) for e in found] == [(10, 30, "negative_volume"), (80, 80, "negative_share")]
    assert found[0].peak == 9
    assert [severity(s, 5.0) for s in (5.5, 7, 12, 16)] == ["low", "medium", "high", "critical"]


def test_one_crisis_is_one_alert_pushed_once(workspace: config.Workspace, store: Store, hooks: HTTPReceiver) -> None:
    path = workspace.root / "citra.toml"
    path.write_text(
        path.read_text() + f'\n[[alerts.channels]]\nkind = "webhook"\nurl = "{hooks.base}/hook"\n'
        'min_severity = "low"\n',
        encoding="utf-8",
    )
    ws = config.load(workspace.root)
    _fill(store)
    first = scan(store, ws, now=ONSET + timedelta(hours=8))
    assert first.new == 1 and len(first.alerts) == 1
    alert = first.alerts[0]
    assert ONSET <= alert.start <= ONSET + timedelta(hours=2)  # detected within two hours of the onset
    assert alert.status == "open" and alert.severity in ("medium", "high", "critical")
    drivers = alert.drivers
    assert drivers["topics"][0]["topic"] == "corruption"
    assert drivers["targets"][0]["target"] == "leader:Wali Kota"
    assert {"ditangkap", "kpk"} <= set(drivers["terms"])
    assert drivers["samples"][0]["text"] == CRISIS and drivers["authors"][0]["author"].startswith("marah")
    assert {p["platform"] for p in drivers["platforms"]} == {"x", "instagram"}
    assert drivers["volume"]["negative"] >= 240 and drivers["volume"]["expected_negative"] < 40
    assert len(hooks.received) == 1 and hooks.received[0].json()["alert"]["id"] == alert.id
    again = scan(store, ws, now=ONSET + timedelta(hours=9))
    assert (again.new, again.updated) == (0, 1) and again.alerts[0].id == alert.id
    assert len(store.alerts()) == 1 and len(hooks.received) == 1  # same severity: not pushed again
    later = scan(store, ws, now=ONSET + timedelta(days=5))
    assert later.alerts[0].status == "closed" and len(hooks.received) == 1


def test_cli_scan_json(workspace: config.Workspace, store: Store) -> None:
    _fill(store, days=31)
    out = json.loads(citra("alerts", "scan", "--json", "--no-notify", ws=workspace.root).stdout)
    [alert] = out["alerts"]
    assert datetime.fromisoformat(alert["start"]) >= ONSET and alert["severity"] and alert["drivers"]["terms"]
    listed = json.loads(citra("alerts", "list", "--json", ws=workspace.root).stdout)
    assert [a["id"] for a in listed["alerts"]] == [alert["id"]]


def test_calm_history_raises_no_alert(workspace: config.Workspace, store: Store) -> None:
    _fill(store, crisis_hours=0)
    assert scan(store, workspace, notify=False).alerts == []
