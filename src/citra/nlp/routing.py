"""Ranked routing: which agencies (OPD) a post belongs to, best first, each with a score in [0, 1).

The taxonomy gives weighted evidence (``Taxonomy.evidence``); this module turns it into ranked routes:

- a topic scores ``priority * (best hit + SECOND * the other hits)`` over its distinct patterns, so one strong,
  specific hit (a service named outright, a phrase) beats several generic words;
- an OPD scores its best topic plus ``SECOND`` times its other topics;
- an OPD NAMED in the text (its name or an alias: "dishub", "dinas pupr", "pdam") gets ``NAMED`` on top and ranks
  first whatever the evidence for the others;
- the score shown is ``raw / (raw + HALF)``: 0.5 for one phrase, 0.6 for a service named outright.

A supervised router learned from a city's own routed complaints (``citra.nlp.router``) plugs in through
``Router.route(..., learned=...)``: a mapping OPD name -> probability for the same text. See ``combine``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from citra.nlp import services
from citra.nlp.phrases import PhraseIndex
from citra.nlp.topics import Taxonomy

VERSION = "ranked-1"  # bump when the scoring below changes
SECOND = 0.5  # weight of every hit after the best one (of a topic), and of every topic after the best (of an OPD)
NAMED = 4.0  # raw score added to an OPD that the text names
HALF = 2.0  # raw score that shows as 0.5
CONFIDENT = 0.6  # learned probability at and above which the learned model leads
LEARNED_WEIGHT = (0.8, 0.5)  # weight of the learned probability when it is confident / when it is not
MIN_LEARNED = 0.05  # learned OPDs below this probability are not proposed


@dataclass(frozen=True, slots=True)
class Route:
    """One proposed agency: its name, score in [0, 1], the services and topics behind it (best first), whether
    the text names it, and the learned model's probability when one was given (None otherwise)."""

    opd: str
    score: float
    services: tuple[str, ...]
    topics: tuple[str, ...]
    named: bool = False
    learned: float | None = None


