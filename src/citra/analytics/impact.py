"""Strategy impact: the effect of an intervention on a daily metric, with a 95% interval and a p-value.

Method (``docs/impact-method.md`` states it for citation): a structural time-series model (local level, weekly
seasonality, optional control series as regressors) is fitted by maximum likelihood on the pre-period only; the
Kalman filter forecasts the post period as the counterfactual. The interval of the average daily effect comes from
the exact variance of the mean of the joint (correlated) forecast path, with a small-sample Student-t quantile; days
are not treated as independent. ``method="its"`` is a segmented regression alternative (weekday dummies, linear
trend, Newey-West errors); it under-covers in the simulations and is not the default."""

from __future__ import annotations

import dataclasses
import html
import math
import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd
from scipy import stats

from citra.errors import CitraError

if TYPE_CHECKING:
    import plotly.graph_objects as go

Method = Literal["sts", "its"]
MAX_POST_DAYS = 28
MAX_PRE_DAYS = 365
DAY = pd.Timedelta(days=1)


@dataclass(frozen=True, eq=False)
class ImpactResult:
    """Estimated effect of an intervention; effects are observed minus counterfactual, in the metric's units."""

    effect: float  # average daily effect over the post-period days with data
    ci_low: float
    ci_high: float
    p_value: float  # two-sided, H0: no effect
    cumulative: float  # sum of daily effects over the post-period days with data
    cumulative_low: float
    cumulative_high: float
    relative: float | None  # effect / counterfactual average; None when the metric can be <= 0
    relative_low: float | None
    relative_high: float | None
    pre_days: int  # pre-period days with data used in the fit
    post_days: int  # post-period days with data averaged
    start: date
    end: date
    alpha: float
    method: str  # human-readable description of the model
    frame: pd.DataFrame  # per day: observed, predicted, lower, upper (counterfactual and its band)
    df: float = math.inf  # degrees of freedom of the Student-t reference distribution

    def as_dict(self) -> dict[str, Any]:
        """A JSON-friendly dict (NaN becomes None, dates ISO strings)."""
        out: dict[str, Any] = {
            k: _num(getattr(self, k))
            for k in (
                "effect",
                "ci_low",
                "ci_high",
                "p_value",
                "cumulative",
                "cumulative_low",
                "cumulative_high",
                "relative",
                "relative_low",
                "relative_high",
            )
        }
        out |= {
            "pre_days": self.pre_days,
            "post_days": self.post_days,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "alpha": self.alpha,
            "method": self.method,
        }
        out["days"] = [
            {"date": day.date().isoformat(), **{c: _num(row[c]) for c in ("observed", "predicted", "lower", "upper")}}
            for day, row in self.frame.iterrows()
        ]
        return out


def _num(x: float | None) -> float | None:
    return None if x is None or not math.isfinite(x) else float(x)


@dataclass(frozen=True)
class _Fit:
    """Counterfactual on the standardised scale: per-day moments and the variance of the post average."""

    mean: np.ndarray  # whole window (NaN where not available)
    sd: np.ndarray  # marginal prediction sd, whole window
    point: tuple[float, float]  # counterfactual average over the observed post days: mean, sd
    df: float  # degrees of freedom of the Student-t reference distribution
    label: str


class PrePeriodTooShort(CitraError):
    """Too few days with data before the intervention to say anything."""

    http_status = 422

    def __init__(self, start: date, have: int, need: int) -> None:
        super().__init__(
            f"the pre-period before {start:%Y-%m-%d} has {have} days with data; at least {need} are needed "
            "to estimate an impact (8 weeks or more is better)"
        )
        self.have, self.need = have, need


