"""The city simulator: deterministic, ingestible, with a visible crisis and interventions of known effect."""

from __future__ import annotations

import csv
import json
from datetime import date, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest

from citra import config
from citra.ingest import ingest
from citra.records import InterventionKind, PostKind
from citra.simulate import Scenario, generate, model, templates, write_csv, write_truth
from citra.simulate import truth as truth_mod
from citra.simulate.rows import COLUMNS, Row
from citra.simulate.scenario import METRICS, PRE_DAYS
from citra.store import Store


@pytest.fixture(scope="module")
def month() -> tuple[Scenario, list[Row]]:
    scenario = Scenario.default(30, 7)
    return scenario, list(generate(scenario).rows())


def test_same_seed_same_bytes_other_seed_differs(tmp_path: Path) -> None:
    paths = [tmp_path / "a.csv", tmp_path / "b.csv", tmp_path / "c.csv"]
    for path, seed in zip(paths, (5, 5, 6), strict=True):
        write_csv(generate(Scenario.default(6, seed)), path)
    assert paths[0].read_bytes() == paths[1].read_bytes()
    assert paths[0].read_bytes() != paths[2].read_bytes()


def test_csv_layout(tmp_path: Path) -> None:
    path = tmp_path / "sim.csv"
    n = write_csv(generate(Scenario.default(3, 1)), path)
    raw = path.read_text(encoding="utf-8")
    assert raw.startswith('"conversation_id_str","created_at",')
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == n > 500 and tuple(rows[0]) == COLUMNS
    for row in rows[:200]:
        assert len(row["id_str"]) == 19 and row["id_str"].isdigit()
        assert row["tweet_url"] == f"https://x.com/{row['username']}/status/{row['id_str']}"
        assert datetime.strptime(row["created_at"], "%Y-%m-%dT%H:%M:%S.000Z")
    times = [r["created_at"] for r in rows]
    assert times == sorted(times)
    assert len({r["id_str"] for r in rows}) == n


def test_ingests_into_a_matching_workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CITRA_DATABASE_URL", raising=False)
    scenario = Scenario.default(4, 2)
    ws = config.init(tmp_path / "ws", scenario.organisation)
    (ws.root / config.CONFIG_NAME).write_text(scenario.workspace_toml(), encoding="utf-8")
    ws = config.load(ws.root)
    assert ws.settings.leaders[0].name == scenario.mayor.name
    path = tmp_path / "sim.csv"
    n = write_csv(generate(scenario), path)
    with Store.open(ws.database_url) as store:
        store.upgrade()
        summary = ingest(store, ws, [path])
        assert summary.status == "done" and summary.files[0].format == "tweet-harvest"
        assert (summary.total("read"), summary.total("inserted"), summary.total("rejected")) == (n, n, 0)
        posts = [s.post for s in store.each()]
    official = [p for p in posts if p.is_official]
    replies = [p for p in official if p.kind is PostKind.REPLY]
    assert official and replies and len(official) < len(posts) / 5
    assert {p.author.handle for p in official} <= set(scenario.official_handles())
    assert any(p.kind is PostKind.REPOST for p in posts)


def test_official_posts_and_replies(month: tuple[Scenario, list[Row]]) -> None:
    scenario, rows = month
    official = [r for r in rows if r.stream == "official"]
    replies = [r for r in rows if r.stream == "official_reply"]
    assert len(official) > 5 * 30 and len(replies) > 10 * 30
    for reply in replies:
        assert reply.reply_to and reply.text.startswith(f"@{reply.reply_to} ")
        assert reply.username in scenario.official_handles()
    asked = [r for r in rows if r.stream == "citizen" and r.intent in ("complaint", "question", "request")]
    assert 0.05 < len(replies) / len(asked) < 0.6
    by_id = {r.id: r for r in rows}
    delays = [(r.created_at - by_id[r.conversation_id].created_at) for r in replies if r.conversation_id in by_id]
    assert min(delays) > timedelta(0) and np.median([d.total_seconds() for d in delays]) > 1800


