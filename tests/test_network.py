"""The interaction network and the coordination detector: pure functions on written posts, and the
``citra network`` commands on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import networkx as nx
import pytest

from citra import config
from citra.analytics import coordination as coord
from citra.analytics import network as net
from citra.analytics.interactions import NetPost, hashtags, links, netpost
from citra.store import Store
from tests.network_data import CO_POST, CO_REPOST, HASHTAG, PUSHED, conversation
from tests.test_cli import citra

T0 = datetime(2026, 3, 2, tzinfo=UTC).timestamp()


def _p(i: int, handle: str, text: str, kind: str = "post", at: float = T0) -> NetPost:
    return NetPost(i, handle, at + i, kind, text)


def test_links_read_reposts_replies_quotes_and_mentions() -> None:
    rt = list(links(_p(1, "ani", "RT @Budi_1: jalan rusak @humaskota", "repost")))
    assert [(x.target, x.kind) for x in rt] == [("budi_1", "repost"), ("humaskota", "mention")]
    reply = list(links(_p(2, "ani", "@humaskota @dinkes tolong dicek @ani", "reply")))
    assert [(x.target, x.kind) for x in reply] == [("humaskota", "reply"), ("dinkes", "mention")]
    quote = list(links(_p(3, "ani", "parah https://x.com/Pemkot/status/123 cc @pemkot", "quote")))
    assert [(x.target, x.kind) for x in quote] == [("pemkot", "quote")]
    assert list(links(_p(4, "ani", "kirim ke warga@mail.com ya"))) == []
    assert hashtags("#Banjir dan #banjir lagi, bukan&#39;s") == {"banjir"}


def test_planted_groups_are_found_exactly_and_calm_data_gives_none() -> None:
    for seed in (1, 2, 3):
        c = conversation(seed)
        groups = coord.detect([netpost(i, p) for i, p in enumerate(c.posts)])
        found = {g.kind: set(g.accounts) for g in groups}
        assert found == {"co-post": set(CO_POST), "co-repost": set(CO_REPOST), "hashtag": set(HASHTAG)}, seed
        tags = next(g for g in groups if g.kind == "hashtag")
        assert tags.keys == ("#" + PUSHED.lower(),)
        assert len(tags.bursts) == 4 and all(b.spread <= 60 for b in tags.bursts)
        assert all(g.score >= 2 and g.observed >= coord.MIN_REPEATS and g.expected < 1 for g in groups)
        calm = conversation(seed, planted=False)
        assert coord.detect([netpost(i, p) for i, p in enumerate(calm.posts)]) == []


def test_a_narrower_window_than_the_bursts_finds_less() -> None:
    c = conversation(4)
    posts = [netpost(i, p) for i, p in enumerate(c.posts)]
    wide = {g.kind for g in coord.detect(posts, window_seconds=60)}
    narrow = {g.kind for g in coord.detect(posts, window_seconds=1)}
    assert wide == {"co-post", "co-repost", "hashtag"} and narrow < wide


def test_official_accounts_repeating_a_release_are_not_a_group() -> None:
    text = "pemerintah kota membuka pendaftaran beasiswa mulai hari ini lewat laman resmi"
    posts = [
        NetPost(b * 10 + k, f"dinas{k}", T0 + b * 3600 + k, "post", text, official=True)
        for b in range(5)
        for k in range(4)
    ]
    assert coord.detect(posts) == []


def test_communities_and_pagerank_on_two_circles_joined_by_one_link() -> None:
    posts = []
    for circle in ("a", "b"):
        members = [f"{circle}{k}" for k in range(6)]
        for m in members:
            for other in members:
                if other != m:
                    posts.append(_p(len(posts), m, f"@{other} setuju", "reply"))
    posts.append(_p(len(posts), "a0", "RT @b0: kabar baik", "repost"))
    for k in range(6):
        posts.append(_p(len(posts), f"a{k}", "RT @a0: info penting", "repost"))
    found = net.analyse(posts)
    communities = {
        frozenset(n for n in found.graph if found.graph.nodes[n]["community"] == c.number) for c in found.communities
    }
    assert communities == {frozenset(f"a{k}" for k in range(6)), frozenset(f"b{k}" for k in range(6))}
    rank = {i.handle: i.pagerank for i in found.influencers}
    assert all(rank["a0"] > rank[f"a{k}"] for k in range(1, 6))  # the one the others repost
    assert rank["b0"] > max(rank[f"b{k}"] for k in range(1, 6))  # the one the bridge points to
    assert found.edges_by_kind["repost"] == 6 and found.edges_by_kind["reply"] == 60
    assert sum(c.share for c in found.communities) == pytest.approx(1.0)


def _load(ws: config.Workspace, seed: int = 1) -> None:
    with Store.open(ws.database_url) as store:
        store.add_posts(conversation(seed).posts)


def test_cli_coordination_json_and_export(workspace: config.Workspace, tmp_path: Path) -> None:
    _load(workspace)
    out = citra(
        "network", "coordination", "--since", "2026-03-02", "--until", "2026-03-06", "--json", ws=workspace.root
    )
    data = json.loads(out.stdout)
    groups = {g["kind"]: g for g in data["groups"]}
    assert set(groups["co-post"]["accounts"]) == set(CO_POST)
    assert set(groups["co-repost"]["accounts"]) == set(CO_REPOST)
    assert set(groups["hashtag"]["accounts"]) == set(HASHTAG)
    for g in data["groups"]:
        assert g["posts"] == len(g["post_ids"]) >= 3 * 2 and g["score"] > 2
        assert sum(len(b["post_ids"]) for b in g["bursts"]) == g["posts"]
    before = json.loads(citra("network", "coordination", "--until", "2026-03-01", "--json", ws=workspace.root).stdout)
    assert before["groups"] == [] and before["posts"] == 0
    narrow = citra("network", "coordination", "--query", "bantuan pangan", "--json", ws=workspace.root)
    assert {g["kind"] for g in json.loads(narrow.stdout)["groups"]} == {"co-post"}
    bad = citra("network", "coordination", "--window-seconds", "0", ws=workspace.root, check=False)
    assert bad.returncode != 0
    for fmt, read in (("gexf", nx.read_gexf), ("graphml", nx.read_graphml)):
        path = tmp_path / f"net.{fmt}"
        citra("network", "export", "--format", fmt, "--out", path, ws=workspace.root)
        g = read(path)
        assert "humaskota" in g and g.number_of_edges() > 100
        flagged = {n for n, d in g.nodes(data=True) if d.get("coordinated")}
        assert flagged == set(CO_POST) | set(CO_REPOST) | set(HASHTAG)
        assert all("community" in d and "pagerank" in d for _, d in g.nodes(data=True))
    wrong = citra("network", "export", "--format", "dot", "--out", tmp_path / "x", ws=workspace.root, check=False)
    assert wrong.returncode != 0 and "gexf" in wrong.stderr


def test_cli_show_json(workspace: config.Workspace) -> None:
    _load(workspace)
    data = json.loads(citra("network", "show", "--json", ws=workspace.root).stdout)
    assert data["influencers"][0]["account"] == "humaskota"
    assert data["links_by_kind"]["reply"] > 0 and data["links_by_kind"]["repost"] > 0
    assert data["posts"] == len(conversation(1).posts)


def test_the_demo_citys_planted_campaigns_are_found_and_nothing_else() -> None:
    """The simulator's default city (what ``citra demo`` builds) against its own truth: every group is planted
    and at least 80 % of the campaigns' accounts are found (the benchmark, over seeds: docs/benchmarks.md)."""
    from citra.simulate import Scenario, generate

    s = Scenario.default(60, 3)
    sim = generate(s)
    officials = {h.lower() for h in s.official_handles()}
    posts = []
    for n, r in enumerate(sim.rows()):
        kind = "repost" if r.text.startswith("RT @") else "reply" if r.reply_to else "post"
        handle = r.username.lower()
        posts.append(NetPost(n, handle, r.created_at.timestamp(), kind, r.text, official=handle in officials))
    planted = {a.lower() for c in sim.truth.campaigns for a in c.accounts}
    assert planted
    found = {a for g in coord.detect(posts) for a in g.accounts}
    assert found <= planted
    assert len(found) >= 0.8 * len(planted)
