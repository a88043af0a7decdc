"""Logging in and out (rate-limited, audited)."""

from __future__ import annotations

from fastapi import Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from citra.records import Role
from citra.web import auth
from citra.web.pages import router as make_router
from citra.web.pages import state
from citra.web.render import back_to, render, translations

router = make_router()


def _home(role: Role) -> str:
    return "/keterlibatan" if role is Role.OPD else "/"


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, next: str = "") -> Response:
    user = auth.session_user(request)
    if user is not None:
        return back_to(next, _home(user.role))
    return render(request, "login.html", None, {"next": next, "error": None, "username": ""})


@router.post("/login", response_class=HTMLResponse)
def login(
    request: Request,
    username: str = Form("", max_length=200),
    password: str = Form("", max_length=1024),
    next: str = Form(""),
) -> Response:
    store, _, _ = state(request)
    t = translations(request)
    limiter: auth.LoginLimiter = request.app.state.limiter
    key = auth.limiter_key(username, request)
    wait = limiter.retry_after(key)
    if wait:
        message = t.gettext("Too many failed attempts. Try again in %(minutes)d minutes.") % {
            "minutes": max(1, round(wait / 60))
        }
        context = {"next": next, "error": message, "username": username}
        response = render(request, "login.html", None, context, 429)
        response.headers["retry-after"] = str(wait)
        return response
    name = username.strip()
    found = store.accounts.session_state(name) if name else None
    stored = found[1] if found else None
    if not auth.verify_password(stored, password) or found is None:
        limiter.fail(key)
        store.accounts.audit(name[:80] or "-", "login.failed", name, ip=auth.client_ip(request))
        context = {"next": next, "error": t.gettext("Wrong user name or password."), "username": username}
        return render(request, "login.html", None, context, 401)
    limiter.reset(key)
    user, stored, epoch = found
    auth.login_session(request, user, stored, epoch)
    store.accounts.audit(user.name, "login", user.name, ip=auth.client_ip(request))
    return back_to(next, _home(user.role))


@router.post("/logout")
def logout(request: Request) -> RedirectResponse:
    user = auth.session_user(request)
    if user is not None:  # ends every session of the user, copies of this cookie included
        accounts = state(request)[0].accounts
        accounts.end_sessions(user.name)
        accounts.audit(user.name, "logout", user.name)
    request.session.clear()
    return RedirectResponse("/login", status_code=303)
