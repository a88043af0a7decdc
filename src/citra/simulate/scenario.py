"""What a simulated city looks like: accounts, leaders, volumes, sentiment, the crisis and the interventions.

Everything is plain frozen data; ``Scenario.default(days, seed)`` builds the standard fictional city
(Kota Harapan Jaya) with a crisis and interventions placed so that each intervention has a clean 28-day
pre-period and a post window that no other change to its metric overlaps (see ``default_schedule``).
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

PRE_DAYS = 28
"""Days before an intervention that the impact estimator uses to learn the counterfactual."""

METRICS = ("net_sentiment", "negative_share", "volume", "index")


@dataclass(frozen=True)
class Account:
    """An account of the city or of a news outlet; ``topics`` are the citizens' topics it answers for."""

    handle: str
    name: str
    user_id: str
    followers: int
    topics: tuple[str, ...] = ()
    domain: str = ""  # news outlets: the site their links point to


@dataclass(frozen=True)
class Leader:
    """A tracked leader; ``handle`` is their personal (official) account, if any."""

    name: str
    role: str
    aliases: tuple[str, ...]
    handle: str = ""


@dataclass(frozen=True)
class TopicMix:
    """A citizens' topic: its share of posts and its baseline (negative, neutral, positive) probabilities."""

    topic: str
    weight: float
    negative: float
    neutral: float
    positive: float

    @property
    def probs(self) -> tuple[float, float, float]:
        return (self.negative, self.neutral, self.positive)


@dataclass(frozen=True)
class Crisis:
    """A leader arrested (OTT KPK): a burst about the leader, a delayed spill-over to the institution, news.

    Rates are modulated by the citizens' hourly profile and are exactly zero ``duration_days`` after onset.
    ``scar`` moves that fraction of citizens' neutral mass to negative from the day after onset on (a lasting,
    constant level shift)."""

    day: int  # day index from the start (local dates)
    hour: int  # local hour of onset
    minute: int
    leader: str
    kind: str = "arrest"
    leader_posts: float = 700.0  # expected posts about the leader (exponential decay)
    leader_tau_hours: float = 10.0
    institution_posts: float = 330.0  # expected spill-over posts about the institution (gamma(2) kernel)
    institution_theta_hours: float = 16.0
    news_posts: float = 45.0
    news_tau_hours: float = 20.0
    duration_days: int = 14
    leader_mix: tuple[float, float, float] = (0.72, 0.22, 0.06)
    institution_mix: tuple[float, float, float] = (0.62, 0.30, 0.08)
    news_mix: tuple[float, float, float] = (0.42, 0.58, 0.0)
    scar: float = 0.04


@dataclass(frozen=True)
class Intervention:
    """A communication strategy with a known effect on citizens' posts for ``window_days`` from ``day``.

    ``to_positive`` / ``to_neutral`` move that fraction of each citizens' topic's negative mass; ``volume_lift``
    multiplies every non-official stream (so shares do not change)."""

    name: str
    kind: str
    day: int
    window_days: int
    metric: str
    to_positive: float = 0.0
    to_neutral: float = 0.0
    volume_lift: float = 0.0
    hashtag: str = ""
    theme: str = ""  # key of its templates in citra.simulate.templates


CAMPAIGN_KINDS = ("co-post", "co-repost", "hashtag")


@dataclass(frozen=True)
class Campaign:
    """A coordinated push planted with its truth: ``accounts`` new accounts act in ``bursts`` from local
    ``day``/``hour``:``minute`` on, about ``gap_hours`` apart, each burst within ``spread_seconds``.

    ``co-post``: the same message, slightly altered per account; ``co-repost``: the ring reposts what one of its
    ``anchors`` just posted; ``hashtag``: different texts around the same new ``hashtag``. Each account joins a
    burst with probability ``participation`` and also posts ``organic_per_day`` ordinary posts a day, so it looks
    like anyone else between bursts. ``stance`` keys its texts in ``citra.simulate.templates.campaigns``."""

    name: str
    kind: str
    stance: str
    day: int
    hour: int
    minute: int = 0
    accounts: int = 20
    bursts: int = 6
    gap_hours: float = 8.0
    spread_seconds: int = 120
    participation: float = 0.8
    hashtag: str = ""
    anchors: int = 2  # co-repost only: the accounts whose posts the ring reposts
    organic_per_day: float = 0.15


