"""Store.search on real SQLite and real PostgreSQL: every filter in SQL, the team's labels winning, keyset pages
that neither skip nor repeat posts, counts."""

from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta, timezone

import pytest

from citra.errors import CitraError, NotFound
from citra.records import (
    Annotation,
    Author,
    Engagement,
    Intent,
    Platform,
    Post,
    Sentiment,
    Target,
    TargetKind,
)
from citra.store import CountMode, Order, PostQuery, Store

WIB = timezone(timedelta(hours=7))
T0 = datetime(2024, 3, 1, 8, 0, tzinfo=WIB)
PROBS = {
    Sentiment.NEGATIVE: (0.8, 0.1, 0.1),
    Sentiment.NEUTRAL: (0.1, 0.8, 0.1),
    Sentiment.POSITIVE: (0.1, 0.1, 0.8),
}


def _post(n: int, *, hours: float | None = None, **kw: object) -> Post:
    base = Post(
        platform=Platform.X,
        native_id=f"p{n}",
        text=f"unggahan nomor {n}",
        created_at=T0 + timedelta(hours=n if hours is None else hours),
        author=Author(str(n), f"warga{n}"),
        engagement=Engagement(likes=n % 7, reposts=0),
        raw={"n": n},
    )
    return dataclasses.replace(base, **kw)


def _note(sentiment: Sentiment, **kw: object) -> Annotation:
    return dataclasses.replace(Annotation("id", 0.99, sentiment, PROBS[sentiment]), **kw)


def _ids(store: Store) -> dict[str, int]:
    with store.engine.connect() as conn:
        return dict(conn.exec_driver_sql("SELECT native_id, id FROM posts").all())


@pytest.fixture
def city(store: Store) -> dict[str, int]:
    """Twelve posts with annotations of every kind; p11 is official and p10 is not analysed."""
    posts = [_post(n) for n in range(10)]
    posts.append(_post(10, platform=Platform.INSTAGRAM))
    posts.append(_post(11, is_official=True, text="Pemkot menginformasikan jadwal layanan"))
    store.add_posts(posts)
    ids = _ids(store)
    road = _note(
        Sentiment.NEGATIVE,
        topics=("roads", "drainage"),
        opds=("Dinas PUPR", "Dinas SDA"),
        intent=Intent.COMPLAINT,
        needs_response=True,
        targets=(Target(TargetKind.LEADER, "Wali Kota"),),
    )
    notes = {
        "p0": road,
        "p1": road,
        "p2": _note(Sentiment.POSITIVE, intent=Intent.PRAISE, topics=("health",), opds=("Dinas Kesehatan",)),
        "p3": _note(Sentiment.NEUTRAL, intent=Intent.QUESTION, needs_response=True),
        "p4": _note(Sentiment.NEGATIVE, topics=("waste",), opds=("Dinas LH",), needs_response=True),
        "p5": _note(Sentiment.NEUTRAL),
        "p6": _note(Sentiment.POSITIVE),
        "p7": _note(Sentiment.NEGATIVE, targets=(Target(TargetKind.INSTITUTION, "Pemkot"),)),
        "p8": _note(Sentiment.NEUTRAL),
        "p9": _note(Sentiment.NEUTRAL),
        "p11": _note(Sentiment.NEUTRAL, intent=Intent.INFORMATION, category="service_info"),
    }
    store.save_annotations([(ids[k], v) for k, v in notes.items()], "test@1")
    return ids


def _native(items: list) -> list[str]:
    return [s.post.native_id for s in items]


def test_stored_post_is_one_record(store: Store, city: dict[str, int]) -> None:
    got = store.get(city["p0"], raw=True)
    assert got.id == city["p0"] and got.post.native_id == "p0" and got.post.raw == {"n": 0}
    assert got.annotation is not None and got.annotation.topics == ("drainage", "roads")
    assert got.annotation.targets == (Target(TargetKind.LEADER, "Wali Kota"),)
    assert got.human.sentiment is None and got.sentiment is Sentiment.NEGATIVE
    assert store.get(city["p0"]).post.raw == {}  # lists do not carry the raw record unless asked
    unanalysed = store.get(city["p10"])
    assert unanalysed.annotation is None and unanalysed.sentiment is None
    assert [s.id for s in store.lookup("p3")] == [city["p3"]]
    assert store.lookup("p3", Platform.INSTAGRAM) == []
    with pytest.raises(NotFound):
        store.get(10**9)


def test_every_filter_runs_in_the_database(store: Store, city: dict[str, int]) -> None:
    def ids(**kw: object) -> set[str]:
        return set(_native(store.search(PostQuery(**kw), limit=100).items))

    assert ids(sentiment=Sentiment.NEGATIVE) == {"p0", "p1", "p4", "p7"}
    assert ids(topic="roads") == {"p0", "p1"}
    assert ids(opd="Dinas LH") == {"p4"}
    assert ids(target=Target(TargetKind.LEADER, "Wali Kota")) == {"p0", "p1"}
    assert ids(target=Target(TargetKind.INSTITUTION, "Wali Kota")) == set()
    assert ids(intent=Intent.QUESTION) == {"p3"}
    assert ids(needs_response=True) == {"p0", "p1", "p3", "p4"}
    assert ids(official=True) == {"p11"}
    assert len(ids(official=False)) == 11
    assert ids(platform=Platform.INSTAGRAM) == {"p10"}
    assert ids(annotated=False) == {"p10"}
    assert ids(since=T0 + timedelta(hours=3), until=T0 + timedelta(hours=5)) == {"p3", "p4"}
    assert ids(sentiment=Sentiment.NEGATIVE, needs_response=True, topic="waste") == {"p4"}


