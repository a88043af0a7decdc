"""Turning templates into posts: ``[a|b]`` picks one alternative, ``{slot}`` takes a value of the city, and
citizens' posts get openers, mentions, closers, emoji, hashtags, slang and the odd line break."""

from __future__ import annotations

import random
import re
from collections.abc import Mapping

from citra.simulate import vocab
from citra.simulate.scenario import Scenario

_ALT = re.compile(r"\[([^\[\]]*)\]")
_SLOT = re.compile(r"\{(\w+)\}")
_SLANG = re.compile(r"\b(" + "|".join(sorted(map(re.escape, vocab.SLANG), key=len, reverse=True)) + r")\b", re.I)
MAX_CHARS = 280

DURATIONS = ("3 hari", "seminggu", "2 minggu", "sebulan", "berbulan-bulan", "5 hari", "dua minggu", "setahun")
WHEN = ("tadi pagi", "semalam", "barusan", "kemarin sore", "dari subuh", "jam 7 pagi", "siang ini", "tadi malam")
AMOUNTS = ("Rp 1,2 miliar", "Rp 850 juta", "Rp 2,4 miliar", "ratusan juta rupiah", "Rp 600 juta", "miliaran rupiah")
PROJECTS = (
    "proyek pelebaran jalan",
    "pengadaan lampu PJU",
    "proyek normalisasi drainase",
    "revitalisasi pasar",
    "pembangunan gedung sekolah",
    "proyek jembatan Kali Jaya",
    "pengadaan alat kesehatan",
)
HOURS = ("07.00", "08.00", "09.00", "10.00", "13.00", "14.00", "15.30", "19.00")


