"""Containers: open CSV, XLSX, JSON and JSONL/NDJSON files (optionally gzipped) in any of the encodings
Excel and friends produce, and stream them as Records, one per row or JSON object, with its line number.

A Record either carries data or says why its row is unusable, so formats can reject it with file and line.
"""

from __future__ import annotations

import codecs
import csv
import gzip
import io
import itertools
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Literal

import ijson

from citra.errors import SourceError

Container = Literal["table", "json"]
# Decoding in pieces that stay in the CPU cache is several times faster than 1 MB at a time.
_SCAN_CHUNK = 64 * 1024
_DELIMITERS = ",;\t|"
csv.field_size_limit(1 << 24)


@dataclass(slots=True)
class Record:
    """One row or JSON object of a file; ``problem`` says why it is unusable when ``data`` is None."""

    file: str
    line: int
    data: dict[str, Any] | None
    problem: str | None = None
    raw: Any = None


@dataclass(slots=True)
class Opened:
    """A file opened as a stream of records, with what format detection needs to see."""

    path: Path
    container: Container
    keys: list[str]  # header of a table, or keys of the first JSON object
    first: dict[str, Any] | None  # first JSON object (None for tables)
    records: Iterator[Record]
    encoding: str


def _raw_stream(path: Path) -> IO[bytes]:
    with path.open("rb") as probe:
        magic = probe.read(2)
    return gzip.open(path, "rb") if magic == b"\x1f\x8b" else path.open("rb")


