"""The impact of an intervention, computed on demand the way ``citra impact`` does (and cached)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import plotly.graph_objects as go

from citra.analytics import impact as stats
from citra.config import Workspace
from citra.errors import CitraError
from citra.measure import controls_for, data_range, metric_series
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
MIN_PRE_DAYS = 28


class TooShort(CitraError):
    """Too few days with data before the intervention."""

    http_status = 409

    def __init__(self, have: int, need: int) -> None:
        super().__init__(f"the pre-period has {have} days with data; at least {need} are needed")
        self.have, self.need = have, need


def measure(store: Store, ws: Workspace, memo: Memo, item: Intervention, metric: str, days: int) -> Any:
    """``ImpactResult`` of ``item`` on the daily ``metric`` over ``days`` days after it (controls included)."""
    if metric not in METRICS:
        raise CitraError(f"unknown metric {metric!r}; choose one of {', '.join(METRICS)}")

    def run() -> Any:
        first, last = memo.get(("data_range",), lambda: data_range(store, ws))
        end = min(last, item.date + timedelta(days=days - 1))
        if end < item.date:
            raise CitraError(f"there is no data after {item.date.isoformat()} yet")
        series = metric_series(store, ws, metric, first, end)
        have = int(series[series.index < str(item.date)].notna().sum())
        if have < MIN_PRE_DAYS:
            raise TooShort(have, MIN_PRE_DAYS)
        controls = controls_for(store, ws, metric, first, end)
        return stats.estimate(series, item.date, controls=controls, end=end, min_pre_days=MIN_PRE_DAYS)

    return memo.get(("impact", item.name, item.date.isoformat(), metric, days), run)


def figure(result: Any, title: str) -> go.Figure:
    """The impact chart of ``citra impact --chart`` (observed against the counterfactual and its band)."""
    chart = getattr(stats, "chart", None)
    if chart is not None:
        return chart(result, title)  # type: ignore[no-any-return]
    frame = result.frame
    x = [d.date().isoformat() for d in frame.index]
    fig = go.Figure()
    fig.add_scatter(x=x, y=frame["upper"], mode="lines", line={"width": 0}, showlegend=False, hoverinfo="skip")
    fig.add_scatter(
        x=x,
        y=frame["lower"],
        mode="lines",
        line={"width": 0},
        fill="tonexty",
        fillcolor="rgba(214, 137, 16, 0.2)",
        name="95%",
        hoverinfo="skip",
    )
    fig.add_scatter(x=x, y=frame["predicted"], mode="lines", name="counterfactual", line={"dash": "dot"})
    fig.add_scatter(x=x, y=frame["observed"], mode="lines+markers", name="observed", marker={"size": 4})
    fig.add_vline(x=result.start.isoformat(), line_dash="dash", line_color="#888")
    fig.update_layout(title=title, template="plotly_white", height=340, margin={"l": 48, "r": 16, "t": 44, "b": 40})
    return fig
