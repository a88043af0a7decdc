"""Containers: encodings, delimiters, gzip, XLSX sheets, JSON shapes, and broken rows."""

import gzip
from pathlib import Path

import pytest
from openpyxl import Workbook

from citra.errors import SourceError
from citra.sources.files import open_records

TEXT = "Jalan rusak di Jatiasih 😡\nkapan diperbaiki?"


def _records(path: Path) -> list:
    return list(open_records(path).records)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig"])
def test_utf8_with_and_without_bom(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "a.csv"
    path.write_text(f'id,text\n1,"{TEXT}"\n', encoding=encoding)
    opened = open_records(path)
    assert opened.keys == ["id", "text"]
    [rec] = list(opened.records)
    assert rec.data == {"id": "1", "text": TEXT}


@pytest.mark.parametrize("encoding", ["cp1252", "latin-1"])
def test_windows_and_latin1_files(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "a.csv"
    path.write_bytes("id;text\n1;Café résumé naïve – “kutip”\n".encode(encoding, errors="replace"))
    [rec] = _records(path)
    expected = "Café résumé naïve – “kutip”" if encoding == "cp1252" else "Café résumé naïve ? ?kutip?"
    assert rec.data["text"] == expected


def test_semicolon_file_with_multiline_cells_keeps_line_numbers(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_text('id;text\n1;"satu\ndua"\n2;tiga\n3;"empat";lebih\n4;lima\n', encoding="utf-8")
    recs = _records(path)
    assert [r.line for r in recs] == [2, 4, 5, 6]
    assert recs[0].data["text"] == "satu\ndua"
    assert recs[2].data is None and "wrong column count" in recs[2].problem
    assert recs[2].raw == ["3", "empat", "lebih"]


def test_trailing_empty_cells_from_excel_are_fine(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_text("id;text;\n1;halo;\n2;apa kabar;;\n", encoding="utf-8")
    recs = _records(path)
    assert [r.data["text"] for r in recs] == ["halo", "apa kabar"]


def test_gzip(tmp_path: Path) -> None:
    path = tmp_path / "a.csv.gz"
    path.write_bytes(gzip.compress(f'id,text\n1,"{TEXT}"\n'.encode()))
    [rec] = _records(path)
    assert rec.data["text"] == TEXT


def test_xlsx_prefers_the_tweets_sheet(tmp_path: Path) -> None:
    wb = Workbook()
    wb.active.title = "Info"
    wb.active.append(["nothing here"])
    sheet = wb.create_sheet("Tweets")
    sheet.append(["id", "text", None])
    sheet.append([1, TEXT, None])
    sheet.append([None, None, None])
    sheet.append([2, "dua", None])
    path = tmp_path / "a.xlsx"
    wb.save(path)
    opened = open_records(path)
    assert opened.keys == ["id", "text"]
    recs = list(opened.records)
    assert [(r.line, r.data["text"]) for r in recs] == [(2, TEXT), (4, "dua")]


def test_jsonl_broken_line_is_a_problem_record(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl"
    path.write_text('{"id": 1, "text": "a"}\n{"id": 2, "text": \n\n{"id": 3, "text": "c"}\n[1]\n', encoding="utf-8")
    recs = _records(path)
    assert [r.line for r in recs] == [1, 2, 4, 5]
    assert recs[1].data is None and "broken JSON line" in recs[1].problem
    assert recs[3].problem == "JSON line is not an object"


def test_json_array_streams_items(tmp_path: Path) -> None:
    path = tmp_path / "a.json"
    path.write_text('[{"id": 1}, {"id": 2}, 3]', encoding="utf-8")
    recs = _records(path)
    assert [r.data for r in recs[:2]] == [{"id": 1}, {"id": 2}]
    assert recs[2].problem == "array item is not an object"


def test_pretty_printed_json_document(tmp_path: Path) -> None:
    path = tmp_path / "a.json"
    path.write_text('{\n  "data": [\n    {"id": "1"}\n  ]\n}\n', encoding="utf-8")
    opened = open_records(path)
    assert opened.container == "json" and opened.keys == ["data"]


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"", "is empty"), (b"\x00\x01\x02binary\x00" * 10, "binary"), (b'{"broken": ', "broken JSON")],
)
def test_unreadable_files_fail_naming_the_file(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "bad.dat"
    path.write_bytes(content)
    with pytest.raises(SourceError, match=message) as info:
        open_records(path)
    assert str(path) in str(info.value)


def test_missing_file_and_folder(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="no such file"):
        open_records(tmp_path / "nope.csv")
    with pytest.raises(SourceError, match="folder"):
        open_records(tmp_path)


def test_broken_xlsx(tmp_path: Path) -> None:
    path = tmp_path / "a.xlsx"
    path.write_bytes(b"PK\x03\x04 not really a workbook")
    with pytest.raises(SourceError, match="XLSX"):
        open_records(path)
