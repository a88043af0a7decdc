"""Strategi (interventions, adding one, and their measured impact)."""

from __future__ import annotations

from datetime import date

from fastapi import Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from citra import curate
from citra.errors import CitraError
from citra.records import InterventionKind, Metric
from citra.web import impact
from citra.web.auth import EDITORS, Editor, Reader
from citra.web.pages import peringatan, state
from citra.web.pages import router as make_router
from citra.web.render import chart_json, flash, render, translations

router = make_router()
router.include_router(peringatan.router)  # Peringatan lives in its own module


@router.get("/strategi", response_class=HTMLResponse)
def strategy(
    request: Request, user: Reader, name: str | None = None, metric: str = "net_sentiment", days: int = 28
) -> HTMLResponse:
    store, ws, memo = state(request)
    t = translations(request)
    items = store.interventions()
    result = problem = chart = None
    if name:
        if metric not in tuple(Metric):
            metric = Metric.NET_SENTIMENT
        days = max(7, min(days, 28))
        try:
            result = impact.measure(store, ws, memo, store.intervention(name), metric, days)
            chart = chart_json(impact.figure(result, f"{name}: {t.gettext(impact.METRICS[metric])}"))
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
        "chosen": name,
        "metric": metric,
        "metrics": impact.METRICS,
        "days": days,
        "result": result,
        "problem": problem,
        "chart": chart,
        "can_add": user.role in EDITORS,
        "today": date.today().isoformat(),
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
) -> RedirectResponse:
    store, _, _ = state(request)
    curate.add_intervention(store, user.name, name, on, kind, description)
    flash(request, translations(request).gettext("Intervention recorded."))
    return RedirectResponse("/strategi", status_code=303)
