"""Word-form phrase matching for Indonesian: the engine under the topic taxonomy and the target matcher.

Every pattern word is expanded once into its Indonesian affixed surface forms (di-/ke-/ter-/ber-/per-/meN-/peN-/
colloquial N- and nge-; -nya/-kan/-an/-i/-in/-lah/-kah/-pun ...), so matching a text is one dictionary look-up per
token plus a check of the few multi-word phrases that start there.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

import regex

MAX_GAP = 3  # tokens a ``*`` may skip
_PREFIXES = ("di", "ke", "ter", "ber", "per", "diper", "memper")
_SUFFIXES = ("", "nya", "kan", "an", "i", "in", "lah", "kah", "pun", "ku", "mu")
_SUFFIXES += tuple(a + b for a in ("kan", "an", "i", "in") for b in ("nya", "lah"))
_WORD = regex.compile(r"[\p{Ll}\p{Lo}\p{N}]+")
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
