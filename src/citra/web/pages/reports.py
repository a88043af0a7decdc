"""Laporan: pick a month and a format; the report is built in the background (one build per month and format at a
time, however many people ask; one build in progress per person), the page shows its progress and then a link
to the file, which is kept until the data changes."""

from __future__ import annotations

import importlib
import re
from datetime import date
from types import ModuleType
from urllib.parse import urlencode

from fastapi import Form, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response

from citra.errors import CitraError
from citra.store.version import data_version
from citra.web import data, reportfiles
from citra.web.auth import Reader
from citra.web.jobs import Jobs
from citra.web.pages import router as make_router
from citra.web.pages import state
from citra.web.render import flash, render, translations

router = make_router()
FORMATS = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "html": "text/html; charset=utf-8",
}
MONTHS = 12
ABANDON_S = 30.0  # a queued build whose page nobody has looked at for this long is dropped before it starts
REFRESH_S = 2


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


def checked(period: str, fmt: str) -> tuple[str, str]:
    if not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", period):
        raise CitraError("period: write YYYY-MM")
    if fmt not in FORMATS:
        raise CitraError(f"format: choose {', '.join(FORMATS)}")
    return period, fmt


def jobs_of(request: Request) -> Jobs:
    return request.app.state.reports  # type: ignore[no-any-return]


def _page(period: str, fmt: str) -> str:
    return "/laporan?" + urlencode({"period": period, "fmt": fmt})


def version_of(request: Request) -> str:
    """The data's version, cached like the dashboard's aggregates: a status refresh every few seconds must not scan
    a million posts (0.58 s on the 1,000,000-post SQLite workspace), and a report then matches the dashboard's
    numbers of the same moment."""
    store, _, memo = state(request)
    return memo.get(("data_version",), lambda: data_version(store.engine))


def _status(request: Request, period: str, fmt: str) -> dict[str, object]:
    _, ws, _ = state(request)
    jobs, key = jobs_of(request), (period, fmt)
    jobs.touch(key)  # someone still waits for it
    job = jobs.state(key)
    built = reportfiles.current(ws, period, fmt, version_of(request))
    shown = "ready" if built is not None and not job.running else job.state
    return {
        "state": shown,
        "seconds": job.seconds,
        "message": job.message,
        "period": period,
        "fmt": fmt,
        "name": f"citra-{period}.{fmt}",
        "href": "/laporan/unduh?" + urlencode({"period": period, "fmt": fmt}),
    }


@router.get("/laporan", response_class=HTMLResponse)
def reports(request: Request, user: Reader, period: str | None = None, fmt: str | None = None) -> HTMLResponse:
    store, ws, memo = state(request)
    choices = months(data.last_day(store, ws, memo))
    try:
        module = reports_module()
        default = memo.get(("report_period",), lambda: module.default_period(store, ws))
        problem = None
    except CitraError as exc:  # no report builder yet, or no analysed posts yet
        default, problem = choices[0], str(exc)
    status = _status(request, *checked(period, fmt)) if period and fmt else None
    if status is not None:
        default = period or default
    if default not in choices:
        choices.insert(0, default)
    context = {
        "months": choices,
        "default": default,
        "formats": list(FORMATS),
        "chosen_fmt": fmt or "pdf",
        "problem": problem,
        "status": status,
        "refresh": REFRESH_S if status and status["state"] in ("queued", "running") else None,
    }
    return render(request, "reports.html", user, context)


@router.post("/laporan/buat")
async def build(request: Request, user: Reader, period: str = Form(...), fmt: str = Form("pdf")) -> Response:
    """Start the build of ``period`` in ``fmt``, or join the one under way; then show its progress."""
    period, fmt = checked(period, fmt)
    _, ws, _ = state(request)
    version = await run_in_threadpool(version_of, request)
    if reportfiles.current(ws, period, fmt, version) is not None:
        return RedirectResponse(_page(period, fmt), status_code=303)
    jobs, key = jobs_of(request), (period, fmt)
    mine = [job for job in jobs.active(user.name) if job.key != key]
    if mine:  # one build in progress per person
        flash(request, translations(request).gettext("You already have a report being built: wait until it is ready."))
        return RedirectResponse(_page(*mine[0].key), status_code=303)
    if await request.is_disconnected():  # the client left: start nothing for it
        return Response(status_code=499)
    jobs.start(
        key,
        "report",
        user.name,
        lambda progress: reportfiles.build(ws, period, fmt, version, progress),
        abandon_after=ABANDON_S,
    )
    return RedirectResponse(_page(period, fmt), status_code=303)


@router.get("/laporan/unduh")
def download(request: Request, user: Reader, period: str, fmt: str = "pdf") -> Response:
    """The built file of ``period`` and ``fmt`` for the current data; when there is none, the page to build it."""
    period, fmt = checked(period, fmt)
    _, ws, _ = state(request)
    built = reportfiles.current(ws, period, fmt, version_of(request))
    if built is None:
        return RedirectResponse(_page(period, fmt), status_code=303)
    headers = {"content-disposition": f'attachment; filename="citra-{period}.{fmt}"', "cache-control": "no-store"}
    if fmt == "html":  # opened from disk it must not run anything: it is a download, never rendered in this origin
        headers["content-security-policy"] = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
    return FileResponse(built, media_type=FORMATS[fmt], headers=headers)
