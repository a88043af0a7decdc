"""The app factory: ``create_app(workspace)`` opens the Store once and wires middleware, pages and the API.

Nothing happens at import time; everything the app needs lives on ``app.state``."""

from __future__ import annotations

import importlib
import logging
import os
import secrets
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from importlib.metadata import version
from pathlib import Path

import plotly
from fastapi import FastAPI, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.gzip import GZipMiddleware

from citra.config import Workspace
from citra.errors import CitraError
from citra.store import QuerySyntaxError, Store
from citra.store.deadline import DeadlinePassed as Busy
from citra.web import api, api_network, api_voice, capacity, i18n, messages
from citra.web.auth import LoginLimiter, NotAuthenticated
from citra.web.cache import Memo
from citra.web.jobs import Job, Jobs
from citra.web.middleware import EdgeMiddleware, SessionMiddleware
from citra.web.pages import (
    account,
    alerts,
    conversations,
    glossary,
    inbox,
    labelling,
    login,
    network,
    newissues,
    overview,
    publications,
    reports,
    settings,
    settings_config,
    upload,
)
from citra.web.proxy import ProxyHeadersMiddleware
from citra.web.render import render, templates

STATIC = Path(__file__).with_name("static")
PLOTLY_JS = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
SECRET_FILE = ".secret_key"  # noqa: S105 - a file name, not a secret
FAILED_PAGE = (
    '<!doctype html><html lang="id"><meta charset="utf-8"><meta name="viewport" content="width=device-width">'
    "<title>Terjadi kesalahan · citra</title><h1>Terjadi kesalahan</h1><p>Terjadi kesalahan di server; coba lagi "
    'nanti.</p><p><a href="/">Ke Ringkasan</a></p></html>'
)
UPLOAD_TIMEOUT_S = 3600.0  # an uploaded file's import and analysis
SHUTDOWN_JOBS_S = 10.0  # how long a stopping server waits for its background jobs
log = logging.getLogger(__name__)


def secret_key_for(workspace: Workspace) -> str:
    """``CITRA_SECRET_KEY``, else a random key kept in ``<workspace>/.secret_key`` (mode 0600)."""
    from_env = os.environ.get("CITRA_SECRET_KEY")
    if from_env:
        return from_env
    path = workspace.root / SECRET_FILE
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text(encoding="ascii").strip()
    key = secrets.token_hex(32)
    with os.fdopen(fd, "w", encoding="ascii") as f:
        f.write(key)
    return key


def create_app(
    workspace: Workspace,
    *,
    secret_key: str | None = None,
    secure_cookies: bool = False,
    session_hours: float = 12.0,
    cache_seconds: float = 300.0,
    warm_cache: bool = False,
    deep_worker: bool = False,
) -> FastAPI:
    """The web app of one workspace. ``secure_cookies`` forces the Secure flag (it is set over https anyway);
    ``cache_seconds`` is how long aggregates are served before a background refresh; ``warm_cache`` computes
    the overview's aggregates in the background at start-up; ``deep_worker`` runs the deep tier on new posts in a
    background thread (``citra.deep.DeepWorker``)."""
    web = workspace.settings.web
    store = Store.open(workspace.database_url, pool_size=capacity.pool_size(web), pool_timeout=web.pool_timeout)
    store.check_current()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        capacity.size_threads(web)  # request threads <= database connections
        from citra.reports import files as reportfiles  # the report builder's module: imported here, not at start

        reportfiles.prune(workspace)
        if warm_cache:
            threading.Thread(target=_warm, args=(app,), daemon=True).start()
        worker = None
        if deep_worker:
            from citra.deep import DeepWorker

            worker = DeepWorker(store, workspace)
            worker.start()
        yield
        if worker is not None:
            await run_in_threadpool(worker.shutdown, SHUTDOWN_JOBS_S)
        # uvicorn has stopped accepting and finished (or given up on) the requests in flight: stop the jobs
        await run_in_threadpool(app.state.reports.shutdown, SHUTDOWN_JOBS_S)
        await run_in_threadpool(app.state.jobs.shutdown, SHUTDOWN_JOBS_S)
        await run_in_threadpool(app.state.uploads.shutdown, SHUTDOWN_JOBS_S)
        store.close()

    app = FastAPI(
        title="citra API",
        version=version("citra"),
        description="Social listening and public-image measurement. Authenticate with `Authorization: Bearer <token>` "
        "(create one with `citra token create USER NAME`).",
        docs_url=None,
        redoc_url=None,
        openapi_url="/openapi.json",
        lifespan=lifespan,
    )
    state = app.state
    state.workspace = workspace
    state.store = store
    state.memo = Memo(cache_seconds)
    state.limiter = LoginLimiter()
    state.translations = i18n.load()
    state.templates = templates()
    state.session_hours = session_hours
    state.plotly_version = plotly.__version__
    state.jobs = Job()  # retrain / rollback of the sentiment model, one at a time
    state.reports = Jobs(web.report_builds, timeout=web.report_timeout)  # Laporan builds, one per month and format
    state.uploads = Jobs(1, timeout=UPLOAD_TIMEOUT_S)  # files uploaded to ingest (Pengaturan), one at a time

    app.add_middleware(capacity.DeadlineMiddleware, seconds=web.request_timeout)
    app.add_middleware(GZipMiddleware, minimum_size=2048, compresslevel=5)  # 9 costs twice the CPU for ~3 % less
    app.add_middleware(
        SessionMiddleware,
        secret_key=secret_key or secret_key_for(workspace),
        max_age=int(session_hours * 3600),
        secure=secure_cookies,
    )
    app.add_middleware(EdgeMiddleware, secure=secure_cookies)
    # outermost: the client address and scheme the others see come from a trusted proxy's headers, or the socket
    app.add_middleware(ProxyHeadersMiddleware, trusted=workspace.settings.web.trusted_proxies)

    @app.get("/static/plotly.min.js", include_in_schema=False)
    def plotly_js() -> FileResponse:
        return FileResponse(
            PLOTLY_JS, media_type="text/javascript", headers={"cache-control": "public, max-age=604800"}
        )

    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.include_router(api.router)
    app.include_router(api_voice.router)
    app.include_router(api_network.router)
    pages = (
        login,
        overview,
        conversations,
        labelling,
        alerts,
        publications,
        inbox,
        reports,
        settings,
        account,
        glossary,
    )
    pages += (settings_config, upload, newissues, network)
    for page in pages:
        app.include_router(page.router)
    _errors(app)
    return app


