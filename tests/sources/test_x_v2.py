"""X API v2 exports: response pages (JSON file or one per line) and flat tweet lines."""

from __future__ import annotations

import gzip
import json
import shutil
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import orjson
import pytest

from citra.errors import SourceError
from citra.records import Platform, PostKind
from citra.sources import registry
from citra.sources.base import ReadOptions
from tests.conftest import FIXTURES
from tests.sources.helpers import claimed_by as _claimed_by
from tests.sources.helpers import read_items as _read

JAKARTA = ZoneInfo("Asia/Jakarta")


def test_page_maps_every_field() -> None:
    official = frozenset({("x", "humaskotabekasi")})
    name, posts, rejected = _read(FIXTURES / "x_v2_page.json", tz=JAKARTA, official=official, query="jatiasih")
    assert name == "x-v2" and rejected == [] and len(posts) == 4

    post = posts["1747000000000000001"]
    assert post.platform is Platform.X and post.kind is PostKind.POST and post.reply_to_id is None
    assert post.text == (
        "Jalan di Jatiasih rusak parah, kapan diperbaiki? @humaskotabekasi 😡\n"
        "Sudah 3 bulan begini, motor saya hampir jatuh 🛵"
    )
    assert post.created_at == datetime(2024, 1, 15, 3, 12, 45, tzinfo=UTC)
    assert post.created_at.utcoffset().total_seconds() == 0
    assert post.author.id == "1500000001" and post.author.handle == "wargajatiasih"
    assert post.author.name == "Rina Jatiasih 🌻" and post.author.followers == 312
    assert post.url == "https://x.com/wargajatiasih/status/1747000000000000001"
    assert post.lang == "in" and post.conversation_id == "1747000000000000001"
    e = post.engagement
    assert (e.likes, e.reposts, e.replies, e.quotes, e.views) == (25, 7, 3, 1, 1840)
    assert post.query == "jatiasih" and not post.is_official
    assert post.raw["public_metrics"]["like_count"] == 25 and post.raw["_user"]["username"] == "wargajatiasih"
    orjson.dumps(post.raw)

    reply = posts["1747000000000000002"]
    assert reply.kind is PostKind.REPLY and reply.reply_to_id == "1747000000000000001"
    assert reply.is_official and reply.author.followers == 98765
    assert reply.conversation_id == "1747000000000000001"

    quote = posts["1747000000000000003"]
    assert quote.kind is PostKind.QUOTE and quote.reply_to_id is None
    assert quote.text == quote.raw["note_tweet"]["text"] and quote.text.endswith("#Bekasi #JalanRusak")
    assert len(quote.text) > len(quote.raw["text"]) and "\n\n" in quote.text

    repost = posts["1747000000000000004"]
    assert repost.kind is PostKind.REPOST and repost.author.id == "1700000009" and repost.author.handle is None
    assert repost.url == "https://x.com/i/web/status/1747000000000000004" and "_user" not in repost.raw


def test_pages_per_line_reject_one_tweet_not_the_page() -> None:
    path = FIXTURES / "x_v2_pages.jsonl"
    name, posts, rejected = _read(path)
    assert name == "x-v2"
    assert sorted(posts) == ["1747100000000000001", "1747100000000000002", "1747100000000000003"]
    assert posts["1747100000000000003"].author.handle == "ayu_bks"  # users come from the tweet's own page
    assert posts["1747100000000000002"].author.followers == 98765
    assert [(r.file, r.line) for r in rejected] == [(str(path), 2), (str(path), 4)]
    assert "unreadable date 'kemarin sore'" in rejected[0].reason
    assert rejected[0].raw["id"] == "1747100000000000004"
    assert "broken JSON" in rejected[1].reason


