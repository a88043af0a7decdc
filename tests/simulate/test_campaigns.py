"""Planted coordinated campaigns: the rows follow the plan, the truth lists them, and they leave every other row as
it was."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from datetime import UTC, timedelta
from pathlib import Path

import pytest

from citra import config
from citra.ingest import ingest
from citra.records import PostKind
from citra.simulate import Scenario, accounts, campaigns, generate, write_csv, write_truth
from citra.simulate.rows import Row
from citra.simulate.scenario import Campaign, crisis_campaigns
from citra.store import Store

_WORD = re.compile(r"\w+")


def _three(days: int = 30, seed: int = 5) -> Scenario:
    s = Scenario.default(days, seed)
    assert s.crisis is not None
    return replace(s, campaigns=crisis_campaigns(s.crisis, hashtag=True))


@pytest.fixture(scope="module")
def planted() -> tuple[Scenario, list[Row]]:
    s = _three()
    return s, list(generate(s).rows())


def _words(text: str) -> set[str]:
    return set(_WORD.findall(text.lower()))


def test_default_city_plants_a_co_post_push_and_a_repost_ring_after_the_arrest() -> None:
    s = Scenario.default(120, 7)
    onset = s.onset()
    assert onset is not None
    kinds = [c.kind for c in s.campaigns]
    assert kinds == ["co-post", "co-repost"]
    sim = generate(s)
    assert [c.kind for c in sim.truth.campaigns] == kinds
    co_post = sim.truth.campaigns[0]
    assert 20 <= len(co_post.accounts) <= 24 and len(co_post.bursts) == 7
    assert co_post.bursts[0] - onset.astimezone(UTC) == pytest.approx(timedelta(hours=4), abs=timedelta(minutes=1))


def test_rows_follow_the_plan(planted: tuple[Scenario, list[Row]]) -> None:
    s, rows = planted
    by_id = {r.id: r for r in rows}
    truth = generate(s).truth.campaigns
    assert [c.kind for c in truth] == ["co-post", "co-repost", "hashtag"]
    for plan, t in zip(s.campaigns, truth, strict=True):
        assert len(t.bursts) == plan.bursts
        assert len(t.accounts) + len(t.anchors) <= plan.accounts and len(t.accounts) >= plan.accounts * 0.6
        posts = [by_id[i] for i, _, _ in t.posts]
        assert all(r.stream == campaigns.STREAM and r.username in t.accounts for r in posts)
        assert {r.created_at for r in posts} == {at for _, at, _ in t.posts}
        for start in t.bursts:
            burst = [r for r in posts if timedelta(0) <= r.created_at - start <= timedelta(seconds=plan.spread_seconds)]
            assert len(burst) >= 3 and len({r.username for r in burst}) == len(burst)
            texts = [r.text for r in burst]
            if t.kind == "co-repost":
                anchor = re.match(r"RT @(\w+): ", texts[0])
                assert anchor and anchor.group(1) in t.anchors and len(set(texts)) == 1
            elif t.kind == "co-post":
                sets = [_words(x) for x in texts]  # near-identical: any two share most of their words
                assert all(len(a & b) / len(a | b) >= 0.5 for a in sets for b in sets)
                assert len(set(texts)) > 1  # altered, not all pasted as they are
            else:
                assert all(plan.hashtag in x for x in texts) and len(set(texts)) == len(texts)
        assert sum(len(t.posts) for t in truth) == sum(1 for r in rows if r.stream == campaigns.STREAM) - sum(
            1 for r in rows if r.stream == campaigns.STREAM and r.intent == "anchor"
        )


def test_campaign_accounts_look_ordinary_and_post_between_bursts(planted: tuple[Scenario, list[Row]]) -> None:
    s, rows = planted
    truth = generate(s).truth.campaigns
    members = {h for t in truth for h in (*t.accounts, *t.anchors)}
    pool = {p.handle for p in accounts.Pool(s.citizens, accounts.run_random(s.seed)).people}
    assert not members & pool and not members & set(s.official_handles())
    assert all(re.fullmatch(r"[a-z0-9_]{3,15}", h) and not re.search("buzz|bot|camp", h) for h in members)
    assert sum(len(t.accounts) + len(t.anchors) for t in truth) == len(members)  # no account in two campaigns
    ordinary = [r for r in rows if r.stream == campaigns.ORGANIC]
    assert {r.username for r in ordinary} <= members and len(ordinary) > len(members)
    assert all(r.intent and not r.text.startswith("RT @") for r in ordinary)


def test_same_seed_same_rows_other_seed_other_accounts() -> None:
    s = _three(20, 9)
    first = campaigns.rows(s)
    assert first == campaigns.rows(_three(20, 9)) and first
    other = {r.username for r in campaigns.rows(_three(20, 10))}
    assert not other & {r.username for r in first}


def test_other_rows_are_the_same_with_or_without_campaigns(planted: tuple[Scenario, list[Row]]) -> None:
    s, rows = planted
    calm = list(generate(replace(s, campaigns=())).rows())
    assert [r for r in rows if not r.stream.startswith("campaign")] == calm
    assert len(rows) > len(calm) and len({r.id for r in rows}) == len(rows)
    assert [r.created_at for r in rows] == sorted(r.created_at for r in rows)


def test_truth_json_lists_the_campaigns(tmp_path: Path) -> None:
    s = _three(20, 4)
    sim = generate(s)
    write_truth(sim, tmp_path / "truth.json")
    write_csv(sim, tmp_path / "sim.csv")
    data = json.loads((tmp_path / "truth.json").read_text(encoding="utf-8"))
    assert {"city", "seed", "days", "start", "crises", "interventions", "daily", "campaigns"} <= set(data)
    assert [c["kind"] for c in data["campaigns"]] == ["co-post", "co-repost", "hashtag"]
    csv_text = (tmp_path / "sim.csv").read_text(encoding="utf-8")
    for c in data["campaigns"]:
        assert set(c) >= {"name", "kind", "accounts", "anchors", "bursts", "posts", "hashtag"}
        assert {p["account"] for p in c["posts"]} == set(c["accounts"])
        for p in c["posts"][:20]:
            assert f'"{p["at"]}"' in csv_text and f"/status/{p['id']}" in csv_text
    calm = generate(replace(s, campaigns=())).truth.as_dict()
    assert calm["campaigns"] == [] and calm["daily"] == data["daily"]


def test_bad_campaigns_are_refused() -> None:
    s = Scenario.default(10, 1)
    for bad in (
        Campaign("x", "swarm", "defend_mayor", 1, 9),
        Campaign("x", "co-post", "no_such_stance", 1, 9),
        Campaign("x", "co-post", "defend_mayor", 1, 9, accounts=2),
        Campaign("x", "hashtag", "praise_services", 1, 9),
    ):
        with pytest.raises(ValueError, match="campaign 'x'"):
            generate(replace(s, campaigns=(bad,)))


def test_campaign_rows_go_through_the_importer(backend: str, tmp_path: Path) -> None:
    s = _three(6, 2)
    ws = config.init(tmp_path / "ws", s.organisation)
    (ws.root / config.CONFIG_NAME).write_text(s.workspace_toml(), encoding="utf-8")
    ws = config.load(ws.root)
    sim = generate(s)
    n = write_csv(sim, tmp_path / "sim.csv")
    with Store.open(ws.database_url) as store:
        store.upgrade()
        summary = ingest(store, ws, [tmp_path / "sim.csv"])
        assert (summary.total("inserted"), summary.total("rejected")) == (n, 0)
        stored = {p.post.native_id: p.post for p in store.each()}
    for t in sim.truth.campaigns:
        kinds = {stored[i].kind for i, _, _ in t.posts}
        assert kinds == ({PostKind.REPOST} if t.kind == "co-repost" else {PostKind.POST})
        assert {stored[i].author.handle for i, _, _ in t.posts} == set(t.accounts)
        assert not any(stored[i].is_official for i, _, _ in t.posts)
