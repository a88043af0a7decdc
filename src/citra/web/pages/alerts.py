"""Strategi (interventions, adding one, and their measured impact)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any
from urllib.parse import urlencode

from fastapi import Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from citra import curate
from citra.analytics.verdict import verdict
from citra.errors import CitraError
from citra.records import DEFAULT_MEASURE, WINDOW_DAYS, InterventionKind, Metric
from citra.web import impact, links
from citra.web.auth import EDITORS, Editor, Reader
from citra.web.pages import peringatan, state
from citra.web.pages import router as make_router
from citra.web.render import chart_json, flash, render, translations

router = make_router()
router.include_router(peringatan.router)  # Peringatan lives in its own module


@router.get("/strategi", response_class=HTMLResponse)
def strategy(
    request: Request, user: Reader, name: str | None = None, metric: str | None = None, days: int | None = None
) -> HTMLResponse:
    """The interventions; with ``name``, its impact on its recorded metric over its recorded window (or on the
    ``metric`` and ``days`` tried here, which an editor can then keep)."""
    store, ws, memo = state(request)
    t = translations(request)
    items = store.interventions()
    result = problem = chart = found = item = None
    controls: list[str] = []
    low, high = WINDOW_DAYS
    if name:
        item = store.intervention(name)
        metric = metric if metric in tuple(Metric) else item.metric
        days = max(low, min(days or item.window_days, high))
        try:
            result, controls = impact.measure(store, ws, memo, item, metric, days)
            chart = chart_json(impact.figure(result, f"{name}: {t.gettext(impact.METRICS[Metric(metric)])}"))
            found = verdict(metric, result.ci_low, result.ci_high)
        except impact.TooShort as exc:
            problem = t.gettext(
                "The period before this intervention has only %(have)d days with data; at least %(need)d are needed "
                "to estimate its impact (8 weeks or more is better)."
            ) % {"have": exc.have, "need": exc.need}
        except CitraError as exc:
            problem = t.gettext("The impact cannot be estimated: %(reason)s") % {"reason": str(exc)}
    context = {
        "items": items,
        "kinds": [k.value for k in InterventionKind],
        "defaults": {k.value: (m.value, d) for k, (m, d) in DEFAULT_MEASURE.items()},
        "chosen": name,
        "item": item,
        "metric": metric,
        "metrics": impact.METRICS,
        "explained": impact.EXPLAINED,
        "verdicts": impact.VERDICTS,
        "days": days,
        "window": (low, high),
        "result": result,
        "verdict": found,
        "method": impact.method_line(result, controls, t) if result is not None else None,
        "problem": problem,
        "chart": chart,
        "can_add": user.role in EDITORS,
        "today": date.today().isoformat(),
        # citizens' posts of as many days before the intervention as after it, and after it (drill-down)
        "around": (
            links.conversations_url(
                who="citizen", since=item.date - timedelta(days=days), until=item.date - timedelta(1)
            ),
            links.conversations_url(who="citizen", since=item.date, until=item.date + timedelta(days=days - 1)),
        )
        if item is not None and days
        else None,
    }
    return render(request, "strategy.html", user, context)


@router.post("/strategi")
def add_intervention(
    request: Request,
    user: Editor,
    name: str = Form(..., min_length=1, max_length=200),
    on: str = Form(..., max_length=10),
    kind: str = Form(..., max_length=32),
    description: str = Form("", max_length=2000),
    metric: str = Form("", max_length=32),
    window_days: str = Form("", max_length=4),
) -> RedirectResponse:
    store, _, _ = state(request)
    t = translations(request)
    wrong = _wrong_measure(metric or Metric.NET_SENTIMENT, window_days or str(WINDOW_DAYS[0]), t)
    if wrong:
        flash(request, wrong, "error")
        return RedirectResponse("/strategi", status_code=303)
    try:
        curate.add_intervention(store, user.name, name, on, kind, description, metric or None, window_days or None)
    except CitraError as exc:
        flash(request, t.gettext("Not saved: %(reason)s") % {"reason": str(exc)}, "error")
        return RedirectResponse("/strategi", status_code=303)
    flash(request, t.gettext("Intervention recorded."))
    return RedirectResponse("/strategi", status_code=303)


@router.post("/strategi/ukuran")
def set_measure(
    request: Request,
    user: Editor,
    name: str = Form(..., min_length=1, max_length=200),
    metric: str = Form(..., max_length=32),
    window_days: str = Form(..., max_length=4),
) -> RedirectResponse:
    """Keep the metric and window an intervention is measured on (audited; the monthly report uses them)."""
    store, _, _ = state(request)
    t = translations(request)
    wrong = _wrong_measure(metric, window_days, t)
    if wrong:
        flash(request, wrong, "error")
        return RedirectResponse(f"/strategi?{urlencode({'name': name})}", status_code=303)
    try:
        item = curate.set_intervention_measure(store, user.name, name, metric, window_days)
    except CitraError as exc:
        flash(request, t.gettext("Not saved: %(reason)s") % {"reason": str(exc)}, "error")
        return RedirectResponse(f"/strategi?{urlencode({'name': name})}", status_code=303)
    flash(request, t.gettext("Saved: this intervention is now measured on this metric and window."))
    return RedirectResponse(f"/strategi?{urlencode({'name': item.name})}", status_code=303)


def _wrong_measure(metric: str, window_days: str, t: Any) -> str | None:
    """What is wrong with a chosen metric and window, in the reader's language (None: nothing); curate checks
    again."""
    low, high = WINDOW_DAYS
    if metric not in tuple(Metric):
        return t.gettext("Choose one of the listed metrics.")
    if not window_days.strip().isdigit() or not low <= int(window_days) <= high:
        return t.gettext("Choose a window of %(low)d to %(high)d days.") % {"low": low, "high": high}
    return None
