"""Jaringan: who is speaking. For now the share-of-voice and spillover section (``citra.web.voice``); the network
and the coordinated groups join it on the same page."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import Response

from citra.web import data
from citra.web.auth import Reader
from citra.web.pages import router as make_router
from citra.web.pages import state
from citra.web.render import render, translations
from citra.web.voice import voice_section

router = make_router()


@router.get("/jaringan", response_model=None)
def network(request: Request, user: Reader, since: str | None = None, until: str | None = None) -> Response:
    store, ws, memo = state(request)
    t = translations(request)
    win = data.window(store, ws, memo, since, until)
    key = ("voice", win.key, request.state.lang)
    context = memo.get(key, lambda: voice_section(store, ws, win.since, win.until, t.gettext))
    return render(request, "network.html", user, {"win": win, **context})
