"""Server-side rendering: the Jinja2 environment (autoescape everywhere), per-request translation and number
and date formatting, the navigation, flash messages and chart payloads."""

from __future__ import annotations

import functools
import gettext
import math
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit
from zoneinfo import ZoneInfo

import jinja2
import plotly.io as pio
from babel.dates import format_date, format_datetime
from babel.numbers import format_decimal, format_percent
from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.templating import Jinja2Templates
from markupsafe import Markup

from citra.records import Role, User
from citra.web import glossary
from citra.web.auth import csrf_token

TEMPLATES = Path(__file__).with_name("templates")
# (path, message id, roles that see it)
NAV = (
    ("/", "Overview", ("admin", "analyst", "viewer")),
    ("/isu", "Issues & OPDs", ("admin", "analyst", "viewer")),
    ("/percakapan", "Conversations", ("admin", "analyst", "viewer")),
    ("/label", "Label posts", ("admin", "analyst")),
    ("/peringatan", "Alerts", ("admin", "analyst", "viewer")),
    ("/strategi", "Strategy", ("admin", "analyst", "viewer")),
    ("/publikasi", "Publications", ("admin", "analyst", "viewer")),
    ("/jaringan", "Network", ("admin", "analyst", "viewer")),
    ("/keterlibatan", "Engagement", ("admin", "analyst", "viewer", "opd")),
    ("/laporan", "Reports", ("admin", "analyst", "viewer")),
    ("/pengaturan", "Settings", ("admin",)),
)
THEME = "plotly_white"
_JSON_ESCAPES = {ord("<"): "\\u003c", ord(">"): "\\u003e", ord("&"): "\\u0026", 0x2028: "\\u2028", 0x2029: "\\u2029"}


def templates() -> Jinja2Templates:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals["glossary_terms"] = glossary.terms  # the (i) tooltips' definitions, in base.html
    return Jinja2Templates(env=env)


def safe_url(url: str | None) -> str | None:
    """The URL when it is an absolute http(s) link, else None (no javascript:, data: ...)."""
    if not url:
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    return url.strip() if parts.scheme in ("http", "https") and parts.netloc else None


@functools.cache
def _theme() -> dict[str, Any]:
    return pio.templates[THEME].to_plotly_json()  # type: ignore[no-any-return]


def cached_charts(
    request: Request, page: str, shown: Hashable, build: Callable[[], dict[str, Markup]]
) -> dict[str, Markup]:
    """A page's chart payloads, built once per language and per value of what they show (``shown``, hashable:
    the rows themselves), since Plotly takes about 10 ms a figure."""
    memo = request.app.state.memo
    return memo.get(("charts", page, request.state.lang, shown), build)  # type: ignore[no-any-return]


def chart_json(figure: Any) -> Markup:
    """A Plotly figure as JSON safe inside ``<script type="application/json">``, in the ``plotly_white`` theme
    unless the figure names another."""
    body = figure.to_plotly_json()
    body["layout"].setdefault("template", _theme())
    return Markup(pio.json.to_json_plotly(body).translate(_JSON_ESCAPES))  # noqa: S704


@functools.lru_cache(maxsize=8192)  # a page formats hundreds of (mostly small, repeated) numbers; Babel is slow
def _decimal(value: float, pattern: str, lang: str) -> str:
    return format_decimal(value, format=pattern, locale=lang)


@functools.lru_cache(maxsize=8192)
def _percent(value: float, pattern: str, lang: str) -> str:
    return format_percent(value, format=pattern, locale=lang)


@dataclass(frozen=True)
class Formatter:
    """Numbers, shares and times in the request's language and the workspace zone."""

    lang: str
    tz: ZoneInfo

    def num(self, value: float | int | None, digits: int = 0) -> str:
        if value is None or (isinstance(value, float) and not math.isfinite(value)):
            return "–"
        return _decimal(value, "#,##0" + ("." + "0" * digits if digits else ""), self.lang)

    def pct(self, value: float | None, digits: int = 0) -> str:
        if value is None or not math.isfinite(value):
            return "–"
        return _percent(value, "#,##0" + ("." + "0" * digits if digits else "") + "%", self.lang)

    def when(self, value: datetime | None) -> str:
        if value is None:
            return "–"
        return format_datetime(value.astimezone(self.tz), "d MMM yyyy HH.mm", locale=self.lang)

    def day(self, value: date | datetime | None) -> str:
        if value is None:
            return "–"
        return format_date(value, "d MMM yyyy", locale=self.lang)

    def local_iso(self, value: datetime) -> str:
        return value.astimezone(self.tz).isoformat(timespec="minutes")

    def hours(self, value: float | None) -> str:
        """A duration in hours as "2 d 3 h" / "5 h 10 m" (short units of the language)."""
        if value is None or not math.isfinite(value):
            return "–"
        minutes = round(value * 60)
        d, rest = divmod(minutes, 1440)
        h, m = divmod(rest, 60)
        units = ("hr", "j", "mnt") if self.lang == "id" else ("d", "h", "min")
        if d:
            return f"{d} {units[0]} {h} {units[1]}"
        return f"{h} {units[1]} {m} {units[2]}" if h else f"{m} {units[2]}"


def translations(request: Request) -> gettext.NullTranslations:
    return request.app.state.translations[request.state.lang]  # type: ignore[no-any-return]


def flash(request: Request, message: str, kind: str = "ok") -> None:
    """A message shown once on the next page."""
    request.session["flash"] = [*request.session.get("flash", [])[-4:], [kind, message]]


def render(
    request: Request, name: str, user: User | None, context: dict[str, Any] | None = None, status_code: int = 200
) -> HTMLResponse:
    """A page of ``templates/`` with the common context (translation, formatter, CSRF token, navigation)."""
    state = request.app.state
    t = translations(request)
    lang = request.state.lang
    flashes = request.session.pop("flash", []) if "flash" in request.session else []
    nav = [(path, t.gettext(label)) for path, label, allowed in NAV if user is not None and user.role in allowed]
    base = {
        "_": t.gettext,
        "ngettext": t.ngettext,
        "lang": lang,
        "fmt": Formatter(lang, state.workspace.tz),
        "csrf": csrf_token(request),
        "user": user,
        "nav": nav,
        "path": request.url.path,
        "org": state.workspace.settings.organisation,
        "flashes": flashes,
        "safe_url": safe_url,
        "Role": Role,
        "plotly_version": state.plotly_version,
        "query_with": lambda **kw: query_with(request, **kw),
    }
    return state.templates.TemplateResponse(request, name, base | (context or {}), status_code=status_code)


def query_with(request: Request, **changes: Any) -> str:
    """The current query string with some parameters changed (None removes them)."""
    params = {k: v for k, v in request.query_params.items() if k not in changes and k != "lang"}
    params.update({k: str(v) for k, v in changes.items() if v is not None and v != ""})
    return "?" + urlencode(params) if params else "?"


def back_to(target: str | None, default: str) -> RedirectResponse:
    """A 303 redirect to a local path (anything else goes to ``default``: no open redirects)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        target = default
    return RedirectResponse(target, status_code=303)
