"""Engagement of official posts (by content category and hour of week) and community involvement: how many
citizens who need an answer get one from an official account, and how fast."""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from citra.records import FirstAnswer, OfficialPost

DAYS_ID = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")


@dataclass(frozen=True, slots=True)
class CategoryStat:
    category: str
    posts: int
    engagement_mean: float
    engagement_median: float
    rate: float | None  # engagement per view (or per follower) where the source gives either


@dataclass(frozen=True, slots=True)
class HourStat:
    weekday: int  # 0 = Monday
    hour: int
    posts: int
    engagement_mean: float


@dataclass(frozen=True, slots=True)
class Responses:
    needing: int
    answered: int
    answered_share: float
    median_minutes: float | None
    p90_minutes: float | None
    open: int
    oldest_open_hours: float | None
    by_platform: dict[str, dict[str, float]] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class EngagementReport:
    categories: list[CategoryStat]
    hours: list[HourStat]
    responses: Responses

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _engagement(post: OfficialPost) -> int:
    e = post.engagement
    return sum(v or 0 for v in (e.likes, e.reposts, e.replies, e.quotes))


def _rate(posts: Sequence[OfficialPost]) -> float | None:
    """Total engagement over total views (or followers) of the posts that report the denominator."""
    for base in (lambda p: p.engagement.views, lambda p: p.followers):
        known = [(p, base(p)) for p in posts if base(p)]
        if known:
            return round(sum(_engagement(p) for p, _ in known) / sum(n for _, n in known), 5)
    return None


def official(posts: Iterable[OfficialPost], tz: ZoneInfo) -> tuple[list[CategoryStat], list[HourStat]]:
    """Engagement of official posts by content category and by local hour of week."""
    by_category: dict[str, list[OfficialPost]] = defaultdict(list)
    by_hour: dict[tuple[int, int], list[int]] = defaultdict(list)
    for post in posts:
        by_category[post.category or "lainnya"].append(post)
        local = post.created_at.astimezone(tz)
        by_hour[(local.weekday(), local.hour)].append(_engagement(post))
    categories = [
        CategoryStat(
            name,
            len(items),
            round(statistics.fmean(_engagement(p) for p in items), 2),
            float(statistics.median(_engagement(p) for p in items)),
            _rate(items),
        )
        for name, items in sorted(by_category.items(), key=lambda kv: -len(kv[1]))
    ]
    hours = [HourStat(d, h, len(v), round(statistics.fmean(v), 2)) for (d, h), v in sorted(by_hour.items())]
    return categories, hours


def responses(answers: Iterable[FirstAnswer], now: datetime) -> Responses:
    """Answered share, time to first answer (minutes), and the open queue of posts that need a response."""
    items = list(answers)
    waits = [(r.answered_at - r.created_at).total_seconds() / 60 for r in items if r.answered_at is not None]
    still_open = [r for r in items if r.answered_at is None]
    platforms: dict[str, list[FirstAnswer]] = defaultdict(list)
    for r in items:
        platforms[r.platform.value].append(r)
    by_platform = {
        name: {"needing": len(v), "answered": sum(r.answered_at is not None for r in v)}
        for name, v in sorted(platforms.items())
    }
    oldest = min((r.created_at for r in still_open), default=None)
    return Responses(
        needing=len(items),
        answered=len(waits),
        answered_share=round(len(waits) / len(items), 4) if items else 0.0,
        median_minutes=round(statistics.median(waits), 1) if waits else None,
        p90_minutes=round(statistics.quantiles(waits, n=10)[-1], 1) if len(waits) >= 2 else None,
        open=len(still_open),
        oldest_open_hours=round((now - oldest).total_seconds() / 3600, 1) if oldest else None,
        by_platform=by_platform,
    )


def report(
    official_posts: Iterable[OfficialPost], answers: Iterable[FirstAnswer], tz: ZoneInfo, now: datetime
) -> EngagementReport:
    """Publikasi and community-involvement figures from the Store's official posts and first answers."""
    categories, hours = official(official_posts, tz)
    return EngagementReport(categories, hours, responses(answers, now))
