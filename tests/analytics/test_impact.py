"""Strategy impact: planted effects are recovered, intervals are honest, short pre-periods are refused."""

from __future__ import annotations

import json
from datetime import date

import numpy as np
import pandas as pd
import pytest

from citra.analytics.impact import ImpactResult, chart, estimate, write_chart
from citra.errors import CitraError

START = pd.Timestamp("2026-04-01")


def share_series(
    seed: int, effect: float, *, pre: int = 84, post: int = 28, shock: bool = False, common_sd: float = 0.025
) -> tuple[pd.Series, pd.DataFrame]:
    """A negative-share-like daily series (weekly pattern, AR(1) noise) with a step ``effect`` from START, and a
    control sharing a common factor; with ``shock`` both get a common jump at START."""
    rng = np.random.default_rng(seed)
    n = pre + post
    index = pd.date_range(START - pd.Timedelta(days=pre), periods=n, freq="D")
    week = np.array([0.02, 0.01, 0.0, -0.01, -0.01, 0.03, -0.04])[np.arange(n) % 7]
    common = np.zeros(n)
    for i in range(1, n):
        common[i] = 0.8 * common[i - 1] + rng.normal(0, common_sd)
    if shock:
        common += np.where(np.arange(n) >= pre, 0.08, 0.0)
    ar = np.zeros(n)
    for i in range(1, n):
        ar[i] = 0.5 * ar[i - 1] + rng.normal(0, 0.02)
    post_mask = np.arange(n) >= pre
    y = 0.3 + week + ar + common + effect * post_mask
    control = 0.25 + week + common + rng.normal(0, 0.01, n)
    return pd.Series(y, index=index, name="negative_share"), pd.DataFrame({"Kota Lain": control}, index=index)


def test_recovers_a_planted_effect() -> None:
    y, _ = share_series(1, 0.08, common_sd=0.0)
    r = estimate(y, START)
    assert isinstance(r, ImpactResult)
    assert r.ci_low < 0.08 < r.ci_high
    assert r.p_value < 0.05
    assert r.ci_low > 0
    assert r.pre_days == 84 and r.post_days == 28
    assert r.start == date(2026, 4, 1) and r.end == date(2026, 4, 28)
    assert r.cumulative == pytest.approx(28 * r.effect)
    assert r.cumulative_low == pytest.approx(28 * r.ci_low)
    assert r.relative is not None and r.relative_low is not None and r.relative_high is not None
    assert r.relative_low < r.relative < r.relative_high
    assert list(r.frame.columns) == ["observed", "predicted", "lower", "upper"]
    post = r.frame.loc[START:]
    assert (post["lower"] < post["predicted"]).all() and (post["predicted"] < post["upper"]).all()
    d = json.loads(json.dumps(r.as_dict()))
    assert {"effect", "ci_low", "ci_high", "p_value", "cumulative", "relative", "method"} <= d.keys()
    assert d["days"][-1]["date"] == "2026-04-28"


def test_zero_effect_interval_covers_zero() -> None:
    y, _ = share_series(4, 0.0, common_sd=0.0)
    r = estimate(y, START)
    assert r.ci_low < 0 < r.ci_high
    assert r.p_value > 0.05


def test_control_series_removes_a_common_shock() -> None:
    y, controls = share_series(3, 0.05, shock=True)
    without = estimate(y, START)
    with_control = estimate(y, START, controls=controls)
    assert abs(with_control.effect - 0.05) < abs(without.effect - 0.05)
    assert with_control.ci_low < 0.05 < with_control.ci_high
    assert "Kota Lain" in with_control.method


def test_missing_days_are_skipped() -> None:
    y, _ = share_series(5, 0.08, common_sd=0.0)
    rng = np.random.default_rng(0)
    y[rng.random(len(y)) < 0.15] = np.nan
    r = estimate(y, START)
    assert r.pre_days == int(y[:"2026-03-31"].notna().sum())
    assert r.post_days == int(y["2026-04-01":].notna().sum())
    assert r.frame["observed"].isna().sum() == y.isna().sum()
    assert np.isfinite([r.effect, r.ci_low, r.ci_high, r.p_value]).all()
    assert r.ci_low < 0.08 < r.ci_high


