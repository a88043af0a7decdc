"""The Store on real SQLite and real PostgreSQL: idempotent upserts, engagement updates, queries, feed state."""

import dataclasses
from datetime import UTC, datetime, timedelta, timezone

import pytest

from citra.errors import ConfigError
from citra.records import Author, Engagement, FeedState, Platform, Post, PostKind
from citra.store import AddResult, Order, PostQuery, Store

WIB = timezone(timedelta(hours=7))


def _post(n: int, **kw: object) -> Post:
    base = Post(
        platform=Platform.X,
        native_id=str(1000 + n),
        text=f"Jalan rusak nomor {n} 😡\nbaris dua",
        created_at=datetime(2024, 1, 10, 8, 0, tzinfo=WIB) + timedelta(hours=n),
        url=f"https://x.com/warga/status/{1000 + n}",
        author=Author("88", "warga", "Warga Bekasi", 120),
        lang="in",
        kind=PostKind.POST,
        engagement=Engagement(likes=n, reposts=1),
        raw={"n": n, "teks": "😡"},
    )
    return dataclasses.replace(base, **kw)


def test_round_trip_keeps_every_field_and_stores_utc(store: Store) -> None:
    post = _post(
        1,
        conversation_id="999",
        reply_to_id="998",
        kind=PostKind.REPLY,
        is_official=True,
        query="q",
        engagement=Engagement(1, 2, 3, 4, 5),
    )
    assert store.add_posts([post]) == AddResult(1, 0)
    [back] = [s.post for s in store.each(raw=True)]
    assert back.created_at == post.created_at and back.created_at.tzinfo is not None
    assert back.created_at.utcoffset() == timedelta(0)
    assert dataclasses.replace(back, created_at=post.created_at) == post


def test_same_posts_twice_store_nothing_twice(store: Store) -> None:
    posts = [_post(i) for i in range(10)]
    assert store.add_posts(posts) == AddResult(10, 0)
    assert store.add_posts(posts) == AddResult(0, 0)
    assert store.add_posts(posts[5:] + [_post(i) for i in range(10, 15)]) == AddResult(5, 0)
    assert store.count() == 15


def test_duplicates_within_one_batch(store: Store) -> None:
    a = _post(1, engagement=Engagement(likes=5))
    b = _post(1, engagement=Engagement(likes=9, views=100))
    assert store.add_posts([a, b]) == AddResult(1, 0)
    [back] = [s.post for s in store.each()]
    assert back.engagement.likes == 9 and back.engagement.views == 100


def test_newer_copy_updates_engagement_and_followers(store: Store) -> None:
    store.add_posts([_post(1), _post(2)])
    newer = _post(1, engagement=Engagement(likes=50, reposts=1, views=900), author=Author("88", "warga", "W", 130))
    older = _post(2, engagement=Engagement(likes=0, reposts=0))
    assert store.add_posts([newer, older]) == AddResult(0, 1)
    got = {p.native_id: p for p in (s.post for s in store.each())}
    assert got["1001"].engagement == Engagement(likes=50, reposts=1, views=900)
    assert got["1001"].author.followers == 130
    assert got["1001"].text == _post(1).text  # text and raw are kept from the first copy
    assert got["1002"].engagement == Engagement(likes=2, reposts=1)  # an older export never rolls back


def test_same_id_on_two_platforms_is_two_posts(store: Store) -> None:
    assert store.add_posts([_post(1), _post(1, platform=Platform.INSTAGRAM)]) == AddResult(2, 0)