def test_flat_tweet_lines() -> None:
    path = FIXTURES / "x_v2_flat.jsonl"
    name, posts, rejected = _read(path, platform=Platform.OTHER)
    assert name == "x-v2" and len(posts) == 2
    embedded = posts["1747200000000000001"]
    assert embedded.platform is Platform.OTHER
    assert embedded.author.handle == "wargajatiasih" and embedded.author.followers == 312
    assert embedded.text.startswith("Lampu PJU di Jl. Ahmad Yani mati semua 🌑\nRawan begal")
    assert embedded.raw == json.loads(path.read_text(encoding="utf-8").splitlines()[0])
    bare = posts["1747200000000000002"]
    assert bare.author.id == "1500000010" and bare.author.handle is None
    assert bare.url == "https://x.com/i/web/status/1747200000000000002"
    assert [(r.file, r.line, r.reason) for r in rejected] == [(str(path), 3, "no text")]


def test_gzipped_page(tmp_path: Path) -> None:
    target = tmp_path / "x_v2_page.json.gz"
    with (FIXTURES / "x_v2_page.json").open("rb") as src, gzip.open(target, "wb") as dst:
        shutil.copyfileobj(src, dst)
    name, posts, rejected = _read(target)
    assert name == "x-v2" and len(posts) == 4 and rejected == []
    assert posts["1747000000000000003"].kind is PostKind.QUOTE


def test_empty_first_page_single_tweet_page_and_odd_shapes(tmp_path: Path) -> None:
    tweet = json.loads((FIXTURES / "x_v2_page.json").read_text(encoding="utf-8"))["data"][0]
    lines = [
        {"meta": {"result_count": 0}},
        {"data": tweet, "includes": {"users": [{"id": "1500000001", "username": "wargajatiasih"}]}},
        {"data": "oops", "meta": {"result_count": 1}},
        {"data": [7, dict(tweet, id="1747000000000000099", created_at=None)], "meta": {"result_count": 2}},
    ]
    path = tmp_path / "pages.jsonl"
    path.write_text("".join(json.dumps(x) + "\n" for x in lines), encoding="utf-8")
    name, posts, rejected = _read(path)
    assert name == "x-v2" and list(posts) == ["1747000000000000001"]
    assert posts["1747000000000000001"].url == "https://x.com/wargajatiasih/status/1747000000000000001"
    assert [(r.line, r.reason) for r in rejected] == [
        (3, "page 'data' is not a list of tweets"),
        (4, "tweet is not an object"),
        (4, "no date (created_at)"),
    ]


@pytest.mark.parametrize("fixture", ["x_v2_page.json", "x_v2_pages.jsonl", "x_v2_flat.jsonl"])
def test_detected_only_as_x_v2(fixture: str) -> None:
    assert _claimed_by(FIXTURES / fixture) == ["x-v2"]


def test_generic_json_lines_are_not_taken(tmp_path: Path) -> None:
    path = tmp_path / "generic.jsonl"
    row = {"id": "1", "text": "Macet di Summarecon", "created_at": "2024-01-01T00:00:00Z", "author_id": "9"}
    path.write_text(json.dumps(row) + "\n", encoding="utf-8")
    assert _claimed_by(path) == []
    assert registry.read(path, "auto", ReadOptions())[0] == "table"


@pytest.mark.parametrize("fixture", ["fourcat.csv", "youtube_threads.json", "meta_graph_ig.json"])
def test_forced_on_a_wrong_file_fails_naming_it(fixture: str) -> None:
    path = FIXTURES / fixture
    with pytest.raises(SourceError, match="does not look like x-v2") as info:
        registry.read(path, "x-v2", ReadOptions())
    assert str(path) in str(info.value)


def test_page_with_default_fields_only_is_recognised(tmp_path: Path) -> None:
    page = {
        "data": [{"id": "1747300000000000001", "edit_history_tweet_ids": ["1747300000000000001"], "text": "Halo"}],
        "meta": {"newest_id": "1747300000000000001", "oldest_id": "1747300000000000001", "result_count": 1},
    }
    path = tmp_path / "default_fields.json"
    path.write_text(json.dumps(page, indent=2), encoding="utf-8")
    name, posts, rejected = _read(path)
    assert name == "x-v2" and posts == {}
    assert [(r.line, r.reason) for r in rejected] == [(1, "no date (created_at)")]
