"""Planted coordinated campaigns (``Scenario.campaigns``): their rows and their ground truth.

Everything here draws from its own generators, seeded from the scenario's seed and the campaign's place, never
from the main run's: the other rows of a scenario are the same, byte for byte, with or without campaigns. The
rows are built whole (a few hundred to a few thousand) and merged into the main stream by time. Campaign accounts
are new handles in the citizens' style (never one of the city's, the citizens' pool's or another campaign's), and
between bursts they post ordinary citizens' posts from the same templates as everyone else."""

from __future__ import annotations

import math
import random
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from citra.simulate import accounts, templates, vocab
from citra.simulate.render import MAX_CHARS, Renderer
from citra.simulate.rows import Row
from citra.simulate.scenario import CAMPAIGN_KINDS, Campaign, Scenario
from citra.simulate.templates import campaigns as texts
from citra.simulate.templates import official

STREAM = "campaign"  # a coordinated post (or an anchor's original)
ORGANIC = "campaign_account"  # a campaign account's ordinary post
_SENTENCES = re.compile(r"(?<=[.!?])\s+")
_WORDS = re.compile(r"\b(" + "|".join(texts.SWAPS) + r")\b", re.I)
_TOP_SEQ = 0x3FFFFF  # campaign ids count down from the top of the sequence bits; the main run counts up from 1


@dataclass(frozen=True)
class CampaignTruth:
    """What was planted: the accounts that took part (``anchors``: whose posts a ring reposted, not counted as
    coordinated), the coordinated posts (native id, UTC time, handle) and each burst's start (UTC)."""

    name: str
    kind: str
    stance: str
    hashtag: str
    accounts: tuple[str, ...]
    anchors: tuple[str, ...]
    posts: tuple[tuple[str, datetime, str], ...]
    bursts: tuple[datetime, ...]


def check(s: Scenario) -> None:
    """Raise ValueError for a campaign the generator cannot plant."""
    for c in s.campaigns:
        if c.kind not in CAMPAIGN_KINDS:
            raise ValueError(f"campaign {c.name!r}: kind must be one of {', '.join(CAMPAIGN_KINDS)}")
        pool = texts.VARIED if c.kind == "hashtag" else texts.SCRIPTS
        if c.stance not in pool:
            raise ValueError(f"campaign {c.name!r}: no {c.kind} texts for stance {c.stance!r}")
        if c.accounts < 3 or c.bursts < 1 or not 0 < c.participation <= 1 or c.spread_seconds < 1:
            raise ValueError(f"campaign {c.name!r}: needs 3+ accounts, 1+ bursts, participation in (0, 1]")
        if c.kind == "hashtag" and not c.hashtag.startswith("#"):
            raise ValueError(f"campaign {c.name!r}: a hashtag push needs its #hashtag")


def rows(s: Scenario) -> list[Row]:
    """Every campaign row of ``s`` (coordinated and ordinary posts), in time order."""
    return _build(s)[0]


def truth(s: Scenario) -> tuple[CampaignTruth, ...]:
    """The planted campaigns of ``s`` that have at least one coordinated post within the scenario."""
    return _build(s)[1]


def _build(s: Scenario) -> tuple[list[Row], tuple[CampaignTruth, ...]]:
    """Built whole each time (tens of milliseconds), so rows and truth always agree."""
    if not s.campaigns:
        return [], ()
    taken = {p.handle for p in accounts.Pool(s.citizens, accounts.run_random(s.seed)).people}
    taken |= set(vocab.AMPLIFIERS) | set(s.official_handles()) | {a.handle for a in s.news}
    ids = _Ids()
    out: list[Row] = []
    truths = []
    for i, c in enumerate(s.campaigns):
        made, t = _Campaign(s, c, random.Random(f"citra-campaign:{s.seed}:{i}:{c.name}"), taken, ids).run()
        out += made
        if t.posts:
            truths.append(t)
    out.sort(key=lambda r: r.created_at)
    return out, tuple(truths)


class _Ids:
    """Snowflake-like ids from the top of the sequence bits down, so they never meet the main run's."""

    def __init__(self) -> None:
        self._seq = _TOP_SEQ + 1

    def next(self, when: datetime) -> str:
        self._seq -= 1
        ms = int(when.timestamp() * 1000) - 1288834974657
        return str((ms << 22) | self._seq)


