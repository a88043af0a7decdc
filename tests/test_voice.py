"""Share of voice and spillover on SQLite and PostgreSQL: a small fixture whose counts are worked out by hand,
through the library and the command line; the intervals' arithmetic and coverage."""

from __future__ import annotations

import json
from datetime import date, datetime
from zoneinfo import ZoneInfo

import numpy as np
import pytest
from scipy import stats

from citra import config, voice
from citra.analytics import voice as math
from citra.errors import CitraError, ConfigError
from citra.measure import index_rows
from citra.records import Annotation, Intervention, InterventionKind, Platform, Post, Sentiment, Target, TargetKind
from citra.store import Store
from citra.store import voice as store_voice
from tests.conftest import ORG
from tests.test_cli import citra

WIB = ZoneInfo("Asia/Jakarta")
LEADER = "Budi Santoso"
INST = Target(TargetKind.INSTITUTION, ORG)
LEAD = Target(TargetKind.LEADER, LEADER)
DEPOK = Target(TargetKind.ENTITY, "Kota Depok")
BOGOR = Target(TargetKind.ENTITY, "Kota Bogor")
NEG, NEU, POS = Sentiment.NEGATIVE, Sentiment.NEUTRAL, Sentiment.POSITIVE
PROBS = {NEG: (0.8, 0.15, 0.05), NEU: (0.1, 0.8, 0.1), POS: (0.05, 0.15, 0.8)}
SETTINGS = f"""
[[leaders]]
name = "{LEADER}"
role = "Wali Kota"
aliases = ["pak budi"]

[[entities]]
name = "Kota Depok"

[[entities]]
name = "Kota Bogor"
"""
W1, W2 = datetime(2024, 3, 4, tzinfo=WIB), datetime(2024, 3, 11, tzinfo=WIB)  # local Mondays
# (local time, model label, team label, official, targets)
SPEC: list[tuple[datetime, Sentiment, Sentiment | None, bool, tuple[Target, ...]]] = [
    (datetime(2024, 3, 4, 9, tzinfo=WIB), NEG, None, False, (INST,)),
    (datetime(2024, 3, 4, 10, tzinfo=WIB), NEG, None, False, (INST, LEAD)),
    (datetime(2024, 3, 5, 10, tzinfo=WIB), POS, None, False, (INST,)),
    (datetime(2024, 3, 5, 11, tzinfo=WIB), NEG, None, False, (DEPOK,)),
    (datetime(2024, 3, 6, 11, tzinfo=WIB), NEU, None, False, (INST, DEPOK)),
    (datetime(2024, 3, 6, 12, tzinfo=WIB), NEG, None, False, (LEAD,)),
    (datetime(2024, 3, 7, 12, tzinfo=WIB), NEG, None, True, (INST, LEAD)),  # official: never counted
    (datetime(2024, 3, 10, 23, 30, tzinfo=WIB), POS, None, False, (BOGOR,)),  # Sunday 16:30 UTC: week 1
    (datetime(2024, 3, 11, 0, 30, tzinfo=WIB), POS, None, False, (DEPOK,)),  # Sunday 17:30 UTC: local week 2
    (datetime(2024, 3, 12, 8, tzinfo=WIB), NEG, POS, False, (INST, LEAD)),  # the team's label wins: positive
    (datetime(2024, 3, 12, 9, tzinfo=WIB), NEG, None, False, (INST,)),
    (datetime(2024, 3, 13, 9, tzinfo=WIB), NEU, NEG, False, (INST, LEAD)),  # the team's label: negative
    (datetime(2024, 3, 14, 9, tzinfo=WIB), NEG, None, False, (INST,)),
]


