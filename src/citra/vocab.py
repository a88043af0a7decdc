"""Turning user-given words into the typed vocabularies (platform, sentiment, intent, target ...), in one place:
a bad word becomes one CitraError that names the field and the choices, wherever it was typed."""

from __future__ import annotations

import re
from datetime import date
from enum import StrEnum
from typing import TypeVar

from citra.errors import CitraError
from citra.records import Platform, Target, TargetKind

E = TypeVar("E", bound=StrEnum)


def parse(kind: type[E], value: str, field: str) -> E:
    """``value`` as a member of ``kind`` (case-insensitive; a Platform also by its aliases: twitter, ig ...)."""
    word = value.strip()
    try:
        if kind is Platform:
            return Platform.parse(word)  # type: ignore[return-value]
        return kind(word.lower())
    except ValueError:
        choices = ", ".join(m.value for m in kind)
        raise CitraError(f"{field}: unknown {noun(kind)} {value!r}; choose one of {choices}") from None


def noun(kind: type[StrEnum]) -> str:
    """What a vocabulary is called in messages: ``InterventionKind`` -> ``intervention kind``."""
    return re.sub(r"(?<!^)(?=[A-Z])", " ", kind.__name__).lower()


def optional(kind: type[E], value: str | None, field: str) -> E | None:
    """``parse`` for an optional value: None or blank gives None."""
    return parse(kind, value, field) if value is not None and value.strip() else None


def target(value: str | None, field: str = "target") -> Target | None:
    """A target written ``kind:name`` (``leader:Hendra``, ``institution:Dinas PUPR``) as a typed Target."""
    if value is None or not value.strip():
        return None
    kind, sep, name = value.strip().partition(":")
    if not sep or not name.strip():
        raise CitraError(f"{field}: write KIND:NAME, e.g. leader:Hendra (kinds: {', '.join(TargetKind)})")
    return Target(parse(TargetKind, kind, field), name.strip())


def day(value: str | date, field: str, first: date, last: date) -> date:
    """A user-given day (``YYYY-MM-DD`` or a date) between ``first`` and ``last``, else a CitraError."""
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value.strip())
        except ValueError:
            raise CitraError(f"{field}: {value!r} is not a date (YYYY-MM-DD)") from None
    if not first <= value <= last:
        raise CitraError(f"{field}: choose a day between {first} and {last}")
    return value
