"""The citra index: public image on a 0-100 scale with a 95% interval, per period and group.

Method (``docs/citra-index.md`` states it for citation): the shares of positive and negative posts are
estimated from the calibrated sentiment probabilities of citizens' posts (official accounts excluded). With
soft counts ``P = Σ p_pos``, ``N = Σ p_neg``, ``U = n - P - N`` and a Jeffreys prior, the shares follow
``Dirichlet(P + ½, U + ½, N + ½)``; the net sentiment ``d = θ_pos - θ_neg`` has the posterior mean and variance
of that distribution, and the index is ``50 (1 + d)`` with the interval ``mean ± 1.96 sd`` clipped to 0-100.
The reach-weighted variant weights each post by ``w = 1 + min(likes + reposts + replies + quotes, 1000)`` and
uses the effective sample size ``(Σw)² / Σw²`` in place of ``n``."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

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

    def as_dict(self) -> dict[str, Any]:
        row = asdict(self)
        row["period"] = self.period.isoformat()
        return row


def dirichlet_index(pos: float, neg: float, n: float) -> tuple[float, float, float]:
    """Index and 95% interval from soft counts of positive and negative among ``n`` posts."""
    a_pos, a_neg = pos + PRIOR, neg + PRIOR
    total = max(n, pos + neg) + 3 * PRIOR
    mean = (a_pos - a_neg) / total
    var = (a_pos * (total - a_pos) + a_neg * (total - a_neg) + 2 * a_pos * a_neg) / (total**2 * (total + 1))
    sd = math.sqrt(max(var, 0.0))

    def scale(d: float) -> float:
        return round(min(100.0, max(0.0, 50.0 * (1.0 + d))), 2)

    return scale(mean), scale(mean - Z95 * sd), scale(mean + Z95 * sd)


def compute(buckets: Iterable[Bucket]) -> list[IndexRow]:
    """Index rows for the given buckets, in their order."""
    rows = []
    for b in buckets:
        n = b.n
        index, low, high = dirichlet_index(b.s_pos, b.s_neg, n)
        n_eff = (b.w * b.w / b.w2) if b.w2 > 0 else 0.0
        scale = n_eff / b.w if b.w > 0 else 0.0
        r_index, r_low, r_high = dirichlet_index(b.w_pos * scale, b.w_neg * scale, n_eff)
        rows.append(
            IndexRow(
                b.period,
                b.group,
                n,
                b.n_pos,
                b.n_neu,
                b.n_neg,
                _share(b.n_pos, n),
                _share(b.n_neu, n),
                _share(b.n_neg, n),
                round((b.n_pos - b.n_neg) / n, 4) if n else 0.0,
                index,
                low,
                high,
                r_index,
                r_low,
                r_high,
            )
        )
    return rows


def _share(k: int, n: int) -> float:
    return round(k / n, 4) if n else 0.0
