"""The ground truth of a scenario, computed analytically from the generating model (not from a sample).

Metrics are those of ``citra impact`` over the non-official posts of a local day (citizens' posts, replies and
reposts, and news outlets' posts; official accounts excluded), with the *intended* sentiment of each post:
``net_sentiment`` = (positive - negative) / volume, ``negative_share`` = negative / volume, ``volume`` = count and
``index`` = 50 * (1 + net_sentiment). Because every stream is Poisson with a fixed rate and draws sentiment
independently, the expected daily share equals expected count / expected volume exactly.

An intervention's ``true_effect`` is the mean over its ``window_days`` post days of the expected metric with every
event minus the expected metric with that intervention alone left out. ``Scenario.default`` places interventions
so that nothing else changes that metric in the ``PRE_DAYS`` days before or in the window (see
``citra.simulate.scenario.default_schedule``), so this is exactly what a well-specified interrupted time series
with a 28-day pre-period and the window as post-period should estimate (``citra impact NAME --metric METRIC
--days WINDOW_DAYS``; its default pre-period is all earlier days, which include the crisis). One small exception:
a campaign lifts every stream but the comparison city's posts (the control), so while it overlaps the
declaration the overall shares move by about 0.4% of the declaration's effect.

Planted coordinated campaigns (``Scenario.campaigns``) are listed as generated: their accounts, coordinated posts
and bursts. ``daily`` counts the modelled streams only; a campaign's rows come on top (the default city's fall in
the crisis, outside every intervention's pre-period and window, plus their accounts' ordinary posts, about 1.5%
of the volume, spread evenly over all days).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

import numpy as np

from citra.simulate import campaigns as campaigns_mod
from citra.simulate import model
from citra.simulate.campaigns import CampaignTruth
from citra.simulate.scenario import PRE_DAYS, Scenario


@dataclass(frozen=True)
class CrisisTruth:
    onset: datetime  # aware, UTC
    leader: str
    kind: str


@dataclass(frozen=True)
class InterventionTruth:
    name: str
    date: date  # local
    kind: str
    metric: str
    true_effect: float
    window_days: int
    effects: dict[str, float] = field(default_factory=dict)  # the expected change of every metric


@dataclass(frozen=True)
class DayTruth:
    date: date  # local
    volume_expected: float
    negative_share: float
    neutral_share: float
    positive_share: float


@dataclass(frozen=True)
class Truth:
    city: str
    seed: int
    days: int
    start: date
    crises: tuple[CrisisTruth, ...]
    interventions: tuple[InterventionTruth, ...]
    daily: tuple[DayTruth, ...]
    campaigns: tuple[CampaignTruth, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        """The JSON shape written by ``write_truth``."""
        return {
            "city": self.city,
            "seed": self.seed,
            "days": self.days,
            "start": self.start.isoformat(),
            "timezone_note": "dates are local (WIB) days; onsets are UTC",
            "crises": [{"onset": _iso(c.onset), "leader": c.leader, "kind": c.kind} for c in self.crises],
            "interventions": [
                {
                    "name": i.name,
                    "date": i.date.isoformat(),
                    "kind": i.kind,
                    "metric": i.metric,
                    "true_effect": i.true_effect,
                    "window_days": i.window_days,
                    "pre_days": PRE_DAYS,
                    "effects": i.effects,
                }
                for i in self.interventions
            ],
            "campaigns": [
                {
                    "name": c.name,
                    "kind": c.kind,
                    "stance": c.stance,
                    "hashtag": c.hashtag,
                    "accounts": list(c.accounts),
                    "anchors": list(c.anchors),
                    "bursts": [_iso(t) for t in c.bursts],
                    "posts": [{"id": i, "at": _iso(t), "account": h} for i, t, h in c.posts],
                }
                for c in self.campaigns
            ],
            "daily": [
                {
                    "date": d.date.isoformat(),
                    "volume_expected": round(d.volume_expected, 3),
                    "negative_share": round(d.negative_share, 6),
                    "neutral_share": round(d.neutral_share, 6),
                    "positive_share": round(d.positive_share, 6),
                }
                for d in self.daily
            ],
        }


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")


def expected_counts(s: Scenario, without: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Expected non-official posts per local day, shape (days,), and per sentiment, shape (days, 3)."""
    r = model.rates(s, without)
    w = model.topic_weights(s)
    citizen_mix = np.stack([w @ model.citizen_probs(s, d, without) for d in range(s.days)])
    comparison_mix = model.comparison_weights(s) @ model.base_probs(s)
    counts = r["citizen"].sum(1)[:, None] * citizen_mix + r["news"].sum(1)[:, None] * np.asarray(s.news_mix)
    counts = counts + r["comparison"].sum(1)[:, None] * comparison_mix
    if s.crisis is not None:
        c = s.crisis
        counts = counts + r["crisis_leader"].sum(1)[:, None] * np.asarray(c.leader_mix)
        counts = counts + r["crisis_institution"].sum(1)[:, None] * np.asarray(c.institution_mix)
        counts = counts + r["crisis_news"].sum(1)[:, None] * np.asarray(c.news_mix)
    return counts.sum(1), counts


def metrics(volume: np.ndarray, counts: np.ndarray) -> dict[str, np.ndarray]:
    """Every impact metric per day from expected volume and counts."""
    net = (counts[:, 2] - counts[:, 0]) / volume
    return {
        "net_sentiment": net,
        "negative_share": counts[:, 0] / volume,
        "volume": volume,
        "index": 50.0 * (1.0 + net),
    }


def compute(s: Scenario) -> Truth:
    """The truth of scenario ``s``."""
    volume, counts = expected_counts(s)
    full = metrics(volume, counts)
    interventions = []
    for i, iv in enumerate(s.interventions):
        other = metrics(*expected_counts(s, without=i))
        window = slice(iv.day, min(s.days, iv.day + iv.window_days))
        effects = {k: round(float(np.mean(full[k][window] - other[k][window])), 6) for k in full}
        interventions.append(
            InterventionTruth(
                iv.name,
                s.start + timedelta(days=iv.day),
                iv.kind,
                iv.metric,
                effects[iv.metric],
                iv.window_days,
                effects,
            )
        )
    shares = counts / volume[:, None]
    daily = tuple(
        DayTruth(s.start + timedelta(days=d), float(volume[d]), *(float(x) for x in shares[d])) for d in range(s.days)
    )
    onset, c = s.onset(), s.crisis
    crises = (CrisisTruth(onset.astimezone(UTC), c.leader, c.kind),) if onset and c else ()
    planted = campaigns_mod.truth(s)
    return Truth(s.city, s.seed, s.days, s.start, crises, tuple(interventions), daily, planted)
