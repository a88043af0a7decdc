"""Laporan: pick a month and a format, download the report built by ``citra.reports``."""

from __future__ import annotations

import importlib
import re
from datetime import date
from types import ModuleType

from fastapi import Request
from fastapi.responses import HTMLResponse, Response

from citra.errors import CitraError
from citra.web import data
from citra.web.auth import Reader
from citra.web.pages import router as make_router
from citra.web.pages import state
from citra.web.render import render

router = make_router()
FORMATS = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "html": "text/html; charset=utf-8",
}
MONTHS = 12


class Unavailable(CitraError):
    http_status = 503


def reports_module() -> ModuleType:
    try:
        module = importlib.import_module("citra.reports")
    except ImportError:
        module = None
    if module is None or not hasattr(module, "build") or not hasattr(module, "default_period"):
        raise Unavailable("the report builder (citra.reports) is not available yet")
    return module


def months(last: date, count: int = MONTHS) -> list[str]:
    """The ``count`` months up to the one of ``last``, newest first (YYYY-MM)."""
    out, year, month = [], last.year, last.month
    for _ in range(count):
        out.append(f"{year:04d}-{month:02d}")
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return out


@router.get("/laporan", response_class=HTMLResponse)
def reports(request: Request, user: Reader) -> HTMLResponse:
    store, ws, memo = state(request)
    choices = months(data.last_day(store, ws, memo))
    try:
        module = reports_module()
        default = memo.get(("report_period",), lambda: module.default_period(store, ws))
        problem = None
    except CitraError as exc:  # no report builder yet, or no analysed posts yet
        default, problem = choices[0], str(exc)
    if default not in choices:
        choices.insert(0, default)
    context = {"months": choices, "default": default, "formats": list(FORMATS), "problem": problem}
    return render(request, "reports.html", user, context)


@router.get("/laporan/unduh")
def download(request: Request, user: Reader, period: str, fmt: str = "pdf") -> Response:
    store, ws, _ = state(request)
    if not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", period):
        raise CitraError("period: write YYYY-MM")
    if fmt not in FORMATS:
        raise CitraError(f"format: choose {', '.join(FORMATS)}")
    body = reports_module().build(store, ws, period=period, fmt=fmt)
    name = f"citra-{period}.{fmt}"
    headers = {"content-disposition": f'attachment; filename="{name}"', "cache-control": "no-store"}
    if fmt == "html":  # opened from disk it must not run anything: it is a download, never rendered in this origin
        headers["content-security-policy"] = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
    return Response(body, media_type=FORMATS[fmt], headers=headers)
