"""Topic taxonomy: which public-service topics a post is about, each with the evidence for it.

The taxonomy is data (``data/topics.toml``; the syntax is documented at the top of that file). Each topic names a
canonical service key (``services.py``) whose agency the workspace chooses. Patterns compile into one word-form
index (``phrases.PhraseIndex``); every pattern carries a weight so that ranked routing (``routing.py``) can tell a
service named outright ("pju", "pdam") from a specific phrase ("lampu jalan mati") and from a generic word ("jalan").
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from importlib import resources
from pathlib import Path
from typing import Literal

import regex

from citra.config import Workspace
from citra.errors import ConfigError
from citra.nlp import services
from citra.nlp.phrases import LOCATIVES, MAX_GAP, PhraseIndex, parse_phrase, word_forms
from citra.nlp.taxonomy_file import parse_file

__all__ = ["ENGINE", "Evidence", "PhraseIndex", "Taxonomy", "Topic", "word_forms"]

ENGINE = "affix-1+weights-1"  # bump when matching or weighting rules change: part of every taxonomy version
WEIGHT_NAME = 3.0  # a pattern of ``names``: the service or its programme named outright (pju, pdam, dtks)
WEIGHT_PHRASE = 2.0  # a pattern of two or more words
WEIGHT_WORD = 1.0  # a single word, or a raw regex
WEIGHT_GENERIC = 0.3  # a pattern of ``generic``: weak alone, and not enough to make a topic


@dataclass(frozen=True, slots=True)
class Topic:
    """One topic: a stable id, UI labels, its service key and agency, and its weighted patterns.

    ``opd`` is resolved: the topic's own ``opd`` when its file gives one, else the workspace's agency for
    ``service``. ``names`` and ``generic`` are patterns with a strong and a weak weight; ``priority`` scales the
    topic's routing score."""

    id: str
    name: str
    name_en: str
    opd: str
    opd_aliases: tuple[str, ...]
    patterns: tuple[str, ...]
    service: str = ""
    names: tuple[str, ...] = ()
    generic: tuple[str, ...] = ()
    priority: float = 1.0

    def weighted(self) -> Iterable[tuple[str, float, bool]]:
        """(pattern, weight, generic) of every pattern of the topic."""
        for p in self.names:
            yield p, WEIGHT_NAME, False
        for p in self.patterns:
            single = p.startswith("re:") or len(parse_phrase(p)) == 1
            yield p, WEIGHT_WORD if single else WEIGHT_PHRASE, False
        for p in self.generic:
            yield p, WEIGHT_GENERIC, True


@dataclass(frozen=True, slots=True)
class Evidence:
    """One pattern found in a text: the topic (index in ``Taxonomy.topics``), its weight and token span."""

    topic: int
    weight: float
    start: int
    end: int
    generic: bool
    pattern: int


