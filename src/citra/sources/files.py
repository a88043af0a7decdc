"""Containers: open CSV, XLSX, JSON and JSONL/NDJSON files (optionally gzipped) in any of the encodings
Excel and friends produce, and stream them as Records, one per row or JSON object, with its line number.

A Record either carries data or says why its row is unusable, so formats can reject it with file and line.
Text is decoded line by line: a file that is mostly UTF-8 stays UTF-8, and a line that is not is read as
cp1252 (Windows) when it is that, else with replacement characters; either way the line is named in the
file's Notes. Every read is bounded (``citra.sources.limits``).
"""

from __future__ import annotations

import codecs
import csv
import gzip
import io
import itertools
import json
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Literal

import ijson

from citra.errors import SourceError
from citra.sources import limits

Container = Literal["table", "json"]
# Decoding in pieces that stay in the CPU cache is several times faster than 1 MB at a time.
_SCAN_CHUNK = 64 * 1024
_DELIMITERS = ",;\t|"
csv.field_size_limit(limits.MAX_FIELD)
# Named lines in a warning; the count says how many there are in all.
_NAMED = 10


@dataclass(slots=True)
class Record:
    """One row or JSON object of a file; ``problem`` says why it is unusable when ``data`` is None."""

    file: str
    line: int
    data: dict[str, Any] | None
    problem: str | None = None
    raw: Any = None


@dataclass
class Notes:
    """What reading a file had to repair, by line: undecodable bytes replaced by U+FFFD, lines read as
    cp1252 in a UTF-8 file or as UTF-8 in a cp1252 one, NUL characters removed. Filled while the records
    stream."""

    replaced: list[int] = field(default_factory=list)
    legacy: list[int] = field(default_factory=list)
    utf8: list[int] = field(default_factory=list)  # in a file that is mostly cp1252 or latin-1
    nul: list[int] = field(default_factory=list)
    too_long: list[int] = field(default_factory=list)  # rejected rows, not warnings

    def warnings(self) -> list[str]:
        said = []
        for lines, what in (
            (self.replaced, "bytes that are not UTF-8, replaced by U+FFFD"),
            (self.legacy, "text that is not UTF-8, read as cp1252 (Windows)"),
            (self.utf8, "UTF-8 text in a file that is not, read as UTF-8"),
            (self.nul, "NUL characters, removed"),
        ):
            if lines:
                shown = ", ".join(map(str, lines[:_NAMED])) + (", ..." if len(lines) > _NAMED else "")
                rows = "line" if len(lines) == 1 else "lines"
                said.append(f"{len(lines):,} {rows} with {what}: {rows} {shown}")
        return said


@dataclass(slots=True)
class Opened:
    """A file opened as a stream of records, with what format detection needs to see."""

    path: Path
    container: Container
    keys: list[str]  # header of a table, or keys of the first JSON object
    first: dict[str, Any] | None  # first JSON object (None for tables)
    records: Iterator[Record]
    encoding: str
    notes: Notes = field(default_factory=Notes)


def _raw_stream(path: Path) -> limits.GuardedStream:
    return limits.open_guarded(path)


def _plain_stream(path: Path) -> IO[bytes]:
    """The file's bytes without the guards, for a file detect_encoding has already read whole through them."""
    with path.open("rb") as probe:
        magic = probe.read(2)
    return gzip.open(path, "rb") if magic == b"\x1f\x8b" else path.open("rb")


