"""The impact of an intervention, computed on demand the way ``citra impact`` does (and cached)."""

from __future__ import annotations

from typing import Any

import plotly.graph_objects as go

from citra.analytics import impact as stats
from citra.config import Workspace
from citra.errors import CitraError
from citra.measure import impact as measure_impact
from citra.records import Intervention
from citra.store import Store
from citra.web.cache import Memo

# metric -> message id of its label
METRICS = {
    "net_sentiment": "net sentiment",
    "negative_share": "negative share",
    "volume": "volume",
    "index": "citra index",
}
TooShort = stats.PrePeriodTooShort


def measure(store: Store, ws: Workspace, memo: Memo, item: Intervention, metric: str, days: int) -> Any:
    """``ImpactResult`` of ``item`` on the daily ``metric`` over ``days`` days after it, as ``citra impact``
    computes it (comparison entities as controls), cached."""
    if metric not in METRICS:
        raise CitraError(f"unknown metric {metric!r}; choose one of {', '.join(METRICS)}")
    key = ("impact", item.name, item.date.isoformat(), metric, days)
    return memo.get(key, lambda: measure_impact(store, ws, item, metric, days=days)[0])


def figure(result: Any, title: str) -> go.Figure:
    """The impact chart of ``citra impact --chart`` (observed against the counterfactual and its band)."""
    return stats.chart(result, title)