class Taxonomy:
    """A compiled topic taxonomy. ``match`` returns every topic a normalised post is about (multi-label);
    ``evidence`` returns the weighted pattern hits that ranked routing scores."""

    def __init__(
        self,
        topics: Sequence[Topic],
        *,
        source: str = "<taxonomy>",
        agencies: Mapping[str, str] | None = None,
        removals: Mapping[str, tuple[str, ...]] | None = None,
    ) -> None:
        self.raw: tuple[Topic, ...] = tuple(topics)
        self.source = source
        self.removals = dict(removals or {})
        self.overrides = dict(agencies or {})
        self.agencies = services.agencies(agencies)
        self.topics: tuple[Topic, ...] = tuple(_resolve(t, self.agencies) for t in self.raw)
        self._ids = tuple(t.id for t in self.topics)
        plain: list[tuple[int, str]] = []
        self._patterns: list[tuple[int, float, bool]] = []  # pattern label -> (topic, weight, generic)
        raw: list[tuple[int, regex.Pattern[str]]] = []
        for i, t in enumerate(self.topics):
            for p, weight, generic in t.weighted():
                label = len(self._patterns)
                self._patterns.append((i, weight, generic))
                if p.startswith("re:"):
                    raw.append((label, regex.compile(rf"(?<!\w)(?:{p[3:]})(?!\w)")))
                else:
                    plain.append((label, p))
        self._index = PhraseIndex(plain, skip_after=LOCATIVES)
        self._regexes = raw
        self._prefilter = regex.compile("|".join(r.pattern for _, r in raw)) if raw else None
        rules = [ENGINE, MAX_GAP, sorted(LOCATIVES), [WEIGHT_NAME, WEIGHT_PHRASE, WEIGHT_WORD, WEIGHT_GENERIC]]
        content = json.dumps([rules, [_as_dict(t) for t in self.topics]], ensure_ascii=False, sort_keys=True)
        self.version = hashlib.sha256(content.encode()).hexdigest()[:12]

    def __repr__(self) -> str:
        return f"Taxonomy({len(self.topics)} topics from {self.source}, version {self.version})"

    @classmethod
    def default(cls, agencies: Mapping[str, str] | None = None) -> Taxonomy:
        """The shipped taxonomy for Indonesian city governments (``citra/nlp/data/topics.toml``)."""
        text = resources.files("citra.nlp").joinpath("data", "topics.toml").read_text(encoding="utf-8")
        topics, _ = parse_file(text, "topics.toml (shipped)", {})
        return cls(topics, source="topics.toml (shipped)", agencies=agencies)

    @classmethod
    def from_file(
        cls, path: Path | str, *, extends: Taxonomy | None = None, agencies: Mapping[str, str] | None = None
    ) -> Taxonomy:
        """Read a taxonomy file. With ``extends``, topics whose id it knows may give only ``id`` and changes
        (``patterns``, ``names``, ``generic`` to add, ``remove_patterns``, ``priority``, labels, service or OPD)."""
        path = Path(path)
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{path}: cannot read the topic taxonomy: {exc}") from None
        known = {t.id: t for t in extends.raw} if extends else {}
        topics, removals = parse_file(text, str(path), known)
        return cls(topics, source=str(path), agencies=agencies, removals=removals)

    @classmethod
    def for_settings(cls, workspace: Workspace) -> Taxonomy:
        """The taxonomy of a workspace: the shipped one, extended or replaced by ``[nlp] topics``, with the agency
        names of its ``[opd]`` table."""
        nlp = workspace.settings.nlp
        agencies = workspace.settings.opd
        base = cls.default(agencies)
        if not nlp.topics:
            services.check(agencies, frozenset())
            return base
        path = workspace.path(nlp.topics)
        if nlp.topics_mode == "replace":
            found = cls.from_file(path, agencies=agencies)
        else:
            found = base.merged(cls.from_file(path, extends=base, agencies=agencies), mode="extend")
        services.check(agencies, frozenset(t.service for t in found.topics))
        return found

    def merged(self, other: Taxonomy, mode: Literal["extend", "replace"] = "extend") -> Taxonomy:
        """``replace``: ``other`` alone. ``extend``: topics of ``other`` whose id exists add their patterns and OPD
        aliases, drop their ``remove_patterns`` and override the labels, service, OPD and priority they give; new
        topics are appended."""
        if mode == "replace":
            return other
        if mode != "extend":
            raise ValueError(f"unknown merge mode {mode!r}; expected 'extend' or 'replace'")
        extra = {t.id: t for t in other.raw}
        out = [_combine(t, extra.pop(t.id), other.removals.get(t.id, ())) if t.id in extra else t for t in self.raw]
        out.extend(extra.values())
        agencies = {**self.overrides, **other.overrides}
        return Taxonomy(out, source=f"{self.source} + {other.source}", agencies=agencies)

    def evidence(self, normalized: str) -> list[Evidence]:
        """Every pattern hit in a normalised text, less the hits hidden inside a longer hit of another topic (in
        "lampu jalan mati" the street-light phrase hides the generic word "jalan"; see ``_inside``)."""
        tokens = normalized.split()
        hits = [self._hit(label, start, end) for label, start, end in self._index.find(tokens)]
        if self._prefilter is not None and self._prefilter.search(normalized):
            hits.extend(self._regex_hits(normalized))
        return [h for h in hits if not any(_inside(h, o) for o in hits)]

    def _regex_hits(self, normalized: str) -> Iterable[Evidence]:
        for label, pattern in self._regexes:
            found = pattern.search(normalized)
            if found is not None:
                start = len(normalized[: found.start()].split())
                yield self._hit(label, start, max(len(normalized[: found.end()].split()), start + 1))

    def _hit(self, label: int, start: int, end: int) -> Evidence:
        topic, weight, generic = self._patterns[label]
        return Evidence(topic, weight, start, end, generic, label)

    def match(self, normalized: str) -> tuple[str, ...]:
        """Ids of every topic of a normalised text (lower case, space-separated words), in taxonomy order.
        Generic words alone make no topic."""
        found = {h.topic for h in self.evidence(normalized) if not h.generic}
        return tuple(self._ids[i] for i in sorted(found))

    def opds(self, topic_ids: Iterable[str]) -> tuple[str, ...]:
        """The OPDs responsible for these topics, without repeats, in the given order."""
        by_id = {t.id: t.opd for t in self.topics}
        return tuple(dict.fromkeys(by_id[i] for i in topic_ids if by_id.get(i)))


def _inside(a: Evidence, b: Evidence) -> bool:
    """Whether hit ``a`` is hidden by ``b``: it lies within the strictly longer ``b`` of another topic, and it is a
    generic word or ``b`` names a service ("bpjs" inside "bpjs ketenagakerjaan"). Other hits inside a phrase stay:
    "ngurus ktp susah" is about both population documents and service quality."""
    if a.topic == b.topic or not (b.start <= a.start and a.end <= b.end and b.end - b.start > a.end - a.start):
        return False
    return a.generic or b.weight >= WEIGHT_NAME


def _resolve(t: Topic, agencies: Mapping[str, str]) -> Topic:
    """The topic with its agency: its own ``opd``, else the workspace's agency for its service (with the aliases
    people write for that agency)."""
    if t.opd or not t.service:
        return t
    opd = agencies.get(t.service, "")
    shipped = services.shipped().get(t.service)
    aliases = shipped.aliases if shipped else ()
    return replace(t, opd=opd, opd_aliases=tuple(dict.fromkeys(aliases + t.opd_aliases)))


def _as_dict(t: Topic) -> dict[str, object]:
    return {k: getattr(t, k) for k in Topic.__slots__}


def _combine(old: Topic, new: Topic, removed: tuple[str, ...]) -> Topic:
    drop = set(removed)

    def keep(*lists: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(p for p in dict.fromkeys(x for ps in lists for x in ps) if p not in drop)

    return Topic(
        id=old.id,
        name=new.name or old.name,
        name_en=new.name_en or old.name_en,
        opd=new.opd or old.opd,
        opd_aliases=tuple(dict.fromkeys(old.opd_aliases + new.opd_aliases)),
        patterns=keep(old.patterns, new.patterns),
        service=new.service or old.service,
        names=keep(old.names, new.names),
        generic=keep(old.generic, new.generic),
        priority=new.priority,
    )
