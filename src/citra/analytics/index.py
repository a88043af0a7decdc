"""The citra index: public image on a 0-100 scale with a 95% interval, per period and group.

Method (``docs/citra-index.md`` states it for citation). One definition everywhere: the index of a slice of
citizens' posts (official accounts excluded) is ``50 (1 + net sentiment)``, the net sentiment being the share of
positive posts minus the share of negative posts, each post counted by its label (the team's where there is one,
else the model's). Its 95 % interval is ``index ± 1.96 · 50 · sd(d)``, ``sd(d)`` the posterior standard deviation of
``d = θ_pos − θ_neg`` under ``Dirichlet(n_pos + ½, n_neu + ½, n_neg + ½)`` (Jeffreys prior), clipped to 0-100.
``slice_index`` is that function: the dashboard, the report and ``citra index`` all call it through ``compute``.
The reach-weighted variant weights each post by ``w = 1 + min(likes + reposts + replies + quotes, 1000)`` and
uses the effective sample size ``(Σw)² / Σw²`` in place of ``n``.

Posts the team labelled count as their label (one-hot probabilities). With a random audit sample of at least
``[index] audit_min`` team labels, the shares, the net sentiment and both indexes are instead corrected for
misclassification (``citra.analytics.correction``): the index is ``50 (1 + θ_pos − θ_neg)`` of the corrected
shares and its interval the bootstrap-and-Dirichlet percentile interval. Without enough audit labels, shares get
the Jeffreys ``Beta`` interval of their label counts and rows say ``corrected = False``."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

import numpy as np
from scipy import stats

from citra.analytics.correction import Correction
from citra.store.series import Bucket

Z95 = 1.959963984540054
PRIOR = 0.5


@dataclass(frozen=True, slots=True)
class IndexRow:
    """One period (and group) of the citra index."""

    period: datetime
    group: str | None
    volume: int
    positive: int
    neutral: int
    negative: int
    positive_share: float
    neutral_share: float
    negative_share: float
    net_sentiment: float
    index: float
    ci_low: float
    ci_high: float
    reach_index: float
    reach_ci_low: float
    reach_ci_high: float
    positive_share_ci_low: float = 0.0
    positive_share_ci_high: float = 0.0
    neutral_share_ci_low: float = 0.0
    neutral_share_ci_high: float = 0.0
    negative_share_ci_low: float = 0.0
    negative_share_ci_high: float = 0.0
    corrected: bool = False  # shares and indexes corrected for misclassification from the audit sample
    labels_used: int = 0  # audit labels (random sample, team sentiment) behind the correction

    def as_dict(self) -> dict[str, Any]:
        row = asdict(self)
        row["period"] = self.period.isoformat()
        return row


def dirichlet_index(pos: float, neg: float, n: float) -> tuple[float, float, float]:
    """Index and 95% interval of ``pos`` positive and ``neg`` negative among ``n`` posts: the index is exactly
    ``50 (1 + (pos − neg) / n)`` (50 with no posts), the interval ± 1.96 posterior sd of ``θ_pos − θ_neg`` under
    the Jeffreys Dirichlet."""
    n = max(n, pos + neg)
    a_pos, a_neg = pos + PRIOR, neg + PRIOR
    total = n + 3 * PRIOR
    point = (pos - neg) / n if n > 0 else 0.0
    var = (a_pos * (total - a_pos) + a_neg * (total - a_neg) + 2 * a_pos * a_neg) / (total**2 * (total + 1))
    sd = math.sqrt(max(var, 0.0))
    return _scale(point), _scale(point - Z95 * sd), _scale(point + Z95 * sd)


def slice_index(n_pos: int, n_neu: int, n_neg: int) -> tuple[float, float, float]:
    """The citra index (index, ci_low, ci_high) of one slice from its label counts: the one definition that every
    table, chart, report page and ``docs/citra-index.md`` use (uncorrected; ``compute`` corrects it with the
    audit when the audit allows)."""
    return dirichlet_index(n_pos, n_neg, n_pos + n_neu + n_neg)


def compute(buckets: Iterable[Bucket], correction: Correction | None = None) -> list[IndexRow]:
    """Index rows for the given buckets, in their order; corrected when ``correction`` has enough labels."""
    buckets = list(buckets)
    if not buckets:
        return []
    used = correction.labels_used if correction is not None else 0
    if correction is not None and correction.corrected:
        return _corrected(buckets, correction)
    counts = np.array([[b.n_pos, b.n_neu, b.n_neg] for b in buckets], dtype=float)
    a = counts + PRIOR
    total = a.sum(axis=1, keepdims=True)
    low = stats.beta.ppf(0.025, a, total - a)
    high = stats.beta.ppf(0.975, a, total - a)
    rows = []
    for i, b in enumerate(buckets):
        n = b.n
        index, ci_low, ci_high = slice_index(b.n_pos, b.n_neu, b.n_neg)
        n_eff, scale = _effective(b)
        w_pos, w_neg = b.wm_pos + b.wh_pos, b.wm_neg + b.wh_neg  # reach-weighted label counts
        r_index, r_low, r_high = dirichlet_index(w_pos * scale, w_neg * scale, n_eff)
        rows.append(
            IndexRow(
                b.period, b.group, n, b.n_pos, b.n_neu, b.n_neg,
                _share(b.n_pos, n), _share(b.n_neu, n), _share(b.n_neg, n),
                round((b.n_pos - b.n_neg) / n, 4) if n else 0.0,
                index, ci_low, ci_high, r_index, r_low, r_high,
                *_bounds(low[i], high[i]),
                corrected=False, labels_used=used,
            )
        )  # fmt: skip
    return rows


def _effective(b: Bucket) -> tuple[float, float]:
    """Kish effective sample size and the factor that rescales weighted sums to it."""
    n_eff = (b.w * b.w / b.w2) if b.w2 > 0 else 0.0
    return n_eff, (n_eff / b.w if b.w > 0 else 0.0)


def _bounds(low: np.ndarray, high: np.ndarray) -> tuple[float, ...]:
    return tuple(round(float(v), 4) for pair in zip(low, high, strict=True) for v in pair)


def _scale(d: float) -> float:
    return round(min(100.0, max(0.0, 50.0 * (1.0 + float(d)))), 2)


def _corrected(buckets: list[Bucket], correction: Correction) -> list[IndexRow]:
    model = np.array([[b.n_pos - b.h_pos, b.n_neu - b.h_neu, b.n_neg - b.h_neg] for b in buckets], dtype=float)
    human = np.array([[b.h_pos, b.h_neu, b.h_neg] for b in buckets], dtype=float)
    plain = correction.shares(model, human)
    scale = np.array([_effective(b)[1] for b in buckets])[:, None]
    w_model = np.array([[b.wm_pos, b.wm_neu, b.wm_neg] for b in buckets]) * scale
    w_human = np.array([[b.wh_pos, b.wh_neu, b.wh_neg] for b in buckets]) * scale
    reach = correction.shares(w_model, w_human)
    rows = []
    for i, b in enumerate(buckets):
        p = plain.point[i]
        rows.append(
            IndexRow(
                b.period, b.group, b.n, b.n_pos, b.n_neu, b.n_neg,
                *(round(float(x), 4) for x in p),
                round(float(plain.net[i]), 4),
                _scale(plain.net[i]), _scale(plain.net_low[i]), _scale(plain.net_high[i]),
                _scale(reach.net[i]), _scale(reach.net_low[i]), _scale(reach.net_high[i]),
                *_bounds(plain.low[i], plain.high[i]),
                corrected=True, labels_used=correction.labels_used,
            )
        )  # fmt: skip
    return rows


def _share(k: int, n: int) -> float:
    return round(k / n, 4) if n else 0.0
