"""Team labels override the model in the index, and the misclassification correction from a random audit
sample: its math (seeded simulations) and end to end on SQLite and PostgreSQL, through ``citra index --json``."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd
import pytest
import sqlalchemy as sa

from citra import config, curate
from citra.analytics import impact as stats
from citra.analytics.correction import Correction, project_simplex
from citra.measure import correction, impact, index_rows
from citra.records import Annotation, Platform, Post, Sentiment
from citra.store import Store, schema
from citra.store import confusion as audit_table
from tests.test_cli import citra

WIB = ZoneInfo("Asia/Jakarta")
CLASSES = (Sentiment.POSITIVE, Sentiment.NEUTRAL, Sentiment.NEGATIVE)
PROBS = {Sentiment.POSITIVE: (0.1, 0.2, 0.7), Sentiment.NEUTRAL: (0.2, 0.6, 0.2), Sentiment.NEGATIVE: (0.7, 0.2, 0.1)}
# P(model label | true label), rows and columns positive, neutral, negative: neutral posts are often called negative
M = np.array([[0.80, 0.15, 0.05], [0.10, 0.60, 0.30], [0.05, 0.10, 0.85]])
TRUE = np.array([0.25, 0.45, 0.30])


def _classify(rng: np.random.Generator, truth: np.ndarray) -> np.ndarray:
    u = rng.random(len(truth))[:, None]
    return (u > np.cumsum(M[truth], axis=1)).sum(axis=1)


def _audit(rng: np.random.Generator, n: int) -> np.ndarray:
    truth = rng.choice(3, size=n, p=TRUE)
    table = np.zeros((3, 3), dtype=int)
    np.add.at(table, (truth, _classify(rng, truth)), 1)
    return table


def test_projection_onto_the_simplex() -> None:
    v = np.array([[0.2, 0.3, 0.5], [1.2, -0.1, -0.1], [0.6, 0.6, -0.4]])
    p = project_simplex(v)
    assert np.allclose(p.sum(axis=1), 1) and (p >= 0).all()
    assert np.allclose(p[0], v[0]) and np.allclose(p[1], [1, 0, 0]) and np.allclose(p[2], [0.5, 0.5, 0])


def test_correction_recovers_the_true_shares_and_its_interval_covers() -> None:
    rng = np.random.default_rng(7)
    truth = rng.choice(3, size=20_000, p=TRUE)
    model = np.bincount(_classify(rng, truth), minlength=3)[None]
    naive = model[0] / model.sum()
    assert abs(naive[2] - TRUE[2]) > 0.05  # the model's own negative share is far off
    exact = Correction(_audit(rng, 5000))
    fixed = exact.point(model, np.zeros((1, 3)))[0]
    assert np.allclose(fixed, TRUE, atol=0.02)
    hits, reps = np.zeros(3), 120
    for rep in range(reps):  # 95 % intervals with an audit of 100 and periods of 800 posts
        audit = Correction(_audit(rng, 100), seed=rep)
        sample = rng.choice(3, size=800, p=TRUE)
        counts = np.bincount(_classify(rng, sample), minlength=3)[None]
        s = audit.shares(counts, np.zeros((1, 3)))
        hits += (s.low[0] <= TRUE) & (s.high[0] >= TRUE)
    assert (hits / reps >= 0.88).all(), hits / reps


def test_team_labels_count_as_truth_and_below_the_minimum_nothing_is_corrected() -> None:
    small = Correction(np.eye(3, dtype=int) * 10)  # 30 labels < 50
    assert not small.corrected and small.labels_used == 30
    audit = Correction(np.array([[40, 0, 0], [0, 40, 0], [0, 0, 40]]))
    # every post labelled by the team: the shares are the team's, whatever the model says
    assert np.allclose(audit.point(np.zeros((1, 3)), np.array([[1, 2, 1]]))[0], [0.25, 0.5, 0.25])
    draws = Correction(np.array([[40, 5, 5], [5, 30, 15], [2, 3, 45]]), seed=3)
    one = draws.shares(np.array([[30, 50, 20]]), np.array([[1, 1, 1]]))
    again = draws.shares(np.array([[5, 5, 5], [30, 50, 20]]), np.array([[0, 0, 0], [1, 1, 1]]))
    assert np.allclose(one.low[0], again.low[1]) and np.allclose(one.high[0], again.high[1])  # reproducible


def _fill(
    store: Store, truth: np.ndarray, model: np.ndarray, start: datetime, every: timedelta = timedelta(minutes=1)
) -> list[int]:
    posts = [
        Post(platform=Platform.X, native_id=f"p{i}", text=f"post {i}", created_at=start + i * every)
        for i in range(len(truth))
    ]
    store.add_posts(posts)
    with store.engine.connect() as conn:
        found = dict(conn.execute(sa.select(schema.posts.c.native_id, schema.posts.c.id)).all())
    ids = [found[p.native_id] for p in posts]
    notes = [(i, Annotation("id", 0.9, CLASSES[m], PROBS[CLASSES[m]])) for i, m in zip(ids, model, strict=True)]
    store.save_annotations(notes, "v1")
    return ids


def test_a_team_label_changes_counts_and_index(workspace: config.Workspace, store: Store) -> None:
    start = datetime(2024, 5, 6, 9, tzinfo=WIB)
    ids = _fill(store, np.zeros(4, dtype=int), np.array([2, 2, 2, 1]), start)  # the model: 3 negative, 1 neutral
    before = index_rows(store, workspace, freq="day")[0]
    assert (before.negative, before.positive, before.corrected, before.labels_used) == (3, 0, False, 0)
    store.set_human(ids[0], "tester", sentiment=Sentiment.POSITIVE)
    after = index_rows(store, workspace, freq="day")[0]
    assert (after.negative, after.positive, after.neutral) == (2, 1, 1)
    assert after.negative_share == 0.5 and after.index > before.index
    assert after.negative_share_ci_low < 0.5 < after.negative_share_ci_high
    hour = store.series("hour", workspace.tz)[0]
    assert (hour.n_neg, hour.h_pos, hour.s_pos) == (2, 1, pytest.approx(1.0 + 2 * 0.1 + 0.2))


def test_audit_sample_corrects_the_shares(workspace: config.Workspace, store: Store) -> None:
    rng = np.random.default_rng(11)
    truth = rng.choice(3, size=1500, p=TRUE)
    model = _classify(rng, truth)
    start = datetime(2024, 5, 6, 0, 5, tzinfo=WIB)
    ids = _fill(store, truth, model, start)
    drawn = rng.choice(len(ids), size=160, replace=False)
    for k in drawn[:40]:
        store.set_human(ids[k], "tester", sentiment=CLASSES[truth[k]])
    audit_table.draw(store, [ids[k] for k in drawn[:40]], "tester")
    below = index_rows(store, workspace, freq="total")[0]
    assert (below.corrected, below.labels_used, below.volume) == (False, 40, 1500)
    for k in drawn[40:]:
        store.set_human(ids[k], "tester", sentiment=CLASSES[truth[k]])
    audit_table.draw(store, [ids[k] for k in drawn[40:]], "tester")
    assert correction(store, workspace).labels_used == 160
    row = index_rows(store, workspace, freq="total")[0]
    assert row.corrected and row.labels_used == 160
    shares = np.array([row.positive_share, row.neutral_share, row.negative_share])
    observed = np.bincount(truth, minlength=3) / len(truth)
    assert np.allclose(shares, observed, atol=0.06), (shares, observed)
    assert abs(row.negative_share - observed[2]) < abs(below.negative_share - observed[2])
    for name, true in zip(("positive", "neutral", "negative"), observed, strict=True):
        assert getattr(row, f"{name}_share_ci_low") <= true <= getattr(row, f"{name}_share_ci_high")
    assert row.ci_low <= row.index <= row.ci_high and row.reach_ci_low <= row.reach_index <= row.reach_ci_high
    days = index_rows(store, workspace, freq="day")
    assert all(r.corrected for r in days) and sum(r.volume for r in days) == 1500
    done = citra("index", "--freq", "total", "--json", ws=workspace.root)
    out = json.loads(done.stdout)
    assert out["freq"] == "total" and len(out["rows"]) == 1
    printed = out["rows"][0]
    assert printed["corrected"] is True and printed["labels_used"] == 160
    for name in ("positive", "neutral", "negative"):
        assert printed[f"{name}_share"] == getattr(row, f"{name}_share")
        assert printed[f"{name}_share_ci_low"] <= printed[f"{name}_share"] <= printed[f"{name}_share_ci_high"]
    assert printed["index"] == row.index and printed["volume"] == 1500


def test_widen_adds_the_spread_of_the_alternatives() -> None:
    days = pd.date_range("2024-01-01", periods=90, freq="D")
    rng = np.random.default_rng(4)
    series = pd.Series(0.3 + 0.02 * rng.standard_normal(90), index=days)
    series[days >= "2024-03-01"] += 0.05
    base = stats.estimate(series, date(2024, 3, 1))
    same = stats.widen(base, np.full(30, base.effect), "note")
    assert same.ci_low == pytest.approx(base.ci_low) and same.ci_high == pytest.approx(base.ci_high)
    spread = stats.widen(base, base.effect + 0.03 * rng.standard_normal(30), "corrected")
    assert spread.ci_high - spread.ci_low > base.ci_high - base.ci_low + 0.05
    assert spread.effect == base.effect and spread.p_value > base.p_value and spread.method.endswith("corrected")


def test_impact_on_a_corrected_share_is_wider(workspace: config.Workspace, store: Store) -> None:
    rng = np.random.default_rng(21)
    start = datetime(2024, 1, 1, 0, 10, tzinfo=WIB)
    truth = np.concatenate([rng.choice(3, size=30, p=TRUE if day < 60 else [0.3, 0.45, 0.25]) for day in range(75)])
    ids = _fill(store, truth, _classify(rng, truth), start, timedelta(minutes=48))  # 30 posts a day for 75 days
    item = curate.add_intervention(store, "test", "kampanye", date(2024, 3, 1), "campaign")
    plain, _ = impact(store, workspace, item, "negative_share", days=15)
    drawn = rng.choice(len(ids), size=80, replace=False)
    for k in drawn:
        store.set_human(ids[k], "tester", sentiment=CLASSES[truth[k]])
    audit_table.draw(store, [ids[k] for k in drawn], "tester")
    fixed, _ = impact(store, workspace, item, "negative_share", days=15)
    assert "corrected for misclassification with 80 audit labels" in fixed.method
    assert fixed.ci_high - fixed.ci_low > plain.ci_high - plain.ci_low


def test_label_import_feeds_the_counts_and_the_audit(workspace: config.Workspace, store: Store, tmp_path) -> None:
    """``citra label import --id-col --label-col`` overrides counts; with ``--audit`` it feeds the correction."""
    rng = np.random.default_rng(3)
    truth = rng.choice(3, size=300, p=TRUE)
    model = _classify(rng, truth)
    _fill(store, truth, model, datetime(2024, 5, 6, 0, 5, tzinfo=WIB))
    names = ("positive", "neutral", "negative")
    plain = tmp_path / "labels.csv"
    plain.write_text("id,sentiment\np0,negative\np1,negative\n", encoding="utf-8")
    citra("label", "import", plain, "--id-col", "id", "--label-col", "sentiment", ws=workspace.root)
    first = json.loads(citra("index", "--freq", "total", "--json", ws=workspace.root).stdout)["rows"][0]
    assert (first["corrected"], first["labels_used"]) == (False, 0)
    assert first["negative"] == int((model[2:] == 2).sum()) + 2
    audit = tmp_path / "audit.csv"
    lines = [f"p{k},{names[truth[k]]}" for k in range(100, 160)]
    audit.write_text("id,sentiment\n" + "\n".join(lines) + "\n", encoding="utf-8")
    citra("label", "import", audit, "--id-col", "id", "--label-col", "sentiment", "--audit", ws=workspace.root)
    second = json.loads(citra("index", "--freq", "total", "--json", ws=workspace.root).stdout)["rows"][0]
    assert (second["corrected"], second["labels_used"]) == (True, 60)
    effective = model.copy()
    effective[[0, 1]] = 2
    effective[100:160] = truth[100:160]
    assert [second[n] for n in names] == np.bincount(effective, minlength=3).tolist()
