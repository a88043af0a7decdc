"""Targets: who a post is about. The institution (the organisation, its official accounts, its OPDs), each leader
configured in citra.toml, and each comparison entity. A post can have several.

Rules, for an organisation such as "Pemerintah Kota Bekasi" (level kota, place bekasi):

* **Institution**: its name and the usual ways to say it with the place (pemerintah kota bekasi, pemkot bekasi,
  pemda bekasi, pemerintah bekasi); an official account @handle in the raw text, or a hashtag that spells an alias
  (#PemkotBekasi); every OPD name or alias of the taxonomy (also in a handle with the place: @dishubkotabekasi),
  which adds a second target naming the OPD; and its own units (kelurahan, kecamatan, lurah, camat, puskesmas,
  RSUD, humas, dinas terkait, pemerintah setempat), except right after warga/se/wilayah, where they name a place
  ("warga Kelurahan Jatimulya").
* **The bare city name is a place, not the institution**: "banjir di kota bekasi" has no target. Collection already
  filters posts by the city, so its name says nothing about who the post addresses.
* **Generic words** (pemkot, pemda, pemerintah kota, OPD names and aliases, other agencies such as disnaker or
  bappeda, leaders' role words such as wali kota, walkot, pak wali) count for the own organisation unless followed
  by a configured entity ("pemkot depok") or by a capitalised name in the raw text that is neither the own place
  nor the leader's name ("Dishub DKI", "Wali Kota Surabaya"). Role words right after mantan/eks/calon/bakal (former,
  candidate) do not count, and "wakil wali kota" is never the wali kota.
* **Leaders**: name, aliases and role words (with or without the place) give ``Target(LEADER, leader.name)``.
* **Entities**: name and aliases; for names like "Kota Depok" also pemkot depok, pemerintah kota depok.

Matching runs on the normalised tokens (one dictionary look-up per token, see ``topics.PhraseIndex``); the raw text
is read only for @handles, hashtags and capitalisation.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import regex

from citra.config import Settings
from citra.nlp.topics import PhraseIndex, Taxonomy
from citra.records import Target, TargetKind

RULES = "targets-2"  # bump when the rules below change: part of every matcher version
_HANDLE = regex.compile(r"(?<![\w@])@(\w{1,50})")
_HASHTAG = regex.compile(r"(?<![\w#&])#(\w{1,100})")
_CAPITALISED = regex.compile(r"(?<![\w@#])\p{Lu}[\p{L}\p{N}]*")
_WORDS = regex.compile(r"[\p{L}\p{N}]+")
_LEVELS = {
    "kota": ("pemkot", "kota"),
    "kabupaten": ("pemkab", "kabupaten"),
    "kab": ("pemkab", "kabupaten"),
    "provinsi": ("pemprov", "provinsi"),
    "prov": ("pemprov", "provinsi"),
}
_SHORT_LEVEL = {"pemkot": "kota", "pemkab": "kabupaten", "pemprov": "provinsi"}
_ROLE_FORMS = {
    "wali kota": ("wali kota", "walikota", "walkot", "wako", "pak wali", "bu wali", "bapak wali", "ibu wali"),
    "wakil wali kota": ("wakil wali kota", "wakil walikota", "wawali", "wawalkot", "wakot", "pak wawali", "bu wawali"),
    "bupati": ("bupati", "pak bupati", "bu bupati", "pak bup"),
    "wakil bupati": ("wakil bupati", "wabup", "pak wabup", "bu wabup"),
    "gubernur": ("gubernur", "gub", "pak gub", "bu gub"),
    "wakil gubernur": ("wakil gubernur", "wagub", "pak wagub", "bu wagub"),
    "sekretaris daerah": ("sekretaris daerah", "sekda", "pak sekda", "bu sekda"),
}
_ROLE_ALIASES = {"walikota": "wali kota", "sekda": "sekretaris daerah", "wawali": "wakil wali kota"}
_ALL_ROLE_FORMS = tuple(dict.fromkeys(f for forms in _ROLE_FORMS.values() for f in forms))
_QUALIFIERS = ("plt", "pj", "pjs", "penjabat", "pelaksana tugas")


def _set(text: str) -> frozenset[str]:
    return frozenset(text.split())


_NOT_CURRENT = _set("mantan eks calon bakal bacalon cawalkot cabup")
_PLACE_USE = _set("warga se wilayah tingkat")  # "warga kelurahan X", "se-kecamatan": a place
_UNITS = ("kelurahan", "kecamatan", "lurah", "camat", "puskesmas", "rsud", "humas", "dinas terkait")
_UNITS += ("pemerintah setempat", "rumah sakit daerah", "kantor kelurahan", "kantor kecamatan")
# Agencies of any city that the taxonomy does not name (generic: "Disnaker DKI" is not ours).
_OTHER_AGENCIES = ("disnaker", "diskominfo", "bappeda", "damkar", "disperkim", "dispora", "disbudpar", "kadis")
_OTHER_AGENCIES += ("kepala dinas", "sekda", "sekretaris daerah", "bagian umum")
# Capitalised words that do not name another place after a generic word ("Pemkot Harus Tegas").
_NOT_PLACES = _set(
    """yang dan di ke dari untuk tidak tak harus tolong mohon segera kok kapan jangan sudah belum ini itu kita kami
    saya aku juga lagi mana bagaimana kenapa mengapa apa masih bisa mau akan cuma hanya terus sih dong nih ya pak bu
    bapak ibu mas mbak kak min admin sekarang tetap selalu perlu wajib diam malah kerja kemana mana"""
)


@dataclass(frozen=True, slots=True)
class _Rule:
    targets: tuple[Target, ...]  # empty: a blocker that only stops shorter matches inside it
    generic: bool = False  # needs the "not followed by another place" check
    role: bool = False  # skipped after mantan/eks/calon
    unit: bool = False  # skipped after di/warga (a place)
    names: frozenset[str] = frozenset()  # next words that confirm a role word (the leaders' names)


class TargetMatcher:
    """Finds the targets of a post. Build with ``from_settings``; ``match`` is pure and fast."""

    def __init__(
        self,
        rules: Sequence[tuple[str, _Rule]],
        *,
        handles: Mapping[str, tuple[Target, ...]] | None = None,
        own_place: Sequence[str] = (),
        order: Sequence[Target] = (),
    ) -> None:
        table: list[_Rule] = []
        entries: list[tuple[int, str]] = []
        ids: dict[_Rule, int] = {}
        hashtags: dict[str, _Rule] = {}
        for phrase, rule in rules:
            words = _words(phrase)
            if not words:
                continue
            label = ids.get(rule)
            if label is None:
                label = ids[rule] = len(table)
                table.append(rule)
            entries.append((label, " ".join(f"={w}" for w in words[:-1]) + f" ={words[-1]}|={words[-1]}nya"))
            hashtags.setdefault("".join(words), rule)
        self._rules = tuple(table)
        self._index = PhraseIndex(entries)
        self._hashtags = hashtags
        self._handles = {h.lower().lstrip("@"): t for h, t in (handles or {}).items()}
        self._own_place = tuple(own_place)
        self._rank = {t: i for i, t in enumerate(dict.fromkeys(order))}
        content = [RULES, sorted((h, repr(t)) for h, t in self._handles.items()), [(p, repr(r)) for p, r in rules]]
        self.version = hashlib.sha256(json.dumps(content, ensure_ascii=False).encode()).hexdigest()[:12]

    @classmethod
    def from_settings(cls, settings: Settings, taxonomy: Taxonomy | None = None) -> TargetMatcher:
        """The matcher for a workspace: its organisation, official accounts, leaders, entities and the OPDs of
        ``taxonomy`` (the shipped one when None)."""
        taxonomy = taxonomy or Taxonomy.default()
        org = Target(TargetKind.INSTITUTION, settings.organisation)
        level, place = _parse_place(settings.organisation)
        own = _Rule((org,))
        rules: list[tuple[str, _Rule]] = [(settings.organisation, own)]
        if place:
            short, long = _LEVELS.get(level, ("pemda", level))
            for head in (short, f"pemerintah {long}", "pemda", "pemerintah daerah", "pemerintah"):
                rules.append((f"{head} {place}", own))
            for head in (short, f"pemerintah {long}", "pemda", "pemerintah daerah"):
                rules.append((head, _Rule((org,), generic=True)))
        rules += [(unit, _Rule((org,), unit=True)) for unit in _UNITS]
        roles = {f for leader in settings.leaders for f in _role_forms(leader.role)}
        rules += [(name, _Rule((org,), generic=True)) for name in _OTHER_AGENCIES if name not in roles]
        handles: dict[str, tuple[Target, ...]] = {}
        order: list[Target] = [org]
        opds: dict[str, list[str]] = {}
        for topic in taxonomy.topics:
            if topic.opd:
                opds.setdefault(topic.opd, [topic.opd]).extend(topic.opd_aliases)
        squeezed = "".join(_words(place))
        for opd, names in opds.items():
            target = Target(TargetKind.INSTITUTION, opd)
            order.append(target)
            for name in dict.fromkeys(names):
                rules.append((name, _Rule((org, target), generic=True)))
                if squeezed:  # @dishubkotabekasi, @dinkesbekasi
                    alias = "".join(_words(name))
                    handles.update({f"{alias}{squeezed}": (org, target), f"{alias}{level}{squeezed}": (org, target)})
        rules.extend(_leader_rules(settings, place))
        order.extend(Target(TargetKind.LEADER, leader.name) for leader in settings.leaders)
        for entity in settings.entities:
            target = Target(TargetKind.ENTITY, entity.name)
            order.append(target)
            ent_level, ent_place = _parse_place(entity.name)
            names = [entity.name, *entity.aliases]
            if ent_place:
                short, long = _LEVELS.get(ent_level, ("pemda", ent_level))
                names += [f"{short} {ent_place}", f"pemerintah {long} {ent_place}", f"pemda {ent_place}"]
            rules.extend((n, _Rule((target,))) for n in names)
        handles.update({h: (org,) for hs in settings.accounts.values() for h in hs})
        return cls(rules, handles=handles, own_place=_words(place), order=order)

    def match(self, raw_text: str, normalized: str) -> tuple[Target, ...]:
        """Every target of a post, without repeats, institution first, then leaders and entities in config order."""
        tokens = normalized.split()
        found: dict[Target, None] = {}
        hits = list(self._index.find(tokens))
        if hits:
            self._resolve(hits, tokens, raw_text, found)
        if "@" in raw_text:
            for handle in _HANDLE.findall(raw_text):
                found.update(dict.fromkeys(self._handles.get(handle.lower(), ())))
        if "#" in raw_text:
            for tag in _HASHTAG.findall(raw_text):
                rule = self._hashtags.get(tag.lower())
                if rule is not None:
                    found.update(dict.fromkeys(rule.targets))
        if len(found) < 2:
            return tuple(found)
        rank = self._rank
        return tuple(sorted(found, key=lambda t: rank.get(t, len(rank))))

    def _resolve(
        self, hits: list[tuple[int, int, int]], tokens: list[str], raw: str, found: dict[Target, None]
    ) -> None:
        """Keep the longest match at each place and apply the generic, role and unit checks."""
        hits.sort(key=lambda h: (h[1], h[1] - h[2]))
        rules = self._rules
        other_labels = {label for label, _, _ in hits if _kind(rules[label]) is TargetKind.ENTITY}
        other = {start for label, start, _ in hits if label in other_labels}
        ours = {start for label, start, _ in hits if rules[label].targets and label not in other_labels}
        caps: frozenset[str] | None = None
        end_of_last = -1
        for label, start, end in hits:
            if start < end_of_last:
                continue  # inside a longer match ("wakil wali kota" holds "wali kota")
            end_of_last = end
            rule = rules[label]
            before = tokens[start - 1] if start else ""
            if not rule.targets or (rule.role and before in _NOT_CURRENT) or (rule.unit and before in _PLACE_USE):
                continue
            unsure = rule.generic and end < len(tokens) and end not in ours and tokens[end] not in rule.names
            if unsure and not self._follows_own_place(tokens, end):
                if end in other:
                    continue
                if caps is None:
                    caps = _capitalised(raw)
                if tokens[end] in caps and tokens[end] not in _NOT_PLACES:
                    continue
            found.update(dict.fromkeys(rule.targets))

    def _follows_own_place(self, tokens: list[str], i: int) -> bool:
        """Whether the own place (optionally after kota/kabupaten/provinsi) starts at token ``i``."""
        place = self._own_place
        if i < len(tokens) and tokens[i] in _LEVELS:
            i += 1  # "Dinas Kesehatan Kota Bekasi"
        return bool(place) and tuple(tokens[i : i + len(place)]) == place


def _kind(rule: _Rule) -> TargetKind | None:
    return rule.targets[0].kind if rule.targets else None


def _words(text: str) -> tuple[str, ...]:
    return tuple(_WORDS.findall(text.lower()))


def _capitalised(raw: str) -> frozenset[str]:
    """Lower-cased words written with a capital in the raw text (excluding @handles and #hashtags)."""
    return frozenset(w.lower() for w in _CAPITALISED.findall(raw))


def _parse_place(name: str) -> tuple[str, str]:
    """(level, place) of "Pemerintah Kota Bekasi", "Pemkot Bekasi", "Kabupaten Bogor"; ("", "") otherwise."""
    words = list(_words(name))
    if words and words[0] in _SHORT_LEVEL:
        return _SHORT_LEVEL[words[0]], " ".join(words[1:])
    if words[:1] in (["pemerintah"], ["pemda"]):
        words = words[1:]
    if len(words) > 1 and words[0] in _LEVELS:
        return _LEVELS[words[0]][1], " ".join(words[1:])
    return "", ""


def _role_forms(role: str) -> tuple[str, ...]:
    """Ways to say a role: "Wali Kota" -> wali kota, walikota, walkot, pak wali ...; "Plt Wali Kota" adds plt forms."""
    text = " ".join(_words(role))
    qualifier = next((q for q in _QUALIFIERS if text.startswith(q + " ")), "")
    base = text[len(qualifier) :].strip()
    base = _ROLE_ALIASES.get(base, base)
    forms = _ROLE_FORMS.get(base, (base,) if base else ())
    return forms + tuple(f"{qualifier} {f}" for f in forms if qualifier)


def _leader_rules(settings: Settings, place: str) -> list[tuple[str, _Rule]]:
    """Names and aliases of each leader, their role words (generic) and role + place; deputy blockers."""
    rules: list[tuple[str, _Rule]] = []
    by_form: dict[str, list[Target]] = {}
    for leader in settings.leaders:
        target = Target(TargetKind.LEADER, leader.name)
        roles = set(_role_forms(leader.role))
        for name in (leader.name, *leader.aliases):
            text = " ".join(_words(name))
            if text in roles or text in _ALL_ROLE_FORMS:
                by_form.setdefault(text, []).append(target)  # an alias that is a role word stays generic
            else:
                rules.append((name, _Rule((target,))))
        for form in roles:
            by_form.setdefault(form, []).append(target)
    for form in _ALL_ROLE_FORMS:
        by_form.setdefault(form, [])  # blockers: "wakil wali kota" is not the wali kota
    for form, targets in by_form.items():
        unique = tuple(dict.fromkeys(targets))
        names = frozenset(w for t in unique for w in _words(t.name))
        rules.append((form, _Rule(unique, generic=bool(unique), role=True, names=names)))
        if place and unique:
            rules.append((f"{form} {place}", _Rule(unique, role=True)))
    return rules
