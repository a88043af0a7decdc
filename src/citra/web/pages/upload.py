"""Unggah data (admins only): an export file uploaded from the browser, imported and analysed in the background as
``citra ingest`` and ``citra analyze`` would; the page refreshes itself with the progress, then shows the summary
(posts added, already present, rejected with the first reasons).

The size is checked from Content-Length before the body is read (the request is refused unread when it is too
large or has no length), and again while the file is copied to its private place in the workspace."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from citra import uploads
from citra.errors import CitraError
from citra.web.auth import Admin, verify_csrf
from citra.web.guard import reject_control_characters
from citra.web.jobs import JobState
from citra.web.pages import state
from citra.web.render import flash, render, translations

KEY = "upload"
OVERHEAD = 64 * 1024  # multipart boundaries and the other fields
REFRESH_S = 2


async def small_enough(request: Request) -> None:
    """Refuse an upload whose declared size is over the limit, or that declares none, before reading it."""
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return
    declared = request.headers.get("content-length", "")
    if not declared.isdigit():
        raise CitraError("the upload must declare its size (Content-Length)")
    if int(declared) > uploads.MAX_BYTES + OVERHEAD:
        raise uploads.TooLarge(
            translations(request).gettext("The file is larger than %(mb)d MB.") % {"mb": uploads.MAX_BYTES >> 20}
        )


# size and role are checked before anything reads the body (the CSRF check reads the form)
router = APIRouter(
    include_in_schema=False,
    dependencies=[
        Depends(small_enough),
        Depends(Admin.__metadata__[0].dependency),
        Depends(reject_control_characters),
        Depends(verify_csrf),
    ],
)


def status(job: JobState) -> dict[str, Any]:
    """The job as the page words it: phase (reading, analysing), counts, the summary when done."""
    phase, read, done, total = "", 0, 0, 0
    parts = job.message.split(":") if job.message else []
    if parts and parts[0] == "read" and len(parts) == 2 and parts[1].isdigit():
        phase, read = "reading", int(parts[1])
    elif parts and parts[0] == "analyse" and len(parts) == 3:
        phase, done, total = "analysing", int(parts[1]), int(parts[2])
    return {
        "state": job.state,
        "phase": phase,
        "read": read,
        "done": done,
        "total": total,
        "seconds": job.seconds,
        "result": job.result if job.state == "done" else None,
        "error": job.message if job.state in ("failed", "cancelled") else "",
    }


@router.get("/pengaturan/unggah", response_class=HTMLResponse)
def upload_page(request: Request, user: Admin) -> HTMLResponse:
    job = request.app.state.uploads.state(KEY)
    shown = status(job) if job.state != "idle" else None
    context = {
        "job": shown,
        "refresh": REFRESH_S if job.running else None,
        "max_mb": uploads.MAX_BYTES >> 20,
        "accept": ",".join([*uploads.SUFFIXES, ".gz"]),
    }
    return render(request, "upload.html", user, context)


@router.post("/pengaturan/unggah")
async def upload(request: Request, user: Admin) -> Response:
    form = await request.form(max_files=1, max_fields=4)
    sent = form.get("file")
    if not isinstance(sent, UploadFile) or not sent.filename:
        raise CitraError(translations(request).gettext("Choose a file to upload."))
    store, ws, memo = state(request)
    jobs = request.app.state.uploads
    if jobs.state(KEY).running:
        raise CitraError(translations(request).gettext("Another file is still being imported; wait until it is done."))
    name = uploads.display_name(sent.filename)
    path = await run_in_threadpool(uploads.keep, sent.file, ws, sent.filename)

    def work(progress: Any) -> dict[str, Any]:
        try:
            return uploads.ingest_and_analyze(store, ws, path, name, progress, progress.cancelled)
        finally:
            memo.clear()  # the dashboard's figures include the new posts

    _, started = jobs.start(KEY, "upload", user.name, work)
    if not started:
        path.unlink(missing_ok=True)
    flash(request, translations(request).gettext("File received: %(name)s. Importing…") % {"name": name})
    return RedirectResponse("/pengaturan/unggah", status_code=303)
