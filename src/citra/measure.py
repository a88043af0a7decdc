"""Orchestration of the measures: the citra index and the daily metric series behind ``citra impact``.

Every share, index and metric is corrected for the sentiment model's errors once the random audit sample holds
``[index] audit_min`` team labels (``docs/citra-index.md``); the impact's interval then includes the
correction's uncertainty."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime, time, timedelta

import numpy as np
import pandas as pd

from citra import vocab
from citra.analytics.correction import Correction
from citra.analytics.impact import ImpactResult
from citra.analytics.index import IndexRow, compute
from citra.config import Workspace
from citra.errors import CitraError
from citra.records import Intervention, Metric
from citra.store import PostQuery, Store

METRICS = tuple(Metric)
IMPACT_DRAWS = 30  # bootstrap confusion matrices the impact is re-estimated under
SHARE_METRICS = ("net_sentiment", "negative_share", "index")


def correction(store: Store, ws: Workspace) -> Correction:
    """The workspace's sentiment audit (one GROUP BY) with its minimum and bootstrap settings."""
    from citra.store import confusion

    settings = ws.settings.index
    return Correction(confusion.counts(store), minimum=settings.audit_min, draws=settings.bootstrap)


def index_rows(
    store: Store,
    ws: Workspace,
    *,
    freq: str = "day",
    by: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    platform: str | None = None,
    audit: Correction | None = None,
    filters: PostQuery | None = None,
) -> list[IndexRow]:
    """The citra index per period (and group) of the workspace's citizens' posts (those ``filters`` keeps);
    ``freq="total"`` gives one row per group over the whole range, dated ``since`` (or the first post's day).
    ``audit`` defaults to the workspace's sentiment audit."""
    try:
        buckets = store.series(freq, ws.tz, by=by, since=since, until=until, platform=platform, filters=filters)
    except ValueError as exc:
        raise CitraError(str(exc)) from None
    if freq == "total" and since is not None:
        buckets = [dataclasses.replace(b, period=since.astimezone(ws.tz)) for b in buckets]
    return compute(buckets, audit if audit is not None else correction(store, ws))


def daily_metric(rows: list[IndexRow], metric: Metric | str, start: date, end: date) -> pd.Series:
    """A daily series of ``metric`` from index rows (days without posts: volume 0, other metrics missing)."""
    metric = vocab.parse(Metric, metric, "metric")
    days = pd.date_range(start, end, freq="D")
    values = {pd.Timestamp(r.period.date()): float(getattr(r, metric)) for r in rows if r.volume > 0}
    fill = 0.0 if metric == "volume" else float("nan")
    return pd.Series([values.get(d, fill) for d in days], index=days, name=metric.value, dtype=float)


def metric_series(
    store: Store, ws: Workspace, metric: Metric | str, start: date, end: date, *, target: str | None = None
) -> pd.Series:
    """Daily ``metric`` of all citizens' posts, or of those about one target (``entity:Kota Depok``)."""
    since = datetime.combine(start, time(), ws.tz)
    until = datetime.combine(end + timedelta(days=1), time(), ws.tz)
    if target is None:
        rows = index_rows(store, ws, freq="day", since=since, until=until)
    else:
        rows = [
            r for r in index_rows(store, ws, freq="day", by="target", since=since, until=until) if r.group == target
        ]
    return daily_metric(rows, metric, start, end)


def data_range(store: Store, ws: Workspace) -> tuple[date, date]:
    """First and last local day with citizens' annotated posts."""
    rows = index_rows(store, ws, freq="day")
    if not rows:
        raise CitraError("no analysed posts yet: run citra ingest and citra analyze first")
    return rows[0].period.date(), rows[-1].period.date()


def controls_for(store: Store, ws: Workspace, metric: Metric | str, start: date, end: date) -> pd.DataFrame | None:
    """Daily ``metric`` of each comparison entity with data on at least 80% of days (gaps filled with its
    mean), as control series for ``citra impact``; None when there is none."""
    columns = {}
    for entity in ws.settings.entities:
        values = metric_series(store, ws, metric, start, end, target=f"entity:{entity.name}")
        if values.notna().mean() >= 0.8 and values.std(skipna=True) > 0:
            columns[entity.name] = values.fillna(values.mean())
    return pd.DataFrame(columns) if columns else None


def impact(
    store: Store,
    ws: Workspace,
    item: Intervention,
    metric: Metric | str,
    *,
    days: int = 28,
    controls: bool = True,
    pre_days: int | None = None,
    until: date | None = None,
    span: tuple[date, date] | None = None,
) -> tuple[ImpactResult, list[str]]:
    """The effect of ``item`` on the daily ``metric`` over ``days`` days from its date, with the comparison
    entities as controls, from data up to ``until`` (default: the last day with data; the report passes its
    month's last day); returns the result and the names of the controls used. ``span`` is ``data_range``'s answer
    when the caller has it already (it reads the whole history: seconds on a million posts)."""
    from citra.analytics import impact as stats

    metric = vocab.parse(Metric, metric, "metric")
    first, last = span or data_range(store, ws)
    end = min(last, until or last, item.date + timedelta(days=days - 1))
    if end < item.date:
        raise CitraError(f"there is no data from {item.date.isoformat()} on yet")
    series = metric_series(store, ws, metric, first, end)
    found = controls_for(store, ws, metric, first, end) if controls else None
    options = {"max_pre_days": pre_days} if pre_days else {}
    result = stats.estimate(series, item.date, controls=found, end=end, **options)
    audit = correction(store, ws)
    if metric in SHARE_METRICS and audit.corrected:
        effects = [
            stats.estimate(alt, item.date, controls=found, end=end, **options).effect
            for alt in _alternatives(store, ws, audit, metric, first, end)
        ]
        note = (
            f"shares corrected for misclassification with {audit.labels_used} audit labels; interval widened over "
            f"{len(effects)} bootstrap confusion matrices"
        )
        result = stats.widen(result, np.asarray(effects), note)
    return result, list(found.columns) if found is not None else []


def _alternatives(
    store: Store, ws: Workspace, audit: Correction, metric: Metric, start: date, end: date
) -> list[pd.Series]:
    """The daily ``metric`` corrected with each of ``IMPACT_DRAWS`` bootstrap confusion matrices (the period's
    own counts as observed): how far the series moves with the uncertainty of the confusion matrix."""
    since = datetime.combine(start, time(), ws.tz)
    until = datetime.combine(end + timedelta(days=1), time(), ws.tz)
    buckets = [b for b in store.series("day", ws.tz, since=since, until=until) if b.n > 0]
    days = pd.date_range(start, end, freq="D")
    if not buckets:
        return []
    model = np.array([[b.n_pos - b.h_pos, b.n_neu - b.h_neu, b.n_neg - b.h_neg] for b in buckets], dtype=float)
    human = np.array([[b.h_pos, b.h_neu, b.h_neg] for b in buckets], dtype=float)
    at = [pd.Timestamp(b.period.date()) for b in buckets]
    out = []
    for inverse in audit.bootstrap()[:IMPACT_DRAWS]:
        theta = audit.point(model, human, inverse)
        net = theta[:, 0] - theta[:, 2]
        value = {"negative_share": theta[:, 2], "net_sentiment": net, "index": 50 * (1 + net)}[metric]
        out.append(pd.Series(value, index=at, dtype=float).reindex(days))
    return out
