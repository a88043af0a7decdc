"""New issues: clustering uncovered complaints (pure stage), naming them, and the store side (candidates, vectors,
posts the taxonomy covers left out) on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np

from citra import config, newissues
from citra.analytics.newissues import Candidate, cluster, doc_terms, top_terms
from citra.records import Annotation, Author, Platform, Post, Sentiment
from citra.store import Store

T0 = datetime(2026, 11, 20, tzinfo=UTC)
BRIDGE = "konser festival kuliner dibatalkan mendadak tiket tidak dikembalikan"
FEE = "pagar alun-alun dicat ulang padahal baru"


def _unit(m: np.ndarray) -> np.ndarray:
    return (m / np.linalg.norm(m, axis=1, keepdims=True)).astype(np.float32)


def _group(rng: np.random.Generator, n: int) -> np.ndarray:
    return _unit(rng.normal(size=384) + 0.12 * rng.normal(size=(n, 384)))


def _items(texts: list[str], authors: list[str]) -> list[Candidate]:
    return [Candidate(100 + k, t, a, T0 + timedelta(minutes=k)) for k, (t, a) in enumerate(zip(texts, authors))]


def test_two_issues_found_and_named_strays_and_one_author_groups_left_out() -> None:
    rng = np.random.default_rng(7)
    vecs = np.vstack([_group(rng, 6), _group(rng, 5), _group(rng, 5), _unit(rng.normal(size=(8, 384)))])
    texts = [f"{BRIDGE} pagi ini" if k % 2 else BRIDGE for k in range(6)] + [FEE] * 5 + ["promo pulsa murah"] * 5
    texts += [f"kata{k} lain sekali" for k in range(8)]
    authors = [f"w{k}" for k in range(11)] + ["bot"] * 5 + [f"s{k}" for k in range(8)]
    found = cluster(_items(texts, authors), vecs)
    assert [c.size for c in found] == [6, 5]  # the one-account group and the strays are not issues
    bridge, fee = found
    assert set(bridge.post_ids) == set(range(100, 106)) and bridge.authors == 6
    assert set(fee.post_ids) == set(range(106, 111))
    assert "festival kuliner" in bridge.terms and "pagi" not in bridge.terms[:2]
    assert "dicat ulang" in fee.terms
    assert bridge.first_at == T0 and bridge.last_at == T0 + timedelta(minutes=5)
    assert len(bridge.examples) == 3 and set(bridge.examples) <= set(bridge.post_ids)
    assert cluster(_items(texts, authors), vecs, min_authors=1)[2].size == 5


def test_only_the_newest_posts_are_clustered() -> None:
    rng = np.random.default_rng(8)
    vecs = np.vstack([_group(rng, 6), _group(rng, 6)])
    items = _items([BRIDGE] * 6 + [FEE] * 6, [f"w{k}" for k in range(12)])
    found = cluster(items, vecs, max_posts=6)
    assert len(found) == 1 and set(found[0].post_ids) == set(range(106, 112))
    assert cluster(items[:3], vecs[:3]) == []


def test_terms_skip_function_words_and_prefer_a_covering_phrase() -> None:
    assert doc_terms("yang jalan di sana ya 123 emo_marah") == frozenset({"jalan", "sana"})
    texts = ["pasar baru terbakar tadi malam", "pasar baru terbakar lagi", "kebakaran pasar baru parah"]
    df = {t: 1 for t in doc_terms(" ".join(texts))}
    from collections import Counter

    terms = top_terms([doc_terms(t) for t in texts], Counter(df) + Counter({"parah": 40}), 50)
    assert terms[0] == "pasar baru"
    assert "pasar" not in terms and "baru" not in terms


def _post(k: int, text: str, hours: float, *, official: bool = False) -> Post:
    return Post(
        Platform.X,
        f"n{k}",
        text,
        T0 + timedelta(hours=hours),
        author=Author(f"a{k}", f"warga{k}"),
        is_official=official,
    )


def _note(sentiment: Sentiment, topics: tuple[str, ...] = (), needs: bool = False) -> Annotation:
    return Annotation("id", 1.0, sentiment, (0.8, 0.1, 0.1), topics, needs_response=needs)


def test_find_on_the_store(workspace: config.Workspace, store: Store) -> None:
    rng = np.random.default_rng(9)
    bridge = [_post(k, f"{BRIDGE} {k}", 60 + k) for k in range(5)]
    lights = [_post(10 + k, f"lampu jalan mati di gang {k}", 60 + k) for k in range(5)]  # the taxonomy covers it
    asked = [_post(20 + k, f"{FEE} kenapa", 61 + k) for k in range(5)]  # neutral but needs a response
    other = [_post(30, f"{BRIDGE} lama", -5), _post(31, f"{BRIDGE} resmi", 62, official=True)]
    happy = [_post(40 + k, f"{BRIDGE} senang", 63) for k in range(5)]
    tagged = [_post(50 + k, f"{BRIDGE} topik", 63) for k in range(5)]
    posts = bridge + lights + asked + other + happy + tagged
    store.add_posts(posts)
    ids = {p.native_id: store.lookup(p.native_id, p.platform)[0].id for p in posts}
    neg = _note(Sentiment.NEGATIVE)
    notes = {p.native_id: neg for p in bridge + lights + other}
    notes |= {p.native_id: _note(Sentiment.NEUTRAL, needs=True) for p in asked}
    notes |= {p.native_id: _note(Sentiment.POSITIVE) for p in happy}
    notes |= {p.native_id: _note(Sentiment.NEGATIVE, ("jalan",)) for p in tagged}
    store.save_annotations([(ids[k], v) for k, v in notes.items()], "v1")
    vecs: dict[int, np.ndarray] = {}
    for group in (bridge, lights, asked, other + happy + tagged):  # each group alike, so only the filters split them
        vecs |= {ids[p.native_id]: v for p, v in zip(group, _group(rng, len(group)), strict=True)}
    store.save_vectors(list(vecs.items()), "e5@test")
    until = T0 + timedelta(hours=72)
    rows, _ = newissues.candidates(store, workspace, until)
    assert {r.id for r in rows} == {ids[p.native_id] for p in bridge + asked}  # no lights, old, official, happy, tagged
    found = newissues.find(store, workspace, until)
    assert found.candidates == 10 and found.with_vectors == 10
    assert sorted((set(c.post_ids) for c in found.issues), key=min) == sorted(
        [{ids[p.native_id] for p in bridge}, {ids[p.native_id] for p in asked}], key=min
    )
    assert set(found.texts) == {i for c in found.issues for i in c.examples}
    assert newissues.find(store, workspace, until, hours=1).issues == ()


def test_label_takes_the_first_four_different_words() -> None:
    from citra.analytics.newissues import NewIssue

    issue = NewIssue((3, 2, 1), 3, ("jembatan ditutup", "jembatan", "memutar jauh", "warga"), T0, T0, (1,))
    assert issue.label == "Jembatan ditutup memutar jauh" and issue.size == 3
