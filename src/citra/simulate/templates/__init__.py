"""The simulator's own Indonesian templates, looked up by topic, sentiment and kind.

Citizens' entries are ``INTENT|text`` (c, q, r, p, i); the modules hold the texts: ``city`` and ``services``
(citizens' topics), ``people`` (leaders, the crisis, the interventions), ``media`` (news) and ``official``."""

from __future__ import annotations

from functools import cache

from citra.simulate.templates import city, media, official, people, services

INTENTS = {"c": "complaint", "q": "question", "r": "request", "p": "praise", "i": "information"}
SENTIMENTS = ("negative", "neutral", "positive")


def _parse(entries: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    out = []
    for entry in entries:
        code, sep, text = entry.partition("|")
        if not sep or code not in INTENTS:
            raise ValueError(f"template without an intent prefix: {entry!r}")
        out.append((INTENTS[code], text))
    return tuple(out)


@cache
def citizen_topics() -> dict[str, dict[str, tuple[str, ...]]]:
    return {**city.TOPICS, **services.TOPICS, **people.TOPICS}


@cache
def citizen(topic: str, sentiment: str) -> tuple[tuple[str, str], ...]:
    """(intent, template) pairs for a citizens' post on ``topic`` with ``sentiment``."""
    return _parse(citizen_topics()[topic][sentiment])


@cache
def theme(name: str, sentiment: str) -> tuple[tuple[str, str], ...]:
    """(intent, template) pairs for citizens' posts about an intervention's theme."""
    return _parse(people.THEMES[name][sentiment])


def crisis(kind: str, sentiment: str) -> tuple[str, ...]:
    """Citizens' crisis templates; ``kind`` is leader or institution."""
    return people.CRISIS[kind][sentiment]


def count() -> int:
    """How many distinct templates the simulator has."""
    groups: list[tuple[str, ...]] = [t for d in citizen_topics().values() for t in d.values()]
    groups += [t for d in people.CRISIS.values() for t in d.values()]
    groups += [t for d in people.THEMES.values() for t in d.values()]
    groups += [t for d in media.HEADLINES.values() for t in d.values()] + list(media.CRISIS.values())
    groups += [*official.POSTS.values(), official.OPD_INFO, official.CRISIS, *official.THEMES.values()]
    groups += [*official.REPLIES.values()]
    return len({t for group in groups for t in group}) + sum(len(v) for v in media._GENERIC.values())