def _api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def _errors(app: FastAPI) -> None:
    @app.exception_handler(CitraError)
    async def domain_error(request: Request, exc: CitraError) -> Response:
        wait = getattr(exc, "retry_after", None)  # TooManyAttempts, auth.Busy
        headers = {"retry-after": str(wait)} if isinstance(wait, int) else None
        if _api(request):
            if isinstance(exc, NotAuthenticated):
                headers = {"www-authenticate": "Bearer"}
            body: dict[str, object] = {"detail": str(exc)}
            if isinstance(exc, QuerySyntaxError):  # where the query went wrong, for the caller to point at
                body |= {"position": exc.position, "reason": exc.reason}
            return JSONResponse(body, exc.http_status, headers=headers)
        if isinstance(exc, NotAuthenticated):
            target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
            from urllib.parse import quote

            return RedirectResponse(f"/login?next={quote(target, safe='')}", status_code=303)
        page = _error_page(request, str(exc), exc.http_status, getattr(exc, "indonesian", "") or "")
        page.headers.update(headers or {})  # Retry-After on pages too
        return page

    @app.exception_handler(PoolTimeout)
    async def busy(request: Request, exc: PoolTimeout) -> Response:
        """Every database connection stayed taken for ``pool_timeout``: busy, not broken."""
        log.warning("no database connection free: %s", exc)
        return await domain_error(request, Busy("the server is busy; try again in a moment"))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if _api(request) or request.url.path.startswith("/static/"):
            return JSONResponse({"detail": exc.detail}, exc.status_code, headers=exc.headers)
        return _error_page(request, str(exc.detail), exc.status_code)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        if _api(request):  # FastAPI's documented shape (HTTPValidationError)
            return JSONResponse({"detail": jsonable_encoder(exc.errors())}, 422)
        text = messages.problems(exc.errors(), request.state.lang)
        return _error_page(request, text, 422, text if request.state.lang == "id" else "")

    @app.exception_handler(Exception)
    async def failure(request: Request, exc: Exception) -> Response:
        """A bug: the reader gets a page in their language, never a stack trace (Starlette raises the error again
        after this answer, so the server logs its traceback once)."""
        if _api(request):
            return JSONResponse({"detail": "internal server error"}, 500)
        try:
            return _error_page(request, "internal server error", 500, "Terjadi kesalahan di server; coba lagi nanti.")
        except Exception:  # outside the session's reach (the error came from the middleware itself)
            return HTMLResponse(FAILED_PAGE, 500)


def _error_page(request: Request, message: str, status: int, own: str = "") -> Response:
    """The error page: a title and text in the reader's language (``own``: the error's own Indonesian)."""
    lang = getattr(request.state, "lang", i18n.DEFAULT)
    request.state.lang = lang
    shown = messages.shown(message, status, lang, own)
    user = getattr(request.state, "user", None)
    context = {"message": shown.text, "detail": shown.detail, "title": shown.title, "status": status}
    return render(request, "error.html", user, context, status)


def _warm(app: FastAPI) -> None:
    """Compute the default views' aggregates once (overview, Isu & OPD, Publikasi, the inbox counts, each
    intervention's impact), so that people do not wait for them after a start."""
    from citra.web import data, impact

    state = app.state
    store, ws, memo = state.store, state.workspace, state.memo
    try:
        win = data.window(store, ws, memo)
        data.index_series(store, ws, memo, win)
        data.index_series(store, ws, memo, win, freq="week")
        for by in ("topic", "opd", "target"):
            data.totals(store, ws, memo, win, by)
        data.index_series(store, ws, memo, win, freq="week", by="target")
        data.inbox_counts(store, memo, None)
        data.engagement(store, ws, memo, win)
        importlib.import_module("citra.reports")  # the Laporan page's builder, slow to import the first time
        for item in store.interventions():
            with suppress(CitraError):  # too little data before it: the page says so when asked
                impact.measure(store, ws, memo, item, item.metric, item.window_days)
    except Exception:  # a failing warm-up only means the first visitor waits
        log.exception("warming the cache failed")
