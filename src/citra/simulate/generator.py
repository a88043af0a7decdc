"""``generate(scenario)``: a deterministic, streaming simulation of a city's posts and its ground truth.

Rows are produced hour by hour (in time order) and never held in memory all at once: each non-official stream's
count per hour is Poisson with the model's rate times a day-level gamma factor; each post draws its topic and
sentiment, then a template, then an author from the citizens' pool."""

from __future__ import annotations

import bisect
import heapq
import itertools
import random
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import numpy as np

from citra.simulate import accounts, campaigns, model, templates, vocab
from citra.simulate import truth as truth_mod
from citra.simulate.officials import Officials, _image
from citra.simulate.render import Renderer
from citra.simulate.rows import Row
from citra.simulate.scenario import Scenario
from citra.simulate.templates import media, official

_NEEDS_RESPONSE = frozenset({"complaint", "question", "request"})
_CRISIS_INTENT = {"negative": "complaint", "neutral": "question", "positive": "praise"}
_OTHER_MARKERS = ("Di {other},", "{other}:", "Warga {other} nih,", " #TirtaMakmur", " (di {other})", " - Kota {other}")
_THEME_TOPICS = {"social": "health", "declaration": "corruption", "campaign": "environment"}


@dataclass(frozen=True)
class Simulation:
    """A scenario's truth, and its rows on demand (the same rows each time ``rows()`` is iterated)."""

    scenario: Scenario
    truth: truth_mod.Truth

    def rows(self) -> Iterator[Row]:
        main = _Run(self.scenario).rows()
        planted = campaigns.rows(self.scenario)
        return heapq.merge(main, planted, key=lambda r: r.created_at) if planted else main


def generate(scenario: Scenario) -> Simulation:
    """The simulation of ``scenario`` (rows are generated lazily, deterministically from its seed)."""
    model.check(scenario)
    campaigns.check(scenario)
    return Simulation(scenario, truth_mod.compute(scenario))


def _cum(p: np.ndarray) -> list[float]:
    return list(itertools.accumulate(float(x) for x in p))


def _draw(rnd: random.Random, cum: list[float]) -> int:
    return min(bisect.bisect_right(cum, rnd.random() * cum[-1]), len(cum) - 1)


