"""A time bound on database work: a caller (a web request) sets a deadline in a context variable, and every
statement run after it passes is interrupted (SQLite: a progress handler; PostgreSQL: ``statement_timeout`` set
on checkout to the time left), so a request whose client has given up stops using the database.

Work started outside such a context (the CLI, background jobs, cache refreshes in their own threads) is unbounded.
The context variable follows a request into anyio's worker threads, which copy the context."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

import sqlalchemy as sa

from citra.errors import CitraError

DEADLINE: ContextVar[float | None] = ContextVar("citra_deadline", default=None)
# SQLite VM instructions between checks (a few milliseconds of work): each check takes Python's lock, so a
# smaller step makes concurrent queries, which otherwise run without it, take turns (first pages on 1,000,000
# posts took 2-3 times as long with 4,000)
PROGRESS_STEPS = 1_000_000


class DeadlinePassed(CitraError):
    """The time allowed for this work is over (the server is busy or the work is too large)."""

    http_status = 503
    retry_after = 5


def remaining() -> float | None:
    """Seconds left before the current deadline (None: no deadline)."""
    at = DEADLINE.get()
    return None if at is None else at - time.monotonic()


@contextmanager
def within(seconds: float | None) -> Iterator[None]:
    """Bound the database work of this context (and of threads started through anyio from it)."""
    token = DEADLINE.set(None if seconds is None else time.monotonic() + seconds)
    try:
        yield
    finally:
        DEADLINE.reset(token)


def check() -> None:
    """Raise ``DeadlinePassed`` when the deadline is over: call before starting expensive work."""
    left = remaining()
    if left is not None and left <= 0:
        raise DeadlinePassed("the server is busy: the request took too long; try again in a moment")


def _passed() -> int:
    at = DEADLINE.get()
    return 1 if at is not None and time.monotonic() > at else 0


def _sqlite_checkout(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
    """Only a connection taken under a deadline gets the handler: background work runs without the checks."""
    if DEADLINE.get() is None:
        return
    check()
    dbapi_connection.set_progress_handler(_passed, PROGRESS_STEPS)
    record.info["citra_progress"] = True


def _sqlite_checkin(dbapi_connection: Any, record: Any) -> None:
    if dbapi_connection is not None and record.info.pop("citra_progress", False):
        dbapi_connection.set_progress_handler(None, 0)


def _pg_checkout(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
    left = remaining()
    if left is None:
        return
    check()
    with dbapi_connection.cursor() as cur:  # committed at once: a rollback of the work must not undo it
        cur.execute(f"SET statement_timeout = {max(1, int(left * 1000))}")
    dbapi_connection.commit()
    record.info["citra_timeout"] = True


def _pg_checkin(dbapi_connection: Any, record: Any) -> None:
    if dbapi_connection is not None and record.info.pop("citra_timeout", False):
        try:
            with dbapi_connection.cursor() as cur:
                cur.execute("RESET statement_timeout")
            dbapi_connection.commit()
        except Exception:  # a broken connection is discarded by the pool anyway  # noqa: S110
            pass


def _translate(context: sa.engine.ExceptionContext) -> None:
    """An interrupted statement past the deadline becomes ``DeadlinePassed`` (HTTP 503), not a database error."""
    original = context.original_exception
    interrupted = isinstance(original, sqlite3.OperationalError) and "interrupt" in str(original)
    cancelled = type(original).__name__ == "QueryCanceled"
    if (interrupted or cancelled) and DEADLINE.get() is not None:
        raise DeadlinePassed("the server is busy: the request took too long; try again in a moment") from original


def install(engine: sa.Engine) -> None:
    """Make the engine's statements obey ``DEADLINE``."""
    if engine.dialect.name == "sqlite":
        sa.event.listen(engine.pool, "checkout", _sqlite_checkout)
        sa.event.listen(engine.pool, "checkin", _sqlite_checkin)
    else:
        sa.event.listen(engine.pool, "checkout", _pg_checkout)
        sa.event.listen(engine.pool, "checkin", _pg_checkin)
    sa.event.listen(engine, "handle_error", _translate)
