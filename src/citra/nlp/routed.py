"""Complaints a city already routed, read from its exports as (text, agency) rows for training and measuring.

Any CSV or XLSX that ``citra ingest`` reads (encodings, delimiters, Excel quirks), and SP4N-LAPOR! exports with
their preamble lines. Without column names, a LAPOR!-like table gives its report text (``Isi Laporan Awal`` ...)
and the agency it was dispositioned to (``Instansi Terdisposisi`` ...); other tables need ``text``/``label``
columns or names given. Rows without a text or an agency are counted and skipped: an unrouted complaint teaches
nothing about routing.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from citra.errors import SourceError
from citra.sources import fields, lapor
from citra.sources.files import Record, open_records

TEXT_COLUMNS = ("text", "teks", "isi", "content", "full_text")
LABEL_COLUMNS = ("label", "opd", "agency", "instansi", "dinas", "skpd")
MAX_TEXT = 20_000  # characters kept of one text


@dataclass
class Routed:
    """The usable rows of a file and what was skipped."""

    path: Path
    text_column: str
    label_column: str
    rows: list[tuple[str, str]] = field(default_factory=list)
    skipped: dict[str, int] = field(default_factory=dict)

    @property
    def texts(self) -> list[str]:
        return [t for t, _ in self.rows]

    @property
    def labels(self) -> list[str]:
        return [a for _, a in self.rows]

    def note(self) -> dict[str, Any]:
        """What the file gave, for a model's training notes."""
        return {
            "name": self.path.name,
            "license": "user data (not redistributed)",
            "text_column": self.text_column,
            "label_column": self.label_column,
            "rows": len(self.rows),
            "skipped": dict(self.skipped),
        }


def read_routed(path: Path, *, text_col: str | None = None, label_col: str | None = None) -> Routed:
    """The (text, agency) rows of a routed-complaints file; SourceError when its columns cannot be found."""
    opened = open_records(path)
    header, records = opened.keys, opened.records
    if _defaults(header, text_col, label_col) is None and lapor.looks_like(opened):
        header, records = lapor.table_rows(opened)
    text_name, label_name = _columns(path, header, text_col, label_col)
    out = Routed(path, text_name, label_name)
    for rec in _records(records):
        reason = _add(out, rec, text_name, label_name)
        if reason:
            out.skipped[reason] = out.skipped.get(reason, 0) + 1
    return out


def _records(records: Iterator[Record]) -> Iterator[Record]:
    try:
        yield from records
    finally:
        getattr(records, "close", lambda: None)()


def _add(out: Routed, rec: Record, text_name: str, label_name: str) -> str | None:
    if rec.data is None:
        return "unreadable row"
    try:
        text = fields.text_value(rec.data.get(text_name))
    except fields.FieldError:
        return "text lost by Excel"
    if text is None:
        return "no text"
    label = fields.clean(rec.data.get(label_name))
    if label is None:
        return "no agency"
    out.rows.append((text[:MAX_TEXT], " ".join(label.split())))
    return None


def _find(header: Sequence[str], name: str) -> str | None:
    """The column called ``name``: exactly, else with case, spacing and punctuation folded."""
    if name in header:
        return name
    folded = lapor.fold(name)
    return next((h for h in header if lapor.fold(h) == folded), None)


def _defaults(header: Sequence[str], text_col: str | None, label_col: str | None) -> tuple[str, str] | None:
    found = lapor.lapor_fields(header)
    text = _find(header, text_col) if text_col else found.get("text") or _first(header, TEXT_COLUMNS)
    label = _find(header, label_col) if label_col else found.get("agency") or _first(header, LABEL_COLUMNS)
    return (text, label) if text and label else None


def _first(header: Sequence[str], names: Sequence[str]) -> str | None:
    return next((found for n in names if (found := _find(header, n))), None)


def _columns(path: Path, header: Sequence[str], text_col: str | None, label_col: str | None) -> tuple[str, str]:
    for given, option in ((text_col, "--text-col"), (label_col, "--label-col")):
        if given and not _find(header, given):
            raise SourceError(f"{path}: no column {given!r} for {option}; columns are {', '.join(header)}")
    chosen = _defaults(header, text_col, label_col)
    if chosen is None:
        raise SourceError(
            f"{path}: cannot tell which columns hold the text and the agency; name them with --text-col and "
            f"--label-col (columns are {', '.join(header)})"
        )
    return chosen