def detect_encoding(path: Path) -> str:
    """``utf-8-sig`` when the file is UTF-8 (BOM or not) with no NUL and no line over limits.MAX_LINE (read
    by the fast path, see _lines); ``utf-8-strict`` when it is UTF-8 otherwise; ``utf-8`` when it is mostly UTF-8:
    at least as many UTF-8 characters beyond ASCII as bytes that are not UTF-8 (lines are then decoded one by one,
    see _decode). Else ``cp1252`` (Excel on Windows), else latin-1."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    clean = True
    run = 0  # bytes since the last line break
    try:
        with _raw_stream(path) as f:
            while chunk := f.read(_SCAN_CHUNK):
                decoder.decode(chunk)
                last = chunk.rfind(b"\n")
                if last < 0:
                    run += len(chunk)
                else:
                    clean = clean and run + chunk.find(b"\n") <= limits.MAX_LINE
                    run = len(chunk) - last - 1
                clean = clean and run <= limits.MAX_LINE and b"\x00" not in chunk
            decoder.decode(b"", final=True)
        return "utf-8-sig" if clean else "utf-8-strict"
    except UnicodeDecodeError:
        pass
    except (OSError, EOFError, zlib.error) as exc:
        raise SourceError(f"{path}: cannot be read: {exc}") from None
    lenient = codecs.getincrementaldecoder("utf-8")("replace")
    valid = invalid = 0
    with _raw_stream(path) as f:
        while True:
            chunk = f.read(_SCAN_CHUNK)
            text = lenient.decode(chunk, final=not chunk)
            if not text.isascii():
                bad = text.count("\ufffd")
                invalid += bad
                valid += len(text) - len(text.encode("ascii", "ignore")) - bad
            if not chunk:
                break
    if valid >= invalid:
        return "utf-8"
    with _raw_stream(path) as f:  # lines that are UTF-8 are read as such (see _repaired_lines): not judged here
        while raw := f.readline(limits.MAX_LINE):
            try:
                raw.decode("cp1252")
            except UnicodeDecodeError:
                try:
                    raw.decode("utf-8")
                except UnicodeDecodeError:
                    return "latin-1"
    return "cp1252"


def _decode(raw: bytes, number: int, notes: Notes) -> str:
    """One line of a UTF-8 file: UTF-8; else cp1252 when the line has no UTF-8 beyond ASCII and is valid
    cp1252 (a row pasted from a Windows file); else UTF-8 with U+FFFD for the bytes that are not."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    text = raw.decode("utf-8", "replace")
    if text.replace("\ufffd", "").isascii():
        try:
            legacy = raw.decode("cp1252")
        except UnicodeDecodeError:
            pass
        else:
            notes.legacy.append(number)
            return legacy
    notes.replaced.append(number)
    return text


def _decode_legacy(raw: bytes, number: int, encoding: str, notes: Notes) -> str:
    """One line of a cp1252 or latin-1 file; a line that is UTF-8 beyond ASCII (a row pasted from elsewhere;
    cp1252 text is rarely valid UTF-8) is read as UTF-8 and named in ``notes``."""
    if raw.isascii():
        return raw.decode("ascii")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode(encoding)
    notes.utf8.append(number)
    return text


def _lines(path: Path, encoding: str, notes: Notes) -> Iterator[str]:
    """The file's lines, closed by ``close()``. A file detect_encoding found clean (``utf-8-sig``) is read by
    the C text reader; any other is read by _repaired_lines."""
    if encoding == "utf-8-sig":  # checked whole by detect_encoding: nothing to repair or bound
        return io.TextIOWrapper(_plain_stream(path), encoding="utf-8-sig", newline="")
    return _repaired_lines(path, encoding, notes)


def _repaired_lines(path: Path, encoding: str, notes: Notes) -> Iterator[str]:
    """The file's lines (ending with their \\n) decoded one by one, NUL characters removed (named in
    ``notes``); a line longer than limits.MAX_LINE bytes is skipped to its end, yields a blank line and is
    named in ``notes.too_long``, so that the reader rejects the row around it."""
    utf8 = encoding.startswith("utf-8")
    with _raw_stream(path) as f:
        readline = f.readline
        number = 0
        while raw := readline(limits.MAX_LINE + 1):
            number += 1
            if len(raw) > limits.MAX_LINE and not raw.endswith(b"\n"):
                while (rest := readline(limits.MAX_LINE)) and not rest.endswith(b"\n"):
                    pass
                notes.too_long.append(number)
                yield "\n"
                continue
            if utf8:
                if number == 1 and raw.startswith(codecs.BOM_UTF8):
                    raw = raw[3:]
                text = _decode(raw, number, notes)
            else:
                text = _decode_legacy(raw, number, encoding, notes)
            if "\x00" in text:
                notes.nul.append(number)
                text = text.replace("\x00", "")
            yield text


