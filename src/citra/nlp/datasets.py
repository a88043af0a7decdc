"""Reading labelled sentiment files: the SmSA layout (no header, ``text<TAB>label``) and CSV/TSV with named columns.

Labels are mapped with ``RAW=LABEL`` pairs (e.g. ``-1.0=negative``) and otherwise accepted as ``positive``,
``neutral``, ``negative`` or a common alias (``pos``, ``positif``, ``netral`` ...), in any case.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping
from pathlib import Path

from citra.errors import SourceError
from citra.records import Sentiment

Example = tuple[str, Sentiment]

ALIASES: dict[str, Sentiment] = {
    **{s.value: s for s in Sentiment},
    "pos": Sentiment.POSITIVE,
    "positif": Sentiment.POSITIVE,
    "neg": Sentiment.NEGATIVE,
    "negatif": Sentiment.NEGATIVE,
    "neu": Sentiment.NEUTRAL,
    "neut": Sentiment.NEUTRAL,
    "netral": Sentiment.NEUTRAL,
}
TEXT_COLUMNS = ("text", "teks", "norm", "tweet", "content", "sentence", "review", "full_text")
LABEL_COLUMNS = ("label", "sentiment", "sentimen", "posneg", "polarity")
MAX_TEXT = 20_000  # characters kept of one text


def parse_label_map(items: Iterable[str]) -> dict[str, Sentiment]:
    """``RAW=LABEL`` strings as a mapping; LABEL is positive, neutral or negative (or an alias)."""
    out: dict[str, Sentiment] = {}
    for item in items:
        raw, sep, label = item.rpartition("=")
        target = ALIASES.get(label.strip().lower())
        if not sep or target is None:
            raise SourceError(f"--label-map {item!r}: write RAW=LABEL with LABEL positive, neutral or negative")
        out[raw.strip()] = target
    return out


def to_label(raw: str, label_map: Mapping[str, Sentiment] | None = None) -> Sentiment | None:
    """The Sentiment of a raw label value, or None when it is not recognised."""
    value = raw.strip()
    if label_map and value in label_map:
        return label_map[value]
    return ALIASES.get(value.lower())


def read_labelled(
    path: Path,
    *,
    text_col: str | None = None,
    label_col: str | None = None,
    label_map: Mapping[str, Sentiment] | None = None,
) -> list[Example]:
    """(text, label) pairs of a labelled file; rows with an empty text are skipped.

    Without column names, a ``.tsv``/``.txt`` file whose first line ends in a known label is read as the SmSA layout;
    otherwise the file needs a header and the columns are found by name (``text``/``norm``/... and
    ``label``/``sentiment``/``posneg``/...)."""
    try:
        content = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise SourceError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise SourceError(f"{path}: cannot read as UTF-8 text: {exc}") from None
    delimiter = "," if path.suffix.lower() == ".csv" else "\t"
    first = content.split("\n", 1)[0]
    headerless = text_col is None and label_col is None and delimiter == "\t" and "\t" in first
    if headerless and to_label(first.rsplit("\t", 1)[1], label_map) is not None:
        return _read_smsa(path, content, label_map)
    return _read_table(path, content, delimiter, text_col, label_col, label_map)


def _read_smsa(path: Path, content: str, label_map: Mapping[str, Sentiment] | None) -> list[Example]:
    out: list[Example] = []
    for number, line in enumerate(content.splitlines(), start=1):
        if not line.strip():
            continue
        text, sep, raw = line.rpartition("\t")
        if not sep:
            raise SourceError(f"{path}:{number}: expected text<TAB>label")
        out.append(_example(path, number, text, raw, label_map))
    return [e for e in out if e[0]]


def _read_table(
    path: Path,
    content: str,
    delimiter: str,
    text_col: str | None,
    label_col: str | None,
    label_map: Mapping[str, Sentiment] | None,
) -> list[Example]:
    reader = csv.reader(io.StringIO(content, newline=""), delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        raise SourceError(f"{path}: the file is empty") from None
    except csv.Error as exc:
        raise SourceError(f"{path}: not a valid CSV/TSV file: {exc}") from None
    names = [h.strip() for h in header]
    text_at = _column(path, names, text_col, TEXT_COLUMNS, "text")
    label_at = _column(path, names, label_col, LABEL_COLUMNS, "label")
    out: list[Example] = []
    try:
        for row in reader:
            if not any(cell.strip() for cell in row):
                continue
            number = reader.line_num
            if len(row) <= max(text_at, label_at):
                raise SourceError(f"{path}:{number}: {len(row)} columns, expected {len(names)}")
            out.append(_example(path, number, row[text_at], row[label_at], label_map))
    except csv.Error as exc:
        raise SourceError(f"{path}:{reader.line_num}: not a valid CSV/TSV row: {exc}") from None
    return [e for e in out if e[0]]


def _column(path: Path, names: list[str], chosen: str | None, defaults: tuple[str, ...], what: str) -> int:
    lowered = [n.lower() for n in names]
    if chosen is not None:
        if chosen in names:
            return names.index(chosen)
        if chosen.lower() in lowered:
            return lowered.index(chosen.lower())
        raise SourceError(f"{path}: no column {chosen!r} (columns: {', '.join(names)})")
    for name in defaults:
        if name in lowered:
            return lowered.index(name)
    option = f"--{what}-col"
    raise SourceError(f"{path}: no {what} column found; name it with {option} (columns: {', '.join(names)})")


def _example(path: Path, number: int, text: str, raw: str, label_map: Mapping[str, Sentiment] | None) -> Example:
    label = to_label(raw, label_map)
    if label is None:
        hint = "" if label_map else "; map it with --label-map RAW=LABEL"
        raise SourceError(f"{path}:{number}: unknown label {raw.strip()!r}{hint}")
    return text.strip()[:MAX_TEXT], label