def fill(ws: config.Workspace) -> config.Workspace:
    """Adds the leader and the two entities to the workspace's settings and stores ``SPEC`` with an intervention on
    the second Monday; returns the reloaded workspace."""
    path = ws.root / config.CONFIG_NAME
    path.write_text(path.read_text() + SETTINGS)
    ws = config.load(ws.root)
    with Store.open(ws.database_url) as store:
        posts = [
            Post(platform=Platform.X, native_id=str(i), text=f"post {i}", created_at=when, is_official=official)
            for i, (when, _, _, official, _) in enumerate(SPEC)
        ]
        store.add_posts(posts)
        ids = {p.native_id: s.id for p in posts for s in store.lookup(p.native_id, p.platform)}
        notes = [
            (ids[str(i)], Annotation("id", 0.9, model, PROBS[model], (), (), targets))
            for i, (_, model, _, _, targets) in enumerate(SPEC)
        ]
        store.save_annotations(notes, "v1")
        for i, (_, _, team, _, _) in enumerate(SPEC):
            if team is not None:
                store.set_human(ids[str(i)], "tester", sentiment=team)
        store.add_intervention(Intervention("Klarifikasi", date(2024, 3, 11), InterventionKind.STATEMENT))
    return ws


@pytest.fixture
def city(workspace: config.Workspace) -> config.Workspace:
    return fill(workspace)


KEYS = [f"institution:{ORG}", "entity:Kota Depok", "entity:Kota Bogor"]
# week -> group -> (volume, positive, neutral, negative), counted by hand from SPEC
EXPECTED = {
    W1: {KEYS[0]: (4, 1, 1, 2), KEYS[1]: (2, 0, 1, 1), KEYS[2]: (1, 1, 0, 0)},
    W2: {KEYS[0]: (4, 1, 0, 3), KEYS[1]: (1, 1, 0, 0), KEYS[2]: (0, 0, 0, 0)},
}


def test_share_of_voice_per_week(city: config.Workspace) -> None:
    with Store.open(city.database_url) as store:
        result = voice.share_of_voice(store, city, "week")
        whole = {r.group: r for r in index_rows(store, city, freq="total", by="target")}
    assert [g.key for g in result.groups] == KEYS
    got = {(r.period, r.group): r for r in result.rows}
    assert len(result.rows) == 6
    for week, groups in EXPECTED.items():
        total = sum(v[0] for v in groups.values())
        for key, (n, pos, neu, neg) in groups.items():
            r = got[(week, key)]
            assert r.volume == n and r.share == round(n / total, 4)
            prior = stats.beta(n + 0.5, total - n + 1.0)  # Dirichlet(½, ½, ½) marginal: the others' prior is 1
            assert r.share_low == pytest.approx(prior.ppf(0.025) if n else 0.0, abs=1e-4)
            assert r.share_high == pytest.approx(prior.ppf(0.975), abs=1e-4)
            if n == 0:
                assert r.index is None and r.negative_share is None
            else:
                assert (r.positive_share, r.negative_share) == (round(pos / n, 4), round(neg / n, 4))
                assert r.index == pytest.approx(50 * (1 + (pos - neg) / n))
                assert r.ci_low < r.index <= r.ci_high
    assert got[(W1, KEYS[0])].index == 37.5
    totals = {r.group: r.volume for r in result.totals}
    for r in result.totals:  # the weeks summed give the index of the whole range, as citra index computes it
        assert (r.index, r.ci_low, r.ci_high) == (whole[r.group].index, whole[r.group].ci_low, whole[r.group].ci_high)
    assert totals == {KEYS[0]: 8, KEYS[1]: 3, KEYS[2]: 1}
    assert [r.share for r in result.totals] == [round(8 / 12, 4), 0.25, round(1 / 12, 4)]


def test_share_of_voice_by_day_and_range(city: config.Workspace) -> None:
    with Store.open(city.database_url) as store:
        days = voice.share_of_voice(store, city, "day", since=W2, until=datetime(2024, 3, 13, tzinfo=WIB))
        with pytest.raises(CitraError, match="choose one of day, week, month"):
            voice.share_of_voice(store, city, "hour")
    assert {(r.period.date(), r.group): r.volume for r in days.rows if r.volume} == {
        (date(2024, 3, 11), KEYS[1]): 1,
        (date(2024, 3, 12), KEYS[0]): 2,
    }