@dataclass(frozen=True)
class Scenario:
    """Everything the generator needs; change a field with ``dataclasses.replace``."""

    seed: int
    days: int
    start: date  # first local day
    timezone: str
    city: str  # short name, e.g. "Harapan Jaya"
    organisation: str
    humas: Account
    officials: tuple[Account, ...]  # other official accounts (pemkot, OPDs), humas excluded
    leaders: tuple[Leader, ...]  # mayor first, then the vice-mayor (the Plt after an arrest), then the Sekda
    comparison: str
    comparison_aliases: tuple[str, ...]
    news: tuple[Account, ...]
    citizens: int  # size of the citizens' account pool
    citizen_per_day: float
    comparison_per_day: float  # posts about the comparison city only (a clean control: no crisis, no intervention)
    news_per_day: float
    official_per_day: float  # humas + pemkot + OPD + leaders' own posts on a weekday
    hourly: tuple[float, ...]  # citizens' share of a day's posts per local hour (sums to 1)
    news_hourly: tuple[float, ...]
    official_hourly: tuple[float, ...]
    weekly: tuple[float, ...]  # citizens' multiplier per weekday (Monday first, mean 1)
    news_weekly: tuple[float, ...]
    official_weekly: tuple[float, ...]
    topics: tuple[TopicMix, ...]
    news_mix: tuple[float, float, float]
    crisis: Crisis | None
    interventions: tuple[Intervention, ...] = ()
    response_rate: float = 0.5  # share of citizens' posts needing a response that get an official reply
    mood_sd: float = 0.10  # daily mean-zero shift of citizens' negative <-> neutral mass
    mood_clip: float = 0.25
    day_cv: float = 0.12  # day-to-day volume overdispersion (gamma, mean 1)
    campaigns: tuple[Campaign, ...] = ()  # planted coordinated pushes (their rows come on top of all others)

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def start_utc(self) -> datetime:
        """The first local midnight, as an aware datetime."""
        return datetime.combine(self.start, time(0), tzinfo=self.tz)

    def onset(self) -> datetime | None:
        """The crisis onset as an aware local datetime."""
        c = self.crisis
        if c is None:
            return None
        return datetime.combine(self.start + timedelta(days=c.day), time(c.hour, c.minute), tzinfo=self.tz)

    @property
    def mayor(self) -> Leader:
        return self.leaders[0]

    def official_handles(self) -> tuple[str, ...]:
        return (self.humas.handle, *(a.handle for a in self.officials), *(x.handle for x in self.leaders if x.handle))

    @classmethod
    def default(cls, days: int = 120, seed: int = 0, start: date | None = None) -> Scenario:
        """Kota Harapan Jaya over ``days`` days (from ``start``, default 2024-07-01), placed by ``seed``."""
        from citra.simulate import city

        if days < 1:
            raise ValueError("days must be at least 1")
        rnd = random.Random(seed * 7919 + 17)
        crisis_day, interventions = default_schedule(days, rnd)
        crisis = Crisis(day=crisis_day, hour=rnd.randint(5, 21), minute=rnd.randint(0, 59), leader=city.MAYOR.name)
        s = city.scenario(seed, days, start or date(2024, 7, 1), crisis, interventions)
        return replace(s, campaigns=crisis_campaigns(crisis))

    def workspace_toml(self) -> str:
        """A citra.toml body for a workspace that watches this city."""
        q = lambda s: json.dumps(s, ensure_ascii=False)  # noqa: E731 - a JSON string is a valid TOML string
        handles = ", ".join(q(h) for h in self.official_handles())
        keywords = [self.city.lower(), f"pemkot {self.city.lower()}", self.humas.handle, *self.comparison_aliases[:1]]
        lines = [
            "# Simulated city written by `citra simulate` (fictional).",
            f"organisation = {q(self.organisation)}",
            f"timezone = {q(self.timezone)}",
            'database_url = ""',
            f"keywords = [{', '.join(q(k) for k in keywords)}]",
            "",
            "[accounts]",
            f"x = [{handles}]",
            "instagram = []",
            "facebook = []",
            "youtube = []",
        ]
        for leader in self.leaders:
            aliases = ", ".join(q(a) for a in leader.aliases)
            lines += ["", "[[leaders]]", f"name = {q(leader.name)}", f"role = {q(leader.role)}"]
            lines.append(f"aliases = [{aliases}]")
        aliases = ", ".join(q(a) for a in self.comparison_aliases)
        lines += ["", "[[entities]]", f"name = {q(self.comparison)}", f"aliases = [{aliases}]", ""]
        return "\n".join(lines)


