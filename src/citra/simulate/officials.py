"""The city's own accounts: routine posts by content category, statements on the crisis and the interventions,
and replies to citizens' posts that need a response (after a realistic delay, in waking hours)."""

from __future__ import annotations

import math
import random
from collections import deque
from datetime import UTC, datetime, timedelta

from citra.simulate import accounts
from citra.simulate.render import Renderer
from citra.simulate.rows import Row
from citra.simulate.scenario import Account, Scenario
from citra.simulate.templates import official

CATEGORIES = ("service_info", "leader_activity", "appeal", "achievement", "anti_corruption", "social_activity")
_WEIGHTS_BEFORE = (0.32, 0.25, 0.15, 0.1, 0.05, 0.13)
_WEIGHTS_AFTER = (0.32, 0.15, 0.13, 0.05, 0.25, 0.10)


class Officials:
    """Official posts and replies for one run; ``scheduled`` lists (UTC time, kind, key) events to post."""

    def __init__(self, s: Scenario, rnd: random.Random, render: Renderer, ids: accounts.Ids) -> None:
        self.s, self.rnd, self.render, self.ids = s, rnd, render, ids
        self.recent: deque[tuple[str, str]] = deque(maxlen=15)  # (handle, id) of recent official posts
        self.by_topic = {t: a for a in s.officials for t in a.topics}
        self.onset = s.onset().astimezone(UTC) if s.onset() else None
        self.end = s.start_utc.astimezone(UTC) + timedelta(days=s.days)
        self.scheduled = sorted(self._schedule())

    def _at(self, day: int, hour: float) -> datetime:
        return self.s.start_utc.astimezone(UTC) + timedelta(days=day, hours=hour, seconds=self.rnd.randint(0, 3599))

    def _schedule(self) -> list[tuple[datetime, str, str]]:
        rnd, out = self.rnd, []
        if self.onset is not None:
            delays = (rnd.uniform(2, 5), rnd.uniform(8, 20), rnd.uniform(22, 30), rnd.uniform(30, 40))
            for i, hours in enumerate(delays):
                out.append((self.onset + timedelta(hours=hours), "crisis", str(i)))
        for iv in self.s.interventions:
            for k in range(3):
                out.append((self._at(iv.day, 8 + k * 1.5), "theme", iv.theme))
            for day in range(iv.day + 1, iv.day + iv.window_days):
                if rnd.random() < 0.6:
                    out.append((self._at(day, rnd.randint(8, 16)), "theme", iv.theme))
        return [e for e in out if e[0] < self.end]

    def _leader_account(self, t: datetime) -> Account | None:
        after = self.onset is not None and t >= self.onset
        leader = self.s.leaders[1] if after else self.s.leaders[0]
        if not leader.handle:
            return None
        return Account(leader.handle, leader.name, str(hash_id(leader.handle)), 25_000)

    def _row(self, t: datetime, account: Account, text: str, boost: float = 1.0, **extra: str) -> Row:
        likes, reposts, replies, quotes = accounts.engagement(self.rnd, account.followers, boost)
        stream = "official_reply" if extra.get("reply_to") else "official"
        row = Row(
            self.ids.next(t),
            t,
            text,
            account.handle,
            account.user_id,
            stream,
            location=f"Kota {self.s.city}",
            likes=likes,
            reposts=reposts,
            replies=replies,
            quotes=quotes,
            **extra,
        )
        if not row.reply_to:
            self.recent.append((account.handle, row.id))
        return row

    def routine(self, t: datetime) -> Row:
        """One routine post by the humas, the pemkot, an OPD or a leader."""
        rnd, s = self.rnd, self.s
        roll = rnd.random()
        after = self.onset is not None and t >= self.onset
        if roll < 0.3:
            account = rnd.choice(s.officials[1:])
            opd = account.name.removesuffix(f" Kota {s.city}")
            return self._row(t, account, self.render.fill(rnd.choice(official.OPD_INFO), {"opd": opd}))
        leader = self._leader_account(t) if roll < 0.38 else None
        account = leader or (s.humas if roll < 0.85 else s.officials[0])
        weights = _WEIGHTS_AFTER if after else _WEIGHTS_BEFORE
        category = "leader_activity" if leader else rnd.choices(CATEGORIES, weights)[0]
        text = self.render.fill(rnd.choice(official.POSTS[category]))
        if rnd.random() < 0.25:
            text += rnd.choice((" 🙏", " #PemkotHarapanJaya", "\n\n#HarapanJaya", " 👍", " 📷"))
        return self._row(t, account, text, image_url=_image(rnd) if rnd.random() < 0.5 else "")

    def event(self, t: datetime, kind: str, key: str) -> Row:
        """A scheduled crisis statement (``key`` = its index) or intervention post (``key`` = its theme)."""
        if kind == "crisis":
            text = self.render.fill(official.CRISIS[int(key)])
            return self._row(t, self.s.humas, text, boost=3.0)
        text = self.render.fill(self.rnd.choice(official.THEMES[key]))
        return self._row(t, self.s.humas, text, boost=1.5, image_url=_image(self.rnd))

    def reply(self, post: Row, handle: str) -> Row | None:
        """An official reply to ``post`` (which mentioned ``handle``), or None when it would come after the end."""
        rnd = self.rnd
        t = post.created_at + timedelta(hours=math.exp(rnd.gauss(math.log(2.5), 0.9)))
        local = t.astimezone(self.s.tz)
        if not 7 <= local.hour < 22:  # nobody answers at night: next morning
            morning = (local + timedelta(days=1 if local.hour >= 22 else 0)).replace(hour=7, minute=0, second=0)
            t = (morning + timedelta(minutes=rnd.randint(0, 150))).astimezone(UTC)
        if t >= self.end:
            return None
        account = self.s.humas if handle == self.s.humas.handle else self.by_topic.get(post.topic, self.s.humas)
        opd = official.OPD_NAMES.get(post.topic, "OPD terkait")
        body = self.render.fill(
            rnd.choice(official.REPLIES.get(post.intent, official.REPLIES["complaint"])), {"opd": opd}
        )
        return self._row(
            t,
            account,
            f"@{post.username} {body}",
            0.3,
            reply_to=post.username,
            conversation_id=post.conversation_id or post.id,
        )


def _image(rnd: random.Random) -> str:
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-"
    return "https://pbs.twimg.com/media/" + "".join(rnd.choice(alphabet) for _ in range(15)) + ".jpg"


def hash_id(text: str) -> int:
    """A stable numeric id for a handle (Python's hash() is salted per process)."""
    value = 1469598103934665603
    for ch in text.encode():
        value = ((value ^ ch) * 1099511628211) % (1 << 61)
    return 10**9 + value % (9 * 10**9)