def test_spillover_per_week_and_around_the_intervention(city: config.Workspace) -> None:
    with Store.open(city.database_url) as store:
        result = voice.spillover(store, city, "week", window_days=7)
        by_name = voice.spillover(store, city, "month", leader="PAK BUDI")
        with pytest.raises(ConfigError, match="no leader named 'Siti'"):
            voice.spillover(store, city, leader="Siti")
        raw = store_voice.counts(store, "day", city.tz, ORG, LEADER)
    rows = [(r.period, r.institution, r.negative, r.with_leader, r.leader_negative) for r in result.rows]
    assert rows == [(W1, 4, 2, 1, 2), (W2, 4, 3, 1, 1)]
    first = result.rows[0]
    assert (first.share, first.low, first.high) == (
        0.5,
        *(round(stats.beta(1.5, 1.5).ppf(q), 4) for q in (0.025, 0.975)),
    )
    assert result.total is not None and (result.total.negative, result.total.with_leader) == (5, 2)
    assert by_name.leader == LEADER and [(r.negative, r.with_leader) for r in by_name.rows] == [(5, 2)]
    (change,) = result.changes
    assert (change.name, change.days) == ("Klarifikasi", 7)
    assert (change.before.k, change.before.n, change.after.k, change.after.n) == (1, 2, 1, 3)
    assert change.difference == round(1 / 3 - 1 / 2, 4)
    assert change.low is not None and change.high is not None and change.low < change.difference < change.high
    assert sum(b.negative for b in raw) == 5 and date(2024, 3, 10) not in {b.period.date() for b in raw}


def test_spillover_needs_a_leader(workspace: config.Workspace, store: Store) -> None:
    with pytest.raises(ConfigError, match="no leaders configured"):
        voice.spillover(store, workspace)


def test_intervals_cover_the_truth() -> None:
    """The spillover share's and the difference's 95% intervals cover the true values about 95% of the time."""
    rng = np.random.default_rng(5)
    share_hits = diff_hits = 0
    runs = 1000
    for _ in range(runs):
        n1, n2 = int(rng.integers(20, 200)), int(rng.integers(20, 200))
        k1, k2 = int(rng.binomial(n1, 0.1)), int(rng.binomial(n2, 0.25))
        p = math.jeffreys(k1, n1)
        share_hits += p.low <= 0.1 <= p.high
        c = math.change("x", date(2024, 1, 1), 7, (k1, n1), (k2, n2))
        assert c.low is not None and c.high is not None
        diff_hits += c.low <= 0.15 <= c.high
    assert 0.93 <= share_hits / runs <= 0.985
    assert 0.93 <= diff_hits / runs <= 0.985
    empty = math.change("x", date(2024, 1, 1), 7, (0, 0), (3, 9))
    assert (empty.difference, empty.low, empty.high) == (None, None, None)
    assert math.jeffreys(0, 0) == math.Proportion(0, 0, 0.0, 0.0, 1.0)
    assert math.jeffreys(4, 4, others=0.0) == math.Proportion(4, 4, 1.0, 1.0, 1.0)  # one group: all the voice


def test_cli_json(city: config.Workspace) -> None:
    sov = json.loads(citra("network", "share-of-voice", "--period", "week", "--json", ws=city.root).stdout)
    assert [(r["period"][:10], r["group"], r["volume"]) for r in sov["rows"]] == [
        (w.date().isoformat(), k, EXPECTED[w][k][0]) for w in (W1, W2) for k in KEYS
    ]
    spill = json.loads(
        citra("network", "spillover", "--since", "2024-03-01", "--until", "2024-03-31", "--window-days", "7",
              "--json", ws=city.root).stdout
    )  # fmt: skip
    assert [(r["negative"], r["with_leader"]) for r in spill["rows"]] == [(2, 1), (3, 1)]
    assert spill["changes"][0]["before"]["n"] == 2 and spill["changes"][0]["after"]["k"] == 1
    table = citra("network", "spillover", "--period", "month", ws=city.root).stdout
    assert "Klarifikasi" in table and "40.0%" in table
    bad = citra("network", "spillover", "--leader", "Siti", ws=city.root, check=False)
    assert bad.returncode == 2 and "no leader named" in bad.stderr