class _Campaign:
    def __init__(self, s: Scenario, c: Campaign, rnd: random.Random, taken: set[str], ids: _Ids) -> None:
        self.s, self.c, self.rnd, self.ids = s, c, rnd, ids
        self.render = Renderer(s, rnd)
        self.end = s.start_utc.astimezone(UTC) + timedelta(days=s.days)
        self.people = [self._person(taken) for _ in range(c.accounts)]
        n_anchors = min(c.anchors, c.accounts - 2) if c.kind == "co-repost" else 0
        self.anchors, self.members = self.people[:n_anchors], self.people[n_anchors:]
        self.sentiment = texts.SENTIMENT.get(c.stance, "neutral")
        self.topic = texts.TOPIC.get(c.stance, "general")

    def _person(self, taken: set[str]) -> accounts.Person:
        handle = accounts._handle(self.rnd, taken)
        followers = int(math.exp(self.rnd.gauss(5.3, 1.1)))
        return accounts.Person(handle, str(self.rnd.randint(10**17, 2 * 10**18)), followers, self._location())

    def _location(self) -> str:
        return self.rnd.choice(vocab.CITIZEN_LOCATIONS)

    def run(self) -> tuple[list[Row], CampaignTruth]:
        rows, posts, starts = [], [], []
        for t0 in self._bursts():
            made = [r for r in self._burst(t0) if r.created_at < self.end]
            if not made:
                continue
            starts.append(t0)
            rows += made
            posts += [(r.id, r.created_at, r.username) for r in made if r.stream == STREAM and not r.intent]
        rows += self._organic()
        active = {handle for _, _, handle in posts}
        c = self.c
        accounts_ = tuple(p.handle for p in self.members if p.handle in active)
        anchors = tuple(p.handle for p in self.anchors if any(r.username == p.handle for r in rows))
        return rows, CampaignTruth(c.name, c.kind, c.stance, c.hashtag, accounts_, anchors, tuple(posts), tuple(starts))

    def _bursts(self) -> list[datetime]:
        c, rnd = self.c, self.rnd
        local = datetime.combine(self.s.start + timedelta(days=c.day), datetime.min.time(), tzinfo=self.s.tz)
        t = (local + timedelta(hours=c.hour, minutes=c.minute)).astimezone(UTC)
        out = []
        for _ in range(c.bursts):
            out.append(t + timedelta(seconds=rnd.randint(0, 59)))
            t += timedelta(seconds=round(c.gap_hours * 3600 * rnd.uniform(0.6, 1.4)))
            hour = t.astimezone(self.s.tz).hour
            if 1 <= hour < 6:  # operators sleep too: the next burst waits for the morning
                t += timedelta(hours=6 - hour, minutes=rnd.randint(0, 90))
        return out

    def _joining(self, people: list[accounts.Person]) -> list[accounts.Person]:
        chosen = [p for p in people if self.rnd.random() < self.c.participation]
        return chosen if len(chosen) >= 3 else self.rnd.sample(people, min(3, len(people)))

    def _burst(self, t0: datetime) -> list[Row]:
        c, rnd = self.c, self.rnd
        self.render.after_crisis = True
        if c.kind == "co-repost":
            anchor = rnd.choice(self.anchors) if self.anchors else rnd.choice(self.people)
            original = self.render.fill(rnd.choice(texts.ORIGINALS[c.stance]))
            if c.hashtag and rnd.random() < 0.5:
                original += " " + c.hashtag
            first = self._row(t0, anchor, original, intent="anchor")
            repost = f"RT @{anchor.handle}: {original}"[:MAX_CHARS]
            joining = self._joining([p for p in self.members if p is not anchor])
            late = sorted(rnd.randint(2, c.spread_seconds) for _ in joining)
            return [first] + [
                self._row(t0 + timedelta(seconds=d), p, repost) for p, d in zip(joining, late, strict=True)
            ]
        joining = self._joining(self.members)
        delays = sorted(rnd.randint(0, c.spread_seconds) for _ in joining)
        rnd.shuffle(joining)
        if c.kind == "co-post":
            script = self.render.fill(rnd.choice(texts.SCRIPTS[c.stance]))
            made = [self._variant(script) for _ in joining]
        else:
            lines = rnd.sample(texts.VARIED[c.stance], min(len(joining), len(texts.VARIED[c.stance])))
            made = [self._with_tag(self.render.fill(lines[i % len(lines)])) for i in range(len(joining))]
        return [self._row(t0 + timedelta(seconds=d), p, text) for p, d, text in zip(joining, delays, made, strict=True)]

    def _variant(self, script: str) -> str:
        """The script as one account posts it: pasted as is, or with an emoji, a word swapped, the hashtag, an
        opener, its sentences in another order, lower case."""
        rnd, c = self.rnd, self.c
        text = script
        if rnd.random() < 0.25:
            return text + (f" {c.hashtag}" if c.hashtag and rnd.random() < 0.5 else "")
        for op in rnd.sample(("emoji", "swap", "tag", "opener", "order", "lower", "punct"), rnd.choice((1, 2, 2, 3))):
            if op == "emoji":
                text = text.rstrip() + " " + "".join(rnd.choice(vocab.EMOJI[self.sentiment]) for _ in range(2))
            elif op == "swap":
                text = _WORDS.sub(lambda m: _swap(rnd, m.group(0)), text, count=rnd.choice((1, 2)))
            elif op == "tag" and c.hashtag:
                text = f"{c.hashtag} {text}" if rnd.random() < 0.3 else f"{text} {c.hashtag}"
            elif op == "opener":
                text = f"{rnd.choice(texts.CO_POST_OPENERS)} {text}"
            elif op == "order":
                parts = _SENTENCES.split(text)
                if len(parts) > 1:
                    text = " ".join(parts[1:] + parts[:1])
            elif op == "lower":
                text = text.lower()
            elif op == "punct":
                text = text.rstrip(".!") + rnd.choice(("!!", "!", "...", ""))
        return text[:MAX_CHARS]

    def _with_tag(self, line: str) -> str:
        rnd, tag = self.rnd, self.c.hashtag
        roll = rnd.random()
        if roll < 0.2:
            return f"{tag} {line}"
        if roll < 0.35:
            return f"{line}\n\n{tag} {rnd.choice(vocab.HASHTAGS)}"
        emoji = " " + rnd.choice(vocab.EMOJI[self.sentiment]) if rnd.random() < 0.5 else ""
        return f"{line}{emoji} {tag}"

    def _organic(self) -> list[Row]:
        """Each account's ordinary posts over the whole scenario, at the citizens' hours of the day."""
        rnd, s = self.rnd, self.s
        onset = s.onset()
        hours = list(range(24))
        out = []
        for person in self.people:
            n = _poisson(rnd, self.c.organic_per_day * s.days)
            for _ in range(n):
                day, hour = rnd.randrange(s.days), rnd.choices(hours, s.hourly)[0]
                local = datetime.combine(s.start + timedelta(days=day), datetime.min.time(), tzinfo=s.tz)
                when = (local + timedelta(hours=hour, seconds=rnd.randint(0, 3599))).astimezone(UTC)
                self.render.after_crisis = onset is not None and when >= onset
                topic = rnd.choices([t.topic for t in s.topics], [t.weight for t in s.topics])[0]
                mix = next(t for t in s.topics if t.topic == topic)
                sentiment = rnd.choices(("negative", "neutral", "positive"), mix.probs)[0]
                intent, template = rnd.choice(templates.citizen(topic, sentiment))
                body = self.render.fill(template, {"opd": official.OPD_NAMES.get(topic, "dinas terkait")})
                text = self.render.citizen(body, sentiment, intent, None, topic)
                row = self._row(when, person, text, ORGANIC, intent=intent, sentiment=sentiment, topic=topic)
                out.append(row)
        return out

    def _row(
        self,
        when: datetime,
        person: accounts.Person,
        text: str,
        stream: str = STREAM,
        *,
        intent: str = "",
        sentiment: str = "",
        topic: str = "",
    ) -> Row:
        """A campaign row; a coordinated post has no ``intent`` (an anchor's original says ``anchor``)."""
        likes, reposts, replies, quotes = accounts.engagement(self.rnd, person.followers)
        return Row(
            self.ids.next(when),
            when,
            text,
            person.handle,
            person.user_id,
            stream,
            location=person.location,
            likes=likes,
            reposts=reposts,
            replies=replies,
            quotes=quotes,
            sentiment=sentiment or self.sentiment,
            topic=topic or self.topic,
            intent=intent,
        )


def _swap(rnd: random.Random, word: str) -> str:
    new = rnd.choice(texts.SWAPS[word.lower()])
    return new.capitalize() if word[:1].isupper() else new


def _poisson(rnd: random.Random, mean: float) -> int:
    """Knuth's method for small means, a rounded normal for large ones."""
    if mean <= 0:
        return 0
    if mean > 50:
        return max(0, round(rnd.gauss(mean, math.sqrt(mean))))
    limit, k, p = math.exp(-mean), 0, rnd.random()
    while p > limit:
        k += 1
        p *= rnd.random()
    return k
