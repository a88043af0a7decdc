"""The impact of an intervention, computed on demand the way ``citra impact`` does (and cached)."""

from __future__ import annotations

from typing import Any

import plotly.graph_objects as go

from citra import vocab
from citra.analytics import impact as stats
from citra.config import Workspace
from citra.measure import impact as measure_impact
from citra.records import Intervention, Metric
from citra.store import Store
from citra.web.cache import Memo

# metric -> message id of its label
METRICS = {
    Metric.NET_SENTIMENT: "net sentiment",
    Metric.NEGATIVE_SHARE: "negative share",
    Metric.VOLUME: "volume",
    Metric.INDEX: "citra index",
}
TooShort = stats.PrePeriodTooShort


def measure(store: Store, ws: Workspace, memo: Memo, item: Intervention, metric: Metric | str, days: int) -> Any:
    """``ImpactResult`` of ``item`` on the daily ``metric`` over ``days`` days after it, as ``citra impact``
    computes it (comparison entities as controls), cached."""
    chosen = vocab.parse(Metric, metric, "metric")
    key = ("impact", item.name, item.date.isoformat(), chosen.value, days)
    return memo.get(key, lambda: measure_impact(store, ws, item, chosen, days=days)[0])


def figure(result: Any, title: str) -> go.Figure:
    """The impact chart of ``citra impact --chart`` (observed against the counterfactual and its band)."""
    return stats.chart(result, title)
