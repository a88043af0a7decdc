"""Pengaturan (admins only): users (add, deactivate), API tokens (create, revoke) and the audit log; the workspace
settings' forms are in settings_config."""

from __future__ import annotations

from typing import Any

from fastapi import Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from citra import curate
from citra.records import Role, User
from citra.web import auth
from citra.web.auth import Admin
from citra.web.pages import router as make_router
from citra.web.pages import state
from citra.web.render import flash, render, translations

router = make_router()


def page(request: Request, user: User, status_code: int = 200, **extra: Any) -> HTMLResponse:
    from citra.web.pages import settings_config
    from citra.web.pages.inbox import opd_names

    store, _, _ = state(request)
    context = settings_config.context(request) | {
        "opds": opd_names(request),
        "users": store.accounts.users(),
        "roles": [r.value for r in Role],
        "audit": list(store.accounts.audit_log(limit=100)),
        "new_token": None,
        "min_password": auth.MIN_PASSWORD,
    }
    return render(request, "settings.html", user, context | extra, status_code)


@router.get("/pengaturan", response_class=HTMLResponse)
def settings(request: Request, user: Admin) -> HTMLResponse:
    return page(request, user)


@router.post("/pengaturan/users")
def add_user(
    request: Request,
    user: Admin,
    name: str = Form(..., max_length=80),
    role: str = Form(..., max_length=16),
    opd: str = Form("", max_length=128),
    password: str = Form(..., max_length=1024),
) -> RedirectResponse:
    store, _, _ = state(request)
    curate.add_user(store, user.name, name, password, role, opd)
    flash(request, translations(request).gettext("User added."))
    return RedirectResponse("/pengaturan", status_code=303)


@router.post("/pengaturan/users/deactivate")
def deactivate_user(request: Request, user: Admin, name: str = Form(..., max_length=80)) -> RedirectResponse:
    store, _, _ = state(request)
    curate.deactivate_user(store, user.name, name)
    flash(request, translations(request).gettext("User deactivated."))
    return RedirectResponse("/pengaturan", status_code=303)


@router.post("/pengaturan/users/activate")
def activate_user(request: Request, user: Admin, name: str = Form(..., max_length=80)) -> RedirectResponse:
    store, _, _ = state(request)
    curate.activate_user(store, user.name, name)
    flash(request, translations(request).gettext("User activated."))
    return RedirectResponse("/pengaturan", status_code=303)


@router.post("/pengaturan/users/role")
def change_role(
    request: Request,
    user: Admin,
    name: str = Form(..., max_length=80),
    role: str = Form(..., max_length=16),
    opd: str = Form("", max_length=128),
) -> RedirectResponse:
    store, _, _ = state(request)
    curate.set_role(store, user.name, name, role, opd)
    flash(request, translations(request).gettext("Role changed; the user's sessions are ended."))
    return RedirectResponse("/pengaturan", status_code=303)


@router.post("/pengaturan/users/password")
def set_password(
    request: Request, user: Admin, name: str = Form(..., max_length=80), password: str = Form(..., max_length=1024)
) -> RedirectResponse:
    """An admin sets a user's password; every session of that user ends (the admin's own too, if it is theirs)."""
    store, _, _ = state(request)
    curate.set_password(store, user.name, name, password)
    flash(request, translations(request).gettext("Password changed; the user's sessions are ended."))
    return RedirectResponse("/pengaturan", status_code=303)


@router.post("/pengaturan/tokens", response_class=HTMLResponse)
def create_token(
    request: Request, user: Admin, owner: str = Form(..., max_length=80), token_name: str = Form(..., max_length=80)
) -> HTMLResponse:
    """Shows the new token once, in this response (not redirected, never stored in the session)."""
    store, _, _ = state(request)
    token = curate.create_token(store, user.name, owner, token_name)
    return page(request, user, new_token={"owner": owner, "name": token_name, "token": token})


@router.post("/pengaturan/tokens/revoke")
def revoke_token(
    request: Request, user: Admin, owner: str = Form(..., max_length=80), token_name: str = Form(..., max_length=80)
) -> RedirectResponse:
    store, _, _ = state(request)
    curate.revoke_token(store, user.name, owner, token_name)
    flash(request, translations(request).gettext("Token revoked."))
    return RedirectResponse("/pengaturan", status_code=303)
