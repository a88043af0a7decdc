"""Control characters are refused at the door: a NUL byte in a form field, a query parameter, a path segment or an
API body cannot be stored by PostgreSQL (its text type has no NUL) and would end as an HTTP 500. Every router
depends on ``reject_control_characters``, which answers 400 naming the field; tab and line breaks are allowed."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import suppress
from typing import Any

import orjson
from fastapi import Request
from fastapi.concurrency import run_in_threadpool

from citra.errors import CitraError
from citra.web.auth import session_user
from citra.web.render import translations

# C0 controls except tab, line feed and carriage return (NUL first among them)
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
FORMS = ("application/x-www-form-urlencoded", "multipart/form-data")


class ControlCharacter(CitraError):
    http_status = 400


def _strings(value: Any, name: str) -> Iterator[tuple[str, str]]:
    """(field, text) of every string in a decoded JSON value, keys included."""
    if isinstance(value, str):
        yield name, value
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item, name)
    elif isinstance(value, dict):
        for key, item in value.items():
            field = f"{name}.{key}" if name else str(key)
            yield field, key
            yield from _strings(item, field)


async def _fields(request: Request) -> list[tuple[str, str]]:
    found = [("path", request.url.path), *request.path_params.items(), *request.query_params.multi_items()]
    found += [(key, key) for key in request.query_params]
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return found
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind in FORMS:  # read once; FastAPI and the CSRF check reuse the parsed form
        form = await request.form()
        found += [(k, v) for k, v in form.multi_items() if isinstance(v, str)] + [(k, k) for k in form]
    elif kind == "application/json" or kind.endswith("+json"):
        body = await request.body()
        with suppress(orjson.JSONDecodeError):  # FastAPI answers malformed JSON itself
            found += list(_strings(orjson.loads(body), ""))
    return found


async def reject_control_characters(request: Request) -> None:
    """Router dependency: 400 when any field holds a control character."""
    for name, text in await _fields(request):
        if isinstance(text, str) and CONTROL.search(text):
            field = CONTROL.sub("?", str(name))[:80] or "body"
            if request.url.path.startswith("/api/"):
                raise ControlCharacter(
                    f"{field}: control characters such as NUL (\\u0000) are not accepted; remove them and retry"
                )
            # the error page shows the usual menu (one query, off the event loop)
            request.state.user = await run_in_threadpool(session_user, request)
            message = translations(request).gettext(
                "The field %(field)s contains a control character (such as a NUL byte) that cannot be saved. "
                "Remove it and try again."
            )
            text = message % {"field": field}
            raise ControlCharacter(text, indonesian=text)  # already in the reader's language