def estimate(
    series: pd.Series,
    start: date | pd.Timestamp,
    *,
    controls: pd.DataFrame | None = None,
    end: date | None = None,
    alpha: float = 0.05,
    min_pre_days: int = 28,
    seed: int = 0,
    method: Method = "sts",
    trend: bool = False,
    max_post_days: int = MAX_POST_DAYS,
    max_pre_days: int = MAX_PRE_DAYS,
) -> ImpactResult:
    """Effect of an intervention starting on ``start`` on a daily ``series`` (NaN = day without data).

    The post period runs from ``start`` to ``end`` (default: the end of the series, at most ``max_post_days``
    days); the pre-period is every day before ``start`` (at most the last ``max_pre_days``). ``controls`` are
    daily series not affected by the intervention (e.g. comparison entities), used as regressors; columns without
    variation before ``start`` are ignored (and named in ``method``). ``method="its"`` selects segmented regression
    (measured to under-cover; see the docs). The computation is analytic and deterministic: ``seed`` is accepted
    for callers that pin seeds and is currently unused. Raises CitraError when the data cannot say anything."""
    if not 0 < alpha < 1:
        raise CitraError(f"alpha must be between 0 and 1, not {alpha}")
    y, t0, t1 = _window(series, start, end, max_post_days, max_pre_days)
    post = (y.index >= t0).astype(bool)
    pre_vals = y[~post]
    pre_n, post_n = int(pre_vals.notna().sum()), int(y[post].notna().sum())
    if pre_n < min_pre_days:
        raise PrePeriodTooShort(t0.date(), pre_n, min_pre_days)
    if post_n == 0:
        raise CitraError(f"the post period {t0:%Y-%m-%d} to {t1:%Y-%m-%d} has no days with data")
    mu, sd = float(pre_vals.mean()), float(pre_vals.std())
    if not sd > 1e-9 * max(1.0, abs(mu)):
        raise CitraError("the series is constant before the intervention: there is no variation to model")
    z = ((y - mu) / sd).to_numpy()
    exog, used, ignored = _controls(controls, y.index, post)
    weights = np.where(post & ~np.isnan(z), 1.0, 0.0)
    weights /= weights.sum()
    if method == "sts":
        fit = _fit_sts(z, post, exog, weights, trend)
    elif method == "its":
        fit = _fit_its(z, post, exog, weights)
    else:
        raise CitraError(f"unknown impact method {method!r}; choose sts or its")
    label = fit.label + (f"; controls: {', '.join(used)}" if used else "")
    label += f"; controls ignored (too few days with data, or constant): {', '.join(ignored)}" if ignored else ""
    return _result(y, post, fit, mu, sd, alpha, pre_n, post_n, t0, t1, label)


def _window(
    series: pd.Series, start: date | pd.Timestamp, end: date | None, max_post: int, max_pre: int
) -> tuple[pd.Series, pd.Timestamp, pd.Timestamp]:
    """The daily series from the first pre-period day with data to the last post day."""
    if series is None or len(series) == 0:
        raise CitraError("the series is empty: there are no days with data")
    s = pd.to_numeric(pd.Series(series), errors="coerce").astype(float)
    idx = pd.DatetimeIndex(s.index)
    s.index = (idx.tz_localize(None) if idx.tz is not None else idx).normalize()
    s = s.replace([np.inf, -np.inf], np.nan).groupby(level=0).mean().sort_index()
    t0 = _day(start)
    t1 = _day(end) if end is not None else min(s.index[-1], t0 + (max_post - 1) * DAY)
    if t1 < t0:
        raise CitraError(f"the post period is empty: no days from {t0:%Y-%m-%d} to {t1:%Y-%m-%d}")
    first_with_data = s[(s.index < t0) & s.notna()].index
    first = max(first_with_data[0], t0 - max_pre * DAY) if len(first_with_data) else t0
    return s.reindex(pd.date_range(first, t1, freq="D")), t0, t1


def _day(d: date | pd.Timestamp) -> pd.Timestamp:
    ts = pd.Timestamp(d)
    return (ts.tz_localize(None) if ts.tz is not None else ts).normalize()


