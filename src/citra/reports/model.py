"""The report's data: frozen dataclasses of plain values, filled by ``data.gather`` and read by every renderer."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from citra.analytics.network import Influencer
from citra.analytics.verdict import Verdict, verdict


@dataclass(frozen=True, slots=True)
class Summary:
    """Headline numbers of one month of citizens' posts (official accounts excluded)."""

    volume: int
    index: float
    ci_low: float
    ci_high: float
    net_sentiment: float
    negative_share: float
    needing: int  # posts that need a response
    answered: int  # ... answered by an official account
    answered_share: float | None
    median_minutes: float | None  # median time to the first answer
    alerts: int  # crises that overlap the month
    corrected: bool = False  # sentiment figures corrected for the model's errors from the audit sample
    labels_used: int = 0  # audit labels behind the correction (or gathered so far)
    audit_min: int = 50  # audit labels the correction needs
    positive_share: float = 0.0  # with negative_share, what the index is computed from: 50 (1 + pos − neg)


@dataclass(frozen=True, slots=True)
class Headline:
    """One headline number with its value last month; ``kind`` says how to format it."""

    key: str
    label: str
    value: float | None
    previous: float | None
    kind: str  # count, index, net, share, minutes
    low: float | None = None
    high: float | None = None

    @property
    def change(self) -> float | None:
        if self.value is None or self.previous is None:
            return None
        return self.value - self.previous


@dataclass(frozen=True, slots=True)
class DayRow:
    day: date
    volume: int
    positive: int
    neutral: int
    negative: int
    negative_share: float
    net_sentiment: float
    index: float
    ci_low: float
    ci_high: float


@dataclass(frozen=True, slots=True)
class GroupRow:
    """A topic, an OPD or a target in the month, with last month's figures (None: no posts then)."""

    key: str
    name: str
    detail: str  # the topic's OPD, or the target's role
    volume: int
    positive_share: float
    negative_share: float
    index: float
    ci_low: float
    ci_high: float
    previous_volume: int | None
    previous_negative_share: float | None
    previous_index: float | None

    @property
    def negative_change(self) -> float | None:
        return None if self.previous_negative_share is None else self.negative_share - self.previous_negative_share

    @property
    def index_change(self) -> float | None:
        return None if self.previous_index is None else self.index - self.previous_index


@dataclass(frozen=True, slots=True)
class OpdReplies:
    """Posts about an OPD's topics that need a response, and how many official accounts answered."""

    opd: str
    needing: int
    answered: int
    complaints_open: int  # complaints still without an official answer


@dataclass(frozen=True, slots=True)
class Sample:
    """A citizen's post quoted in the report; ``text`` is untrusted and escaped by the renderers."""

    text: str
    platform: str
    created_at: datetime
    engagement: int
    native_id: str = ""
    labelled: bool = False  # the team labelled it negative (else the model, with ``confidence``)
    confidence: float | None = None  # the model's probability of "negative"


@dataclass(frozen=True, slots=True)
class Coordinated:
    """A group of accounts that acted in lock-step beyond chance (``citra.analytics.coordination.Group``):
    ``accounts`` the handles (untrusted), ``bursts`` the coordinated moments, ``score`` -log10 of the chance
    p-value, ``first`` the first moment (local)."""

    kind: str  # co-post, co-repost, hashtag
    accounts: tuple[str, ...]
    n_accounts: int
    posts: int
    bursts: int
    score: float
    first: datetime | None
    shared: tuple[str, ...]  # hashtags or reposted handles


@dataclass(frozen=True, slots=True)
class Community:
    """A community (Louvain) of the month's network: its share of the posts, how negative, what it says and whom
    it talks about (``targets``: key, name in words, posts)."""

    number: int
    accounts: int
    posts: int
    share: float
    negative_share: float | None
    terms: tuple[str, ...]
    targets: tuple[tuple[str, str, int], ...]
    central: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Speakers:
    """Who drove the month's conversation: the numbers of ``citra network show`` and ``citra network
    coordination`` over the month (every post, official accounts included in the network, left out of the
    coordinated groups)."""

    posts: int
    accounts: int
    links: int
    influencers: tuple[Influencer, ...]
    communities: tuple[Community, ...]
    coordinated: tuple[Coordinated, ...]
    window_seconds: int


