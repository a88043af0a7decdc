"""Percakapan: search and filter posts, open the original, correct a sentiment label (stored as a human label
that ``citra train`` can use, and audited)."""

from __future__ import annotations

from fastapi import Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from citra import curate
from citra.records import Platform, Sentiment
from citra.store import Page, QuerySyntaxError
from citra.web import data
from citra.web.auth import EDITORS, Editor, Reader
from citra.web.pages import router as make_router
from citra.web.pages import state
from citra.web.render import back_to, flash, render, translations
from citra.web.text import clean

router = make_router()
PAGE = 25


@router.get("/percakapan", response_class=HTMLResponse)
def conversations(
    request: Request,
    user: Reader,
    q: str | None = None,
    platform: str | None = None,
    sentiment: str | None = None,
    topic: str | None = None,
    since: str | None = None,
    until: str | None = None,
    who: str | None = None,
    cursor: str | None = None,
) -> HTMLResponse:
    store, ws, memo = state(request)
    names = data.topic_names(ws, memo, request.state.lang)
    win = data.window(store, ws, memo, since, until)
    filters = data.Filters(
        text=clean(q).strip()[:500] or None,
        platform=data.parse_platform(platform),
        sentiment=data.parse_sentiment(sentiment),
        topic=topic if topic in names else None,
        official={"official": True, "citizen": False}.get(who or ""),
    )
    query_error = None
    try:
        found = data.posts_page(store, win, filters, cursor, PAGE)
    except QuerySyntaxError as exc:  # shown beside the search box, in the page's language
        query_error = exc.indonesian if request.state.lang == "id" else str(exc)
        found = Page([])
    context = {
        "win": win,
        "filters": filters,
        "q": filters.text or "",
        "who": who or "",
        "since": since or "",
        "until": until or "",
        "found": found,
        "query_error": query_error,
        "first": not cursor,
        "topic_names": names,
        "platforms": [p.value for p in Platform],
        "sentiments": [s.value for s in Sentiment],
        "can_label": user.role in EDITORS,
        "saved": request.query_params.get("saved"),
    }
    return render(request, "conversations.html", user, context)


@router.post("/percakapan/label")
def correct_label(
    request: Request,
    user: Editor,
    platform: str = Form(..., max_length=16),
    native_id: str = Form(..., max_length=128),
    label: str = Form(..., max_length=16),
    back: str = Form("/percakapan", max_length=2000),
) -> RedirectResponse:
    store, _, _ = state(request)
    t = translations(request)
    found = curate.post_by_native_id(store, platform, native_id)
    curate.set_label(store, user.name, found.id, sentiment=label, via="web")
    flash(request, t.gettext("Label saved: it will be used by the next citra train."))
    target = back if back.startswith("/percakapan") else "/percakapan"
    return back_to(target, "/percakapan")
