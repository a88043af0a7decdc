"""YouTube Data API commentThreads: responses, lines of responses or threads, arrays of threads."""

from __future__ import annotations

import gzip
import json
from datetime import UTC, datetime
from pathlib import Path

import orjson
import pytest

from citra.errors import SourceError
from citra.records import Platform, PostKind
from citra.sources import registry
from citra.sources.base import ReadOptions
from tests.conftest import FIXTURES
from tests.sources.helpers import claimed_by as _claimed_by
from tests.sources.helpers import read_items as _read

TOP = "UgzBekasi0001"


def _response() -> dict:
    return json.loads((FIXTURES / "youtube_threads.json").read_text(encoding="utf-8"))


def test_threads_response_maps_every_field() -> None:
    official = frozenset({("youtube", "humaskotabekasi")})
    name, posts, rejected = _read(FIXTURES / "youtube_threads.json", official=official, query="video jalan")
    assert name == "youtube" and rejected == [] and list(posts) == [TOP, f"{TOP}.AbCdEf01", "UgzBekasi0002"]

    top = posts[TOP]
    assert top.platform is Platform.YOUTUBE and top.kind is PostKind.COMMENT and top.reply_to_id is None
    assert top.text == "Jalan di Jatiasih rusak parah, kapan diperbaiki? 😡\nSudah 3 bulan"  # textOriginal
    assert top.created_at == datetime(2024, 1, 17, 8, 0, tzinfo=UTC)
    assert top.author.id == "UCwarga0000000000000001" and top.author.handle == "rinajatiasih"
    assert top.author.name is None and not top.is_official
    assert top.engagement.likes == 12 and top.engagement.replies == 1
    assert top.url == "https://www.youtube.com/watch?v=dQw4bks2024&lc=UgzBekasi0001"
    assert top.conversation_id == "dQw4bks2024" and top.query == "video jalan"
    assert top.raw["kind"] == "youtube#commentThread" and top.raw["snippet"]["totalReplyCount"] == 1
    orjson.dumps(top.raw)

    reply = posts[f"{TOP}.AbCdEf01"]
    assert reply.kind is PostKind.COMMENT and reply.reply_to_id == TOP and reply.is_official
    assert reply.author.handle == "humaskotabekasi" and reply.engagement.replies is None
    assert reply.url == f"https://www.youtube.com/watch?v=dQw4bks2024&lc={TOP}.AbCdEf01"
    assert reply.raw["kind"] == "youtube#comment"

    html_only = posts["UgzBekasi0002"]  # no textOriginal: textDisplay's HTML is turned into text
    assert html_only.text == 'Video bagus, tapi "Bekasi Keren" itu cuma slogan?\nBanjir masih di mana-mana 🌊'
    assert html_only.author.handle == "Agus Setiawan" and html_only.author.name == "Agus Setiawan"
    assert html_only.engagement.replies == 0


def test_thread_lines_reject_the_bad_one() -> None:
    path = FIXTURES / "youtube_threads.jsonl"
    name, posts, rejected = _read(path)
    assert name == "youtube" and list(posts) == ["UgzBekasi0003"]
    assert [(r.file, r.line, r.reason) for r in rejected] == [(str(path), 2, "no date (publishedAt)")]
    assert rejected[0].raw["id"] == "UgzBekasi0004"


def test_gzipped_lines_of_responses(tmp_path: Path) -> None:
    response = _response()
    second = dict(response, items=[{"kind": "youtube#commentThread", "snippet": {}}, "junk"])
    path = tmp_path / "responses.jsonl.gz"
    with gzip.open(path, "wt", encoding="utf-8") as f:
        f.write(json.dumps(response, ensure_ascii=False) + "\n" + json.dumps(second) + "\n")
    name, posts, rejected = _read(path)
    assert name == "youtube" and len(posts) == 3
    assert [(r.line, r.reason) for r in rejected] == [
        (2, "no comment object (topLevelComment)"),
        (2, "not a YouTube comment thread (kind None)"),
    ]


def test_array_of_threads(tmp_path: Path) -> None:
    path = tmp_path / "threads.json"
    path.write_text(json.dumps(_response()["items"], indent=1), encoding="utf-8")
    name, posts, rejected = _read(path, platform=Platform.OTHER)
    assert name == "youtube" and len(posts) == 3 and rejected == []
    assert posts[f"{TOP}.AbCdEf01"].platform is Platform.OTHER


@pytest.mark.parametrize("fixture", ["youtube_threads.json", "youtube_threads.jsonl"])
def test_detected_only_as_youtube(fixture: str) -> None:
    assert _claimed_by(FIXTURES / fixture) == ["youtube"]


@pytest.mark.parametrize("fixture", ["x_v2_pages.jsonl", "meta_graph_ig.json", "fourcat.csv"])
def test_forced_on_a_wrong_file_fails_naming_it(fixture: str) -> None:
    path = FIXTURES / fixture
    with pytest.raises(SourceError, match="does not look like youtube") as info:
        registry.read(path, "youtube", ReadOptions())
    assert str(path) in str(info.value)