def _controls(
    controls: pd.DataFrame | None, index: pd.DatetimeIndex, post: np.ndarray
) -> tuple[np.ndarray | None, list[str], list[str]]:
    """Standardised control columns on ``index`` (gaps interpolated), their names, and the names of columns
    ignored: with data on fewer than half of the pre- or post-period days, or constant before the start."""
    if controls is None or controls.empty:
        return None, [], []
    c = controls.copy()
    cidx = pd.DatetimeIndex(c.index)
    c.index = (cidx.tz_localize(None) if cidx.tz is not None else cidx).normalize()
    c = c.apply(pd.to_numeric, errors="coerce").replace([np.inf, -np.inf], np.nan)
    c = c.groupby(level=0).mean().reindex(index)
    enough = (c[~post].notna().mean() >= 0.5) & (c[post].notna().mean() >= 0.5)
    c = c.interpolate(limit_direction="both")
    keep = [col for col in c.columns if enough[col] and c[col].notna().all() and c[col][~post].std() > 0]
    ignored = [str(col) for col in c.columns if col not in keep]
    if not keep:
        return None, [], ignored
    pre = c.loc[~post, keep]
    return ((c[keep] - pre.mean()) / pre.std()).to_numpy(), [str(k) for k in keep], ignored


def _fit_sts(z: np.ndarray, post: np.ndarray, exog: np.ndarray | None, weights: np.ndarray, trend: bool) -> _Fit:
    """Unobserved-components model fitted by MLE on the pre-period; the post period is forecast as missing data.
    Reference distribution: Student t with (pre-period days - diffuse states - variances) degrees of freedom."""
    from statsmodels.tsa.statespace.structural import UnobservedComponents

    endog = np.where(post, np.nan, z)
    model = UnobservedComponents(
        endog,
        level="rwdrift" if trend else "llevel",
        seasonal=7,
        stochastic_seasonal=False,
        exog=exog,
        mle_regression=False,
        use_exact_diffuse=True,
    )
    df = int(np.sum(~np.isnan(endog))) - model.k_states - len(model.start_params)
    if df < 1:
        raise CitraError(f"too few pre-period days with data to fit a model with {model.k_states} states")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = model.fit(disp=False, method="bfgs", maxiter=500, cov_type="none")
    fr = res.filter_results
    mean = np.asarray(fr.forecasts[0], dtype=float).copy()
    var = np.asarray(fr.forecasts_error_cov[0, 0], dtype=float).copy()
    burn = int(getattr(res, "nobs_diffuse", 0)) + 1
    mean[:burn], var[:burn] = np.nan, np.nan
    idx, w = np.flatnonzero(post), weights[post]
    point = (float(w @ mean[idx]), math.sqrt(_avg_variance(fr, idx, w)))
    label = (
        "structural time series (local level"
        + (" with drift" if trend else "")
        + ", fixed weekly seasonality"
        + (", control regressors" if exog is not None else "")
        + f"), MLE on the pre-period; t({df}) interval of the average effect from the joint forecast"
    )
    return _Fit(mean, np.sqrt(var), point, df, label)


def _avg_variance(fr: Any, idx: np.ndarray, w: np.ndarray) -> float:
    """Variance of the weighted sum of the forecasts at ``idx`` (consecutive days, no observations), using
    Cov(y_i, y_j) = Z_j T^(j-i) P_i Z_i' for j > i and Var(y_i) = Z_i P_i Z_i' + H."""
    transition = fr.transition[:, :, 0]
    design, h = fr.design, fr.obs_cov

    def z_at(i: int) -> np.ndarray:
        return design[0, :, i if design.shape[2] > 1 else 0]

    g = np.zeros(transition.shape[0])
    total = 0.0
    for k in range(len(idx) - 1, -1, -1):
        i = idx[k]
        zi, p = z_at(i), fr.predicted_state_cov[:, :, i]
        total += w[k] ** 2 * (zi @ p @ zi + h[0, 0, i if h.shape[2] > 1 else 0]) + 2 * w[k] * (g @ p @ zi)
        g = (w[k] * zi + g) @ transition
    return max(total, 0.0)


