"""The typed records that flow through citra. Frozen dataclasses, no I/O."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Any

PLATFORM_ALIASES = {
    "twitter": "x",
    "ig": "instagram",
    "fb": "facebook",
    "yt": "youtube",
    "rss": "news",
    "web": "news",
    "sp4n": "lapor",
    "lapor!": "lapor",
    "sp4n-lapor": "lapor",
    "sp4n lapor": "lapor",
}
"""Other names people give platforms, mapped onto ``Platform`` values."""


class Platform(StrEnum):
    """Where a post was published. Sources map their own names onto these."""

    X = "x"
    INSTAGRAM = "instagram"
    FACEBOOK = "facebook"
    YOUTUBE = "youtube"
    TIKTOK = "tiktok"
    NEWS = "news"
    LAPOR = "lapor"
    OTHER = "other"

    @classmethod
    def parse(cls, value: str) -> Platform:
        """Map a user-given platform name (``twitter``, ``IG``, ``fb`` ...) onto a Platform."""
        key = value.strip().lower()
        key = PLATFORM_ALIASES.get(key, key)
        try:
            return cls(key)
        except ValueError:
            names = ", ".join(p.value for p in cls)
            raise ValueError(f"unknown platform {value!r}; expected one of: {names}") from None


class PostKind(StrEnum):
    """What kind of message a post is."""

    POST = "post"
    REPLY = "reply"
    QUOTE = "quote"
    REPOST = "repost"
    COMMENT = "comment"
    ARTICLE = "article"


@dataclass(frozen=True, slots=True)
class Author:
    """Who wrote a post, as far as the source tells."""

    id: str | None = None
    handle: str | None = None
    name: str | None = None
    followers: int | None = None


@dataclass(frozen=True, slots=True)
class Engagement:
    """Public engagement figures at capture time; None where the source does not say."""

    likes: int | None = None
    reposts: int | None = None
    replies: int | None = None
    quotes: int | None = None
    views: int | None = None


@dataclass(frozen=True, slots=True)
class Post:
    """One message from any platform: the record every source produces and the store keeps.

    ``created_at`` is timezone-aware; the store keeps it in UTC. ``raw`` is the original record as the
    source gave it (a JSON-serialisable mapping), so no mapping loses data.
    """

    platform: Platform
    native_id: str
    text: str
    created_at: datetime
    url: str | None = None
    author: Author = field(default_factory=Author)
    lang: str | None = None
    conversation_id: str | None = None
    reply_to_id: str | None = None
    kind: PostKind = PostKind.POST
    is_official: bool = False
    engagement: Engagement = field(default_factory=Engagement)
    query: str | None = None
    batch: str | None = None
    raw: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Rejected:
    """An input row that could not become a Post, with where it came from and why."""

    file: str
    line: int
    reason: str
    raw: Any = None


@dataclass(frozen=True, slots=True)
class HumanLabel:
    """A sentiment label given by a person, for a stored post or for a bare text."""

    text: str
    label: Sentiment
    source: str
    post_id: int | None = None
    created_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class FeedState:
    """What the last fetch of a network source returned, for conditional GET (``key``: feed URL or query)."""

    url: str
    etag: str | None = None
    last_modified: str | None = None
    fetched_at: datetime | None = None
    status: int | None = None
    error: str | None = None


class Sentiment(StrEnum):
    """Sentiment classes, in the column order of every probability array."""

    NEGATIVE = "negative"
    NEUTRAL = "neutral"
    POSITIVE = "positive"


class Intent(StrEnum):
    """What a post does."""

    COMPLAINT = "complaint"
    QUESTION = "question"
    PRAISE = "praise"
    INFORMATION = "information"
    REQUEST = "request"
    OTHER = "other"


class TargetKind(StrEnum):
    """Who a post is about."""

    INSTITUTION = "institution"
    LEADER = "leader"
    ENTITY = "entity"


@dataclass(frozen=True, slots=True)
class Target:
    """One subject of a post: the institution (name = organisation or an OPD), a leader, or an entity."""

    kind: TargetKind
    name: str


@dataclass(frozen=True, slots=True)
class Annotation:
    """What the language stages say about one post, and which model versions said it.

    ``probs`` are calibrated probabilities in the order of ``Sentiment`` (negative, neutral, positive);
    ``topics`` are ranked best first; ``opds`` are the agencies the post is routed to, ranked best first without
    repeats (``opds[0]`` is the inbox's suggestion), and ``opd_scores[i]`` is the routing score in [0, 1] of
    ``opds[i]`` (``citra.nlp.routing``); ``category`` is the content category of an official post (None for
    citizens' posts); ``models`` maps each stage to ``name@version``."""

    lang: str
    lang_score: float
    sentiment: Sentiment
    probs: tuple[float, float, float]
    topics: tuple[str, ...] = ()
    opds: tuple[str, ...] = ()
    targets: tuple[Target, ...] = ()
    intent: Intent = Intent.OTHER
    needs_response: bool = False
    category: str | None = None
    models: dict[str, str] = field(default_factory=dict)
    opd_scores: tuple[float, ...] = ()  # last: callers build annotations positionally

    @property
    def sentiment_score(self) -> float:
        """Probability of the chosen label."""
        return self.probs[list(Sentiment).index(self.sentiment)]


@dataclass(frozen=True, slots=True)
class HumanLabels:
    """What the team said about one post; None where nobody labelled that task. A human label wins over the
    model's everywhere (filters, counts, the inbox)."""

    sentiment: Sentiment | None = None
    opd: str | None = None
    needs_response: bool | None = None


NO_LABELS = HumanLabels()


@dataclass(frozen=True, slots=True)
class StoredPost:
    """A post as the store gives it back: its database id, the post, its current annotation (None before
    ``citra analyze``) and the team's labels."""

    id: int
    post: Post
    annotation: Annotation | None = None
    human: HumanLabels = NO_LABELS

    @property
    def sentiment(self) -> Sentiment | None:
        """The team's sentiment where there is one, else the model's."""
        if self.human.sentiment is not None:
            return self.human.sentiment
        return self.annotation.sentiment if self.annotation else None

    @property
    def needs_response(self) -> bool | None:
        if self.human.needs_response is not None:
            return self.human.needs_response
        return self.annotation.needs_response if self.annotation else None

    @property
    def opds(self) -> tuple[str, ...]:
        """Responsible OPDs, best first: the team's choice, then the model's ranking."""
        model = tuple(o for o in (self.annotation.opds if self.annotation else ()) if o)
        if self.human.opd is None:
            return tuple(dict.fromkeys(model))
        return tuple(dict.fromkeys((self.human.opd, *model)))


class InterventionKind(StrEnum):
    """What a communication strategy did."""

    DECLARATION = "declaration"
    CAMPAIGN = "campaign"
    SOCIAL_ACTIVITY = "social-activity"
    STATEMENT = "statement"
    PUBLICATION = "publication"


@dataclass(frozen=True, slots=True)
class Intervention:
    """A strategy whose effect on the index is to be measured, starting on ``date`` (local)."""

    name: str
    date: date
    kind: InterventionKind
    description: str = ""
    metric: str = "net_sentiment"  # a Metric value: what the strategy is meant to change
    window_days: int = 28  # days from ``date`` over which its effect is measured


class Severity(StrEnum):
    """How bad a crisis is, ordered: ``Severity.HIGH > Severity.MEDIUM`` (a channel's ``min_severity`` is compared
    this way). Members equal their strings, so stored values keep working."""

    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"

    @property
    def rank(self) -> int:
        return _SEVERITY_RANK[self]

    def __lt__(self, other: object) -> bool:
        return self.rank < Severity(other).rank  # type: ignore[arg-type]

    def __le__(self, other: object) -> bool:
        return self.rank <= Severity(other).rank  # type: ignore[arg-type]

    def __gt__(self, other: object) -> bool:
        return self.rank > Severity(other).rank  # type: ignore[arg-type]

    def __ge__(self, other: object) -> bool:
        return self.rank >= Severity(other).rank  # type: ignore[arg-type]


_SEVERITY_RANK = {s: i for i, s in enumerate(Severity)}
SEVERITIES = tuple(Severity)
"""Alert severities, lowest first (kept for code that compares positions in this tuple)."""


class AlertStatus(StrEnum):
    """Whether a crisis is still going on."""

    OPEN = "open"
    CLOSED = "closed"


class Metric(StrEnum):
    """The daily measures whose change an intervention's impact is estimated on."""

    NET_SENTIMENT = "net_sentiment"
    NEGATIVE_SHARE = "negative_share"
    VOLUME = "volume"
    INDEX = "index"


WINDOW_DAYS = (7, 56)  # the shortest and longest window an intervention's effect is measured over
DEFAULT_MEASURE: dict[InterventionKind, tuple[Metric, int]] = {
    InterventionKind.DECLARATION: (Metric.NEGATIVE_SHARE, 28),  # a pledge answers criticism: fewer negative posts
    InterventionKind.CAMPAIGN: (Metric.VOLUME, 28),  # a campaign is meant to be talked about
    InterventionKind.SOCIAL_ACTIVITY: (Metric.NET_SENTIMENT, 14),  # a short event that should earn goodwill
    InterventionKind.STATEMENT: (Metric.NEGATIVE_SHARE, 14),  # a clarification should calm criticism quickly
    InterventionKind.PUBLICATION: (Metric.VOLUME, 14),
}
"""The metric and window an intervention of each kind is measured on unless the team chooses others."""


@dataclass(frozen=True, slots=True)
class Alert:
    """One crisis: opened once, then updated while it lasts (not a stream of duplicates).

    ``kind`` is ``negative_volume`` or ``negative_share``; ``start`` and ``last_seen`` are aware UTC datetimes;
    ``severity`` and ``status`` are given as enums or their strings and kept as enums. ``drivers`` says why:
    ``terms`` (list of str), ``topics`` ({topic, name, count}), ``targets`` ({target, name, count}: the name in
    words), ``opds`` ({opd, count}), ``samples`` ({text, author, url, platform, created_at, engagement}),
    ``authors`` ({author, platform, posts, engagement, followers}), ``platforms`` ({platform, count}) and
    ``volume`` ({negative, total, expected_negative}) and ``coordinated`` (accounts acting in lock-step in the
    window: ``citra.alerts.coordinated``; absent on older alerts). Sample texts and author names are untrusted post
    content.
    ``work`` is the team's handling (acknowledged, assigned, resolved), which the scan never changes.
    ``scope_id``/``scope_name`` name the watched saved search the crisis was found in (None: the whole city)."""

    id: int | None
    kind: str
    start: datetime
    last_seen: datetime
    peak_score: float
    severity: Severity
    status: AlertStatus = AlertStatus.OPEN
    drivers: dict[str, Any] = field(default_factory=dict)
    work: AlertWork | None = None
    scope_id: int | None = None
    scope_name: str | None = None

    def __post_init__(self) -> None:
        try:
            object.__setattr__(self, "severity", Severity(self.severity))
        except ValueError:
            choices = ", ".join(Severity)
            raise ValueError(f"unknown alert severity {self.severity!r}; expected one of: {choices}") from None
        try:
            object.__setattr__(self, "status", AlertStatus(self.status))
        except ValueError:
            raise ValueError(f"unknown alert status {self.status!r}; expected open or closed") from None


class Handling(StrEnum):
    """Where the team stands on an alert (the scan's ``status`` says whether the crisis itself goes on)."""

    NEW = "new"
    ACKNOWLEDGED = "acknowledged"
    RESOLVED = "resolved"


@dataclass(frozen=True, slots=True)
class AlertWork:
    """The team's handling of an alert, kept apart from what the scan recomputes: who acknowledged it and when,
    who it is assigned to, and who resolved it and when (all None until someone does)."""

    acknowledged_at: datetime | None = None
    acknowledged_by: str | None = None
    assignee: str | None = None
    resolved_at: datetime | None = None
    resolved_by: str | None = None

    @property
    def handling(self) -> Handling:
        if self.resolved_at is not None:
            return Handling.RESOLVED
        return Handling.ACKNOWLEDGED if self.acknowledged_at is not None else Handling.NEW


@dataclass(frozen=True, slots=True)
class AlertNote:
    """A note the team (or the scan, as ``citra:scan``) wrote on an alert; kept with it."""

    alert_id: int
    author: str
    text: str
    at: datetime


class Role(StrEnum):
    """What a user may do: admin everything; analyst labels, interventions, reports; opd its OPD's queue only;
    viewer reads."""

    ADMIN = "admin"
    ANALYST = "analyst"
    OPD = "opd"
    VIEWER = "viewer"


@dataclass(frozen=True, slots=True)
class User:
    id: int
    name: str
    role: Role
    opd: str | None = None
    active: bool = True


class InboxStatus(StrEnum):
    """Where a citizen's post that needs a response stands."""

    NEW = "new"
    ASSIGNED = "assigned"
    IN_PROGRESS = "in_progress"
    ANSWERED = "answered"  # an official account replied (set automatically, or by the team)
    DONE = "done"


@dataclass(frozen=True, slots=True)
class InboxItem:
    """A citizen's post that needs a response, its routing and whether an official account answered."""

    post_id: int
    post: Post
    intent: Intent
    sentiment: Sentiment
    topics: tuple[str, ...]
    suggested_opd: str | None
    status: InboxStatus
    opd: str | None
    assignee: str | None
    note: str
    updated_at: datetime | None
    answered_at: datetime | None
    answered_by: str | None = None  # the official account whose reply answered it (None: not seen, or by hand)
    draft: str = ""  # the reply the team is preparing
    returned_opd: str | None = None  # the OPD that handed it back to Humas, who and why
    returned_by: str | None = None
    returned_reason: str | None = None
    priority: int = 0  # the score the inbox sorts by (store/priority.py)
    due_at: datetime | None = None  # when the response is due (working days after the post)


@dataclass(frozen=True, slots=True)
class InboxNote:
    """A note the team keeps on an inbox item."""

    post_id: int
    author: str
    text: str
    created_at: datetime


@dataclass(frozen=True, slots=True)
class OfficialPost:
    """An official account's own post (not a reply), as the Publikasi figures read it."""

    created_at: datetime
    platform: Platform
    engagement: Engagement
    followers: int | None
    category: str | None  # content category from the annotation (None before ``citra analyze``)


@dataclass(frozen=True, slots=True)
class FirstAnswer:
    """A citizen's post that needs a response (the team's label wins over the model's) and when an official
    account of the same platform first answered it: by a reply to it, or in its thread mentioning the asker."""

    post_id: int
    created_at: datetime
    platform: Platform
    intent: Intent
    answered_at: datetime | None  # None: still open


@dataclass(frozen=True, slots=True)
class OpdAnswers:
    """Per OPD (the team's OPD label where given, else each OPD of the post's topics): citizens' posts that need a
    response, how many an official account answered, and complaints still unanswered."""

    opd: str
    needing: int
    answered: int
    complaints_open: int
