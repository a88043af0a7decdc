"""Canonical public services and the agencies (OPD) that run them.

Topics name a service key (``jalan``, ``penerangan_jalan``, ``air_minum`` ...); cities organise their OPDs
differently, so a workspace maps keys to its own agency names (``[opd]`` in citra.toml) and the taxonomy never
hard-codes them. The keys, labels, default agency names and the aliases people write for each agency are data in
``data/services.toml``.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources

from citra.errors import ConfigError


@dataclass(frozen=True, slots=True)
class Service:
    """One canonical service: its key, labels, the usual agency and how people name that agency."""

    key: str
    name: str
    name_en: str
    opd: str
    aliases: tuple[str, ...]


@cache
def shipped() -> dict[str, Service]:
    """The shipped services by key, in file order (read once, on first use)."""
    text = resources.files("citra.nlp").joinpath("data", "services.toml").read_text(encoding="utf-8")
    table = tomllib.loads(text)["service"]
    return {
        key: Service(
            key,
            v["name"],
            v["name_en"],
            v["opd"],
            tuple(" ".join(a.lower().split()) for a in v.get("aliases", [])),
        )
        for key, v in table.items()
    }


def agencies(overrides: Mapping[str, str] | None = None) -> dict[str, str]:
    """Service key -> agency name: the defaults with a workspace's ``[opd]`` table on top."""
    out = {k: s.opd for k, s in shipped().items()}
    out.update({k: " ".join(v.split()) for k, v in (overrides or {}).items()})
    return out


def check(overrides: Mapping[str, str], used: frozenset[str]) -> None:
    """ConfigError for an ``[opd]`` entry that maps no service (a typo would otherwise route nothing) or names no
    agency; ``used`` are the service keys of the workspace's topics."""
    for key, name in overrides.items():
        if key not in shipped() and key not in used:
            known = ", ".join(sorted({*shipped(), *used}))
            raise ConfigError(f"[opd] {key!r} is not a service key; known keys: {known}")
        if not name.strip():
            raise ConfigError(f"[opd] {key!r}: empty agency name")
