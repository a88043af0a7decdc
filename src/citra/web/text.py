"""Cleaning of user-given text before it reaches the Store: no NUL bytes (PostgreSQL refuses them) and no lone
surrogates (they cannot be encoded)."""

from __future__ import annotations


def clean(value: str | None) -> str:
    """``value`` without NUL bytes and unencodable characters ("" for None)."""
    if not value:
        return ""
    return value.replace("\x00", "").encode("utf-8", "replace").decode("utf-8")
