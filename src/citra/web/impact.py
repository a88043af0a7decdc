"""The impact of an intervention, computed on demand the way ``citra impact`` and the monthly report do (cached),
and its method line in the reader's language."""

from __future__ import annotations

from gettext import NullTranslations
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
# metric -> message id of a short explanation
EXPLAINED = {
    Metric.NET_SENTIMENT: "share of positive posts minus share of negative posts; a rise is better",
    Metric.NEGATIVE_SHARE: "share of citizens' posts that are negative; a fall is better",
    Metric.VOLUME: "citizens' posts a day; a rise means more people talk about it",
    Metric.INDEX: "50 × (1 + net sentiment), from 0 to 100; a rise is better",
}
# verdict word (citra.analytics.verdict) -> message id
VERDICTS = {"naik": "up", "turun": "down", "belum terlihat": "not seen yet"}
TooShort = stats.PrePeriodTooShort


def measure(
    store: Store, ws: Workspace, memo: Memo, item: Intervention, metric: Metric | str, days: int
) -> tuple[Any, list[str]]:
    """``ImpactResult`` of ``item`` on the daily ``metric`` over ``days`` days after it and the comparison entities
    used as controls, as ``citra impact`` and the report compute it, cached."""
    chosen = vocab.parse(Metric, metric, "metric")
    key = ("impact", item.name, item.date.isoformat(), chosen.value, days)
    return memo.get(key, lambda: measure_impact(store, ws, item, chosen, days=days))


def method_line(result: Any, controls: list[str], t: NullTranslations) -> str:
    """How the number was obtained, in words (the model's own description is English and technical)."""
    line = t.gettext(
        "Method: the course without the intervention is predicted from the %(pre)d days before it (a time-series "
        "model with a weekly pattern); the effect is the mean daily difference between what happened and that "
        "prediction over the %(post)d days after it, with its 95%% interval."
    ) % {"pre": result.pre_days, "post": result.post_days}
    if controls:
        line += " " + t.gettext("Compared regions used as a control: %(names)s.") % {"names": ", ".join(controls)}
    if "corrected" in result.method:
        line += " " + t.gettext(
            "Shares corrected for the model's errors with the audit sample (included in the interval)."
        )
    return line


def figure(result: Any, title: str) -> go.Figure:
    """The impact chart of ``citra impact --chart`` (observed against the counterfactual and its band)."""
    return stats.chart(result, title)
