"""Property tests: every importer fed random and mutated files never crashes (a whole-file refusal is a
one-line CitraError in the file's summary), rejects every bad row with a reason, and stores the same on SQLite
and PostgreSQL. Derandomized and bounded so that the file runs in well under a minute."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from citra import config
from citra.ingest import ingest
from citra.sources import registry
from citra.store import Store
from citra.store.schema import imports, posts
from tests.conftest import FIXTURES, ORG, _clean_pg
from tests.sources.test_lapor import HEADER as LAPOR_HEADER
from tests.sources.test_lapor import ROWS as LAPOR_ROWS
from tests.test_ingest import SAMPLE

FUZZ = settings(
    max_examples=100,
    deadline=None,
    derandomize=True,
    database=None,
    phases=(Phase.explicit, Phase.generate),  # no shrinking: bounded time; a failure shows its input
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)


@dataclasses.dataclass
class Pair:
    """One workspace whose posts are kept in SQLite and, beside it, in PostgreSQL."""

    lite: config.Workspace
    lite_store: Store
    pg: config.Workspace
    pg_store: Store

    def clear(self) -> None:
        for store in (self.lite_store, self.pg_store):
            with store.engine.begin() as conn:
                conn.execute(posts.delete())
                conn.execute(imports.delete())


@pytest.fixture(scope="module")
def pair(tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest) -> Iterator[Pair]:
    url = request.getfixturevalue("pg_url")
    _clean_pg(url)
    lite = config.init(tmp_path_factory.mktemp("fuzz") / "ws", ORG)
    pg = dataclasses.replace(lite, database_url=url)
    with Store.open(lite.database_url) as lite_store, Store.open(url) as pg_store:
        lite_store.upgrade()
        yield Pair(lite, lite_store, pg, pg_store)


def _stored(store: Store) -> list[tuple[Any, ...]]:
    c = posts.c
    cols = (c.platform, c.native_id, c.text, c.created_at, c.author_handle, c.url, c.likes, c.kind, c.raw)
    with store.engine.connect() as conn:
        return [tuple(r) for r in conn.execute(sa.select(*cols).order_by(c.platform, c.native_id))]


def _check(pair: Pair, data: bytes, suffix: str, fmt: str = "auto") -> None:
    """Ingest ``data`` into both databases: no exception, every reject with a reason, the same outcome."""
    pair.clear()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"input{suffix}"
        path.write_bytes(data)
        outcomes = []
        for ws, store in ((pair.lite, pair.lite_store), (pair.pg, pair.pg_store)):
            summary = ingest(store, ws, [path], fmt)
            [file] = summary.files
            assert summary.status in ("done", "failed")
            if file.error is not None:
                assert "\n" not in file.error and file.error.startswith(str(path))
            if summary.rejects_path:
                lines = Path(summary.rejects_path).read_text(encoding="utf-8").rstrip("\n").split("\n")
                assert len(lines) == file.rejected
                assert all(json.loads(line)["reason"] for line in lines)
            else:
                assert file.rejected == 0
            assert file.inserted + file.updated <= file.read - file.rejected
            outcomes.append((file.as_dict() | {"path": None}, _stored(store)))
    assert outcomes[0] == outcomes[1]


# what a row may hold: ordinary text, emoji, control characters, NUL, quotes, lone surrogates (from JSON escapes)
_TEXT = st.text(
    alphabet=st.one_of(
        st.sampled_from(list("abc xyz,;\t\"'\n\r\\{}[]=+-@#é😡\x00\x01\x7f")),
        st.characters(codec="utf-8"),
        st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF),
    ),
    max_size=40,
)
_CELL = st.one_of(_TEXT, st.integers(-(2**70), 2**70), st.none(), st.sampled_from(["", "#NAME?", "2024-13-45", "1,2K"]))
_DATE = st.one_of(
    st.sampled_from(["2024-03-01T08:00:00Z", "01/03/2024 08:00", "Fri Mar 01 08:00:00 +0000 2024", "", "kemarin"]),
    st.datetimes().map(lambda d: d.isoformat()),
    _TEXT,
)
_ROW = st.fixed_dictionaries(
    {"id": st.one_of(st.integers(0, 50).map(str), _TEXT), "text": _TEXT, "created_at": _DATE},
    optional={"author": _CELL, "likes": _CELL, "url": _CELL, "extra": _CELL},
)
_ROWS = st.lists(_ROW, min_size=1, max_size=12)


def _table(rows: list[dict[str, Any]], delimiter: str) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(["id", "text", "created_at", "author", "likes"])
    for row in rows:
        writer.writerow([_plain(row.get(k)) for k in ("id", "text", "created_at", "author", "likes")])
    return out.getvalue().encode("utf-8", "surrogatepass")


def _plain(value: Any) -> str:
    return "" if value is None else str(value)


@st.composite
def _mutated(draw: st.DrawFn, data: bytes) -> bytes:
    """``data`` with a few bytes flipped, cut, repeated or inserted (stray bytes, NULs, deep brackets)."""
    out = bytearray(data)
    for _ in range(draw(st.integers(0, 4))):
        at = draw(st.integers(0, len(out)))
        kind = draw(st.sampled_from(["flip", "cut", "insert", "nest", "dup"]))
        if kind == "flip" and at < len(out):
            out[at] = draw(st.integers(0, 255))
        elif kind == "cut":
            del out[at : at + draw(st.integers(1, 200))]
        elif kind == "insert":
            out[at:at] = draw(st.binary(min_size=1, max_size=8))
        elif kind == "nest":
            out[at:at] = b"[" * draw(st.integers(60, 3000)) + b"{" * draw(st.integers(0, 100))
        else:
            out[at:at] = bytes(out[at : at + draw(st.integers(1, 300))])
    return bytes(out)


@FUZZ
@given(rows=_ROWS, delimiter=st.sampled_from([",", ";", "\t", "|"]), data=st.data())
def test_random_tables(pair: Pair, rows: list[dict[str, Any]], delimiter: str, data: st.DataObject) -> None:
    raw = data.draw(_mutated(_table(rows, delimiter)))
    _check(pair, raw, ".tsv" if delimiter == "\t" else ".csv", data.draw(st.sampled_from(["auto", "csv"])))


@FUZZ
@given(rows=_ROWS, data=st.data())
def test_random_json_lines_and_arrays(pair: Pair, rows: list[dict[str, Any]], data: st.DataObject) -> None:
    encoded = [json.dumps(row, ensure_ascii=data.draw(st.booleans())) for row in rows]
    if data.draw(st.booleans()):
        text = "\n".join(encoded) + "\n"
        suffix, fmt = ".jsonl", data.draw(st.sampled_from(["auto", "jsonl"]))
    else:
        text = "[" + ",\n".join(encoded) + "]"
        suffix, fmt = ".json", "auto"
    raw = data.draw(_mutated(text.encode("utf-8", "surrogatepass")))
    _check(pair, raw, suffix, fmt)


@settings(FUZZ, max_examples=5)
@given(rows=_ROWS)
def test_random_workbooks(pair: Pair, rows: list[dict[str, Any]]) -> None:
    wb = Workbook()
    sheet = wb.active
    sheet.append(["id", "text", "created_at", "author", "likes"])
    for row in rows:
        cells = [row.get(k) for k in ("id", "text", "created_at", "author", "likes")]
        # openpyxl refuses control characters and surrogates in cells, as Excel does
        sheet.append([_xlsx_safe(c) for c in cells])
    out = io.BytesIO()
    wb.save(out)
    _check(pair, out.getvalue(), ".xlsx", "xlsx")


def _xlsx_safe(value: Any) -> Any:
    if isinstance(value, int) and abs(value) > 2**53:
        return str(value)
    if not isinstance(value, str):
        return value
    return "".join(c for c in value if c >= " " and not 0xD800 <= ord(c) <= 0xDFFF)


def _lapor_csv() -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows([LAPOR_HEADER, *LAPOR_ROWS])
    return out.getvalue().encode("utf-8")


SEEDS: dict[str, tuple[bytes, str]] = {
    "tweet-harvest": (SAMPLE.read_bytes(), ".csv"),
    "x-v2": ((FIXTURES / "x_v2_flat.jsonl").read_bytes(), ".jsonl"),
    "4cat": ((FIXTURES / "fourcat.csv").read_bytes(), ".csv"),
    "meta-graph": ((FIXTURES / "meta_graph_fb.json").read_bytes(), ".json"),
    "youtube": ((FIXTURES / "youtube_threads.jsonl").read_bytes(), ".jsonl"),
    "lapor": (_lapor_csv(), ".csv"),
}


def test_every_format_has_a_seed() -> None:
    assert set(SEEDS) | {"csv", "jsonl", "xlsx"} == set(registry.CHOICES) - {"auto"}


@pytest.mark.parametrize("fmt", sorted(SEEDS))
def test_mutated_exports_of_every_format(pair: Pair, fmt: str) -> None:
    seed, suffix = SEEDS[fmt]

    @settings(FUZZ, max_examples=40)
    @given(data=st.data())
    def run(data: st.DataObject) -> None:
        _check(pair, data.draw(_mutated(seed)), suffix, data.draw(st.sampled_from(["auto", fmt])))

    run()
