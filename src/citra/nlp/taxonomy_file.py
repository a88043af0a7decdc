"""Reading topic taxonomy files (TOML): every problem is a ConfigError naming the file and the topic."""

from __future__ import annotations

import math
import tomllib
from typing import TYPE_CHECKING

import regex

from citra.errors import ConfigError
from citra.nlp.phrases import parse_phrase

if TYPE_CHECKING:
    from citra.nlp.topics import Topic

_ID = regex.compile(r"[a-z][a-z0-9_]*")
_LISTS = ("opd_aliases", "patterns", "names", "generic", "remove_patterns")
_FIELDS = {"id", "name", "name_en", "opd", "service", "priority", *_LISTS}


def parse_file(text: str, source: str, known: dict[str, Topic]) -> tuple[list[Topic], dict[str, tuple[str, ...]]]:
    """The topics of a taxonomy file and, per known topic it extends, the shipped patterns it removes.

    Topics whose id is in ``known`` may give only what changes; the others need ``name``, patterns and a
    ``service`` or an ``opd``."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{source}: not valid TOML: {exc}") from None
    unknown = set(data) - {"topic"}
    if unknown:
        raise ConfigError(f"{source}: unknown key(s) {', '.join(sorted(unknown))}; topics go in [[topic]] tables")
    tables = data.get("topic")
    if not isinstance(tables, list) or not tables:
        raise ConfigError(f"{source}: no [[topic]] tables")
    topics: list[Topic] = []
    removals: dict[str, tuple[str, ...]] = {}
    seen: set[str] = set()
    for n, table in enumerate(tables, 1):
        where = f"{source}: topic {table.get('id', f'#{n}')!r}"
        topic, removed = _topic(table, where, known)
        if topic.id in seen:
            raise ConfigError(f"{where}: id given twice")
        seen.add(topic.id)
        topics.append(topic)
        if removed:
            removals[topic.id] = removed
    return topics, removals


def _topic(table: dict[str, object], where: str, known: dict[str, Topic]) -> tuple[Topic, tuple[str, ...]]:
    from citra.nlp.topics import Topic

    extra = set(table) - _FIELDS
    if extra:
        raise ConfigError(f"{where}: unknown field(s) {', '.join(sorted(extra))}")
    tid = table.get("id")
    if not isinstance(tid, str) or not _ID.fullmatch(tid):
        raise ConfigError(f"{where}: missing or bad field 'id' (snake_case, e.g. 'street_lights')")
    old = known.get(tid)
    if old is None:
        for key in ("name", "patterns"):
            if key not in table:
                raise ConfigError(f"{where}: missing field {key!r}")
    strings = {k: table.get(k, "") for k in ("name", "name_en", "opd", "service")}
    lists = {k: table.get(k, []) for k in _LISTS}
    for k, v in strings.items():
        if not isinstance(v, str):
            raise ConfigError(f"{where}: field {k!r} must be a string")
    for k, v in lists.items():
        if not isinstance(v, list) or not all(isinstance(x, str) and x.strip() for x in v):
            raise ConfigError(f"{where}: field {k!r} must be a list of non-empty strings")
    service = str(strings["service"])
    if service and not _ID.fullmatch(service):
        raise ConfigError(f"{where}: bad field 'service' {service!r} (snake_case, e.g. 'penerangan_jalan')")
    priority = table.get("priority", old.priority if old else 1.0)
    if isinstance(priority, bool) or not isinstance(priority, int | float) or not math.isfinite(priority):
        raise ConfigError(f"{where}: field 'priority' must be a number")
    if not 0 < priority <= 10:
        raise ConfigError(f"{where}: field 'priority' must be above 0 and at most 10")
    if old is None:
        if not lists["patterns"]:
            raise ConfigError(f"{where}: field 'patterns' is empty")
        if lists["remove_patterns"]:
            raise ConfigError(f"{where}: 'remove_patterns' only applies to a shipped topic (extend mode)")
    found = {k: tuple(_clean(p) for p in lists[k]) for k in ("patterns", "names", "generic", "remove_patterns")}
    for k in ("patterns", "names", "generic"):
        for p in found[k]:
            _check_pattern(p, where)
    if old is not None:
        have = set(old.patterns) | set(old.names) | set(old.generic)
        for p in found["remove_patterns"]:
            if p not in have:
                raise ConfigError(f"{where}: remove_patterns: {p!r} is not a pattern of this topic")
    aliases = tuple(" ".join(a.lower().split()) for a in lists["opd_aliases"])
    name = str(strings["name"])
    topic = Topic(
        id=tid,
        name=name,
        name_en=str(strings["name_en"]) or name,
        opd=str(strings["opd"]),
        opd_aliases=aliases,
        patterns=found["patterns"],
        service=service,
        names=found["names"],
        generic=found["generic"],
        priority=float(priority),
    )
    return topic, found["remove_patterns"]


def _clean(pattern: str) -> str:
    return pattern if pattern.startswith("re:") else " ".join(pattern.split())


def _check_pattern(pattern: str, where: str) -> None:
    try:
        if pattern.startswith("re:"):
            regex.compile(pattern[3:])
        else:
            parse_phrase(pattern)
    except (regex.error, ValueError) as exc:
        kind = "invalid regex" if pattern.startswith("re:") else "bad pattern"
        raise ConfigError(f"{where}: {kind} {pattern!r}: {exc}") from None
