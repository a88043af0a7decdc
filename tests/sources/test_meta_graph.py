"""Meta Graph API comments: Facebook and Instagram pages, comment lines and arrays, with nested replies."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import orjson
import pytest

from citra.errors import SourceError
from citra.records import Platform, PostKind
from citra.sources import fields, registry
from citra.sources.base import ReadOptions
from tests.conftest import FIXTURES
from tests.sources.helpers import claimed_by as _claimed_by
from tests.sources.helpers import read_items as _read

JAKARTA = ZoneInfo("Asia/Jakarta")
FB_PARENT = "122100000000000001_900000000000001"


def test_facebook_offset_without_colon_parses() -> None:
    assert fields.timestamp("2024-01-15T03:12:45+0000", JAKARTA) == datetime(2024, 1, 15, 3, 12, 45, tzinfo=UTC)
    assert fields.timestamp("2024-01-15T10:12:45+0700") == datetime(2024, 1, 15, 3, 12, 45, tzinfo=UTC)


def test_facebook_page_with_nested_replies() -> None:
    path = FIXTURES / "meta_graph_fb.json"
    official = frozenset({("facebook", "100064000000001")})
    name, posts, rejected = _read(path, tz=JAKARTA, official=official, query="jalan rusak")
    assert name == "meta-graph" and len(posts) == 3

    top = posts[FB_PARENT]
    assert top.platform is Platform.FACEBOOK and top.kind is PostKind.COMMENT and top.reply_to_id is None
    assert top.text == "Jalan di Jatiasih rusak parah, kapan diperbaiki? 😡\nTolong Pak Wali segera ditinjau"
    assert top.created_at == datetime(2024, 1, 15, 3, 12, 45, tzinfo=UTC)
    assert top.author.id == "7100000000000001" and top.author.name == "Siti Rahmawati" and top.author.handle is None
    assert top.url == top.raw["permalink_url"] and "comment_id=900000000000001" in top.url
    assert top.engagement.likes == 18 and top.engagement.replies == 1 and top.query == "jalan rusak"
    assert top.raw["comments"]["data"][0]["id"] == "122100000000000001_900000000000002"  # raw is the original
    assert not top.is_official
    orjson.dumps(top.raw)

    answer = posts["122100000000000001_900000000000002"]
    assert answer.kind is PostKind.COMMENT and answer.reply_to_id == FB_PARENT and answer.is_official
    assert answer.author.name == "Pemerintah Kota Bekasi" and answer.raw["like_count"] == 5

    anonymous = posts["122100000000000001_900000000000003"]
    assert anonymous.author.id is None and anonymous.url is None and anonymous.engagement.replies == 0

    assert [(r.file, r.line, r.reason) for r in rejected] == [(str(path), 1, "no text (message)")]
    assert rejected[0].raw["attachment"]["type"] == "sticker"  # the rest of the page went on


def test_instagram_page_with_replies() -> None:
    official = frozenset({("instagram", "humaskotabekasi")})
    name, posts, rejected = _read(FIXTURES / "meta_graph_ig.json", official=official)
    assert name == "meta-graph" and rejected == [] and len(posts) == 3
    top = posts["17900000000000001"]
    assert top.platform is Platform.INSTAGRAM and top.kind is PostKind.COMMENT
    assert top.text.startswith("Kapan jalan di Jatiasih diperbaiki min? @humaskotabekasi 😡\nSudah")
    assert top.created_at == datetime(2024, 1, 16, 2, 0, tzinfo=UTC)
    assert top.author.id == "17800000000000001" and top.author.handle == "rina.jatiasih"
    assert top.engagement.likes == 31 and top.conversation_id == "18000000000000001"
    assert not top.is_official and top.url is None
    reply = posts["17900000000000002"]
    assert reply.reply_to_id == "17900000000000001" and reply.is_official
    assert reply.conversation_id == "18000000000000001"  # the media of its parent
    assert reply.raw == top.raw["replies"]["data"][0]


def test_comment_lines_with_parent_and_a_bad_line() -> None:
    path = FIXTURES / "meta_graph_comments.jsonl"
    name, posts, rejected = _read(path)
    assert name == "meta-graph" and len(posts) == 2
    reply = posts["122100000000000009_900000000000013"]
    assert reply.reply_to_id == "122100000000000009_900000000000011" and reply.platform is Platform.FACEBOOK
    assert [(r.file, r.line) for r in rejected] == [(str(path), 2)]
    assert "unreadable date 'tanggal salah'" in rejected[0].reason


def test_array_of_instagram_comments_and_pages_per_line(tmp_path: Path) -> None:
    page = json.loads((FIXTURES / "meta_graph_ig.json").read_text(encoding="utf-8"))
    array = tmp_path / "ig.json"
    array.write_text(json.dumps(page["data"], ensure_ascii=False, indent=1), encoding="utf-8")
    name, posts, rejected = _read(array, platform=Platform.OTHER)
    assert name == "meta-graph" and len(posts) == 3 and rejected == []
    assert {p.platform for p in posts.values()} == {Platform.OTHER}

    lines = tmp_path / "pages.jsonl"
    broken = dict(page["data"][1], timestamp="")
    second = {"data": [7, broken], "paging": {}}
    lines.write_text(json.dumps(page) + "\n" + json.dumps(second) + "\n", encoding="utf-8")
    name, posts, rejected = _read(lines)
    assert name == "meta-graph" and len(posts) == 3
    assert [(r.line, r.reason) for r in rejected] == [
        (2, "comment is not an object"),
        (2, "no date (timestamp)"),
    ]


@pytest.mark.parametrize("fixture", ["meta_graph_fb.json", "meta_graph_ig.json", "meta_graph_comments.jsonl"])
def test_detected_only_as_meta_graph(fixture: str) -> None:
    assert _claimed_by(FIXTURES / fixture) == ["meta-graph"]


def test_generic_json_lines_are_not_taken(tmp_path: Path) -> None:
    path = tmp_path / "generic.jsonl"
    row = {"id": "1", "text": "Banjir di Bekasi Timur", "timestamp": "2024-01-01T00:00:00Z", "username": "a"}
    path.write_text(json.dumps(row) + "\n", encoding="utf-8")
    assert _claimed_by(path) == []


@pytest.mark.parametrize("fixture", ["x_v2_page.json", "youtube_threads.json", "fourcat.ndjson"])
def test_forced_on_a_wrong_file_fails_naming_it(fixture: str) -> None:
    path = FIXTURES / fixture
    with pytest.raises(SourceError, match="does not look like meta-graph") as info:
        registry.read(path, "meta-graph", ReadOptions())
    assert str(path) in str(info.value)