def test_post_period_is_capped_at_28_days_unless_end_given() -> None:
    y, _ = share_series(5, 0.0, post=60)
    assert estimate(y, START).post_days == 28
    assert estimate(y, START, end=date(2026, 5, 10)).post_days == 40


def test_refuses_a_short_pre_period() -> None:
    y, _ = share_series(6, 0.0, pre=40)
    y[:"2026-03-11"] = np.nan  # leaves 20 pre-period days with data
    with pytest.raises(CitraError, match=r"has 20 days with data; at least 28 are needed"):
        estimate(y, START)


def test_refuses_data_that_cannot_say_anything() -> None:
    days = pd.date_range("2026-02-01", periods=60, freq="D")
    with pytest.raises(CitraError, match="empty"):
        estimate(pd.Series([], index=pd.DatetimeIndex([]), dtype=float), START)
    with pytest.raises(CitraError, match="constant"):
        estimate(pd.Series(0.3, index=days), days[45])
    varying = pd.Series(np.tile([0.3, 0.4], 30), index=days)
    with pytest.raises(CitraError, match="post period is empty"):
        estimate(varying, days[-1] + pd.Timedelta(days=5))
    gap = varying.copy()
    gap[45:] = np.nan
    with pytest.raises(CitraError, match=r"post period .* has no days with data"):
        estimate(gap, days[45])


def test_its_alternative_recovers_the_effect() -> None:
    y, _ = share_series(1, 0.08, common_sd=0.0)
    r = estimate(y, START, method="its")
    assert r.ci_low < 0.08 < r.ci_high and r.p_value < 0.05
    assert "Newey-West" in r.method


def test_chart_writes_offline_html(tmp_path) -> None:
    y, _ = share_series(1, 0.08)
    fig = chart(estimate(y, START), "Kampanye <Bersih>")
    assert fig.layout.xaxis.title.text == "Tanggal"
    names = {t.name for t in fig.data}
    assert {"Nilai aktual", "Tanpa intervensi (perkiraan)"} <= names
    path = write_chart(fig, tmp_path / "impact.html")
    text = path.read_text(encoding="utf-8")
    assert "Plotly.newPlot" in text
    assert len(text) > 1_000_000  # plotly.js itself is embedded
    assert 'src="https://cdn.plot.ly' not in text
    assert "Kampanye &lt;Bersih&gt;" in text or "Kampanye \\u0026lt;Bersih\\u0026gt;" in text
    with pytest.raises(CitraError, match="html"):
        write_chart(fig, tmp_path / "impact.png")


def test_interval_coverage_over_seeded_replications() -> None:
    """40 replications with planted effects of 0 and 0.05 and persistent noise: the 95% interval must cover the
    truth in >= 85% (the segmented-regression alternative reaches only 75% here)."""
    hits = 0
    for seed in range(40):
        truth = 0.05 * (seed % 2)
        y, _ = share_series(100 + seed, truth, pre=56)
        r = estimate(y, START)
        hits += r.ci_low <= truth <= r.ci_high
    assert hits / 40 >= 0.85


def test_controls_without_data_after_the_start_are_ignored() -> None:
    y, controls = share_series(3, 0.05)
    controls.loc[START:, "Kota Lain"] = np.nan
    controls["Flat"] = 1.0
    r = estimate(y, START, controls=controls)
    assert "controls ignored" in r.method and "Kota Lain" in r.method and "Flat" in r.method
    assert r.effect == estimate(y, START).effect


def test_timezone_aware_series_and_gaps_in_the_index() -> None:
    y, _ = share_series(6, 0.08, common_sd=0.0)
    aware = y.drop(y.index[[3, 10, 50]]).tz_localize("Asia/Jakarta")
    r = estimate(aware, START.date(), trend=True)
    assert r.pre_days == 81 and r.ci_low < 0.08 < r.ci_high
    assert "drift" in r.method
