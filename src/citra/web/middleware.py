"""ASGI middleware: signed session cookies, the language choice, and security headers on every response."""

from __future__ import annotations

import json
from typing import Any

from itsdangerous import BadSignature, URLSafeTimedSerializer
from starlette.datastructures import MutableHeaders
from starlette.requests import HTTPConnection
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from citra.web.i18n import LANGUAGES, choose

SESSION_COOKIE = "citra_session"
LANG_COOKIE = "citra_lang"
# Plotly draws with SVG and sets element styles from script, so styles need 'unsafe-inline'; scripts do not.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'"
)
HEADERS = (
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
    (b"cross-origin-opener-policy", b"same-origin"),
)


class Session(dict[str, Any]):
    """A session dict that knows whether it was changed."""

    modified = False

    def __setitem__(self, key: str, value: Any) -> None:
        self.modified = True
        super().__setitem__(key, value)

    def __delitem__(self, key: str) -> None:
        self.modified = True
        super().__delitem__(key)

    def clear(self) -> None:
        self.modified = True
        super().clear()

    def update(self, *args: Any, **kwargs: Any) -> None:
        self.modified = True
        super().update(*args, **kwargs)

    def pop(self, key: str, *default: Any) -> Any:
        self.modified = True
        return super().pop(key, *default)


class SessionMiddleware:
    """A session in a signed, timestamped cookie (HttpOnly, SameSite=Lax, Secure over https or when configured);
    a cookie older than ``max_age`` seconds since it was last written is ignored."""

    def __init__(self, app: ASGIApp, secret_key: str, *, max_age: int, secure: bool = False) -> None:
        self.app = app
        self.serializer = URLSafeTimedSerializer(secret_key, salt="citra.session")
        self.max_age = max_age
        self.secure = secure

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        raw = HTTPConnection(scope).cookies.get(SESSION_COOKIE)
        had_cookie = raw is not None
        data: dict[str, Any] = {}
        if raw:
            try:
                loaded = self.serializer.loads(raw, max_age=self.max_age)
                data = loaded if isinstance(loaded, dict) else {}
            except (BadSignature, ValueError, json.JSONDecodeError):
                data = {}
        session = Session(data)
        scope["session"] = session
        secure = self.secure or scope.get("scheme") == "https"

        async def send_wrapper(message: Message) -> None:
            if message["type"] == "http.response.start" and session.modified:
                headers = MutableHeaders(scope=message)
                flags = "; Path=/; HttpOnly; SameSite=Lax" + ("; Secure" if secure else "")
                if session:
                    value = self.serializer.dumps(dict(session))
                    headers.append("set-cookie", f"{SESSION_COOKIE}={value}; Max-Age={self.max_age}{flags}")
                elif had_cookie:
                    headers.append("set-cookie", f"{SESSION_COOKIE}=; Max-Age=0{flags}")
            await send(message)

        await self.app(scope, receive, send_wrapper)


class EdgeMiddleware:
    """Security headers on every response, no caching of pages, and the language: ``?lang=`` (remembered in a
    cookie), else the cookie, else Indonesian."""

    def __init__(self, app: ASGIApp, *, secure: bool = False) -> None:
        self.app = app
        self.secure = secure

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        conn = HTTPConnection(scope)
        asked = conn.query_params.get("lang")
        lang = choose(asked, conn.cookies.get(LANG_COOKIE))
        scope.setdefault("state", {})["lang"] = lang
        static = scope["path"].startswith("/static/")
        secure = self.secure or scope.get("scheme") == "https"

        async def send_wrapper(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in HEADERS:
                    if name.decode() not in headers:
                        headers.append(name.decode(), value.decode())
                if secure:
                    headers.append("strict-transport-security", "max-age=31536000")
                if not static and "cache-control" not in headers:
                    headers.append("cache-control", "no-store")
                if asked in LANGUAGES:
                    flags = "; Path=/; Max-Age=31536000; SameSite=Lax" + ("; Secure" if secure else "")
                    headers.append("set-cookie", f"{LANG_COOKIE}={asked}{flags}")
            await send(message)

        await self.app(scope, receive, send_wrapper)
