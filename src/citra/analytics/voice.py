"""Share of voice and spillover: pure arithmetic over per-period counts, with 95 % intervals.

* **Share of voice** of a group in a period is its volume over the summed volume of the compared groups (the
  government and each comparison entity; a post about two of them counts for both). Its interval is the 2.5 and
  97.5 % quantiles of the group's marginal under the Jeffreys ``Dirichlet(k_i + ½)`` posterior of the shares, i.e.
  ``Beta(k_i + ½, N − k_i + (K − 1)/2)`` for ``K`` groups and ``N`` summed volume (the prior of
  ``citra.analytics.index``).
* **Spillover share** is the share of the institution's negative posts that also name the leader: ``k / n`` with the
  Jeffreys ``Beta(k + ½, n − k + ½)`` interval.
* **Change after an intervention**: after-share minus before-share, with the MOVER interval built from the two
  Jeffreys intervals (Newcombe 1998, method 10, with Jeffreys in place of Wilson intervals)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass, fields
from datetime import date, datetime
from typing import Any

from scipy import stats

from citra.analytics.index import IndexRow
from citra.store.series import Bucket

PRIOR = 0.5


@dataclass(frozen=True, slots=True)
class Proportion:
    """``k`` of ``n`` with its point share and 95 % interval (share 0, interval 0-1 when ``n`` is 0)."""

    k: int
    n: int
    share: float
    low: float
    high: float


def jeffreys(k: int, n: int, others: float = PRIOR) -> Proportion:
    """``k / n`` with the 95 % interval of ``Beta(k + ½, n − k + others)``; ``others`` is the prior mass of the
    rest (½ for a plain proportion, (K − 1)/2 for one of K Dirichlet shares)."""
    if n <= 0:
        return Proportion(k, n, 0.0, 0.0, 1.0)
    a, b = k + PRIOR, n - k + others
    if b <= 0:  # the only group compared: its share is 1 for certain
        return Proportion(k, n, 1.0, 1.0, 1.0)
    low = float(stats.beta.ppf(0.025, a, b)) if k > 0 else 0.0
    high = float(stats.beta.ppf(0.975, a, b)) if k < n else 1.0
    return Proportion(k, n, round(k / n, 4), round(low, 4), round(high, 4))


@dataclass(frozen=True, slots=True)
class VoiceRow:
    """One period and group: volume, share of voice with its interval, sentiment shares and the citra index
    (``None`` where the group has no posts in the period)."""

    period: datetime
    group: str
    volume: int
    share: float
    share_low: float
    share_high: float
    positive_share: float | None
    neutral_share: float | None
    negative_share: float | None
    index: float | None
    ci_low: float | None
    ci_high: float | None
    corrected: bool = False

    def as_dict(self) -> dict[str, Any]:
        row = asdict(self)
        row["period"] = self.period.isoformat()
        return row


def share_of_voice(rows: Sequence[IndexRow], groups: Sequence[str]) -> list[VoiceRow]:
    """Share-of-voice rows of ``groups`` (target keys such as ``institution:Pemerintah Kota Bekasi``) from index
    rows grouped by target: for each period with a post about any of them, one row per group in ``groups`` order."""
    wanted = list(dict.fromkeys(groups))
    by_period: dict[datetime, dict[str, IndexRow]] = {}
    for r in rows:
        if r.group in wanted:
            by_period.setdefault(r.period, {})[r.group] = r  # type: ignore[index]
    out = []
    others = (len(wanted) - 1) * PRIOR
    for period in sorted(by_period):
        found = by_period[period]
        total = sum(r.volume for r in found.values())
        for g in wanted:
            r = found.get(g)
            p = jeffreys(r.volume if r else 0, total, others)
            if r is None:
                out.append(VoiceRow(period, g, 0, p.share, p.low, p.high, None, None, None, None, None, None))
                continue
            out.append(
                VoiceRow(
                    period, g, r.volume, p.share, p.low, p.high,
                    r.positive_share, r.neutral_share, r.negative_share,
                    r.index, r.ci_low, r.ci_high, r.corrected,
                )
            )  # fmt: skip
    return out


def summed(buckets: Sequence[Bucket], period: datetime) -> list[Bucket]:
    """One bucket per group over all periods, dated ``period`` (counts and weight sums add up), so that the whole
    range needs no second GROUP BY."""
    sums: dict[str | None, dict[str, Any]] = {}
    for b in buckets:
        into = sums.setdefault(b.group, {})
        for f in fields(Bucket):
            if f.name not in ("period", "group"):
                into[f.name] = into.get(f.name, 0) + getattr(b, f.name)
    return [Bucket(period=period, group=g, **values) for g, values in sums.items()]


@dataclass(frozen=True, slots=True)
class SpillRow:
    """One period: the institution's negative posts, those naming the leader, and their share with its interval."""

    period: datetime
    institution: int
    negative: int
    with_leader: int
    share: float
    low: float
    high: float
    leader_negative: int

    def as_dict(self) -> dict[str, Any]:
        row = asdict(self)
        row["period"] = self.period.isoformat()
        return row


def spill_row(period: datetime, institution: int, negative: int, with_leader: int, leader_negative: int) -> SpillRow:
    """A period's spillover share from its counts."""
    p = jeffreys(with_leader, negative)
    return SpillRow(period, institution, negative, with_leader, p.share, p.low, p.high, leader_negative)


@dataclass(frozen=True, slots=True)
class Change:
    """The spillover share before and after an intervention (``days`` local days each side of ``date``) and the
    difference after − before with its 95 % interval (``None`` when a side has no negative posts)."""

    name: str
    date: date
    days: int
    before: Proportion
    after: Proportion
    difference: float | None
    low: float | None
    high: float | None

    def as_dict(self) -> dict[str, Any]:
        row = asdict(self)
        row["date"] = self.date.isoformat()
        return row


def difference(before: Proportion, after: Proportion) -> tuple[float | None, float | None, float | None]:
    """``after − before`` and its MOVER interval from the two Jeffreys intervals."""
    if before.n <= 0 or after.n <= 0:
        return None, None, None
    p1, p2 = before.k / before.n, after.k / after.n
    d = p2 - p1
    low = d - math.sqrt((p2 - after.low) ** 2 + (before.high - p1) ** 2)
    high = d + math.sqrt((after.high - p2) ** 2 + (p1 - before.low) ** 2)
    return round(d, 4), round(max(-1.0, low), 4), round(min(1.0, high), 4)


def change(name: str, day: date, days: int, before: tuple[int, int], after: tuple[int, int]) -> Change:
    """The change of the spillover share from ``before`` to ``after``, each ``(with_leader, negative)``."""
    b, a = jeffreys(*before), jeffreys(*after)
    return Change(name, day, days, b, a, *difference(b, a))
