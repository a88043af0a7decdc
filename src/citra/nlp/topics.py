"""Topic taxonomy: which public-service topics a post is about, and the OPD usually responsible.

The taxonomy is data (``data/topics.toml``; the syntax is documented at the top of that file). Patterns compile
into one word-form index per taxonomy: every pattern word is expanded once into its Indonesian affixed surface forms
(di-/ke-/ter-/ber-/per-/meN-/peN-/colloquial N- and nge-; -nya/-kan/-an/-i/-in/-lah/-kah/-pun ...), so matching a
post is one dictionary look-up per token plus a check of the few multi-word phrases that start there. ``re:``
patterns are rare and run only when one combined regex says one of them can match.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import tomllib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Literal

import regex

from citra.config import Workspace
from citra.errors import ConfigError

ENGINE = "affix-1"  # bump when the affix rules change: it is part of every taxonomy version
MAX_GAP = 3  # tokens a ``*`` may skip
_PREFIXES = ("di", "ke", "ter", "ber", "per", "diper", "memper")
_SUFFIXES = ("", "nya", "kan", "an", "i", "in", "lah", "kah", "pun", "ku", "mu")
_SUFFIXES += tuple(a + b for a in ("kan", "an", "i", "in") for b in ("nya", "lah"))
_WORD = regex.compile(r"[\p{Ll}\p{Lo}\p{N}]+")
_ID = regex.compile(r"[a-z][a-z0-9_]*")
_TOPIC_FIELDS = {"id", "name", "name_en", "opd", "opd_aliases", "patterns"}
GAP = -1
# A landmark named as a place is not a topic: "macet depan sekolah" is about traffic, not education.
LOCATIVES = frozenset(
    [
        "depan",
        "depannya",
        "dekat",
        "dekatnya",
        "samping",
        "sampingnya",
        "belakang",
        "sebelah",
        "seberang",
        "sekitar",
        "arah",
        "menuju",
    ]
)


def _nasal(stem: str) -> tuple[str, ...]:
    """What follows me-/pe- when the nasal prefix meets ``stem`` (tambal -> nambal, sapu -> nyapu, urus -> ngurus)."""
    c = stem[0]
    if c in "aiueo":
        return ("ng" + stem,)
    if c == "k":
        return ("ng" + stem[1:], "ng" + stem)
    if c == "p":
        return ("m" + stem[1:], "m" + stem)
    if c == "t":
        return ("n" + stem[1:], "n" + stem)
    if c == "s":
        return ("ny" + stem[1:], "n" + stem)
    if c in "bfv":
        return ("m" + stem,)
    if c in "cdjz":
        return ("n" + stem,)
    if c in "gh":
        return ("ng" + stem,)
    return (stem,)


def word_forms(word: str) -> frozenset[str]:
    """Every surface form a pattern word matches: ``=word`` exactly, words of up to 3 letters plus -nya, longer
    words with Indonesian prefixes (including nasal assimilation and colloquial N-/nge- forms) and suffixes."""
    if word.startswith("="):
        return frozenset((word[1:],))
    if len(word) <= 3:
        return frozenset((word, word + "nya"))
    r = word[0] == "r"
    heads = {word, *((p[:-1] if r and p.endswith("r") else p) + word for p in _PREFIXES)}
    nasal = _nasal(word)
    heads.update("me" + n for n in nasal)
    heads.update("pe" + n for n in nasal)
    if word[0] in "aiueokpts":
        heads.add(nasal[0])  # ngurus, nambal, nyapu, motong
    if word[0] not in "aiueo":
        heads.add("nge" + word)  # ngelapor, ngecat
    return frozenset(h + s for h in heads for s in _SUFFIXES)


@dataclass(frozen=True, slots=True)
class _Phrase:
    label: int
    rest: tuple[int, ...]  # slot ids after the head, GAP for ``*``


@dataclass(frozen=True, slots=True)
class _Form:
    """What one surface form does: the single-word entries it completes, the phrases it starts, the slots it fills."""

    labels: frozenset[int]
    heads: tuple[_Phrase, ...]
    slots: frozenset[int]


def parse_phrase(pattern: str) -> list[tuple[str, ...] | None]:
    """Split a plain pattern into slots (alternative words) and gaps (None); raises ValueError when malformed."""
    slots: list[tuple[str, ...] | None] = []
    for part in pattern.lower().split():
        if part == "*":
            slots.append(None)
            continue
        words = tuple(part.split("|"))
        for w in words:
            if not _WORD.fullmatch(w.removeprefix("=")):
                raise ValueError(f"bad word {w!r} (letters and digits only; '=' for an exact word; '|' between)")
        slots.append(words)
    if not slots or slots[0] is None or slots[-1] is None:
        raise ValueError("a pattern needs a word and cannot start or end with '*'")
    if any(a is None and b is None for a, b in itertools.pairwise(slots)):
        raise ValueError("two '*' in a row")
    return slots


class PhraseIndex:
    """Matches token sequences of normalised text against plain patterns; each pattern carries an int label.
    Matches that start right after a word of ``skip_after`` are ignored."""

    def __init__(self, entries: Iterable[tuple[int, str]], *, skip_after: frozenset[str] = frozenset()) -> None:
        self._skip_after = skip_after
        slot_ids: dict[tuple[str, ...], int] = {}
        word_slots: dict[str, set[int]] = {}  # pattern word -> slots it appears in
        labels: dict[int, set[int]] = {}  # slot -> labels of single-slot entries
        heads: dict[int, list[_Phrase]] = {}  # slot -> phrases starting with it
        for label, pattern in entries:
            ids: list[int] = []
            for slot in parse_phrase(pattern):
                if slot is None:
                    ids.append(GAP)
                    continue
                key = tuple(sorted(set(slot)))
                sid = slot_ids.setdefault(key, len(slot_ids))
                for w in key:
                    word_slots.setdefault(w, set()).add(sid)
                ids.append(sid)
            if len(ids) == 1:
                labels.setdefault(ids[0], set()).add(label)
            else:
                heads.setdefault(ids[0], []).append(_Phrase(label, tuple(ids[1:])))
        infos: dict[frozenset[int], _Form] = {}

        def info(sids: frozenset[int]) -> _Form:
            found = infos.get(sids)
            if found is None:
                found = infos[sids] = _Form(
                    labels=frozenset(x for s in sids for x in labels.get(s, ())),
                    heads=tuple(p for s in sorted(sids) for p in heads.get(s, ())),
                    slots=sids,
                )
            return found

        forms: dict[str, _Form] = {}
        for word, sids in word_slots.items():
            own = info(frozenset(sids))
            surface = word_forms(word)
            clash = surface & forms.keys()
            forms.update(dict.fromkeys(surface - clash, own))
            for f in clash:
                forms[f] = info(forms[f].slots | own.slots)
        self._forms = forms

    def find(self, tokens: Sequence[str]) -> Iterator[tuple[int, int, int]]:
        """(label, start, end) of every entry found in ``tokens`` (end exclusive)."""
        get = self._forms.get
        infos = [get(t) for t in tokens]
        for i, info in enumerate(infos):
            if info is None or (i and tokens[i - 1] in self._skip_after):
                continue
            for label in info.labels:
                yield label, i, i + 1
            for phrase in info.heads:
                end = _follow(infos, i + 1, phrase.rest, 0)
                if end is not None:
                    yield phrase.label, i, end

    def labels(self, tokens: Sequence[str]) -> set[int]:
        """The labels of every entry found in ``tokens``."""
        get = self._forms.get
        found: set[int] = set()
        infos = [get(t) for t in tokens]
        for i, info in enumerate(infos):
            if info is None or (i and tokens[i - 1] in self._skip_after):
                continue
            found |= info.labels
            for phrase in info.heads:
                if phrase.label not in found and _follow(infos, i + 1, phrase.rest, 0) is not None:
                    found.add(phrase.label)
        return found


def _follow(infos: list[_Form | None], i: int, rest: tuple[int, ...], k: int) -> int | None:
    """End index when ``rest[k:]`` matches from token ``i``, else None."""
    if k == len(rest):
        return i
    sid = rest[k]
    if sid == GAP:
        for j in range(i, min(i + MAX_GAP, len(infos)) + 1):
            end = _follow(infos, j, rest, k + 1)
            if end is not None:
                return end
        return None
    if i < len(infos):
        info = infos[i]
        if info is not None and sid in info.slots:
            return _follow(infos, i + 1, rest, k + 1)
    return None


@dataclass(frozen=True, slots=True)
class Topic:
    """One topic: a stable id, labels for the UI, the OPD usually responsible, and its patterns."""

    id: str
    name: str
    name_en: str
    opd: str
    opd_aliases: tuple[str, ...]
    patterns: tuple[str, ...]


class Taxonomy:
    """A compiled topic taxonomy. ``match`` returns every topic a normalised post is about (multi-label)."""

    def __init__(self, topics: Sequence[Topic], *, source: str = "<taxonomy>") -> None:
        self.topics: tuple[Topic, ...] = tuple(topics)
        self.source = source
        self._ids = tuple(t.id for t in self.topics)
        plain: list[tuple[int, str]] = []
        raw: dict[int, list[str]] = {}
        for i, t in enumerate(self.topics):
            for p in t.patterns:
                if p.startswith("re:"):
                    raw.setdefault(i, []).append(rf"(?<!\w)(?:{p[3:]})(?!\w)")
                else:
                    plain.append((i, p))
        self._index = PhraseIndex(plain, skip_after=LOCATIVES)
        self._regexes = {i: regex.compile("|".join(r)) for i, r in raw.items()}
        self._prefilter = regex.compile("|".join(x.pattern for x in self._regexes.values())) if raw else None
        rules = [ENGINE, MAX_GAP, sorted(LOCATIVES)]
        content = json.dumps([rules, [_as_dict(t) for t in self.topics]], ensure_ascii=False, sort_keys=True)
        self.version = hashlib.sha256(content.encode()).hexdigest()[:12]

    def __repr__(self) -> str:
        return f"Taxonomy({len(self.topics)} topics from {self.source}, version {self.version})"

    @classmethod
    def default(cls) -> Taxonomy:
        """The shipped taxonomy for Indonesian city governments (``citra/nlp/data/topics.toml``)."""
        text = resources.files("citra.nlp").joinpath("data", "topics.toml").read_text(encoding="utf-8")
        return cls(_parse(text, "topics.toml (shipped)", {}), source="topics.toml (shipped)")

    @classmethod
    def from_file(cls, path: Path | str, *, extends: Taxonomy | None = None) -> Taxonomy:
        """Read a taxonomy file. With ``extends``, topics whose id it knows may give only ``id`` and new patterns."""
        path = Path(path)
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{path}: cannot read the topic taxonomy: {exc}") from None
        known = {t.id: t for t in extends.topics} if extends else {}
        return cls(_parse(text, str(path), known), source=str(path))

    @classmethod
    def for_settings(cls, workspace: Workspace) -> Taxonomy:
        """The taxonomy of a workspace: the shipped one, extended or replaced by ``[nlp] topics``."""
        nlp = workspace.settings.nlp
        base = cls.default()
        if not nlp.topics:
            return base
        path = workspace.path(nlp.topics)
        if nlp.topics_mode == "replace":
            return cls.from_file(path)
        return base.merged(cls.from_file(path, extends=base), mode="extend")

    def merged(self, other: Taxonomy, mode: Literal["extend", "replace"] = "extend") -> Taxonomy:
        """``replace``: ``other`` alone. ``extend``: topics of ``other`` whose id exists add their patterns and OPD
        aliases (and override the labels and OPD they give); new topics are appended."""
        if mode == "replace":
            return other
        if mode != "extend":
            raise ValueError(f"unknown merge mode {mode!r}; expected 'extend' or 'replace'")
        extra = {t.id: t for t in other.topics}
        out = [_combine(t, extra.pop(t.id)) if t.id in extra else t for t in self.topics]
        out.extend(extra.values())
        return Taxonomy(out, source=f"{self.source} + {other.source}")

    def match(self, normalized: str) -> tuple[str, ...]:
        """Ids of every topic of a normalised text (lower case, space-separated words), in taxonomy order."""
        found = self._index.labels(normalized.split())
        if self._prefilter is not None and self._prefilter.search(normalized):
            found.update(i for i, r in self._regexes.items() if i not in found and r.search(normalized))
        return tuple(self._ids[i] for i in sorted(found))

    def opds(self, topic_ids: Iterable[str]) -> tuple[str, ...]:
        """The OPDs responsible for these topics, without repeats, in the given order."""
        by_id = {t.id: t.opd for t in self.topics}
        return tuple(dict.fromkeys(by_id[i] for i in topic_ids if by_id.get(i)))


def _as_dict(t: Topic) -> dict[str, object]:
    return {k: getattr(t, k) for k in Topic.__slots__}


def _combine(old: Topic, new: Topic) -> Topic:
    return Topic(
        id=old.id,
        name=new.name or old.name,
        name_en=new.name_en or old.name_en,
        opd=new.opd or old.opd,
        opd_aliases=tuple(dict.fromkeys(old.opd_aliases + new.opd_aliases)),
        patterns=tuple(dict.fromkeys(old.patterns + new.patterns)),
    )


def _parse(text: str, source: str, known: dict[str, Topic]) -> list[Topic]:
    """Topics of a taxonomy file; every problem is a ConfigError naming the file and the topic."""
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
    seen: set[str] = set()
    for n, table in enumerate(tables, 1):
        where = f"{source}: topic {table.get('id', f'#{n}')!r}"
        topic = _topic(table, where, known)
        if topic.id in seen:
            raise ConfigError(f"{where}: id given twice")
        seen.add(topic.id)
        topics.append(topic)
    return topics


def _topic(table: dict[str, object], where: str, known: dict[str, Topic]) -> Topic:
    extra = set(table) - _TOPIC_FIELDS
    if extra:
        raise ConfigError(f"{where}: unknown field(s) {', '.join(sorted(extra))}")
    tid = table.get("id")
    if not isinstance(tid, str) or not _ID.fullmatch(tid):
        raise ConfigError(f"{where}: missing or bad field 'id' (snake_case, e.g. 'street_lights')")
    required = () if tid in known else ("name", "patterns")
    for key in required:
        if key not in table:
            raise ConfigError(f"{where}: missing field {key!r}")
    strings = {k: table.get(k, "") for k in ("name", "name_en", "opd")}
    lists = {k: table.get(k, []) for k in ("opd_aliases", "patterns")}
    for k, v in strings.items():
        if not isinstance(v, str):
            raise ConfigError(f"{where}: field {k!r} must be a string")
    for k, v in lists.items():
        if not isinstance(v, list) or not all(isinstance(x, str) and x.strip() for x in v):
            raise ConfigError(f"{where}: field {k!r} must be a list of non-empty strings")
    if tid not in known and not lists["patterns"]:
        raise ConfigError(f"{where}: field 'patterns' is empty")
    patterns = tuple(" ".join(p.split()) if not p.startswith("re:") else p for p in lists["patterns"])
    for p in patterns:
        _check_pattern(p, where)
    aliases = tuple(" ".join(a.lower().split()) for a in lists["opd_aliases"])
    name = str(strings["name"])
    return Topic(tid, name, str(strings["name_en"]) or name, str(strings["opd"]), aliases, patterns)


def _check_pattern(pattern: str, where: str) -> None:
    try:
        if pattern.startswith("re:"):
            regex.compile(pattern[3:])
        else:
            parse_phrase(pattern)
    except (regex.error, ValueError) as exc:
        kind = "invalid regex" if pattern.startswith("re:") else "bad pattern"
        raise ConfigError(f"{where}: {kind} {pattern!r}: {exc}") from None
