"""The one place that lists file formats, in detection order (most specific first, generic table last)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from citra.errors import SourceError
from citra.sources import fourcat, lapor, meta_graph, tabular, tweet_harvest, x_v2, youtube
from citra.sources.base import Format, Item, ReadOptions
from citra.sources.files import Notes, Opened, open_records

FORMATS: tuple[Format, ...] = (
    tweet_harvest.FORMAT,
    x_v2.FORMAT,
    fourcat.FORMAT,
    meta_graph.FORMAT,
    youtube.FORMAT,
    lapor.FORMAT,
    tabular.FORMAT,
)
BY_NAME = {f.name: f for f in FORMATS}
# --format names that mean "a generic table in this container"
CONTAINER_ALIASES = {"csv": "table", "xlsx": "table", "jsonl": "table"}
CHOICES = ("auto", *(f.name for f in FORMATS if f.name != "table"), *CONTAINER_ALIASES)


def detect(opened: Opened) -> Format:
    """The first format that recognises the file, or SourceError saying what was expected."""
    for fmt in FORMATS:
        if fmt.matches(opened):
            return fmt
    expected = "; ".join(f"{f.name}: {f.description}" for f in FORMATS)
    shown = ", ".join(opened.keys[:20]) or "none"
    raise SourceError(
        f"{opened.path}: format not recognised (found {opened.container} with keys: {shown}). "
        f"Expected one of: {expected}. Choose one with --format, or name columns with --map."
    )


def read(path: Path, fmt: str, opts: ReadOptions) -> tuple[str, Iterator[Item]]:
    """Open ``path``, pick its format (``auto`` detects) and return the format name and its items."""
    name, items, _notes = read_noting(path, fmt, opts)
    return name, items


def read_noting(path: Path, fmt: str, opts: ReadOptions) -> tuple[str, Iterator[Item], Notes]:
    """``read``, and the Notes that the items fill as they stream (lines repaired while decoding)."""
    if fmt != "auto" and fmt not in BY_NAME and fmt not in CONTAINER_ALIASES:
        raise SourceError(f"unknown format {fmt!r}; choose one of {', '.join(CHOICES)}")
    opened = open_records(path)
    if fmt == "auto":
        chosen = detect(opened)
    else:
        chosen = BY_NAME[CONTAINER_ALIASES.get(fmt, fmt)]
        if fmt in CONTAINER_ALIASES:
            _check_container(opened, fmt)
        elif not chosen.matches(opened) and chosen.name != "table":
            raise SourceError(
                f"{path}: does not look like {chosen.name} ({chosen.description}); "
                f"found keys: {', '.join(opened.keys[:20]) or 'none'}"
            )
    return chosen.name, chosen.parse(opened, opts), opened.notes


def _check_container(opened: Opened, fmt: str) -> None:
    is_xlsx = opened.encoding == "xlsx"
    ok = {"csv": opened.container == "table" and not is_xlsx, "xlsx": is_xlsx, "jsonl": opened.container == "json"}
    if not ok[fmt]:
        raise SourceError(f"{opened.path}: is not a {fmt} file")
