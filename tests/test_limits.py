"""The JSON nesting guard and the column-fit check, without a database."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from citra.records import Author, Engagement, Platform, Post
from citra.sources.limits import MAX_DEPTH, JsonGuard, TooDeep, post_problem, too_deep


def _feed(data: bytes, piece: int, item: int = 1 << 30) -> None:
    guard = JsonGuard("f.json", item=item)
    for at in range(0, len(data), piece):
        guard.feed(data[at : at + piece])


@pytest.mark.parametrize("piece", [1, 3, 7, 64, 65536])
def test_depth_is_exact_whatever_the_pieces(piece: int) -> None:
    _feed(b"[" * MAX_DEPTH + b"]" * MAX_DEPTH, piece)
    with pytest.raises(TooDeep, match="nested more than 64 levels deep"):
        _feed(b"[" * (MAX_DEPTH + 1) + b"]" * (MAX_DEPTH + 1), piece)


@pytest.mark.parametrize("piece", [1, 2, 5, 4096])
def test_brackets_and_escapes_inside_strings_do_not_count(piece: int) -> None:
    tricky = {"a": "[[[[{{{{" * 40, "b": '\\"[[[[' * 40 + "\\", "c": ['\\\\"' * 30, "]]]]"], "d": "\\\\"}
    _feed(json.dumps([tricky] * 5).encode(), piece)
    nested = json.dumps([{"s": "[" * 500, "x": [[[[[1]]]]]}]).encode()
    _feed(nested, piece)
    with pytest.raises(TooDeep):
        JsonGuard("f", depth=6).feed(nested)


def test_one_large_item_is_refused() -> None:
    with pytest.raises(TooDeep, match="a JSON item is larger than 1,000 bytes"):
        _feed(json.dumps([{"t": ["x" * 100] * 100}]).encode(), 64, item=1000)
    _feed(json.dumps([{"t": "x" * 100}] * 100).encode(), 64, item=1000)  # many small items are fine


def test_too_deep_for_one_line() -> None:
    assert too_deep('{"a": ' * 65 + "1" + "}" * 65)
    assert not too_deep('{"a": ' * 64 + "1" + "}" * 64)
    assert not too_deep('{"s": "' + "[" * 1000 + '"}')


def _post(**changes: object) -> Post:
    base = {"platform": Platform.X, "native_id": "1", "text": "t", "created_at": datetime(2024, 3, 1, tzinfo=UTC)}
    return Post(**(base | changes))  # type: ignore[arg-type]


def test_values_that_do_not_fit_their_columns() -> None:
    assert post_problem(_post()) is None
    assert post_problem(_post(native_id="9" * 129)) == "id longer than 128 characters"
    assert post_problem(_post(reply_to_id="9" * 129)) == "reply-to id longer than 128 characters"
    assert post_problem(_post(author=Author(handle="h" * 257))) == "author handle longer than 256 characters"
    assert post_problem(_post(engagement=Engagement(likes=2**63))) == f"likes out of range: {2**63}"
    assert post_problem(_post(author=Author(followers=-(2**64)))) == f"followers out of range: {-(2**64)}"
