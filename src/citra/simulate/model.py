"""The generating model: expected posts per local hour of each non-official stream, and the citizens' daily
sentiment probabilities. Pure functions of a Scenario; the generator samples from them and the truth is
computed from them analytically.

Every stream is a Poisson process whose hourly rate is fixed by the scenario (times a day-level gamma factor
with mean 1 common to all non-official streams), and every post draws its sentiment independently from its
stream's probabilities for that day. So, given the day's count N, the sentiment counts are multinomial with the
rate-weighted mix, and the expected daily *shares* are exactly the ratio of expected counts computed here.
"""

from __future__ import annotations

import math

import numpy as np

from citra.simulate.scenario import Crisis, Intervention, Scenario

STREAMS = ("citizen", "comparison", "news", "crisis_leader", "crisis_institution", "crisis_news")
COMPARISON_TOPICS = frozenset(
    {
        "roads",
        "floods",
        "waste",
        "traffic",
        "health",
        "education",
        "population_documents",
        "social_aid",
        "public_order",
        "public_service",
        "economy",
        "environment",
    }
)
SENTIMENTS = ("negative", "neutral", "positive")


def weekdays(s: Scenario) -> np.ndarray:
    """Weekday (Monday 0) of every simulated local day."""
    first = s.start.weekday()
    return (first + np.arange(s.days)) % 7


def active(s: Scenario, without: int | None = None) -> list[tuple[int, Intervention]]:
    """(index, intervention) pairs in force, leaving out ``without``."""
    return [(i, iv) for i, iv in enumerate(s.interventions) if i != without]


def lift(s: Scenario, without: int | None = None) -> np.ndarray:
    """Multiplier of every non-official stream per day (campaigns' volume lifts)."""
    out = np.ones(s.days)
    for _, iv in active(s, without):
        if iv.volume_lift:
            out[iv.day : iv.day + iv.window_days] *= 1.0 + iv.volume_lift
    return out


def _exp_integral(a: np.ndarray, b: np.ndarray, tau: float) -> np.ndarray:
    return np.exp(-a / tau) - np.exp(-b / tau)


def _gamma2_integral(a: np.ndarray, b: np.ndarray, theta: float) -> np.ndarray:
    def cdf(x: np.ndarray) -> np.ndarray:
        return 1.0 - np.exp(-x / theta) * (1.0 + x / theta)

    return cdf(b) - cdf(a)


def crisis_hours(s: Scenario, c: Crisis) -> tuple[np.ndarray, np.ndarray]:
    """Each local hour's interval [a, b) in hours since onset, clamped to the crisis' support."""
    start = np.arange(s.days * 24, dtype=float).reshape(s.days, 24) - (c.day * 24 + c.hour + c.minute / 60.0)
    end_support = c.duration_days * 24.0
    a = np.clip(start, 0.0, end_support)
    b = np.clip(start + 1.0, 0.0, end_support)
    return a, b


def rates(s: Scenario, without: int | None = None) -> dict[str, np.ndarray]:
    """Expected posts per (local day, local hour) of each stream in ``STREAMS``, shape (days, 24)."""
    dow = weekdays(s)
    day_lift = lift(s, without)[:, None]
    hourly = np.asarray(s.hourly)[None, :]
    out = {
        "citizen": s.citizen_per_day * np.asarray(s.weekly)[dow][:, None] * hourly * day_lift,
        "comparison": s.comparison_per_day * np.asarray(s.weekly)[dow][:, None] * hourly,  # never lifted
        "news": s.news_per_day
        * np.asarray(s.news_weekly)[dow][:, None]
        * np.asarray(s.news_hourly)[None, :]
        * day_lift,
    }
    zero = np.zeros((s.days, 24))
    c = s.crisis
    if c is None:
        out.update(crisis_leader=zero, crisis_institution=zero, crisis_news=zero)
        return out
    a, b = crisis_hours(s, c)
    diurnal = 24.0 * hourly * day_lift  # mean 1 over a day: people post about the arrest when they are awake
    out["crisis_leader"] = c.leader_posts * _exp_integral(a, b, c.leader_tau_hours) * diurnal
    out["crisis_institution"] = c.institution_posts * _gamma2_integral(a, b, c.institution_theta_hours) * diurnal
    out["crisis_news"] = c.news_posts * _exp_integral(a, b, c.news_tau_hours) * diurnal
    return out


def topic_weights(s: Scenario) -> np.ndarray:
    return np.asarray([t.weight for t in s.topics])


def comparison_weights(s: Scenario) -> np.ndarray:
    """Topic weights of posts about the comparison city (its public services only)."""
    w = np.asarray([t.weight if t.topic in COMPARISON_TOPICS else 0.0 for t in s.topics])
    return w / w.sum()


def base_probs(s: Scenario) -> np.ndarray:
    """(topics, 3) baseline sentiment probabilities (the comparison city keeps these every day)."""
    return np.asarray([t.probs for t in s.topics], dtype=float)


def citizen_probs(s: Scenario, day: int, without: int | None = None) -> np.ndarray:
    """(topics, 3) sentiment probabilities of citizens' posts on ``day`` before the day's random mood.

    In order: the crisis scar (neutral -> negative from the day after onset), then every intervention in force
    (negative -> positive, negative -> neutral)."""
    p = base_probs(s)
    c = s.crisis
    if c is not None and c.scar and day > c.day:
        moved = c.scar * p[:, 1]
        p[:, 0] += moved
        p[:, 1] -= moved
    for _, iv in active(s, without):
        if iv.day <= day < iv.day + iv.window_days:
            to_pos = iv.to_positive * p[:, 0]
            to_neu = iv.to_neutral * p[:, 0]
            p[:, 0] -= to_pos + to_neu
            p[:, 2] += to_pos
            p[:, 1] += to_neu
    return p


def with_mood(p: np.ndarray, mood: float) -> np.ndarray:
    """Probabilities after a day's mood: negative mass scaled by (1 + mood), the difference taken from neutral.
    Linear in ``mood`` (mean zero), so the expected shares are those without it."""
    q = p.copy()
    shift = mood * q[:, 0]
    q[:, 0] += shift
    q[:, 1] -= shift
    return q


def check(s: Scenario) -> None:
    """Raise ValueError when the scenario's probabilities could leave [0, 1] under the mood."""
    for day in range(s.days):
        p = citizen_probs(s, day)
        if (p < 0).any() or (p[:, 1] < s.mood_clip * p[:, 0] - 1e-12).any():
            raise ValueError(f"day {day}: neutral mass too small for mood_clip {s.mood_clip}")
    for iv in s.interventions:
        if iv.to_positive + iv.to_neutral > 1 or iv.volume_lift <= -1:
            raise ValueError(f"intervention {iv.name!r}: shifts out of range")
        if iv.metric not in ("net_sentiment", "negative_share", "volume", "index"):
            raise ValueError(f"intervention {iv.name!r}: unknown metric {iv.metric!r}")
    if not math.isclose(sum(t.weight for t in s.topics), 1.0, abs_tol=1e-9):
        raise ValueError("topic weights must sum to 1")