def _head(path: Path, encoding: str) -> str:
    with _raw_stream(path) as f:
        return f.read(64 * 1024).decode("utf-8" if encoding.startswith("utf-8") else encoding, "replace")


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
    head = _head(path, encoding)
    start = head.lstrip()[:1]
    if not head.strip():
        raise SourceError(f"{path}: is empty; expected a CSV, XLSX, JSON or JSONL export")
    if start in ("{", "["):
        return _open_json(path, encoding, head)
    sample = head[:4096]
    if sample.count("\x00") * 10 > len(sample):  # a few NULs are repaired per line; many mean binary
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
    notes = Notes()
    lines = _lines(path, encoding, notes)
    reader = csv.reader(lines, delimiter=delimiter, strict=False)
    try:
        header = next(reader)
    except (csv.Error, StopIteration) as exc:
        lines.close()
        raise SourceError(f"{path}: cannot read a CSV header: {exc}") from None
    if len(header) == 1 and delimiter == ",":
        header = header[0].split(",")
    header = [h.strip().lstrip("\ufeff") for h in header]
    # A trailing delimiter (Excel) gives an empty last column name: keep rows of that shape valid.
    records = _csv_records(str(path), lines, reader, header, notes)
    return Opened(path, "table", header, None, records, encoding, notes)


def _csv_records(name: str, lines: Iterator[str], reader: Any, header: list[str], notes: Notes) -> Iterator[Record]:
    width = len(header)
    line = reader.line_num
    too_long = notes.too_long
    try:
        while True:
            start = line + 1
            long_before = len(too_long)
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                line = reader.line_num
                yield Record(name, start, None, f"broken CSV row: {exc}")
                continue
            line = reader.line_num
            if len(too_long) > long_before:
                yield Record(name, start, None, f"line {too_long[-1]} is longer than {limits.MAX_LINE:,} bytes")
                continue
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
        lines.close()


def _open_xlsx(path: Path, sheet: str | None) -> Opened:
    from openpyxl import load_workbook  # heavy import, only when an XLSX file is read

    limits.check_zip(path)
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
    if start == "{" and not limits.too_deep(first_line):
        try:
            json.loads(first_line)
            is_lines = True
        except (ValueError, RecursionError):
            is_lines = False
    notes = Notes()
    if is_lines:
        records = _jsonl_records(path, encoding, notes)
    elif start == "[":
        records = _array_records(path, encoding, notes)
    else:
        records = _document_records(path, encoding, notes)
    peek = next(records, None)
    if peek is None:
        raise SourceError(f"{path}: holds no JSON records")
    first = peek.data if peek.data is not None else None
    keys = list(first) if first else []
    return Opened(path, "json", keys, first, itertools.chain([peek], records), encoding, notes)


def _jsonl_records(path: Path, encoding: str, notes: Notes) -> Iterator[Record]:
    name = str(path)
    too_long = notes.too_long
    lines = _lines(path, encoding, notes)
    try:
        for number, line in enumerate(lines, start=1):
            if too_long and too_long[-1] == number:
                yield Record(name, number, None, f"line is longer than {limits.MAX_LINE:,} bytes")
                continue
            text = line.strip()
            if not text:
                continue
            problem = _json_problem(text)
            if problem is not None:
                yield Record(name, number, None, problem, text[:10_000])
                continue
            try:
                data = json.loads(text)
            except ValueError as exc:
                yield Record(name, number, None, f"broken JSON line: {exc}", text[:10_000])
                continue
            if not isinstance(data, dict):
                yield Record(name, number, None, "JSON line is not an object", text[:10_000])
                continue
            if len(text) > limits.MAX_FIELD and _longest_string(data) > limits.MAX_FIELD:
                yield Record(
                    name, number, None, f"a field is longer than {limits.MAX_FIELD:,} characters", text[:10_000]
                )
                continue
            yield Record(name, number, data, None, None)
    finally:
        lines.close()


