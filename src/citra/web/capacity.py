"""How much the server takes on at once: request threads sized to the database pool, a deadline on each request's
database work, and "busy, try again" (HTTP 503 with Retry-After) instead of an error when the pool is exhausted.

Requests run in anyio's worker threads (sync endpoints); anyio allows 40 by default, more than a database pool
should hold, so ``size_threads`` sets the limit to the configured ``[web] threads`` and the pool gets
``threads`` + ``BACKGROUND`` connections (cache computations, jobs): a request then never waits long for one."""

from __future__ import annotations

import anyio.to_thread
from starlette.types import ASGIApp, Receive, Scope, Send

from citra.config import WebSettings
from citra.store import deadline

BACKGROUND = 4  # connections beside the request threads: cache computations (2), the model job, the warm-up
RETRY_AFTER_S = 2


def pool_size(web: WebSettings) -> int:
    return web.database_pool or web.threads + BACKGROUND


def size_threads(web: WebSettings) -> None:
    """Limit the worker threads of the running event loop (call from the app's lifespan)."""
    anyio.to_thread.current_default_thread_limiter().total_tokens = web.threads


class DeadlineMiddleware:
    """Every HTTP request's database work must end within ``seconds`` of its arrival (time spent waiting for a
    worker thread included), or it is interrupted and answered 503."""

    def __init__(self, app: ASGIApp, seconds: float) -> None:
        self.app = app
        self.seconds = seconds

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        with deadline.within(self.seconds):
            await self.app(scope, receive, send)