@dataclass(frozen=True, slots=True)
class Crisis:
    """An alert that overlaps the month: what happened and how it was handled."""

    start: datetime  # local
    last_seen: datetime  # local
    severity: str
    status: str
    peak_score: float
    peak_hour: datetime | None
    peak_negative: int  # negative posts in the peak hour
    negative: int  # negative posts in the alert window
    expected_negative: float | None
    topics: tuple[str, ...]
    targets: tuple[str, ...]
    terms: tuple[str, ...]
    samples: tuple[Sample, ...]
    needing: int
    answered: int
    answered_share: float | None
    official_posts: int
    first_official_minutes: float | None  # from the start to the first official post in the window
    coordinated: tuple[Coordinated, ...] = ()  # the alert's coordinated driver (stored groups, strongest first)
    coordinated_total: int = 0  # all groups found in the window (``coordinated`` keeps the first few)


@dataclass(frozen=True, slots=True)
class Impact:
    """Estimated effect of an intervention on its recorded daily ``metric`` over ``window_days`` days; ``note``
    explains when none was estimated."""

    name: str
    kind: str
    day: date
    metric: str = "net_sentiment"
    window_days: int = 28
    effect: float | None = None
    ci_low: float | None = None
    ci_high: float | None = None
    p_value: float | None = None
    pre_days: int = 0
    post_days: int = 0
    end: date | None = None
    note: str | None = None

    @property
    def significant(self) -> bool:
        return self.p_value is not None and self.p_value < 0.05

    @property
    def verdict(self) -> Verdict | None:
        """naik / turun / belum terlihat, read from the 95 % interval (None: not measured)."""
        return verdict(self.metric, self.ci_low, self.ci_high)


@dataclass(frozen=True, slots=True)
class CategoryRow:
    name: str
    posts: int
    engagement_mean: float
    engagement_median: float
    rate: float | None


@dataclass(frozen=True, slots=True)
class SlotRow:
    weekday: int
    hour: int
    posts: int
    engagement_mean: float


@dataclass(frozen=True, slots=True)
class ReplyRow:
    """Answers to citizens' posts of one kind (complaint, question, request) in the month."""

    intent: str
    label: str
    needing: int
    answered: int
    answered_share: float | None
    median_minutes: float | None


@dataclass(frozen=True, slots=True)
class ReportData:
    """Everything the report shows about one month; plain values only."""

    organisation: str
    period: str  # YYYY-MM
    start: date
    end: date  # last day of the month
    previous_period: str
    generated: datetime
    timezone: str
    current: Summary
    previous: Summary | None
    days: tuple[DayRow, ...]
    topics: tuple[GroupRow, ...]
    opds: tuple[GroupRow, ...]
    opd_replies: tuple[OpdReplies, ...]
    targets: tuple[GroupRow, ...]
    crises: tuple[Crisis, ...]
    impacts: tuple[Impact, ...]
    categories: tuple[CategoryRow, ...]
    slots: tuple[SlotRow, ...]  # best hours for publication, best first
    replies: tuple[ReplyRow, ...]
    official_posts: int
    examples: tuple[Sample, ...]  # the month's most engaged, confidently negative citizens' posts
    speakers: Speakers | None = None  # who drove the month (None: not gathered)

    def headlines(self) -> list[Headline]:
        """The headline numbers in the order the report shows them."""
        c, p = self.current, self.previous

        def prev(name: str) -> float | None:
            return None if p is None else getattr(p, name)

        return [
            Headline("volume", "Unggahan warga", c.volume, prev("volume"), "count"),
            Headline("index", "Indeks citra (0–100)", c.index, prev("index"), "index", c.ci_low, c.ci_high),
            Headline("net_sentiment", "Sentimen bersih", c.net_sentiment, prev("net_sentiment"), "net"),
            Headline("negative_share", "Porsi unggahan negatif", c.negative_share, prev("negative_share"), "share"),
            Headline("needing", "Unggahan yang perlu jawaban", c.needing, prev("needing"), "count"),
            Headline("answered_share", "Porsi yang dijawab", c.answered_share, prev("answered_share"), "share"),
            Headline("median_minutes", "Median waktu jawab", c.median_minutes, prev("median_minutes"), "minutes"),
            Headline("alerts", "Peringatan krisis", c.alerts, prev("alerts"), "count"),
        ]
