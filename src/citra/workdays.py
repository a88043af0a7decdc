"""Response deadlines in working days (Monday to Friday, public holidays left out), in the workspace's time zone.

An OPD has ``days`` working days from a post to respond: a post of Saturday counts from Monday 00:00; the due time
is the same time of day ``days`` working days on. The inbox compares posts' times with ``cutoff`` (the latest post
time whose deadline has passed at ``now``), so its SQL needs only one bound per deadline length, no calendar."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from citra.config import Workspace


@dataclass(frozen=True)
class Calendar:
    """Working days in a time zone."""

    tz: tzinfo
    holidays: frozenset[date] = frozenset()

    def working(self, day: date) -> bool:
        return day.weekday() < 5 and day not in self.holidays

    def due(self, start: datetime, days: int) -> datetime:
        """When a response to a post made at ``start`` is due, ``days`` working days later (UTC)."""
        local = start.astimezone(self.tz)
        day = local.date()
        if not self.working(day):
            while not self.working(day):
                day += timedelta(days=1)
            local = datetime.combine(day, time(0), self.tz)
        left = days
        while left > 0:
            day += timedelta(days=1)
            if self.working(day):
                left -= 1
        return datetime.combine(day, local.timetz().replace(tzinfo=None), self.tz).astimezone(UTC)

    def cutoff(self, now: datetime, days: int) -> datetime:
        """The latest post time whose deadline of ``days`` working days has passed at ``now`` (to the second)."""
        low = now - timedelta(days=days * 3 + 14 + len(self.holidays))
        high = now
        while (high - low) > timedelta(seconds=1):  # ``due`` is monotone in its start
            middle = low + (high - low) / 2
            if self.due(middle, days) <= now:
                low = middle
            else:
                high = middle
        return low

    def left(self, now: datetime, due: datetime) -> int:
        """Whole working days from ``now`` until ``due`` (0: due within the day; negative: overdue by so many)."""
        a, b = now.astimezone(self.tz).date(), due.astimezone(self.tz).date()
        sign, (a, b) = (1, (a, b)) if a <= b else (-1, (b, a))
        count = sum(1 for i in range(1, (b - a).days + 1) if self.working(a + timedelta(days=i)))
        return sign * count


@dataclass(frozen=True)
class Deadlines:
    """The inbox's deadline rules: a default length, per-OPD lengths, when to warn, and what counts as wide reach."""

    calendar: Calendar
    default_days: int = 3
    per_opd: Mapping[str, int] = field(default_factory=dict)
    warn_days: int = 1
    reach_followers: int = 10000

    @classmethod
    def of(
        cls,
        tz: tzinfo,
        default_days: int = 3,
        per_opd: Mapping[str, int] | None = None,
        holidays: Iterable[date] = (),
        warn_days: int = 1,
        reach_followers: int = 10000,
    ) -> Deadlines:
        return cls(Calendar(tz, frozenset(holidays)), default_days, dict(per_opd or {}), warn_days, reach_followers)

    def days(self, opd: str | None) -> int:
        return self.per_opd.get(opd or "", self.default_days)

    def due(self, created_at: datetime, opd: str | None) -> datetime:
        return self.calendar.due(created_at, self.days(opd))


def for_workspace(ws: Workspace) -> Deadlines:
    """The deadline rules of ``[inbox]`` in citra.toml."""
    s = ws.settings.inbox
    return Deadlines.of(ws.tz, s.deadline_days, s.deadlines, s.holidays, s.warn_days, s.reach_followers)