class Router:
    """Ranks the OPDs of a text from a compiled taxonomy and the agency names people write."""

    def __init__(self, taxonomy: Taxonomy) -> None:
        self.taxonomy = taxonomy
        names: dict[str, set[str]] = {}  # alias phrase -> OPDs it names
        for key, service in services.shipped().items():
            opd = taxonomy.agencies.get(key)
            if opd:
                for alias in service.aliases:
                    names.setdefault(alias, set()).add(opd)
        for t in taxonomy.topics:
            if t.opd:
                for alias in (*t.opd_aliases, " ".join(t.opd.lower().split())):
                    names.setdefault(alias, set()).add(t.opd)
        self._opds = sorted({o for found in names.values() for o in found})
        label = {o: i for i, o in enumerate(self._opds)}
        entries: list[tuple[int, str]] = []
        for alias, opds in sorted(names.items()):
            words = [w for w in alias.replace("-", " ").split() if w.isalnum()]
            if words:
                entries.extend((label[o], " ".join("=" + w for w in words)) for o in sorted(opds))
        self._names = PhraseIndex(entries)
        self._service_opd = dict(taxonomy.agencies)
        self.version = f"{VERSION}@{taxonomy.version}"

    @classmethod
    def from_taxonomy(cls, taxonomy: Taxonomy) -> Router:
        return cls(taxonomy)

    def named(self, normalized: str) -> tuple[str, ...]:
        """The OPDs a normalised text names, in the order they first appear."""
        found = sorted((start, label) for label, start, _ in self._names.find(normalized.split()))
        return tuple(dict.fromkeys(self._opds[label] for _, label in found))

    def topics(self, normalized: str) -> list[tuple[str, float, bool]]:
        """(topic id, raw score, generic only) of every topic with evidence, best first (ties: taxonomy order)."""
        hits: dict[int, dict[int, tuple[float, bool]]] = {}
        for h in self.taxonomy.evidence(normalized):
            hits.setdefault(h.topic, {})[h.pattern] = (h.weight, h.generic)
        out = []
        for i, found in hits.items():
            weights = sorted((w for w, _ in found.values()), reverse=True)
            raw = self.taxonomy.topics[i].priority * (weights[0] + SECOND * sum(weights[1:]))
            out.append((i, raw, all(g for _, g in found.values())))
        out.sort(key=lambda x: (-x[1], x[0]))
        return [(self.taxonomy.topics[i].id, raw, generic) for i, raw, generic in out]

    def route(self, text: str, normalized: str, learned: Mapping[str, float] | None = None) -> tuple[Route, ...]:
        """The OPDs of a post, best first, without repeats. ``text`` is the raw post (kept for learned routers
        that read it themselves); ``normalized`` what ``Normalizer.normalize`` made of it."""
        return self.analyse(text, normalized, learned)[1]

    def analyse(
        self, text: str, normalized: str, learned: Mapping[str, float] | None = None
    ) -> tuple[tuple[str, ...], tuple[Route, ...]]:
        """(topic ids best first, routes best first) of a post in one pass. Topics found by generic words alone
        are not among the topics, but they may still route (weakly)."""
        ranked = self.topics(normalized)
        by_id = {t.id: t for t in self.taxonomy.topics}
        per_opd: dict[str, list[tuple[float, str, str]]] = {}
        for tid, raw, _ in ranked:
            topic = by_id[tid]
            if topic.opd:
                per_opd.setdefault(topic.opd, []).append((raw, topic.service, tid))
        named = self.named(normalized)
        scored: list[tuple[float, Route]] = []
        for opd in dict.fromkeys((*per_opd, *named)):
            found = per_opd.get(opd, [])
            raws = [r for r, _, _ in found]
            raw = (raws[0] + SECOND * sum(raws[1:]) if raws else 0.0) + (NAMED if opd in named else 0.0)
            kinds = tuple(dict.fromkeys(s for _, s, _ in found if s)) or self._services_of(opd)
            route = Route(opd, raw / (raw + HALF), kinds, tuple(t for _, _, t in found), opd in named)
            scored.append((raw, route))
        scored.sort(key=lambda x: -x[0])
        routes = tuple(r for _, r in scored)
        topics = tuple(tid for tid, _, generic in ranked if not generic)
        return topics, combine(routes, learned, self._services_of) if learned else routes

    def _services_of(self, opd: str) -> tuple[str, ...]:
        return tuple(k for k, v in self._service_opd.items() if v == opd)


def combine(
    routes: Sequence[Route],
    learned: Mapping[str, float],
    services_of: Callable[[str], tuple[str, ...]] | None = None,
) -> tuple[Route, ...]:
    """Taxonomy routes and a learned model's probabilities for the same text, best first.

    - An OPD the text names stays first (the citizen said where it goes).
    - Otherwise each OPD scores ``w * p_learned + (1 - w) * taxonomy score`` with ``w`` 0.8 when the model's top
      probability is at least ``CONFIDENT`` and 0.5 when it is not: a confident model leads, an unsure one is an
      equal partner, and the taxonomy still covers the OPDs and services the history lacks.
    - Learned OPDs below ``MIN_LEARNED`` are not proposed unless the taxonomy proposes them too."""
    lookup = services_of or (lambda _opd: ())
    top = max(learned.values(), default=0.0)
    w = LEARNED_WEIGHT[0] if top >= CONFIDENT else LEARNED_WEIGHT[1]
    by_opd = {r.opd: r for r in routes}
    out: list[Route] = []
    for opd in dict.fromkeys([*by_opd, *(o for o, p in learned.items() if p >= MIN_LEARNED)]):
        p = float(learned.get(opd, 0.0))
        base = by_opd.get(opd)
        tax = base.score if base else 0.0
        score = w * p + (1 - w) * tax
        if base is None:
            out.append(Route(opd, score, lookup(opd), (), False, p))
        else:
            out.append(Route(opd, score, base.services, base.topics, base.named, p))
    out.sort(key=lambda r: (not r.named, -r.score))
    return tuple(out)