class _Run:
    def __init__(self, s: Scenario) -> None:
        self.s = s
        self.rnd = accounts.run_random(s.seed)
        self.np = np.random.default_rng([s.seed, 20240701])
        self.pool = accounts.Pool(s.citizens, self.rnd)
        self.render = Renderer(s, self.rnd)
        self.ids = accounts.Ids()
        self.officials = Officials(s, self.rnd, self.render, self.ids)
        self.topics = [t.topic for t in s.topics]
        self.topic_cum = _cum(model.topic_weights(s))
        self.comparison_topic_cum = _cum(model.comparison_weights(s))
        other = s.comparison.removeprefix("Kota ")
        self.other = other
        self.other_slots: dict[str, str | tuple[str, ...]] = {
            **vocab.OTHER_PLACES,
            "city": other,
            "kota": s.comparison,
            "pemkot": f"Pemkot {other}",
            "other": "kota sebelah",
            "official": "@pemkot" + other.replace(" ", "").lower(),
        }
        self.other_handle = "@pemkot" + other.replace(" ", "").lower()
        self.news_cum = _cum(np.asarray(s.news_mix))
        self.news_weights = [a.followers**0.5 for a in s.news]
        self.recent: dict[str, deque[Row]] = {t: deque(maxlen=40) for t in self.topics}
        self.pending: list[tuple[datetime, int, Row]] = []
        self.counter = itertools.count()
        self.onset = s.onset().astimezone(UTC) if s.onset() else None
        self.official_handles = frozenset(h.lower() for h in s.official_handles())

    def rows(self) -> Iterator[Row]:
        s, gen = self.s, self.np
        rates = model.rates(s)
        dow = model.weekdays(s)
        off_rate = s.official_per_day * np.asarray(s.official_weekly)[dow][:, None] * np.asarray(s.official_hourly)
        scheduled = deque(self.officials.scheduled)
        start = s.start_utc.astimezone(UTC)
        shape = 1.0 / s.day_cv**2
        for day in range(s.days):
            g = float(gen.gamma(shape, 1.0 / shape))
            mood = float(np.clip(gen.normal(0.0, s.mood_sd), -s.mood_clip, s.mood_clip))
            probs = model.with_mood(model.citizen_probs(s, day), mood)
            self.sent_cum = [_cum(p) for p in probs]
            self.comparison_cum = [_cum(p) for p in model.with_mood(model.base_probs(s), mood)]
            self.themes = [iv for iv in s.interventions if iv.day <= day < iv.day + iv.window_days and iv.theme]
            counts = {k: gen.poisson(v[day] * g) for k, v in rates.items()}
            official_counts = gen.poisson(off_rate[day])
            for hour in range(24):
                t0 = start + timedelta(days=day, hours=hour)
                t1 = t0 + timedelta(hours=1)
                self.render.after_crisis = self.onset is not None and t0 >= self.onset
                batch = [(self._time(t0, k), k) for k in model.STREAMS for _ in range(int(counts[k][hour]))]
                batch += [(self._time(t0, "official"), "official") for _ in range(int(official_counts[hour]))]
                batch.sort(key=lambda e: e[0])
                out = [row for when, kind in batch for row in self._make(when, kind)]
                while scheduled and scheduled[0][0] < t1:
                    when, kind, key = scheduled.popleft()
                    out.append(self.officials.event(when, kind, key))
                while self.pending and self.pending[0][0] < t1:
                    out.append(heapq.heappop(self.pending)[2])
                out.sort(key=lambda r: r.created_at)
                yield from out

    def _time(self, t0: datetime, kind: str) -> datetime:
        low = 0
        if kind.startswith("crisis") and self.onset is not None and t0 < self.onset:
            low = int((self.onset - t0).total_seconds())  # the onset hour: only after the onset
        return t0 + timedelta(seconds=self.rnd.randint(low, 3599))

    def _make(self, when: datetime, kind: str) -> list[Row]:
        if kind == "citizen":
            return self._citizen(when)
        if kind == "news":
            topic = self.topics[_draw(self.rnd, self.topic_cum)]
            sentiment = model.SENTIMENTS[_draw(self.rnd, self.news_cum)]
            return [self._news(when, "news", media.headlines(topic)[sentiment], sentiment, topic)]
        if kind == "official":
            return [self.officials.routine(when)]
        if kind == "comparison":
            return [self._comparison(when)]
        c = self.s.crisis
        assert c is not None
        if kind == "crisis_news":
            sentiment = model.SENTIMENTS[_draw(self.rnd, _cum(np.asarray(c.news_mix)))]
            return [self._news(when, kind, media.CRISIS[sentiment], sentiment, "corruption", boost=4.0)]
        which = "leader" if kind == "crisis_leader" else "institution"
        mix = c.leader_mix if which == "leader" else c.institution_mix
        sentiment = model.SENTIMENTS[_draw(self.rnd, _cum(np.asarray(mix)))]
        body = self.render.fill(self.rnd.choice(templates.crisis(which, sentiment)))
        mention = "@" + self.s.humas.handle if self.rnd.random() < 0.12 else None
        text = self.render.citizen(body, sentiment, _CRISIS_INTENT[sentiment], mention, "corruption")
        person = self.pool.pick(self.rnd, amplifier_share=0.08)
        return [self._post(when, person, text, kind, sentiment, "corruption", "", boost=3.0, repost=0.3)]

    def _citizen(self, when: datetime) -> list[Row]:
        rnd = self.rnd
        ti = _draw(rnd, self.topic_cum)
        topic = self.topics[ti]
        sentiment = model.SENTIMENTS[_draw(rnd, self.sent_cum[ti])]
        theme = next((iv for iv in self.themes if rnd.random() < _theme_share(iv.volume_lift)), None)
        if theme is not None:
            topic = _THEME_TOPICS.get(theme.theme, topic)
        options = templates.theme(theme.theme, sentiment) if theme else templates.citizen(topic, sentiment)
        intent, template = rnd.choice(options)
        body = self.render.fill(template, {"opd": official.OPD_NAMES.get(topic, "dinas terkait")})
        reply_to = conversation = ""
        roll = rnd.random()
        if roll < 0.07 and self.officials.recent:
            reply_to, conversation = rnd.choice(self.officials.recent)
        elif roll < 0.11 and self.recent[topic]:
            other = rnd.choice(self.recent[topic])
            reply_to, conversation = other.username, other.conversation_id or other.id
        mention = None
        if not reply_to and intent in _NEEDS_RESPONSE and rnd.random() < 0.45:
            account = self.officials.by_topic.get(topic) if rnd.random() < 0.3 else None
            mention = (account or self.s.humas).handle
        text = self.render.citizen(body, sentiment, intent, "@" + mention if mention else None, topic)
        if reply_to:
            text = f"@{reply_to} {text}"[:280]
            mention = reply_to if reply_to in self.official_handles else None
        person = self.pool.pick(rnd)
        row = self._post(
            when,
            person,
            text,
            "citizen",
            sentiment,
            topic,
            intent,
            reply_to=reply_to,
            conversation=conversation,
            repost=0.0 if reply_to else 0.12,
        )
        answer = mention and intent in _NEEDS_RESPONSE and not row.text.startswith("RT @")
        if answer and rnd.random() < self.s.response_rate:
            reply = self.officials.reply(row, mention)
            if reply is not None:
                heapq.heappush(self.pending, (reply.created_at, next(self.counter), reply))
        return [row]

    def _comparison(self, when: datetime) -> Row:
        """A post about the comparison city only (its services), the control series of ``citra impact``."""
        rnd = self.rnd
        ti = _draw(rnd, self.comparison_topic_cum)
        topic = self.topics[ti]
        sentiment = model.SENTIMENTS[_draw(rnd, self.comparison_cum[ti])]
        intent, template = rnd.choice(templates.citizen(topic, sentiment))
        body = self.render.fill(template, {**self.other_slots, "opd": official.OPD_NAMES.get(topic, "dinas")})
        if self.other.lower() not in body.lower():
            marker = rnd.choice(_OTHER_MARKERS).format(other=self.other)
            body = f"{marker} {body}" if marker.endswith((":", ",")) else f"{body}{marker}"
        mention = self.other_handle if intent in _NEEDS_RESPONSE and rnd.random() < 0.3 else None
        text = self.render.citizen(body, sentiment, intent, mention, topic, vocab.OTHER_PLACES["tag"])
        return self._post(when, self.pool.pick(rnd), text, "comparison", sentiment, topic, intent, repost=0.1)

    def _post(
        self,
        when: datetime,
        person: accounts.Person,
        text: str,
        stream: str,
        sentiment: str,
        topic: str,
        intent: str,
        *,
        reply_to: str = "",
        conversation: str = "",
        boost: float = 1.0,
        repost: float = 0.0,
    ) -> Row:
        rnd = self.rnd
        if repost and rnd.random() < repost:
            source = rnd.choice(self.pool.amplifiers) if rnd.random() < 0.4 else self.pool.pick(rnd)
            text = f"RT @{source.handle}: {text}"[:280]
        likes, reposts, replies, quotes = accounts.engagement(rnd, person.followers, boost)
        image = ""
        if intent == "complaint" and rnd.random() < 0.15:
            image = _image(rnd)
        row = Row(
            self.ids.next(when),
            when,
            text,
            person.handle,
            person.user_id,
            stream,
            conversation,
            reply_to,
            person.location,
            likes,
            reposts,
            replies,
            quotes,
            image,
            "in" if rnd.random() > 0.015 else "und",
            sentiment,
            topic,
            intent,
        )
        if not text.startswith("RT @") and topic in self.recent:
            self.recent[topic].append(row)
        return row

    def _news(
        self, when: datetime, stream: str, options: tuple[str, ...], sentiment: str, topic: str, boost: float = 1.0
    ) -> Row:
        rnd = self.rnd
        outlet = rnd.choices(self.s.news, self.news_weights)[0]
        headline = self.render.fill(rnd.choice(options))
        slug = "-".join(w for w in "".join(c if c.isalnum() else " " for c in headline.lower()).split()[:8])
        local = when.astimezone(self.s.tz)
        url = f"https://{outlet.domain}/{local:%Y/%m/%d}/{slug}-{rnd.randint(10000, 99999)}"
        text = rnd.choice(
            (
                f"{headline} {url}",
                f"{headline}\n\n{url}",
                f"{headline} | {outlet.name} {url}",
                f"[BERITA] {headline} {url} #HarapanJaya",
            )
        )
        likes, reposts, replies, quotes = accounts.engagement(rnd, outlet.followers // 10, boost)
        return Row(
            self.ids.next(when),
            when,
            text,
            outlet.handle,
            outlet.user_id,
            stream,
            "",
            "",
            outlet.name,
            likes,
            reposts,
            replies,
            quotes,
            "",
            "in",
            sentiment,
            topic,
            "information",
        )


def _theme_share(volume_lift: float) -> float:
    """Share of citizens' posts written about an intervention in force: the campaign's extra posts, else 25%."""
    return volume_lift / (1.0 + volume_lift) if volume_lift else 0.25
