"""Peringatan: alerts with their drivers in words, and the team's handling of each (acknowledge, assign, note,
resolve, reopen; every change through ``curate``, so it is audited)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Literal

from fastapi import Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from citra import curate
from citra.alerts.message import platform_name
from citra.alerts.wording import leader_roles
from citra.web import crisis, data
from citra.web.auth import EDITORS, Editor, Reader
from citra.web.pages import router as make_router
from citra.web.pages import state
from citra.web.render import back_to, flash, render, translations

router = make_router()
MAX_ALERTS = 100


CITY = "kota"  # the scope filter's value for whole-city alerts


def _scope(value: str) -> int | Literal["all"] | None:
    """The ``scope`` parameter: "" every alert, "kota" the whole city's, a saved search's id its own."""
    if value == CITY:
        return None
    return int(value) if value.isdigit() else "all"


@router.get("/peringatan", response_class=HTMLResponse)
def alerts(request: Request, user: Reader, status: str = "current", scope: str = "") -> HTMLResponse:
    store, ws, memo = state(request)
    _ = translations(request).gettext
    chosen = status if status in crisis.TABS else "current"
    every = store.alerts()
    scopes = sorted({(a.scope_id, a.scope_name or "") for a in every if a.scope_id}, key=lambda s: s[1].lower())
    wanted = _scope(scope)
    picked = every if wanted == "all" else [a for a in every if a.scope_id == wanted]
    found = crisis.tab(picked, chosen, datetime.now(UTC))
    shown = found[:MAX_ALERTS]
    notes = store.alert_work.notes([a.id for a in shown if a.id is not None])
    names = data.topic_names(ws, memo, request.state.lang)
    roles, kinds = leader_roles(ws), crisis.kind_words(_)
    live = {s.id for s in store.saved.all()}  # a deleted search's alerts keep its name, without links to it
    cards = [
        crisis.card(
            a, notes.get(a.id or 0, []), tz=ws.tz, topic_names=names, roles=roles, kinds=kinds, live_scopes=live
        )
        for a in shown
    ]
    editor = user.role in EDITORS
    context = {
        "cards": cards,
        "total": len(found),
        "status": chosen,
        "scope": scope if wanted != "all" else "",
        "scopes": scopes,
        "live_scopes": live,
        "city": CITY,
        "recent_days": crisis.RECENT_DAYS,
        "can_edit": editor,
        "people": [u.name for u in store.accounts.users() if u.active] if editor else [],
        "platform_name": platform_name,
    }
    return render(request, "alerts.html", user, context)


def _back(alert_id: int, status: str) -> RedirectResponse:
    tab = status if status in crisis.TABS else "current"
    return back_to(f"/peringatan?status={tab}#alert-{alert_id}", "/peringatan")


@router.post("/peringatan/{alert_id}/acknowledge")
def acknowledge(request: Request, user: Editor, alert_id: int, back: str = Form("current")) -> RedirectResponse:
    store, _, _ = state(request)
    curate.acknowledge_alert(store, user.name, alert_id)
    flash(request, translations(request).gettext("Alert acknowledged."))
    return _back(alert_id, back)


@router.post("/peringatan/{alert_id}/assign")
def assign(
    request: Request,
    user: Editor,
    alert_id: int,
    assignee: str = Form("", max_length=80),
    back: str = Form("current"),
) -> RedirectResponse:
    store, _, _ = state(request)
    curate.assign_alert(store, user.name, alert_id, assignee or None)
    flash(request, translations(request).gettext("Assignment saved."))
    return _back(alert_id, back)


@router.post("/peringatan/{alert_id}/note")
def note(
    request: Request,
    user: Editor,
    alert_id: int,
    text: str = Form(..., max_length=2000),
    back: str = Form("current"),
) -> RedirectResponse:
    store, _, _ = state(request)
    curate.note_alert(store, user.name, alert_id, text)
    flash(request, translations(request).gettext("Note added."))
    return _back(alert_id, back)


@router.post("/peringatan/{alert_id}/resolve")
def resolve(
    request: Request,
    user: Editor,
    alert_id: int,
    text: str = Form("", max_length=2000),
    back: str = Form("current"),
) -> RedirectResponse:
    store, _, _ = state(request)
    curate.resolve_alert(store, user.name, alert_id, text)
    flash(request, translations(request).gettext("Alert resolved."))
    return _back(alert_id, back)


@router.post("/peringatan/{alert_id}/reopen")
def reopen(
    request: Request,
    user: Editor,
    alert_id: int,
    text: str = Form("", max_length=2000),
    back: str = Form("current"),
) -> RedirectResponse:
    store, _, _ = state(request)
    curate.reopen_alert(store, user.name, alert_id, text)
    flash(request, translations(request).gettext("Alert reopened."))
    return _back(alert_id, back)