def _fit_its(z: np.ndarray, post: np.ndarray, exog: np.ndarray | None, weights: np.ndarray) -> _Fit:
    """Segmented regression (level + trend + weekday dummies + post step + controls), Newey-West errors."""
    import statsmodels.api as sm

    n = len(z)
    t = np.arange(n, dtype=float)
    dow = np.eye(7)[np.arange(n) % 7][:, 1:]
    x = np.column_stack([np.ones(n), (t - t[~post].mean()) / n, dow, post.astype(float)])
    if exog is not None:
        x = np.column_stack([x, exog])
    ok = ~np.isnan(z)
    lags = max(1, int(4 * (ok.sum() / 100) ** (2 / 9)))
    res = sm.OLS(z[ok], x[ok]).fit(cov_type="HAC", cov_kwds={"maxlags": lags}, use_t=True)
    k = 8  # column of the post step
    beta = np.asarray(res.params)
    cf = x.copy()
    cf[:, k] = 0.0
    mean = cf @ beta
    cov = np.asarray(res.cov_params())
    var = np.einsum("ij,jk,ik->i", cf, cov, cf) + res.scale
    avg_obs = float(weights @ np.nan_to_num(z))
    step_se = math.sqrt(cov[k, k])
    # the counterfactual average is the observed average minus the step; its sd is the step's sd
    label = f"segmented regression (trend, weekday dummies, step), Newey-West HAC({lags})"
    return _Fit(mean, np.sqrt(var), (avg_obs - beta[k], step_se), float(res.df_resid), label)


def _result(
    y: pd.Series,
    post: np.ndarray,
    fit: _Fit,
    mu: float,
    sd: float,
    alpha: float,
    pre_n: int,
    post_n: int,
    t0: pd.Timestamp,
    t1: pd.Timestamp,
    label: str,
) -> ImpactResult:
    """Back to the metric's units: effect, interval, p-value, cumulative and relative effects, per-day frame."""
    q = float(stats.t.ppf(1 - alpha / 2, fit.df))
    obs_avg = float(np.nanmean(y.to_numpy()[post]))
    cf_avg, cf_sd = mu + sd * fit.point[0], sd * fit.point[1]
    effect = obs_avg - cf_avg
    lo, hi = effect - q * cf_sd, effect + q * cf_sd
    p = float(2 * stats.t.sf(abs(effect) / cf_sd, fit.df)) if cf_sd > 0 else float(effect == 0)
    rel = rlo = rhi = None
    if cf_avg > 0 and float(np.nanmin(y.to_numpy()[~post])) >= 0:
        rel = effect / cf_avg
        if cf_avg - q * cf_sd > 0:  # obs / cf - 1 is monotone in cf: map the counterfactual's quantiles
            rlo, rhi = obs_avg / (cf_avg + q * cf_sd) - 1, obs_avg / (cf_avg - q * cf_sd) - 1
    pred, psd = mu + sd * fit.mean, sd * fit.sd
    frame = pd.DataFrame(
        {"observed": y.to_numpy(), "predicted": pred, "lower": pred - q * psd, "upper": pred + q * psd},
        index=y.index,
    )
    frame.index.name = "date"
    return ImpactResult(
        effect=effect,
        ci_low=lo,
        ci_high=hi,
        p_value=min(p, 1.0),
        cumulative=effect * post_n,
        cumulative_low=lo * post_n,
        cumulative_high=hi * post_n,
        relative=rel,
        relative_low=rlo,
        relative_high=rhi,
        pre_days=pre_n,
        post_days=post_n,
        start=t0.date(),
        end=t1.date(),
        alpha=alpha,
        method=label,
        frame=frame,
        df=fit.df,
    )


