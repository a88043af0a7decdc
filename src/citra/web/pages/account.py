"""Akun: every logged-in user changes their own password (the current one, the new one twice). The change ends
the user's other sessions (every browser, copied cookies) and keeps this one logged in; it is audited."""

from __future__ import annotations

from typing import Any

from fastapi import Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from citra import curate
from citra.records import User
from citra.web import auth
from citra.web.pages import router as make_router
from citra.web.pages import state
from citra.web.render import flash, render, translations

router = make_router()


def _page(request: Request, user: User, error: str | None = None, status_code: int = 200) -> HTMLResponse:
    context: dict[str, Any] = {"error": error, "min_password": auth.MIN_PASSWORD}
    return render(request, "account.html", user, context, status_code)


@router.get("/akun", response_class=HTMLResponse)
def account(request: Request, user: auth.AnyUser) -> HTMLResponse:
    return _page(request, user)


@router.post("/akun/password", response_class=HTMLResponse)
def change_password(
    request: Request,
    user: auth.AnyUser,
    current: str = Form(..., max_length=1024),
    new: str = Form(..., max_length=1024),
    repeat: str = Form(..., max_length=1024),
) -> Response:
    """Wrong current passwords count against the login limits (a stolen session cannot guess the password)."""
    store, _, _ = state(request)
    t = translations(request)
    limiter: auth.LoginLimiter = request.app.state.limiter
    key = auth.limiter_key(user.name, request)
    wait = limiter.retry_after(key)
    if wait:
        message = t.gettext("Too many failed attempts. Try again in %(minutes)d minutes.")
        response = _page(request, user, message % {"minutes": max(1, round(wait / 60))}, 429)
        response.headers["retry-after"] = str(wait)
        return response
    found = store.accounts.session_state(user.name)
    if found is None or not auth.verify_password(found[1], current):
        limiter.fail(key)
        store.accounts.audit(user.name, "passwd.failed", user.name, ip=auth.client_ip(request))
        return _page(request, user, t.gettext("The current password is wrong."), 400)
    if new != repeat:
        return _page(request, user, t.gettext("The two new passwords differ."), 400)
    if len(new) < auth.MIN_PASSWORD:
        message = t.gettext("The new password must have at least %(n)d characters.") % {"n": auth.MIN_PASSWORD}
        return _page(request, user, message, 400)
    curate.set_password(store, user.name, user.name, new)  # audited; raises the epoch: every session ends
    renewed = store.accounts.session_state(user.name)
    if renewed is not None:  # ... except this one, started afresh with the new epoch
        auth.login_session(request, *renewed)
    flash(request, t.gettext("Password changed. Your sessions on other devices are ended."))
    return RedirectResponse("/akun", status_code=303)
