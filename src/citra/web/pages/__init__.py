"""Server-rendered pages, one module per page or two; every router checks CSRF on unsafe requests."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request

from citra.config import Workspace
from citra.store import Store
from citra.web.auth import verify_csrf
from citra.web.cache import Memo
from citra.web.guard import reject_control_characters


def router() -> APIRouter:
    """A router for pages: left out of the OpenAPI document, control characters refused, CSRF-checked on every
    POST."""
    return APIRouter(include_in_schema=False, dependencies=[Depends(reject_control_characters), Depends(verify_csrf)])


def state(request: Request) -> tuple[Store, Workspace, Memo]:
    s = request.app.state
    return s.store, s.workspace, s.memo