def widen(result: ImpactResult, effects: np.ndarray, note: str) -> ImpactResult:
    """``result`` with the spread of ``effects`` (the same estimate repeated under alternatives of an input,
    e.g. bootstrap confusion matrices of a misclassification correction) added to its variance, as in Rubin's
    rules: ``se² + (1 + 1/K) var(effects)``; the p-value and the cumulative and relative bounds follow."""
    effects = np.asarray(effects, dtype=float)
    effects = effects[np.isfinite(effects)]
    if len(effects) < 2:
        return result
    q = float(stats.t.ppf(1 - result.alpha / 2, result.df))
    se = (result.ci_high - result.ci_low) / (2 * q)
    extra = (1 + 1 / len(effects)) * float(np.var(effects, ddof=1))
    total = math.sqrt(se * se + extra)
    lo, hi = result.effect - q * total, result.effect + q * total
    p = float(2 * stats.t.sf(abs(result.effect) / total, result.df)) if total > 0 else result.p_value
    rlo = rhi = None
    if result.relative is not None:
        f = result.frame
        days = (f.index >= pd.Timestamp(result.start)) & f["observed"].notna().to_numpy()
        cf = float(f.loc[days, "predicted"].mean())  # the counterfactual average
        obs = cf + result.effect
        if cf - q * total > 0:
            rlo, rhi = obs / (cf + q * total) - 1, obs / (cf - q * total) - 1
    n = result.post_days
    return dataclasses.replace(
        result,
        ci_low=lo,
        ci_high=hi,
        p_value=min(p, 1.0),
        cumulative_low=lo * n,
        cumulative_high=hi * n,
        relative_low=rlo,
        relative_high=rhi,
        method=f"{result.method}; {note}",
    )


LABELS = {
    "x": "Tanggal",
    "y": "Nilai",
    "observed": "Nilai aktual",
    "predicted": "Tanpa intervensi (perkiraan)",
    "band": "Interval {level}%",
    "intervention": "Intervensi",
    "effect": "Efek rata-rata per hari",
    "ci": "IK {level}%",
}


def chart(result: ImpactResult, title: str, *, labels: Mapping[str, str] | None = None) -> go.Figure:
    """Observed series, counterfactual with its band (one-step-ahead before the start, forecast after), and a
    vertical line at the intervention. Labels are Indonesian by default; override any key of ``LABELS``."""
    import plotly.graph_objects as go

    lab = {**LABELS, **(labels or {})}
    level = f"{100 * (1 - result.alpha):g}"
    f = result.frame
    x = f.index.to_pydatetime()
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=x, y=f["upper"], mode="lines", line={"width": 0}, showlegend=False, hoverinfo="skip"))
    fig.add_trace(
        go.Scatter(
            x=x,
            y=f["lower"],
            mode="lines",
            line={"width": 0},
            fill="tonexty",
            fillcolor="rgba(31,119,180,0.18)",
            name=lab["band"].format(level=level),
            hoverinfo="skip",
        )
    )
    dash = {"dash": "dash", "color": "#1f77b4"}
    fig.add_trace(go.Scatter(x=x, y=f["predicted"], mode="lines", line=dash, name=lab["predicted"]))
    dots = {"size": 4}
    fig.add_trace(go.Scatter(x=x, y=f["observed"], mode="lines+markers", marker=dots, name=lab["observed"]))
    start = pd.Timestamp(result.start).to_pydatetime()
    fig.add_shape(type="line", x0=start, x1=start, y0=0, y1=1, yref="paper", line={"dash": "dot", "color": "#d62728"})
    fig.add_annotation(x=start, y=1, yref="paper", text=lab["intervention"], showarrow=False, yanchor="bottom")
    summary = (
        f"{lab['effect']}: {result.effect:+.3g} ({lab['ci'].format(level=level)}: {result.ci_low:+.3g} s.d. "
        f"{result.ci_high:+.3g}), p = {result.p_value:.3g}"
    )
    fig.update_layout(
        title={"text": f"{html.escape(title)}<br><sup>{html.escape(summary)}</sup>"},
        xaxis_title=lab["x"],
        yaxis_title=lab["y"],
        template="plotly_white",
        hovermode="x unified",
        legend={"orientation": "h", "y": -0.2},
    )
    return fig


def write_chart(fig: go.Figure, path: str | Path) -> Path:
    """Write ``fig`` as a self-contained HTML file (plotly.js embedded, works offline). PNG needs kaleido, which
    citra does not install, so only ``.html`` is accepted."""
    path = Path(path)
    if path.suffix.lower() not in (".html", ".htm"):
        raise CitraError(f"cannot write a chart as {path.suffix or 'a file without extension'}: use .html")
    fig.write_html(path, include_plotlyjs=True, full_html=True)
    return path