class Renderer:
    """Fills templates for one scenario; ``after_crisis`` switches who leads the city."""

    def __init__(self, s: Scenario, rnd: random.Random) -> None:
        self.rnd = rnd
        self.after_crisis = False
        mayor, vice, sekda = s.leaders[0], s.leaders[1], s.leaders[2]
        city = s.city
        self._pools: dict[str, tuple[str, ...]] = {
            "street": vocab.STREETS,
            "kel": vocab.KELURAHAN,
            "kec": vocab.KECAMATAN,
            "perum": vocab.HOUSING,
            "place": vocab.LANDMARKS,
            "pasar": vocab.MARKETS,
            "school": vocab.SCHOOLS,
            "river": vocab.RIVERS,
            "tps": vocab.TPS,
            "city": (city,),
            "kota": (f"Kota {city}",),
            "pemkot": (f"Pemkot {city}", "pemkot", "Pemkot", f"pemkot {city.lower()}", "pemerintah kota"),
            "official": ("@" + s.humas.handle,),
            "mayor": mayor.aliases[:5],
            "mayor_name": (mayor.name,),
            "mayor_short": (mayor.name.split()[0],),
            "vice": vice.aliases[:4],
            "vice_name": (vice.name,),
            "sekda": (*sekda.aliases[:2], f"Sekda {sekda.name}"),
            "sekda_name": (sekda.name,),
            "other": (s.comparison.removeprefix("Kota "),),
            "dur": DURATIONS,
            "when": WHEN,
            "amount": AMOUNTS,
            "project": PROJECTS,
            "hour": HOURS,
            "tag": vocab.HASHTAGS,
            "outlet": tuple(a.name for a in s.news),
            "opd": ("dinas terkait",),
        }
        self._head_before = (f"Wali Kota {mayor.name}", f"Wali Kota {city} {mayor.name}")
        self._head_after = (f"Plt Wali Kota {vice.name}", f"Plt Wali Kota {city} {vice.name}")
        self._head_alias_before = mayor.aliases[:4]
        self._head_alias_after = ("bu plt", "plt walkot", f"bu {vice.name.split()[0].lower()}", "plt wali kota")

    def _slot(self, name: str, extra: Mapping[str, str | tuple[str, ...]]) -> str:
        rnd = self.rnd
        if name in extra:
            value = extra[name]
            return value if isinstance(value, str) else rnd.choice(value)
        if name == "head":
            return rnd.choice(self._head_after if self.after_crisis else self._head_before)
        if name == "head_alias":
            return rnd.choice(self._head_alias_after if self.after_crisis else self._head_alias_before)
        if name == "n":
            return str(rnd.randint(2, 9))
        if name == "big":
            return str(rnd.randint(12, 90))
        if name == "rt":
            return f"RT {rnd.randint(1, 12):02d} RW {rnd.randint(1, 9):02d}"
        pool = self._pools.get(name)
        if pool is None:
            raise KeyError(f"unknown template slot {{{name}}}")
        return rnd.choice(pool)

    def fill(self, template: str, extra: Mapping[str, str | tuple[str, ...]] | None = None) -> str:
        """A template with its alternatives chosen and its slots filled."""
        extra = extra or {}
        text = _ALT.sub(lambda m: self.rnd.choice(m.group(1).split("|")), template)
        return _SLOT.sub(lambda m: self._slot(m.group(1), extra), text)

    def slang(self, text: str, rate: float = 0.7) -> str:
        """Replace formal words by informal variants (each occurrence with probability ``rate``)."""
        rnd = self.rnd

        def swap(m: re.Match[str]) -> str:
            if rnd.random() >= rate:
                return m.group(0)
            return rnd.choice(vocab.SLANG[m.group(0).lower()])

        return _SLANG.sub(swap, text)

    def citizen(
        self, body: str, sentiment: str, intent: str, mention: str | None, topic: str, tags: tuple[str, ...] = ()
    ) -> str:
        """Decorate a filled citizen template: openers, a mention, closers, emoji, hashtags, slang, line breaks."""
        rnd = self.rnd
        text = body
        if rnd.random() < 0.22:
            pool = (
                vocab.OPENERS_ASK
                if intent in ("question", "request")
                else (
                    vocab.OPENERS_NEG
                    if sentiment == "negative"
                    else vocab.OPENERS_POS
                    if sentiment == "positive"
                    else ()
                )
            )
            if pool:
                opener = rnd.choice(pool)
                if opener.endswith(","):
                    text = f"{opener} {text[:1].lower()}{text[1:]}"
                else:
                    text = f"{opener}{rnd.choice((' ', ', ', '... ', '!! '))}{text}"
        if rnd.random() < (0.5 if sentiment == "positive" else 0.35):
            closers = {"negative": vocab.CLOSERS_NEG, "positive": vocab.CLOSERS_POS}.get(sentiment, vocab.CLOSERS_NEU)
            text = text.rstrip() + rnd.choice((" ", " ", "\n", "\n\n")) + rnd.choice(closers)
        if rnd.random() < 0.12:
            end = rnd.choice(("", ".", "!", "?" * (intent == "question")))
            text = text.rstrip(".!? ") + rnd.choice(vocab.SLANG_TAGS) + end
        if sentiment == "negative" and rnd.random() < 0.15:
            text = text.rstrip(".") + rnd.choice(("!!", "!!!", "...", " 🙃"))
        if rnd.random() < 0.45:
            emoji = vocab.EMOJI[sentiment]
            text = text.rstrip() + " " + "".join(rnd.choice(emoji) for _ in range(rnd.choice((1, 1, 1, 2, 3))))
        if rnd.random() < 0.14:
            tags = tags or vocab.TOPIC_HASHTAGS.get(topic, ()) + vocab.HASHTAGS
            text += rnd.choice((" ", "\n")) + " ".join(rnd.sample(tags, rnd.choice((1, 1, 2))))
        if mention:
            text = f"{mention} {text}" if rnd.random() < 0.6 else f"{text.rstrip()} {mention}"
        if rnd.random() < 0.6:
            text = self.slang(text)
        roll = rnd.random()
        if roll < 0.15:
            text = text.lower()
        elif roll < 0.17 and sentiment == "negative":
            text = text.upper()
        if len(text) > MAX_CHARS:
            text = f"{mention} {body}" if mention else body
        return text[:MAX_CHARS]
