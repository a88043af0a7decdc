"""Laporan: pick a month with data and a format; the report is built in the background (one build per month and
format at a time, however many people ask; one build in progress per person), the page shows its stage and then a
link to the file, which is kept until the data changes. Below, the history of reports built (here, by the schedule
of ``citra watch`` or by ``citra report``), each downloadable while its file exists."""

from __future__ import annotations

import importlib
import re
from types import ModuleType
from urllib.parse import urlencode

from fastapi import Form, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response

from citra.errors import CitraError, NotFound
from citra.reports import files as reportfiles
from citra.reports.schedule import months_with_data
from citra.store.version import data_version
from citra.web import messages
from citra.web.auth import Reader
from citra.web.jobs import Jobs, Progress
from citra.web.pages import router as make_router
from citra.web.pages import state
from citra.web.render import flash, render, translations

router = make_router()
FORMATS = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "html": "text/html; charset=utf-8",
}
HISTORY = 30
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
        raise Unavailable(
            "the report builder (citra.reports) is not available yet",
            indonesian="Pembuat laporan belum tersedia di server ini.",
        )
    return module


def checked(period: str, fmt: str) -> tuple[str, str]:
    if not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", period):
        raise CitraError("period: write YYYY-MM", indonesian="Bulan: tulis sebagai TTTT-BB, misalnya 2026-08.")
    if fmt not in FORMATS:
        raise CitraError(
            f"format: choose {', '.join(FORMATS)}", indonesian=f"Format: pilih {', '.join(FORMATS).upper()}."
        )
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


def _months(request: Request) -> list[str]:
    store, ws, memo = state(request)
    return memo.get(("report_months",), lambda: months_with_data(store, ws))


def _status(request: Request, period: str, fmt: str) -> dict[str, object]:
    _, ws, _ = state(request)
    jobs, key = jobs_of(request), (period, fmt)
    jobs.touch(key)  # someone still waits for it
    job = jobs.state(key)
    built = reportfiles.current(ws, period, fmt, version_of(request))
    shown = "ready" if built is not None and not job.running else job.state
    stage = job.message if job.message in reportfiles.STAGES else ""
    said = _reason(job.message, request.state.lang) if job.state == "failed" else ""
    return {
        "state": shown,
        "seconds": job.seconds,
        "message": job.message,
        "reason": said,
        "stage": stage,
        "step": reportfiles.STAGES.index(stage) + 1 if stage else 0,
        "steps": len(reportfiles.STAGES),
        "period": period,
        "fmt": fmt,
        "name": f"citra-{period}.{fmt}",
        "href": "/laporan/unduh?" + urlencode({"period": period, "fmt": fmt}),
    }


def _reason(message: str, lang: str) -> str:
    """Why a build failed, in the reader's language when it is a common reason ("" when not known)."""
    if lang != "id":
        return ""
    cause = message.removeprefix("the report could not be built: ").removeprefix("error: ")
    return messages.indonesian(cause) or ""


@router.get("/laporan", response_class=HTMLResponse)
def reports(request: Request, user: Reader, period: str | None = None, fmt: str | None = None) -> HTMLResponse:
    store, ws, _ = state(request)
    choices = _months(request)
    status = _status(request, *checked(period, fmt)) if period and fmt else None
    default = period if period in choices else (choices[0] if choices else None)
    history = [
        (record, reportfiles.by_name(ws, record.file) is not None) for record in store.report_history.recent(HISTORY)
    ]
    context = {
        "months": choices,
        "default": default,
        "formats": list(FORMATS),
        "chosen_fmt": fmt or "pdf",
        "status": status,
        "history": history,
        "refresh": REFRESH_S if status and status["state"] in ("queued", "running") else None,
    }
    return render(request, "reports.html", user, context)


def _work(request: Request, period: str, fmt: str, version: str, by: str):  # type: ignore[no-untyped-def]
    store, ws, _ = state(request)

    def work(progress: Progress) -> str:
        path = reportfiles.build(ws, period, fmt, version, progress)
        store.report_history.add(period, fmt, via="web", by=by, file=path.name)
        return path.name

    return work


@router.post("/laporan/buat")
async def build(request: Request, user: Reader, period: str = Form(...), fmt: str = Form("pdf")) -> Response:
    """Start the build of ``period`` in ``fmt``, or join the one under way; then show its progress."""
    period, fmt = checked(period, fmt)
    _, ws, _ = state(request)
    t = translations(request)
    if period not in await run_in_threadpool(_months, request):
        flash(
            request,
            t.gettext("%(month)s has no analysed citizens' posts: choose a month from the list.") % {"month": period},
            "warn",
        )
        return RedirectResponse("/laporan", status_code=303)
    reports_module()
    version = await run_in_threadpool(version_of, request)
    if reportfiles.current(ws, period, fmt, version) is not None:
        return RedirectResponse(_page(period, fmt), status_code=303)
    jobs, key = jobs_of(request), (period, fmt)
    mine = [job for job in jobs.active(user.name) if job.key != key]
    if mine:  # one build in progress per person
        flash(request, t.gettext("You already have a report being built: wait until it is ready."))
        return RedirectResponse(_page(*mine[0].key), status_code=303)
    if await request.is_disconnected():  # the client left: start nothing for it
        return Response(status_code=499)
    jobs.start(key, "report", user.name, _work(request, period, fmt, version, user.name), abandon_after=ABANDON_S)
    return RedirectResponse(_page(period, fmt), status_code=303)


def _headers(name: str, fmt: str) -> dict[str, str]:
    headers = {"content-disposition": f'attachment; filename="{name}"', "cache-control": "no-store"}
    if fmt == "html":  # opened from disk it must not run anything: it is a download, never rendered in this origin
        headers["content-security-policy"] = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
    return headers


@router.get("/laporan/unduh")
def download(request: Request, user: Reader, period: str, fmt: str = "pdf") -> Response:
    """The built file of ``period`` and ``fmt`` for the current data; when there is none, the page to build it."""
    period, fmt = checked(period, fmt)
    _, ws, _ = state(request)
    built = reportfiles.current(ws, period, fmt, version_of(request))
    if built is None:
        return RedirectResponse(_page(period, fmt), status_code=303)
    return FileResponse(built, media_type=FORMATS[fmt], headers=_headers(f"citra-{period}.{fmt}", fmt))


@router.get("/laporan/riwayat/{record_id}")
def download_past(request: Request, user: Reader, record_id: int) -> Response:
    """A report of the history, while its file is still in the reports folder."""
    store, ws, _ = state(request)
    record = next((r for r in store.report_history.recent(HISTORY) if r.id == record_id), None)
    path = reportfiles.by_name(ws, record.file) if record is not None and record.format in FORMATS else None
    if record is None or path is None:
        raise NotFound("that report file is no longer kept", indonesian="Berkas laporan itu sudah tidak disimpan lagi.")
    return FileResponse(
        path,
        media_type=FORMATS[record.format],
        headers=_headers(f"citra-{record.month}.{record.format}", record.format),
    )
