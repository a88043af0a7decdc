"""Ranked routes in the store (SQLite and PostgreSQL): post_opds is filled by saving annotations, and the OPD
filter, the series by OPD, the records and the inbox suggestion read it (rank 0, or none)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from citra.records import Annotation, Author, Intent, Platform, Post, Sentiment
from citra.store import PostQuery, Store
from citra.store.schema import post_opds

START = datetime(2026, 11, 2, 3, tzinfo=UTC)


def _post(i: int, text: str) -> Post:
    return Post(
        platform=Platform.X,
        native_id=f"r{i}",
        text=text,
        created_at=START + timedelta(hours=i),
        author=Author(f"a{i}", f"warga{i}", f"Warga {i}", 10),
    )


def _note(opds: tuple[str, ...], scores: tuple[float, ...], topics: tuple[str, ...] = ()) -> Annotation:
    return Annotation(
        lang="id",
        lang_score=0.99,
        sentiment=Sentiment.NEGATIVE,
        probs=(0.8, 0.1, 0.1),
        topics=topics,
        opds=opds,
        opd_scores=scores,
        intent=Intent.COMPLAINT,
        needs_response=True,
        models={"test": "1"},
    )


def _fill(store: Store) -> dict[str, int]:
    texts = ["dishub perbaiki pju", "sampah dan jalan rusak", "mohon ditindaklanjuti"]
    store.add_posts([_post(i, t) for i, t in enumerate(texts)])
    ids = {p.post.native_id: p.id for p in store.search(PostQuery(), limit=10).items}
    store.save_annotations(
        [
            # "Dinas Kesehatan" < "Dinas Perhubungan" alphabetically: the suggestion must follow the rank instead
            (ids["r0"], _note(("Dinas Perhubungan", "Dinas Kesehatan"), (0.79, 0.2), ("street_lights", "health"))),
            (ids["r1"], _note(("Dinas Lingkungan Hidup", "Dinas PUPR"), (0.52, 0.13), ("waste",))),
            (ids["r2"], _note((), ())),
        ],
        "test-1",
    )
    return ids


def test_save_fills_ranked_routes(store: Store) -> None:
    ids = _fill(store)
    with store.engine.connect() as conn:
        rows = conn.execute(
            sa.select(post_opds.c.post_id, post_opds.c.opd, post_opds.c.rank, post_opds.c.score).order_by(
                post_opds.c.post_id, post_opds.c.rank
            )
        ).all()
    assert [(r.post_id, r.opd, r.rank) for r in rows] == [
        (ids["r0"], "Dinas Perhubungan", 0),
        (ids["r0"], "Dinas Kesehatan", 1),
        (ids["r1"], "Dinas Lingkungan Hidup", 0),
        (ids["r1"], "Dinas PUPR", 1),
    ]
    assert rows[0].score == 0.79
    got = store.get(ids["r0"])
    assert got.annotation is not None
    assert got.annotation.opds == ("Dinas Perhubungan", "Dinas Kesehatan")
    assert got.annotation.opd_scores == (0.79, 0.2)
    assert got.opds == ("Dinas Perhubungan", "Dinas Kesehatan")
    assert store.get(ids["r2"]).opds == ()
    # saving again replaces the routes rather than adding to them
    store.save_annotations([(ids["r0"], _note(("Dinas PUPR",), (0.5,)))], "test-2")
    assert store.get(ids["r0"]).opds == ("Dinas PUPR",)


def test_filter_series_and_inbox_read_the_routes(store: Store) -> None:
    ids = _fill(store)

    def found(opd: str) -> set[int]:
        return {p.id for p in store.search(PostQuery(opd=opd), limit=10).items}

    assert found("Dinas Kesehatan") == {ids["r0"]}  # any rank counts for the filter
    assert found("Dinas PUPR") == {ids["r1"]}
    assert found("Satpol PP") == set()
    buckets = store.series("month", ZoneInfo("Asia/Jakarta"), by="opd")
    counts = {b.group: b.n for b in buckets}
    assert counts == {"Dinas Perhubungan": 1, "Dinas Kesehatan": 1, "Dinas Lingkungan Hidup": 1, "Dinas PUPR": 1}
    items = {i.post_id: i for i in store.inbox.items(limit=10)}
    assert items[ids["r0"]].suggested_opd == "Dinas Perhubungan"  # rank 0, not the first name
    assert items[ids["r1"]].suggested_opd == "Dinas Lingkungan Hidup"
    assert items[ids["r2"]].suggested_opd is None  # no route: no suggestion
    assert {i.post_id for i in store.inbox.items(opd="Dinas Perhubungan", limit=10)} == {ids["r0"]}
    assert {i.post_id for i in store.inbox.items(opd="Dinas Kesehatan", limit=10)} == set()
    store.set_human(ids["r0"], "tester", opd="Dinas Kesehatan")
    assert store.inbox.item(ids["r0"]).suggested_opd == "Dinas Kesehatan"  # the team's label wins


def test_series_by_opd_follows_the_teams_opd(store: Store) -> None:
    ids = _fill(store)
    store.set_human(ids["r0"], "tester", opd="Satpol PP")  # replaces both of r0's routes
    store.set_human(ids["r2"], "tester", opd="Dinas Sosial")  # a post without routes gets the team's OPD
    counts = {b.group: b.n for b in store.series("month", ZoneInfo("Asia/Jakarta"), by="opd")}
    assert counts == {"Satpol PP": 1, "Dinas Lingkungan Hidup": 1, "Dinas PUPR": 1, "Dinas Sosial": 1}