def _json_problem(text: str) -> str | None:
    """Why one JSON text must not be parsed (too deep for the parser's recursion), else None."""
    if limits.too_deep(text):
        return f"JSON nested more than {limits.MAX_DEPTH} levels deep"
    return None


def _longest_string(value: Any) -> int:
    if isinstance(value, str):
        return len(value)
    if isinstance(value, dict):
        return max((max(len(k), _longest_string(v)) for k, v in value.items()), default=0)
    if isinstance(value, list):
        return max(map(_longest_string, value), default=0)
    return 0


class _Utf8Lines:
    """A binary stream of UTF-8 bytes made from decoded lines, for the streaming JSON parser."""

    def __init__(self, lines: Iterator[str], guard: limits.JsonGuard) -> None:
        self._lines = lines
        self._guard = guard
        self._buffer = b""

    def read(self, size: int = -1) -> bytes:
        while size < 0 or len(self._buffer) < size:
            line = next(self._lines, None)
            if line is None:
                break
            self._buffer += line.encode("utf-8", "surrogatepass")
        cut = len(self._buffer) if size < 0 else size
        data, self._buffer = self._buffer[:cut], self._buffer[cut:]
        self._guard.feed(data)
        return data


def _array_records(path: Path, encoding: str, notes: Notes) -> Iterator[Record]:
    """Stream the items of a top-level JSON array in constant memory, refusing the rest of the file (the
    items before are kept) when it nests too deep or one item is too large."""
    name = str(path)
    guard = limits.JsonGuard(name)
    if encoding in ("utf-8-sig", "utf-8-strict"):  # all UTF-8: streamed as it is, however long its lines
        f: Any = _raw_stream(path)
        if f.read(3) != codecs.BOM_UTF8:
            f.seek(0)
        f.json = guard
    else:  # not all UTF-8: decoded line by line (see _decode), then parsed as UTF-8
        f = _Utf8Lines(_lines(path, encoding, notes), guard)
    try:
        for number, item in enumerate(ijson.items(f, "item", use_float=True), start=1):
            if isinstance(item, dict):
                yield Record(name, number, item, None, None)
            else:
                yield Record(name, number, None, "array item is not an object", item)
    except (ijson.JSONError, UnicodeDecodeError) as exc:  # the parser cannot decode a lone \\ud800 escape
        yield Record(name, 0, None, f"broken JSON after the last good item: {exc}")
    finally:
        if isinstance(f, limits.GuardedStream):
            f.close()
        else:
            f._lines.close()


def _document_records(path: Path, encoding: str, notes: Notes) -> Iterator[Record]:
    """A single JSON document (an API response page), read whole: at most limits.MAX_DOCUMENT bytes."""
    name = str(path)
    with _raw_stream(path) as f:
        f.json = limits.JsonGuard(name, item=limits.MAX_DOCUMENT)
        body = f.read(limits.MAX_DOCUMENT + 1)
    if len(body) > limits.MAX_DOCUMENT:
        raise SourceError(f"{path}: a single JSON document larger than {limits.MAX_DOCUMENT:,} bytes; refused")
    if encoding.startswith("utf-8"):
        text = _decode(body.removeprefix(codecs.BOM_UTF8), 1, notes)
    else:
        lines = body.splitlines(keepends=True)
        text = "".join(_decode_legacy(raw, number, encoding, notes) for number, raw in enumerate(lines, start=1))
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise SourceError(f"{path}: broken JSON document: {exc}") from None
    if not isinstance(data, dict):
        raise SourceError(f"{path}: JSON document is not an object or array")
    yield Record(name, 1, data, None, None)
