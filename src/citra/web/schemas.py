"""Typed request and response bodies of the JSON API (they make the OpenAPI document precise)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from citra.records import InboxStatus, InterventionKind, Role, Sentiment


class ErrorOut(BaseModel):
    detail: str
    position: int | None = Field(None, description="Text query errors: 0-based character offset in q.")
    reason: str | None = Field(None, description="Text query errors: a stable code, e.g. unclosed_quote.")


class Me(BaseModel):
    name: str
    role: Role
    opd: str | None


class IndexRowOut(BaseModel):
    period: datetime = Field(description="Start of the local period (workspace zone).")
    group: str | None = Field(description="The group (platform, topic, OPD or kind:target) when grouped.")
    volume: int
    positive: int
    neutral: int
    negative: int
    positive_share: float
    neutral_share: float
    negative_share: float
    net_sentiment: float
    index: float = Field(description="Citra index, 0-100.")
    ci_low: float
    ci_high: float
    reach_index: float
    reach_ci_low: float
    reach_ci_high: float
    positive_share_ci_low: float
    positive_share_ci_high: float
    neutral_share_ci_low: float
    neutral_share_ci_high: float
    negative_share_ci_low: float
    negative_share_ci_high: float
    corrected: bool = Field(description="Shares and indexes corrected for the sentiment model's errors.")
    labels_used: int = Field(description="Audit labels (random sample, team sentiment) behind the correction.")


class IndexOut(BaseModel):
    freq: str
    by: str | None
    since: date
    until: date = Field(description="Last local day included.")
    rows: list[IndexRowOut]


class HumanOut(BaseModel):
    sentiment: Sentiment | None = Field(description="The team's sentiment label; null where not labelled.")
    opd: str | None = Field(description="The OPD the team routed the post to; null where not labelled.")
    needs_response: bool | None = Field(description="The team's needs-response label; null where not labelled.")


class AnnotationOut(BaseModel):
    sentiment: Sentiment = Field(description="The team's label where there is one, else the model's.")
    model_sentiment: Sentiment = Field(description="What the model said.")
    probs: list[float] = Field(description="The model's probabilities of negative, neutral, positive.")
    topics: list[str]
    opds: list[str] = Field(description="Responsible OPDs, best first (the team's choice first).")
    targets: list[str] = Field(description="kind:name, e.g. leader:Budi Santoso.")
    intent: str
    needs_response: bool = Field(description="The team's label where there is one, else the model's.")
    category: str | None
    human: HumanOut


class PostOut(BaseModel):
    id: int
    platform: str
    native_id: str
    url: str | None = Field(description="The post's http(s) link; null when it has none or another scheme.")
    created_at: datetime
    author_handle: str | None
    author_name: str | None
    text: str = Field(description="Untrusted post content: escape it before showing it as HTML.")
    kind: str
    is_official: bool
    likes: int | None
    reposts: int | None
    replies: int | None
    quotes: int | None
    views: int | None
    annotation: AnnotationOut | None = None


class PostsOut(BaseModel):
    items: list[PostOut]
    next_cursor: str | None = Field(description="Cursor of the next page; null on the last page.")
    total: int | None = Field(None, description="How many posts match (only with count=true).")
    total_exact: bool | None = Field(None, description="False when the count stopped at its cap of 1000.")


class AlertOut(BaseModel):
    model_config = ConfigDict(json_schema_extra={"description": "Drivers contain untrusted post content."})
    id: int | None
    kind: str
    start: datetime
    last_seen: datetime
    severity: str
    peak_score: float
    status: str
    drivers: dict[str, Any]
    handling: str = "new"  # the team's: new, acknowledged or resolved
    assignee: str | None = None
    scope: dict[str, Any] | None = None  # a watched saved search's {saved_search, name}; None for the whole city


class AlertsOut(BaseModel):
    alerts: list[AlertOut]


class InterventionIn(BaseModel):
    name: str = Field(min_length=1, max_length=200)
    date: date
    kind: InterventionKind
    description: str = Field("", max_length=2000)
    metric: Literal["net_sentiment", "negative_share", "volume", "index"] | None = None  # default: by kind
    window_days: int | None = Field(None, ge=7, le=56)  # default: by kind


class InterventionOut(BaseModel):
    name: str
    date: date
    kind: InterventionKind
    description: str
    metric: str = "net_sentiment"  # what its effect is measured on
    window_days: int = 28  # over how many days


class ImpactDay(BaseModel):
    date: date
    observed: float | None
    predicted: float | None
    lower: float | None
    upper: float | None


class ImpactOut(BaseModel):
    intervention: str
    metric: str
    effect: float | None
    ci_low: float | None
    ci_high: float | None
    p_value: float | None
    cumulative: float | None
    cumulative_low: float | None
    cumulative_high: float | None
    relative: float | None
    relative_low: float | None
    relative_high: float | None
    pre_days: int
    post_days: int
    start: date
    end: date
    alpha: float
    method: str
    days: list[ImpactDay]


class CategoryOut(BaseModel):
    category: str
    posts: int
    engagement_mean: float
    engagement_median: float
    rate: float | None


class HourOut(BaseModel):
    weekday: int = Field(description="0 = Monday.")
    hour: int
    posts: int
    engagement_mean: float


class ResponsesOut(BaseModel):
    needing: int
    answered: int
    answered_share: float
    median_minutes: float | None
    p90_minutes: float | None
    open: int
    oldest_open_hours: float | None
    by_platform: dict[str, dict[str, float]]


class EngagementOut(BaseModel):
    since: date
    until: date
    categories: list[CategoryOut]
    hours: list[HourOut]
    responses: ResponsesOut


class InboxItemOut(BaseModel):
    post: PostOut
    intent: str
    sentiment: Sentiment
    topics: list[str]
    suggested_opd: str | None
    status: InboxStatus
    opd: str | None
    assignee: str | None
    note: str
    updated_at: datetime | None
    answered_at: datetime | None
    waiting_hours: float = Field(description="Hours until the first official answer, or until now while open.")
    answered_by: str | None = Field(None, description="The official account whose reply marked it answered.")
    draft: str = Field("", description="The reply the team is preparing.")
    returned_opd: str | None = Field(None, description="The OPD that handed it back to Humas, if any.")
    returned_reason: str | None = None
    priority: int = Field(0, description="Priority score: 8 overdue, 4 urgent, 2 wide reach, 1 negative (summed).")
    due_at: datetime | None = Field(None, description="When a response is due ([inbox] deadlines, working days).")


class InboxOut(BaseModel):
    items: list[InboxItemOut]
    offset: int
    next_offset: int | None
    counts: dict[str, int] | None = Field(
        description="Items per status, each counted up to 1001; null while they are first counted."
    )


class AssignIn(BaseModel):
    opd: str | None = Field(None, max_length=128)
    assignee: str | None = Field(None, max_length=80)
    status: InboxStatus | None = None
    note: str | None = Field(None, max_length=2000)


class LabelIn(BaseModel):
    platform: str = Field(max_length=16)
    native_id: str = Field(min_length=1, max_length=128)
    label: Sentiment


class LabelOut(BaseModel):
    post_id: int
    label: Sentiment
    model: Sentiment | None = Field(description="The model's label of the post before the correction.")
