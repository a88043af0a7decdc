"""The citra index and daily metrics from annotations stored on SQLite and PostgreSQL."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import numpy as np
import pytest

from citra import config
from citra.analytics.index import dirichlet_index
from citra.measure import daily_metric, index_rows, metric_series
from citra.records import Annotation, Engagement, Platform, Post, Sentiment, Target, TargetKind
from citra.store import Store

WIB = ZoneInfo("Asia/Jakarta")
PROBS = {
    Sentiment.NEGATIVE: (0.8, 0.15, 0.05),
    Sentiment.NEUTRAL: (0.1, 0.8, 0.1),
    Sentiment.POSITIVE: (0.05, 0.15, 0.8),
}


def _fill(store: Store, spec: list[tuple[datetime, Sentiment, bool, int, tuple[str, ...], tuple[Target, ...]]]) -> None:
    posts = [
        Post(
            platform=Platform.X if i % 3 else Platform.INSTAGRAM,
            native_id=str(i),
            text=f"post {i}",
            created_at=when,
            is_official=official,
            engagement=Engagement(likes=likes),
        )
        for i, (when, _, official, likes, _, _) in enumerate(spec)
    ]
    store.add_posts(posts)
    ids = {p.native_id: s.id for p in posts for s in store.lookup(p.native_id, p.platform)}
    notes = [
        (ids[str(i)], Annotation("id", 0.9, label, PROBS[label], topics, tuple("OPD " + t for t in topics), targets))
        for i, (_, label, _, _, topics, targets) in enumerate(spec)
    ]
    store.save_annotations(notes, "v1")


def test_dirichlet_index_is_centred_and_narrows_with_volume() -> None:
    assert dirichlet_index(0, 0, 0) == (50.0, pytest.approx(50 - 48.0, abs=8), pytest.approx(50 + 48.0, abs=8))
    idx, low, high = dirichlet_index(80, 10, 100)
    assert 80 < idx < 86 and low < idx < high
    _, low_big, high_big = dirichlet_index(8000, 1000, 10000)
    assert high_big - low_big < (high - low) / 5
    rng = np.random.default_rng(1)  # coverage of the true net sentiment by the 95% interval, 400 draws
    hits = 0
    for _ in range(400):
        labels = rng.choice(3, size=200, p=[0.3, 0.5, 0.2])
        _, lo, hi = dirichlet_index(float((labels == 2).sum()), float((labels == 0).sum()), 200)
        hits += lo <= 50 * (1 + 0.2 - 0.3) <= hi
    assert hits / 400 >= 0.92


def test_index_by_day_and_group(workspace: config.Workspace, store: Store) -> None:
    day1 = datetime(2024, 3, 4, 9, tzinfo=WIB)  # a Monday
    late = datetime(2024, 3, 4, 23, 30, tzinfo=WIB)  # 16:30 UTC: still 4 March in WIB
    mayor = Target(TargetKind.LEADER, "Wali Kota")
    spec = [
        (day1, Sentiment.NEGATIVE, False, 5, ("roads",), (mayor,)),
        (day1, Sentiment.NEGATIVE, False, 2000, ("roads", "floods"), ()),
        (late, Sentiment.POSITIVE, False, 0, (), (mayor,)),
        (late, Sentiment.POSITIVE, True, 0, (), ()),  # official: excluded
        (day1 + timedelta(days=1), Sentiment.NEUTRAL, False, 0, ("floods",), ()),
        (day1 + timedelta(days=8), Sentiment.POSITIVE, False, 0, ("waste",), ()),
    ]
    _fill(store, spec)
    days = index_rows(store, workspace, freq="day")
    assert [(r.period.date(), r.volume, r.negative, r.positive) for r in days] == [
        (date(2024, 3, 4), 3, 2, 1),
        (date(2024, 3, 5), 1, 0, 0),
        (date(2024, 3, 12), 1, 0, 1),
    ]
    first = days[0]
    assert first.period.tzinfo is not None and first.negative_share == pytest.approx(0.6667, abs=1e-4)
    assert first.net_sentiment == pytest.approx(-1 / 3, abs=1e-4)
    assert first.ci_low < first.index < first.ci_high
    assert first.reach_index < first.index  # the widely shared negative post weighs more
    weeks = index_rows(store, workspace, freq="week")
    assert [(r.period.date(), r.volume) for r in weeks] == [(date(2024, 3, 4), 4), (date(2024, 3, 11), 1)]
    months = index_rows(store, workspace, freq="month")
    assert [(r.period.date(), r.volume) for r in months] == [(date(2024, 3, 1), 5)]
    topics = {(r.period.date(), r.group): r.volume for r in index_rows(store, workspace, by="topic")}
    assert topics[(date(2024, 3, 4), "roads")] == 2 and topics[(date(2024, 3, 4), "floods")] == 1
    opds = {r.group for r in index_rows(store, workspace, by="opd")}
    assert opds == {"OPD roads", "OPD floods", "OPD waste"}
    targets = [r for r in index_rows(store, workspace, by="target") if r.group == "leader:Wali Kota"]
    assert [(r.volume, r.negative, r.positive) for r in targets] == [(2, 1, 1)]
    platforms = {r.group for r in index_rows(store, workspace, by="platform")}
    assert platforms == {"x", "instagram"}
    since = datetime(2024, 3, 5, tzinfo=WIB)
    assert [r.volume for r in index_rows(store, workspace, since=since, until=since + timedelta(days=1))] == [1]


def test_daily_metric_series(workspace: config.Workspace, store: Store) -> None:
    start = datetime(2024, 3, 4, 10, tzinfo=WIB)
    _fill(
        store,
        [
            (start, Sentiment.NEGATIVE, False, 0, (), ()),
            (start + timedelta(days=2), Sentiment.POSITIVE, False, 0, (), ()),
        ],
    )
    volume = metric_series(store, workspace, "volume", date(2024, 3, 4), date(2024, 3, 7))
    assert volume.tolist() == [1.0, 0.0, 1.0, 0.0]
    share = metric_series(store, workspace, "negative_share", date(2024, 3, 4), date(2024, 3, 7))
    assert share.iloc[0] == 1.0 and np.isnan(share.iloc[1]) and share.iloc[2] == 0.0
    with pytest.raises(Exception, match="unknown metric"):
        daily_metric([], "mood", date(2024, 3, 4), date(2024, 3, 5))


def test_index_cli(workspace: config.Workspace, store: Store) -> None:
    import json

    from tests.test_cli import citra

    _fill(store, [(datetime(2024, 3, 4, 10, tzinfo=UTC), Sentiment.NEGATIVE, False, 0, ("roads",), ())])
    out = json.loads(citra("index", "--json", "--by", "topic", ws=workspace.root).stdout)
    assert out["rows"][0]["group"] == "roads" and out["rows"][0]["negative"] == 1
    assert "periode" in citra("index", "--freq", "week", ws=workspace.root).stdout
    assert citra("index", "--freq", "year", ws=workspace.root, check=False).returncode != 0
    assert citra("index", "--by", "mood", ws=workspace.root, check=False).returncode != 0
    csv_out = citra("index", "--csv", ws=workspace.root).stdout.splitlines()
    assert csv_out[0].startswith("period,group,volume") and len(csv_out) == 2


def test_interventions(workspace: config.Workspace, store: Store) -> None:
    from citra.errors import CitraError, NotFound
    from citra.records import Intervention, InterventionKind

    item = Intervention("Deklarasi Antikorupsi", date(2024, 3, 10), InterventionKind.DECLARATION, "bersama OPD")
    store.add_intervention(item)
    assert store.intervention("Deklarasi Antikorupsi") == item
    with pytest.raises(CitraError, match="already exists"):
        store.add_intervention(dataclasses.replace(item, date=date(2024, 3, 11)))
    with pytest.raises(NotFound, match="Deklarasi Antikorupsi"):
        store.intervention("Kampanye")