def detect_encoding(path: Path) -> str:
    """``utf-8-sig`` when the whole file is UTF-8 (BOM or not), else ``cp1252`` (Excel on Windows), else latin-1."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        with _raw_stream(path) as f:
            while chunk := f.read(_SCAN_CHUNK):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        return "utf-8-sig"
    except UnicodeDecodeError:
        pass
    except (OSError, EOFError) as exc:
        raise SourceError(f"{path}: cannot be read: {exc}") from None
    try:
        with _raw_stream(path) as f:
            while chunk := f.read(_SCAN_CHUNK):
                chunk.decode("cp1252")
        return "cp1252"
    except UnicodeDecodeError:
        return "latin-1"


def open_text(path: Path, encoding: str) -> IO[str]:
    return io.TextIOWrapper(_raw_stream(path), encoding=encoding, newline="")


def _base_suffix(path: Path) -> str:
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] in (".gz", ".gzip"):
        suffixes = suffixes[:-1]
    return suffixes[-1] if suffixes else ""


def open_records(path: Path, sheet: str | None = None) -> Opened:
    """Open any supported file and stream its records; fails with SourceError naming the file."""
    if not path.exists():
        raise SourceError(f"{path}: no such file")
    if path.is_dir():
        raise SourceError(f"{path}: is a folder; give the export files inside it")
    suffix = _base_suffix(path)
    if suffix in (".xlsx", ".xlsm"):
        return _open_xlsx(path, sheet)
    if suffix == ".xls":
        raise SourceError(f"{path}: old binary .xls is not supported; save it as .xlsx or CSV in Excel")
    encoding = detect_encoding(path)
    with open_text(path, encoding) as f:
        head = f.read(64 * 1024)
    start = head.lstrip()[:1]
    if not head.strip():
        raise SourceError(f"{path}: is empty; expected a CSV, XLSX, JSON or JSONL export")
    if start in ("{", "["):
        return _open_json(path, encoding, head)
    if "\x00" in head[:4096]:
        raise SourceError(f"{path}: is a binary file, not a CSV, XLSX, JSON or JSONL export")
    return _open_csv(path, encoding, head)


# tables -----------------------------------------------------------------------------------------------------


def sniff_delimiter(head: str) -> str:
    """The delimiter of a CSV header line: comma, semicolon (Excel in Indonesian locale), tab or pipe."""
    first = next(csv.reader(io.StringIO(head.splitlines()[0] if head else ""), delimiter="\x01"), [""])
    line = first[0] if first else ""
    counts = {d: line.count(d) for d in _DELIMITERS}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _open_csv(path: Path, encoding: str, head: str) -> Opened:
    delimiter = sniff_delimiter(head)
    f = open_text(path, encoding)
    reader = csv.reader(f, delimiter=delimiter, strict=False)
    try:
        header = next(reader)
    except (csv.Error, StopIteration) as exc:
        f.close()
        raise SourceError(f"{path}: cannot read a CSV header: {exc}") from None
    if len(header) == 1 and delimiter == ",":
        header = header[0].split(",")
    header = [h.strip().lstrip("\ufeff") for h in header]
    # A trailing delimiter (Excel) gives an empty last column name: keep rows of that shape valid.
    records = _csv_records(str(path), f, reader, header)
    return Opened(path, "table", header, None, records, encoding)


def _csv_records(name: str, f: IO[str], reader: Any, header: list[str]) -> Iterator[Record]:
    width = len(header)
    line = reader.line_num
    try:
        while True:
            start = line + 1
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                line = reader.line_num
                yield Record(name, start, None, f"broken CSV row: {exc}")
                continue
            line = reader.line_num
            if not row or (len(row) == 1 and not row[0].strip()):
                continue  # blank line
            if len(row) != width:
                if len(row) > width and not any(row[width:]):
                    row = row[:width]  # trailing empty cells (Excel)
                else:
                    yield Record(name, start, None, f"wrong column count: expected {width}, got {len(row)}", row)
                    continue
            yield Record(name, start, dict(zip(header, row, strict=True)), None, row)
    finally:
        f.close()


def _open_xlsx(path: Path, sheet: str | None) -> Opened:
    from openpyxl import load_workbook  # heavy import, only when an XLSX file is read

    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken or foreign file
        raise SourceError(f"{path}: not a readable XLSX workbook: {exc}") from None
    names = wb.sheetnames
    wanted = sheet or next((n for n in names if n.lower() == "tweets"), names[0])
    if wanted not in names:
        wb.close()
        raise SourceError(f"{path}: no sheet {wanted!r}; sheets are {', '.join(names)}")
    rows = wb[wanted].iter_rows(values_only=True)
    header_row = next(rows, None)
    if not header_row:
        wb.close()
        raise SourceError(f"{path}: sheet {wanted!r} is empty")
    header = [str(h).strip() if h is not None else "" for h in header_row]
    while header and not header[-1]:
        header.pop()

    def records() -> Iterator[Record]:
        width = len(header)
        try:
            for number, row in enumerate(rows, start=2):
                cells = list(row[:width])
                if all(c is None or (isinstance(c, str) and not c.strip()) for c in cells):
                    continue
                if any(c is not None for c in row[width:]):
                    yield Record(str(path), number, None, f"wrong column count: expected {width}", _plain(row))
                    continue
                cells += [None] * (width - len(cells))
                yield Record(str(path), number, dict(zip(header, cells, strict=True)), None, _plain(cells))
        finally:
            wb.close()

    return Opened(path, "table", header, None, records(), "xlsx")


def _plain(row: Any) -> list[Any]:
    return [c if c is None or isinstance(c, (str, int, float, bool)) else str(c) for c in row]


# JSON ---------------------------------------------------------------------------------------------------------


def _first_line(head: str) -> str:
    return head.lstrip().split("\n", 1)[0].strip()


def _open_json(path: Path, encoding: str, head: str) -> Opened:
    start = head.lstrip()[:1]
    first_line = _first_line(head)
    is_lines = False
    if start == "{":
        try:
            json.loads(first_line)
            is_lines = True
        except ValueError:
            is_lines = False
    if is_lines:
        records = _jsonl_records(path, encoding)
    elif start == "[":
        records = _array_records(path, encoding)
    else:
        records = _document_records(path, encoding)
    peek = next(records, None)
    if peek is None:
        raise SourceError(f"{path}: holds no JSON records")
    first = peek.data if peek.data is not None else None
    keys = list(first) if first else []
    return Opened(path, "json", keys, first, itertools.chain([peek], records), encoding)


def _jsonl_records(path: Path, encoding: str) -> Iterator[Record]:
    name = str(path)
    with open_text(path, encoding) as f:
        for number, line in enumerate(f, start=1):
            text = line.strip()
            if not text:
                continue
            try:
                data = json.loads(text)
            except ValueError as exc:
                yield Record(name, number, None, f"broken JSON line: {exc}", text[:10_000])
                continue
            if not isinstance(data, dict):
                yield Record(name, number, None, "JSON line is not an object", text[:10_000])
                continue
            yield Record(name, number, data, None, None)


def _array_records(path: Path, encoding: str) -> Iterator[Record]:
    """Stream the items of a top-level JSON array in constant memory."""
    name = str(path)
    if encoding != "utf-8-sig":  # JSON is UTF-8 by its spec; a legacy-encoded array is small enough to load
        with open_text(path, encoding) as text:
            items = json.loads(text.read())
        for number, item in enumerate(items, start=1):
            yield Record(name, number, item if isinstance(item, dict) else None,
                         None if isinstance(item, dict) else "array item is not an object", item)  # fmt: skip
        return
    with _raw_stream(path) as f:
        if f.read(3) != codecs.BOM_UTF8:
            f.seek(0)
        try:
            for number, item in enumerate(ijson.items(f, "item", use_float=True), start=1):
                if isinstance(item, dict):
                    yield Record(name, number, item, None, None)
                else:
                    yield Record(name, number, None, "array item is not an object", item)
        except ijson.JSONError as exc:
            yield Record(name, 0, None, f"broken JSON after the last good item: {exc}")


def _document_records(path: Path, encoding: str) -> Iterator[Record]:
    """A single JSON document (an API response page); pages are bounded in size by the APIs."""
    name = str(path)
    with open_text(path, encoding) as f:
        try:
            data = json.load(f)
        except ValueError as exc:
            raise SourceError(f"{path}: broken JSON document: {exc}") from None
    if not isinstance(data, dict):
        raise SourceError(f"{path}: JSON document is not an object or array")
    yield Record(name, 1, data, None, None)
