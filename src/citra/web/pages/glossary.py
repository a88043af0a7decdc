"""Glosarium: what the dashboard's measures mean, in plain words (the (i) tooltips link here)."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import HTMLResponse

from citra.web.auth import AnyUser
from citra.web.glossary import ENTRIES
from citra.web.pages import router as make_router
from citra.web.render import render

router = make_router()


@router.get("/glosarium", response_class=HTMLResponse)
def glossary(request: Request, user: AnyUser) -> HTMLResponse:
    return render(request, "glossary.html", user, {"entries": ENTRIES})