def test_human_labels_win_in_filters_and_records(store: Store, city: dict[str, int]) -> None:
    store.set_human(city["p0"], "web:rina", sentiment=Sentiment.POSITIVE, needs_response=False)
    labels = store.set_human(city["p5"], "web:rina", opd="Dinas Perhubungan")
    assert labels.opd == "Dinas Perhubungan" and labels.sentiment is None
    assert store.set_human(city["p5"], "web:budi", needs_response=True).opd == "Dinas Perhubungan"

    def ids(**kw: object) -> set[str]:
        return set(_native(store.search(PostQuery(**kw), limit=100).items))

    assert ids(sentiment=Sentiment.NEGATIVE) == {"p1", "p4", "p7"}
    assert "p0" in ids(sentiment=Sentiment.POSITIVE)
    assert ids(needs_response=True) == {"p1", "p3", "p4", "p5"}
    assert ids(opd="Dinas Perhubungan") == {"p5"}
    store.set_human(city["p1"], "web:rina", opd="Dinas Perhubungan")
    assert ids(opd="Dinas PUPR") == {"p0"}  # the team's OPD replaces the model's routing of p1
    got = store.get(city["p1"])
    assert got.opds[0] == "Dinas Perhubungan" and got.annotation is not None
    assert got.annotation.opds == ("Dinas PUPR", "Dinas SDA")  # the model's own ranking is kept
    assert store.get(city["p0"]).sentiment is Sentiment.POSITIVE
    with pytest.raises(NotFound):
        store.set_human(10**9, "web:rina", sentiment=Sentiment.NEGATIVE)


@pytest.mark.parametrize("order", list(Order))
def test_keyset_pages_neither_skip_nor_repeat(store: Store, order: Order) -> None:
    # 25 posts in 5 shared timestamps and shared engagement: ties everywhere
    store.add_posts([_post(n, hours=n // 5, engagement=Engagement(likes=n % 3)) for n in range(25)])
    seen: list[str] = []
    cursor = None
    for _ in range(30):
        page = store.search(PostQuery(order=order), limit=4, cursor=cursor)
        seen += _native(page.items)
        cursor = page.next_cursor
        if cursor is None:
            break
    assert sorted(seen) == sorted(f"p{n}" for n in range(25)) and len(seen) == 25
    every = _native(store.search(PostQuery(order=order), limit=100).items)
    assert seen == every
    assert seen == _native(list(store.each(PostQuery(order=order), batch=3)))


def test_counts_exact_and_bounded(store: Store, city: dict[str, int], monkeypatch: pytest.MonkeyPatch) -> None:
    page = store.search(PostQuery(official=False), limit=2, count=CountMode.EXACT)
    assert len(page.items) == 2 and page.total == 11 and page.total_exact and page.next_cursor
    assert store.search(PostQuery(), limit=2).total is None
    from citra.store import search

    monkeypatch.setattr(search, "COUNT_CAP", 5)
    bounded = store.search(PostQuery(), limit=2, count=CountMode.BOUNDED)
    assert bounded.total == 5 and not bounded.total_exact
    assert store.count(PostQuery(sentiment=Sentiment.NEUTRAL)) == 5


def test_bad_cursors_are_refused(store: Store, city: dict[str, int]) -> None:
    newest = store.search(PostQuery(), limit=2).next_cursor
    assert newest is not None
    for bad in ("x", "t1", "t1.2.3", "tx.1", "t99999999999999999999999.1", "e5.1", "", "t-1.-1"):
        with pytest.raises(CitraError):
            store.search(PostQuery(), limit=2, cursor=bad or "?")
    with pytest.raises(CitraError):
        store.search(PostQuery(order=Order.ENGAGEMENT), limit=2, cursor=newest)


def test_postgres_reads_few_text_hits_through_the_word_index(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    """A word few posts contain is read through the word index and sorted (a newest-first walk would read every
    post looking for it); a frequent word keeps the walk, which stops after one page."""
    if store.dialect != "postgresql":
        pytest.skip("PostgreSQL only")
    import sqlalchemy as sa

    from citra.store import search

    monkeypatch.setattr(search, "SPARSE", 20)
    store.add_posts([_post(n, text=f"jalan rusak {n}" + (" banjir" if n < 5 else "")) for n in range(400)])
    with store.engine.begin() as conn:
        conn.exec_driver_sql("ANALYZE posts")
    for word, steered in (("banjir", "off"), ("jalan", "on"), ("zzzqq", "off")):
        with store.engine.connect() as conn:
            clauses = search.where(PostQuery(text=word), "postgresql")
            search._plan_for_hits(conn, clauses)
            assert conn.exec_driver_sql("SHOW enable_indexscan").scalar() == steered, word
            stmt = sa.select(search.posts.c.id).where(*clauses).order_by(search.posts.c.created_at.desc()).limit(5)
            sql = stmt.compile(store.engine, compile_kwargs={"literal_binds": True})
            plan = "\n".join(conn.exec_driver_sql(f"EXPLAIN {sql}").scalars())
            assert steered == "on" or ("ix_posts_search" in plan and "ix_posts_created_at" not in plan), plan
    assert _native(store.search(PostQuery(text="banjir"), limit=3).items) == ["p4", "p3", "p2"]
    assert len(store.search(PostQuery(text="jalan"), limit=3).items) == 3
    assert store.search(PostQuery(text="zzzqq"), limit=3).items == []
