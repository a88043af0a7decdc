"""4CAT exports: CSV of a Twitter dataset and NDJSON of a non-Twitter one."""

from __future__ import annotations

import csv
import json
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from citra.errors import SourceError
from citra.records import Platform, PostKind
from citra.sources import registry
from citra.sources.base import ReadOptions
from tests.conftest import FIXTURES
from tests.sources.helpers import claimed_by as _claimed_by
from tests.sources.helpers import read_items as _read

JAKARTA = ZoneInfo("Asia/Jakarta")


def test_twitter_csv_maps_every_field() -> None:
    path = FIXTURES / "fourcat.csv"
    official = frozenset({("x", "humaskotabekasi")})
    name, posts, rejected = _read(path, tz=JAKARTA, official=official, query="sampah")
    assert name == "4cat" and len(posts) == 3

    post = posts["1748000000000000001"]
    assert post.platform is Platform.X and post.kind is PostKind.POST
    assert post.text == "Sampah menumpuk di TPS Bantargebang lagi 🤢\nDLH Kota Bekasi ke mana? @humaskotabekasi"
    assert post.created_at == datetime(2024, 4, 1, 2, 10, tzinfo=UTC)  # 4CAT writes UTC, whatever the tz
    assert post.author.id == "1500000020" and post.author.handle == "dimas_bks" and post.author.name == "Dimas"
    assert post.url == "https://x.com/dimas_bks/status/1748000000000000001"
    assert post.conversation_id == "1748000000000000001" and post.lang == "in" and post.query == "sampah"
    e = post.engagement
    assert (e.likes, e.reposts, e.replies, e.quotes, e.views) == (40, 12, 5, 1, 3100)
    assert post.raw["mentions"] == "humaskotabekasi" and post.raw["is_retweet"] == "no"
    assert not post.is_official

    reply = posts["1748000000000000002"]
    assert reply.kind is PostKind.REPLY and reply.conversation_id == "1748000000000000001"
    assert reply.is_official and reply.reply_to_id is None
    assert posts["1748000000000000003"].kind is PostKind.REPOST

    assert [(r.file, r.line, r.reason) for r in rejected] == [(str(path), 6, "no text (body)")]
    assert rejected[0].raw[0] == "1748000000000000004"


def test_ndjson_of_another_platform() -> None:
    path = FIXTURES / "fourcat.ndjson"
    name, posts, rejected = _read(path, tz=JAKARTA)
    assert name == "4cat" and list(posts) == ["tg-9001", "tg-9002"]
    root, comment = posts["tg-9001"], posts["tg-9002"]
    assert root.platform is Platform.OTHER and root.kind is PostKind.POST and root.url is None
    assert root.created_at == datetime(2024, 5, 20, 9, 0, tzinfo=UTC)  # from "timestamp", read as UTC
    assert root.text.endswith("perbaikan saluran 🚧\nMohon maklum")
    assert root.engagement.likes == 120 and root.engagement.views == 5400 and root.engagement.reposts is None
    assert comment.kind is PostKind.COMMENT and comment.conversation_id == "tg-9001"
    assert comment.author.handle == "budi.s" and comment.author.name == "Budi S"
    assert [(r.file, r.line) for r in rejected] == [(str(path), 3)]
    assert "unreadable date" in rejected[0].reason and rejected[0].raw["id"] == "tg-9003"


@pytest.mark.parametrize(("platform", "kind"), [(Platform.X, PostKind.REPLY), (Platform.FACEBOOK, PostKind.COMMENT)])
def test_platform_override_decides_reply_or_comment(platform: Platform, kind: PostKind) -> None:
    _, posts, _ = _read(FIXTURES / "fourcat.ndjson", platform=platform)
    assert posts["tg-9002"].platform is platform and posts["tg-9002"].kind is kind


def test_unix_timestamp_wins_over_timestamp(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["id", "thread_id", "timestamp", "unix_timestamp", "body", "author", "is_quote_tweet"])
        w.writerow(["11", "11", "2020-01-01 00:00:00", "1711937400", "Kutipan soal Pemkot Bekasi", "x1", "yes"])
        w.writerow(["12", "12", "2024-04-01 09:00:00", "", "Tanpa unix time", "x2", "no"])
    name, posts, rejected = _read(path, tz=JAKARTA)
    assert name == "4cat" and rejected == []
    assert posts["11"].created_at == datetime(2024, 4, 1, 2, 10, tzinfo=UTC)
    assert posts["12"].created_at == datetime(2024, 4, 1, 9, 0, tzinfo=UTC)
    assert posts["11"].platform is Platform.OTHER  # no twitter-like columns
    assert posts["11"].kind is PostKind.QUOTE and posts["12"].kind is PostKind.POST


@pytest.mark.parametrize("fixture", ["fourcat.csv", "fourcat.ndjson"])
def test_detected_only_as_4cat(fixture: str) -> None:
    assert _claimed_by(FIXTURES / fixture) == ["4cat"]


def test_generic_table_is_not_taken(tmp_path: Path) -> None:
    path = tmp_path / "generic.jsonl"
    row = {"id": "1", "body": "Macet di Summarecon", "timestamp": "2024-01-01 00:00:00", "author": "a"}
    path.write_text(json.dumps(row) + "\n", encoding="utf-8")
    assert _claimed_by(path) == []


@pytest.mark.parametrize("fixture", ["x_v2_flat.jsonl", "meta_graph_fb.json", "youtube_threads.jsonl"])
def test_forced_on_a_wrong_file_fails_naming_it(fixture: str) -> None:
    path = FIXTURES / fixture
    with pytest.raises(SourceError, match="does not look like 4cat") as info:
        registry.read(path, "4cat", ReadOptions())
    assert str(path) in str(info.value)