def test_query_filters(store: Store) -> None:
    store.add_posts([_post(i) for i in range(48)] + [_post(100, platform=Platform.YOUTUBE, text="Banjir 100% parah")])
    since = datetime(2024, 1, 11, tzinfo=WIB)
    until = datetime(2024, 1, 12, tzinfo=WIB)
    day = [s.post for s in store.each(PostQuery(since=since, until=until), batch=5)]
    assert len(day) == 24 and all(since <= p.created_at < until for p in day)
    assert [p.created_at for p in day] == sorted((p.created_at for p in day), reverse=True)
    assert [s.post.native_id for s in store.each(PostQuery(platform=Platform.YOUTUBE))] == ["1100"]
    assert store.count(PostQuery(text="BANJIR 100")) == 1
    assert store.count(PostQuery(text="100_")) == 1  # punctuation separates words; no LIKE wildcards
    assert store.count(PostQuery(text="parah -banjir")) == 0
    oldest = store.search(PostQuery(order=Order.OLDEST), limit=3).items
    assert [s.post.native_id for s in oldest] == ["1000", "1001", "1002"]


def test_import_counters_follow_commits(store: Store) -> None:
    run = store.start_import("ingest", ["a.csv"])
    store.add_posts([_post(1), _post(2)], import_id=run, read=3, rejected=1)
    store.add_posts([_post(2, engagement=Engagement(likes=99))], import_id=run, read=1)
    store.finish_import(run, "done")
    got = store.get_import(run)
    assert (got.read, got.inserted, got.updated, got.rejected, got.status) == (4, 2, 1, 1, "done")
    assert {p.batch for p in (s.post for s in store.each())} == {run}


def test_feed_state(store: Store) -> None:
    assert store.feed_state("https://example.org/rss") is None
    state = FeedState("https://example.org/rss", '"abc"', "Mon, 15 Jan 2024 03:12:45 GMT", datetime.now(UTC), 200)
    store.save_feed_state(state)
    store.save_feed_state(dataclasses.replace(state, status=304))
    assert store.feed_state(state.url) == dataclasses.replace(state, status=304)


def test_nul_characters_and_long_text(store: Store) -> None:
    text = "awal\x00akhir " + "panjang " * 5000
    store.add_posts([_post(1, text=text)])
    [back] = [s.post for s in store.each()]
    assert back.text == "awalakhir " + "panjang " * 5000


def test_outdated_database_is_refused_with_a_clear_message(tmp_path) -> None:
    store = Store.open(f"sqlite:///{tmp_path / 'x.db'}")
    with pytest.raises(ConfigError, match="citra db upgrade"):
        store.check_current()
    store.upgrade()
    store.check_current()


def test_unsupported_database_url() -> None:
    with pytest.raises(ConfigError):
        Store.open("mysql://root@127.0.0.1/test")


def test_retention(workspace, store: Store) -> None:
    import os

    from citra import retention

    store.add_posts([_post(i) for i in range(5)])
    stale = workspace.rejects_dir / "old.jsonl"
    stale.write_text("{}\n")
    os.utime(stale, (0, 0))
    fresh = workspace.rejects_dir / "new.jsonl"
    fresh.write_text("{}\n")
    settings = workspace.settings.model_copy(
        update={"retention": workspace.settings.retention.model_copy(update={"posts_days": 30, "raw_days": 1})}
    )
    ws = dataclasses.replace(workspace, settings=settings)
    now = datetime(2024, 2, 9, 9, 30, tzinfo=WIB)  # posts from 10 Jan 08:00 WIB hourly; cutoff 10 Jan 09:30
    done = retention.apply(store, ws, now=now)
    assert done.posts == 2 and done.rejects_files == 1 and not stale.exists() and fresh.exists()
    assert done.raw == 0  # stored just now: younger than a day
    later = retention.apply(store, ws, now=datetime.now(UTC) + timedelta(days=2))
    assert later.posts == 3 and later.raw == 0
    store.add_posts([_post(9)])
    assert (
        retention.apply(
            store,
            dataclasses.replace(
                ws,
                settings=settings.model_copy(
                    update={"retention": settings.retention.model_copy(update={"posts_days": 0})}
                ),
            ),
            now=datetime.now(UTC) + timedelta(days=2),
        ).raw
        == 1
    )
    assert [s.post.raw for s in store.each(raw=True)] == [{}]