def default_schedule(days: int, rnd: random.Random) -> tuple[int, tuple[Intervention, ...]]:
    """The crisis day and the interventions that fit in ``days``.

    Assumption the truth relies on: each intervention's pre-period (``PRE_DAYS`` days before it) and post window
    contain no other change to its metric. The crisis is zero after ``duration_days`` (14), its lasting scar is a
    constant level by then; the social activity ends before the crisis; the declaration starts ``PRE_DAYS`` days
    after the crisis ends; the campaign (volume only: shares unchanged) may overlap the declaration (shares only:
    volume unchanged). With 120 days: social activity on day 28 (14 days), crisis on day 44-48, declaration 42
    days after the crisis, campaign 0-2 days later (28 days each). Windows are whole weeks, so weekday patterns
    average out."""
    duration = Crisis(0, 0, 0, "").duration_days
    if days >= 116:
        crisis_day = rnd.randint(44, max(44, min(days - 72, days // 2)))
    else:
        crisis_day = max(0, days // 2 - (rnd.randint(0, 2) if days >= 10 else 0))
    out: list[Intervention] = []
    if crisis_day - 2 >= PRE_DAYS + 7:
        window = min(14, _weeks(crisis_day - 2 - PRE_DAYS))
        out.append(
            Intervention(
                "Bakti Sosial dan Pengobatan Gratis Serentak",
                "social-activity",
                PRE_DAYS,
                window,
                "net_sentiment",
                to_positive=0.14,
                hashtag="#BaktiSosialHJ",
                theme="social",
            )
        )
    declaration = crisis_day + duration + PRE_DAYS
    if declaration + 14 <= days:
        out.append(
            Intervention(
                "Deklarasi Pakta Integritas dan Zona Integritas",
                "declaration",
                declaration,
                min(28, _weeks(days - declaration)),
                "negative_share",
                to_neutral=0.16,
                hashtag="#HarapanJayaBersihKorupsi",
                theme="declaration",
            )
        )
        campaign = declaration + rnd.randint(0, 2)
        if campaign + 14 <= days:
            out.append(
                Intervention(
                    "Kampanye #HarapanJayaBersih",
                    "campaign",
                    campaign,
                    min(28, _weeks(days - campaign)),
                    "volume",
                    volume_lift=0.25,
                    hashtag="#HarapanJayaBersih",
                    theme="campaign",
                )
            )
    return crisis_day, tuple(out)


def crisis_campaigns(crisis: Crisis, *, hashtag: bool = False) -> tuple[Campaign, ...]:
    """The default city's planted pushes after the arrest: 24 accounts post the same defence of the mayor
    (from 4 hours after the onset, 7 bursts about 7 hours apart); from the next day a ring of 12 reposts within
    seconds the attacks on the acting mayor that its 2 anchors post (10 bursts); with ``hashtag``, also 18
    accounts praise the services under #HJTetapMelayani, each burst within 3 minutes (from 2 days after onset)."""

    def at(hours: float) -> tuple[int, int, int]:
        minutes = (crisis.day * 24 + crisis.hour) * 60 + crisis.minute + round(hours * 60)
        return minutes // 1440, minutes % 1440 // 60, minutes % 60

    out = [
        Campaign(
            "Bela wali kota",
            "co-post",
            "defend_mayor",
            *at(4),
            accounts=24,
            bursts=7,
            gap_hours=7.0,
            hashtag="#KamiBersamaHendra",
        ),
        Campaign(
            "Serang Plt",
            "co-repost",
            "attack_plt",
            *at(28),
            accounts=14,
            bursts=10,
            gap_hours=6.0,
            spread_seconds=45,
            participation=0.85,
        ),
    ]
    if hashtag:
        out.append(
            Campaign(
                "Pemkot tetap melayani",
                "hashtag",
                "praise_services",
                *at(50),
                accounts=18,
                bursts=8,
                gap_hours=5.0,
                spread_seconds=180,
                hashtag="#HJTetapMelayani",
            )
        )
    return tuple(out)


def _weeks(days: int) -> int:
    """``days`` rounded down to whole weeks."""
    return days // 7 * 7
