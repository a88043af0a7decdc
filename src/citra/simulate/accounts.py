"""Who posts: a pool of citizens' accounts (a few heavy posters, a few high-follower amplifiers), post ids and
heavy-tailed engagement."""

from __future__ import annotations

import bisect
import itertools
import math
import random
from dataclasses import dataclass
from datetime import datetime

from citra.simulate import vocab

_TWITTER_EPOCH_MS = 1288834974657  # snowflake ids count milliseconds from here


@dataclass(frozen=True, slots=True)
class Person:
    """A citizens' (or community info) account."""

    handle: str
    user_id: str
    followers: int
    location: str
    amplifier: bool = False


def run_random(seed: int) -> random.Random:
    """The main run's generator; the citizens' pool is the first thing it draws."""
    return random.Random(seed * 1_000_003 + 11)


class Pool:
    """Citizens' accounts with Zipf-like activity: ``pick`` returns an author for a new post."""

    def __init__(self, size: int, rnd: random.Random) -> None:
        seen: set[str] = set(vocab.AMPLIFIERS)
        people: list[Person] = []
        for rank in range(size):
            handle = _handle(rnd, seen)
            followers = int(math.exp(rnd.gauss(5.0, 1.4)))
            if rank < 3:  # a few loud locals with real audiences
                followers = rnd.randint(3_000, 15_000)
            user_id = str(rnd.randint(10**8, 2 * 10**18))
            people.append(Person(handle, user_id, followers, rnd.choice(vocab.CITIZEN_LOCATIONS)))
        rnd.shuffle(people)
        self.people = people
        weights = [1.0 / (rank + 3) ** 1.05 for rank in range(size)]  # rank 0 posts ~60x as often as the median
        self._cum = list(itertools.accumulate(weights))
        self.amplifiers = [
            Person(h, str(rnd.randint(10**9, 10**18)), rnd.randint(20_000, 320_000), "Harapan Jaya", True)
            for h in vocab.AMPLIFIERS
        ]

    def pick(self, rnd: random.Random, amplifier_share: float = 0.02) -> Person:
        if rnd.random() < amplifier_share:
            return rnd.choice(self.amplifiers)
        i = bisect.bisect_left(self._cum, rnd.random() * self._cum[-1])
        return self.people[min(i, len(self.people) - 1)]


def _handle(rnd: random.Random, seen: set[str]) -> str:
    while True:
        first = rnd.choice(vocab.FIRST_NAMES)
        style = rnd.random()
        if style < 0.35:
            handle = f"{first}{rnd.choice(vocab.HANDLE_TAILS)}{rnd.randint(1, 9999)}"
        elif style < 0.6:
            handle = f"{first}_{rnd.choice(vocab.FIRST_NAMES)}{rnd.choice(('', str(rnd.randint(1, 99))))}"
        elif style < 0.8:
            prefix = rnd.choice(("its", "the", "im", "si", "mas", "mbak", "kang", "bang"))
            handle = f"{prefix}{first}{rnd.randint(0, 999)}"
        else:
            handle = f"{first}{rnd.choice(vocab.HANDLE_TAILS)}{rnd.choice(vocab.FIRST_NAMES)[:3]}"
        handle = handle[:15]
        if handle not in seen:
            seen.add(handle)
            return handle


class Ids:
    """Snowflake-like 19-digit ids, increasing with time and unique within a run."""

    def __init__(self) -> None:
        self._seq = 0

    def next(self, when: datetime) -> str:
        self._seq += 1
        ms = int(when.timestamp() * 1000) - _TWITTER_EPOCH_MS
        return str((ms << 22) | (self._seq & 0x3FFFFF))


def engagement(rnd: random.Random, followers: int, boost: float = 1.0) -> tuple[int, int, int, int]:
    """(likes, reposts, replies, quotes): log-normal around a follower-driven scale, so a few posts go viral."""
    scale = 0.15 + followers**0.55 / 40.0
    likes = int(scale * boost * math.exp(rnd.gauss(-0.3, 1.35)))
    if rnd.random() < 0.004 * boost:  # the occasional viral post
        likes = likes * rnd.randint(20, 200) + rnd.randint(100, 2000)
    reposts = int(likes * rnd.uniform(0.02, 0.35))
    replies = int(likes * rnd.uniform(0.03, 0.25) + (rnd.random() < 0.3))
    quotes = int(reposts * rnd.uniform(0.0, 0.2))
    return likes, reposts, replies, quotes
