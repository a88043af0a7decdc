"""Engagement of official posts and answers to citizens, from posts stored on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from citra import config
from citra.analytics.engagement import report
from citra.records import Annotation, Author, Engagement, Intent, Platform, Post, PostKind, Sentiment
from citra.store import Store
from tests.test_cli import citra

T0 = datetime(2024, 3, 4, 2, 0, tzinfo=UTC)  # Monday 09:00 WIB


def _post(
    pid: str,
    minutes: int,
    handle: str,
    text: str,
    *,
    official: bool = False,
    conv: str | None = None,
    reply_to: str | None = None,
    likes: int = 0,
    views: int | None = None,
    kind: PostKind = PostKind.POST,
) -> Post:
    return Post(
        platform=Platform.X,
        native_id=pid,
        text=text,
        created_at=T0 + timedelta(minutes=minutes),
        author=Author(handle=handle),
        conversation_id=conv or pid,
        reply_to_id=reply_to,
        kind=kind,
        is_official=official,
        engagement=Engagement(likes=likes, reposts=1, views=views),
    )


def _note(needs: bool, category: str | None = None) -> Annotation:
    return Annotation(
        "id", 1.0, Sentiment.NEGATIVE, (0.8, 0.1, 0.1), intent=Intent.COMPLAINT, needs_response=needs, category=category
    )


def test_answers_and_official_engagement(workspace: config.Workspace, store: Store) -> None:
    posts = [
        _post("1", 0, "warga1", "@humaskota jalan rusak kapan diperbaiki?"),
        _post(
            "2",
            30,
            "humaskota",
            "@warga1 sudah kami teruskan ke Dinas PUPR",
            official=True,
            conv="1",
            kind=PostKind.REPLY,
        ),
        _post("3", 10, "warga2", "@humaskota sampah belum diangkut", conv="3"),
        _post("4", 20, "warga3", "banjir lagi, pemkot kemana?", conv="9"),
        _post("5", 300, "humaskota", "@someone lain terima kasih", official=True, conv="9", kind=PostKind.REPLY),
        _post("6", 25, "warga4", "pelayanan ktp lama", conv="6"),
        _post("7", 90, "humaskota", "Mohon maaf, silakan DM", official=True, reply_to="6", kind=PostKind.REPLY),
        _post("8", 60 * 24, "humaskota", "Jadwal layanan KTP keliling", official=True, likes=40, views=1000),
        _post("9", 60 * 24 * 2, "humaskota", "Wali kota meresmikan taman", official=True, likes=10, views=500),
        _post("10", 60 * 24 * 3, "humaskota", "Jadwal posyandu", official=True, likes=20),
    ]
    store.add_posts(posts)
    ids = {p.native_id: store.lookup(p.native_id)[0].id for p in posts}
    notes = {
        "1": _note(True),
        "3": _note(True),
        "4": _note(True),
        "6": _note(True),
        "2": _note(False),
        "8": _note(False, "informasi_layanan"),
        "9": _note(False, "kegiatan_pimpinan"),
        "10": _note(False, "informasi_layanan"),
    }
    store.save_annotations([(ids[k], v) for k, v in notes.items()], "v1")
    result = report(store.official_posts(), store.first_answers(), workspace.tz, T0 + timedelta(days=5))
    r = result.responses
    assert (r.needing, r.answered, r.open) == (4, 2, 2)  # post 4's thread answer mentions someone else
    assert r.median_minutes == 47.5 and r.answered_share == 0.5  # 30 and 65 minutes
    assert r.oldest_open_hours == round((5 * 24 * 60 - 10) / 60, 1)
    cats = {c.category: c for c in result.categories}
    assert cats["informasi_layanan"].posts == 2 and cats["informasi_layanan"].engagement_mean == 31.0
    assert cats["informasi_layanan"].rate == round(41 / 1000, 5)  # only the post with views counts for the rate
    assert {(h.weekday, h.hour) for h in result.hours} == {(1, 9), (2, 9), (3, 9)}
    out = json.loads(citra("engagement", "--json", ws=workspace.root).stdout)
    assert out["responses"]["answered"] == 2 and len(out["categories"]) == 2
    assert "Keterlibatan warga" in citra("engagement", ws=workspace.root).stdout
