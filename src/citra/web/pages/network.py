"""Jaringan: who is speaking. The network and the coordinated groups (``citra.web.netview``), then share of voice
and spillover (``citra.web.voice``)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query, Request
from fastapi.responses import Response

from citra.web import data, netview
from citra.web.auth import Reader
from citra.web.pages import netposts, state
from citra.web.pages import router as make_router
from citra.web.render import render, translations
from citra.web.voice import voice_section

router = make_router()
router.include_router(netposts.router)  # an account's posts and a coordinated group's, under /jaringan/


@router.get("/jaringan", response_model=None)
def network(
    request: Request,
    user: Reader,
    since: str | None = None,
    until: str | None = None,
    q: Annotated[str | None, Query(max_length=500)] = None,
    window_seconds: Annotated[int | None, Query(ge=1, le=86_400)] = None,
) -> Response:
    store, ws, memo = state(request)
    t = translations(request)
    win = data.window(store, ws, memo, since, until)
    key = ("voice", win.key, request.state.lang)
    context = memo.get(key, lambda: voice_section(store, ws, win.since, win.until, t.gettext))
    people = netview.section(request, win, netview.controls(request, q, window_seconds))
    return render(request, "network.html", user, {"win": win, **context, **people})
