"""Pengaturan (admins only): the workspace settings (secrets masked), users (add, deactivate), API tokens
(create, revoke) and the audit log."""

from __future__ import annotations

from typing import Any

from fastapi import Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from sqlalchemy.engine import make_url

from citra.config import Workspace
from citra.errors import CitraError
from citra.records import Role, User
from citra.web import auth
from citra.web.auth import Admin
from citra.web.pages import router as make_router
from citra.web.pages import state
from citra.web.render import flash, render, translations

router = make_router()
SECRETS = ("bot_token", "smtp_password", "secret", "smtp_user")
NAME = r"^[A-Za-z0-9_.@-]{1,80}$"


def _mask(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: ("••••" if k in SECRETS and v else _mask(v)) for k, v in value.items()}
    if isinstance(value, list):
        return [_mask(v) for v in value]
    return value


def masked_settings(ws: Workspace) -> dict[str, Any]:
    """The settings of citra.toml without secrets (channel tokens, passwords, the database password)."""
    shown = _mask(ws.settings.model_dump(mode="json"))
    try:
        shown["database_url"] = make_url(ws.database_url).render_as_string(hide_password=True)
    except Exception:  # a malformed URL is not shown at all
        shown["database_url"] = "?"
    return shown


def page(request: Request, user: User, **extra: Any) -> HTMLResponse:
    store, ws, _ = state(request)
    context = {
        "settings": masked_settings(ws),
        "root": str(ws.root),
        "users": store.accounts.users(),
        "roles": [r.value for r in Role],
        "audit": list(store.accounts.audit_log(limit=100)),
        "new_token": None,
        "min_password": auth.MIN_PASSWORD,
    }
    return render(request, "settings.html", user, context | extra)


@router.get("/pengaturan", response_class=HTMLResponse)
def settings(request: Request, user: Admin) -> HTMLResponse:
    return page(request, user)


@router.post("/pengaturan/users")
def add_user(
    request: Request,
    user: Admin,
    name: str = Form(..., pattern=NAME),
    role: str = Form(...),
    opd: str = Form("", max_length=128),
    password: str = Form(..., max_length=1024),
) -> RedirectResponse:
    store, _, _ = state(request)
    try:
        chosen = Role(role)
    except ValueError:
        raise CitraError(f"unknown role {role!r}") from None
    created = store.accounts.add_user(name, auth.hash_password(password), chosen, opd.strip() or None)
    store.accounts.audit(user.name, "user.add", created.name, role=chosen.value, opd=created.opd)
    flash(request, translations(request).gettext("User added."))
    return RedirectResponse("/pengaturan", status_code=303)


@router.post("/pengaturan/users/deactivate")
def deactivate_user(request: Request, user: Admin, name: str = Form(..., max_length=80)) -> RedirectResponse:
    store, _, _ = state(request)
    if name == user.name:
        raise CitraError("you cannot deactivate your own account")
    store.accounts.update_user(name, active=False)
    store.accounts.audit(user.name, "user.deactivate", name)
    flash(request, translations(request).gettext("User deactivated."))
    return RedirectResponse("/pengaturan", status_code=303)


@router.post("/pengaturan/tokens", response_class=HTMLResponse)
def create_token(
    request: Request, user: Admin, owner: str = Form(..., max_length=80), token_name: str = Form(..., pattern=NAME)
) -> HTMLResponse:
    """Shows the new token once, in this response (not redirected, never stored in the session)."""
    store, _, _ = state(request)
    token = auth.new_token()
    store.accounts.add_token(owner, token_name, token)
    store.accounts.audit(user.name, "token.create", f"{owner}/{token_name}")
    return page(request, user, new_token={"owner": owner, "name": token_name, "token": token})


@router.post("/pengaturan/tokens/revoke")
def revoke_token(
    request: Request, user: Admin, owner: str = Form(..., max_length=80), token_name: str = Form(..., max_length=80)
) -> RedirectResponse:
    store, _, _ = state(request)
    store.accounts.revoke_token(owner, token_name)
    store.accounts.audit(user.name, "token.revoke", f"{owner}/{token_name}")
    flash(request, translations(request).gettext("Token revoked."))
    return RedirectResponse("/pengaturan", status_code=303)
