"""A small written-for-the-project conversation with planted coordinated groups, for the network tests.

Organic: 80 accounts over four days, texts from a few templates with slot words (so near-identical texts by
different accounts happen by chance, as they do in a city's complaints), replies and mentions to the city's
account, reposts of each other. Planted (the truth): a co-post group, a co-repost ring and a hashtag push."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from citra.records import Author, Platform, Post, PostKind

START = datetime(2026, 3, 2, 0, 0, tzinfo=UTC)
CITY = "humaskota"
CO_POST = tuple(f"suara_warga{i}" for i in range(6))
CO_REPOST = tuple(f"ringan_{i}" for i in range(5))
HASHTAG = tuple(f"pejuang{i}_kota" for i in range(5))
PUSHED = "KotaKitaHebat"
_TEMPLATES = (
    "jalan di {place} rusak parah sudah {n} bulan belum diperbaiki mohon segera ditangani",
    "lampu jalan di {place} mati sejak {n} hari gelap sekali kalau malam",
    "sampah menumpuk di {place} baunya sampai ke rumah warga tolong diangkut",
    "antrian di kantor {place} lama sekali pelayanan harus dibenahi",
    "terima kasih sudah memperbaiki saluran air di {place} sekarang lancar",
    "banjir lagi di {place} setinggi {n} puluh senti warga kesulitan lewat",
)
_PLACES = ("pasar baru", "jalan merdeka", "kampung melayu", "terminal kota", "alun alun", "perumahan indah")
_CAMPAIGN = (
    "program bantuan pangan dari pemkot sangat membantu keluarga kami terima kasih bapak wali kota",
    "bantuan pangan pemkot tepat sasaran dan membantu keluarga kecil seperti kami terima kasih pak wali",
    "kami bersyukur bantuan pangan dari pemerintah kota sampai ke rumah tepat waktu",
    "bantuan pangan pemkot datang tepat waktu keluarga kami sangat terbantu semoga terus berlanjut",
)
_CHEERS = ("mantap", "setuju sekali", "luar biasa", "bangga jadi warga", "maju terus", "keren pemkot")
_EMOJI = ("", " 🙏", " 👍", " ❤️")


@dataclass(frozen=True)
class Conversation:
    posts: list[Post]
    planted: dict[str, tuple[str, ...]]  # kind -> accounts


def conversation(seed: int = 1, *, planted: bool = True) -> Conversation:
    """About 1,300 organic posts, plus the planted groups when ``planted``."""
    rnd = random.Random(seed)
    organic = [f"warga_{rnd.randint(100, 999)}_{i}" for i in range(80)]
    out: list[Post] = []
    counter = iter(range(1, 10**9))

    def add(handle: str, when: datetime, text: str, kind: PostKind = PostKind.POST) -> Post:
        n = next(counter)
        post = Post(
            Platform.X,
            f"{seed}{n:07d}",
            text,
            when,
            url=f"https://x.com/{handle}/status/{seed}{n:07d}",
            author=Author(f"u{handle}", handle, None, rnd.choice((50, 300, 2000))),
            kind=kind,
        )
        out.append(post)
        return post

    for _ in range(1300):
        who = rnd.choice(organic)
        when = START + timedelta(seconds=rnd.randint(0, 4 * 86_400))
        text = rnd.choice(_TEMPLATES).format(place=rnd.choice(_PLACES), n=rnd.randint(2, 9))
        roll = rnd.random()
        if roll < 0.15:
            add(who, when, f"@{CITY} {text}", PostKind.REPLY)
        elif roll < 0.25:
            add(who, when, f"RT @{rnd.choice(organic)}: {text}", PostKind.REPOST)
        elif roll < 0.35:
            add(who, when, f"{text} @{CITY} #{rnd.choice(('KotaKita', 'InfoKota'))}")
        else:
            add(who, when, text)
    truth: dict[str, tuple[str, ...]] = {}
    if planted:
        truth = {"co-post": CO_POST, "co-repost": CO_REPOST, "hashtag": HASHTAG}
        for burst in range(4):
            t0 = START + timedelta(hours=10 + burst * 19)
            message = _CAMPAIGN[burst % len(_CAMPAIGN)].split()
            for who in CO_POST:
                words = list(message)
                if rnd.random() < 0.5:  # near-identical, not identical: a word left out
                    del words[rnd.randrange(len(words))]
                add(who, t0 + timedelta(seconds=rnd.randint(0, 40)), " ".join(words) + rnd.choice(_EMOJI))
            text = rnd.choice(_TEMPLATES).format(place="pasar baru", n=burst + 3)
            source = add(rnd.choice(organic), t0 + timedelta(hours=3), text)
            for who in CO_REPOST:
                when = t0 + timedelta(hours=3, seconds=rnd.randint(5, 30))
                add(who, when, f"RT @{source.author.handle}: {source.text}", PostKind.REPOST)
            for who in HASHTAG:
                cheer = rnd.choice(_CHEERS)
                add(who, t0 + timedelta(hours=6, seconds=rnd.randint(0, 45)), f"{cheer} #{PUSHED}")
    out.sort(key=lambda p: p.created_at)
    return Conversation(out, truth)
