"""Helpers shared by the format tests: read a fixture through the registry, and ask which formats claim it."""

from __future__ import annotations

from pathlib import Path

from citra.records import Post, Rejected
from citra.sources import registry
from citra.sources.base import ReadOptions
from citra.sources.files import open_records


def read_items(path: Path, **options: object) -> tuple[str, dict[str, Post], list[Rejected]]:
    """The detected format, the Posts by native id, and the Rejected items of a file."""
    name, items = registry.read(path, "auto", ReadOptions(**options))  # type: ignore[arg-type]
    listed = list(items)
    return (
        name,
        {i.native_id: i for i in listed if isinstance(i, Post)},
        [i for i in listed if isinstance(i, Rejected)],
    )


def claimed_by(path: Path) -> list[str]:
    """The platform formats (not the generic table) whose detection accepts the file."""
    opened = open_records(path)
    try:
        return [f.name for f in registry.FORMATS if f.name != "table" and f.matches(opened)]
    finally:
        getattr(opened.records, "close", lambda: None)()