def test_crisis_burst_is_visible(month: tuple[Scenario, list[Row]]) -> None:
    scenario, rows = month
    onset = generate(scenario).truth.crises[0].onset
    aliases = [a.lower() for a in scenario.mayor.aliases] + [scenario.mayor.name.split()[0].lower()]

    def count(since: datetime, hours: int, leader_negative: bool = False) -> int:
        window = [r for r in rows if since <= r.created_at < since + timedelta(hours=hours) and not r.official]
        if leader_negative:
            window = [r for r in window if r.sentiment == "negative" and any(a in r.text.lower() for a in aliases)]
        return len(window)

    day_before = onset - timedelta(days=1)
    assert count(onset, 12) > 2 * count(day_before, 12)
    assert count(onset, 12, leader_negative=True) > 10 * max(1, count(day_before, 12, leader_negative=True))
    assert count(onset - timedelta(hours=1), 1) < count(onset, 1) + count(onset + timedelta(hours=1), 1)


def test_truth_json(tmp_path: Path) -> None:
    sim = generate(Scenario.default(120, 3))
    path = tmp_path / "truth.json"
    write_truth(sim, path)
    data = json.loads(path.read_text(encoding="utf-8"))
    assert {"city", "seed", "days", "start", "crises", "interventions", "daily"} <= set(data)
    assert len(data["daily"]) == 120 and data["seed"] == 3
    onset = datetime.fromisoformat(data["crises"][0]["onset"])
    assert onset.utcoffset() == timedelta(0) and data["crises"][0]["kind"] == "arrest"
    assert date.fromisoformat(data["start"]) <= onset.date()
    assert len(data["interventions"]) == 3
    for iv in data["interventions"]:
        assert {"name", "date", "kind", "metric", "true_effect", "window_days"} <= set(iv)
        assert iv["metric"] in METRICS and InterventionKind(iv["kind"])
        assert date.fromisoformat(iv["date"]) > onset.date() or iv["kind"] == "social-activity"
    for day in data["daily"]:
        date.fromisoformat(day["date"])
        shares = day["negative_share"] + day["neutral_share"] + day["positive_share"]
        assert day["volume_expected"] > 0 and shares == pytest.approx(1.0, abs=1e-5)


@pytest.mark.parametrize("seed", [0, 1, 2, 11])
def test_true_effects_have_their_sign_and_a_clean_pre_period(seed: int) -> None:
    scenario = Scenario.default(120, seed)
    truth = generate(scenario).truth
    signs = {"net_sentiment": 1, "negative_share": -1, "volume": 1, "index": 1}
    expected = metrics_of(scenario)
    for iv, spec in zip(truth.interventions, scenario.interventions, strict=True):
        assert np.sign(iv.true_effect) == signs[iv.metric] and abs(iv.true_effect) > 0
        # What an ideal interrupted time series sees: mean of the window minus mean of the 28 days before.
        series = expected[iv.metric]
        its = series[spec.day : spec.day + spec.window_days].mean() - series[spec.day - PRE_DAYS : spec.day].mean()
        # Equal but for the campaign's lift not reaching the comparison city's posts (a share shift < 1%).
        assert its == pytest.approx(iv.true_effect, rel=0.01, abs=1e-5)
    crisis = scenario.crisis
    assert crisis is not None
    assert all(spec.day - PRE_DAYS >= crisis.day + crisis.duration_days for spec in scenario.interventions[1:])


def metrics_of(scenario: Scenario) -> dict[str, np.ndarray]:
    return truth_mod.metrics(*truth_mod.expected_counts(scenario))


def test_volume_scales_with_days(month: tuple[Scenario, list[Row]]) -> None:
    _, rows = month
    assert 8_000 < len(rows) < 25_000
    short = generate(Scenario.default(30, 7)).truth
    long = generate(Scenario.default(120, 7)).truth
    assert sum(d.volume_expected for d in long.daily) > 3 * sum(d.volume_expected for d in short.daily)


def test_scenario_is_valid_and_templates_are_many() -> None:
    model.check(Scenario.default(120, 4))
    assert templates.count() >= 400
    for topic in templates.citizen_topics():
        for sentiment in templates.SENTIMENTS:
            assert templates.citizen(topic, sentiment), (topic, sentiment)


def test_cli(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from citra.cli import app

    out, truth = tmp_path / "s.csv", tmp_path / "t.json"
    result = CliRunner().invoke(
        app, ["simulate", "--days", "2", "--seed", "4", "--out", str(out), "--truth", str(truth)]
    )
    assert result.exit_code == 0, result.output
    assert out.stat().st_size > 10_000 and json.loads(truth.read_text(encoding="utf-8"))["days"] == 2
