"""Percakapan: search and filter posts, open the original, correct a sentiment label (stored as a human label
that ``citra train`` can use, and audited). Every number on the dashboard links here with its filters
(``citra.web.links``); the same URL with ``format=csv`` downloads the whole list, and a search can be saved for
the team (``saved=<id>`` applies it)."""

from __future__ import annotations

from typing import Any

from fastapi import Form, Request
from fastapi.responses import RedirectResponse, Response

from citra import curate, filters
from citra.alerts import wording
from citra.errors import NotFound
from citra.records import Platform, Sentiment, User
from citra.store import Page, QuerySyntaxError
from citra.web import data, downloads, links
from citra.web.auth import EDITORS, Editor, Reader
from citra.web.pages import router as make_router
from citra.web.pages import state
from citra.web.pages.publications import CATEGORIES
from citra.web.render import back_to, flash, render, translations
from citra.web.text import clean

router = make_router()
PAGE = 25


def _params(request: Request) -> tuple[dict[str, str], Any]:
    """The page's filter parameters: a saved search's (``saved=<id>``) overridden by those given in the URL."""
    given = {k: clean(v) for k, v in request.query_params.items() if k in filters.PARAMS}
    saved = None
    if given.get("saved"):
        try:
            saved = request.app.state.store.saved.get(int(given["saved"]))
        except (ValueError, NotFound):
            raise NotFound("this saved search no longer exists") from None
        given = saved.params | {k: v for k, v in given.items() if v}
    return given, saved


def _chips(
    params: dict[str, str],
    explicit: dict[str, str],
    saved: Any,
    names: dict[str, str],
    roles: dict[str, str],
    t: Any,
) -> list[tuple[str, str]]:
    """(label, link without it) of each active filter, shown as a removable chip; the period stays."""
    _ = t.gettext
    labels = {
        "q": _("Search"),
        "topic": _("Topic"),
        "opd": _("OPD"),
        "target": _("About"),
        "sentiment": _("Sentiment"),
        "platform": _("Platform"),
        "who": _("Who"),
        "category": _("Category"),
    }
    values = {
        "topic": names.get(params.get("topic", ""), params.get("topic", "")),
        "target": wording.target_words(params.get("target", ""), roles),
        "sentiment": _(params.get("sentiment", "")),
        "who": {"citizen": _("citizens"), "official": _("official accounts")}.get(params.get("who", ""), ""),
        "category": _(CATEGORIES[cat]) if (cat := params.get("category", "")) in CATEGORIES else cat,
    }
    expanded = {k: v for k, v in params.items() if k != "saved"}
    out = []
    if saved is not None:
        own = {k: v for k, v in explicit.items() if k in filters.PARAMS and k != "saved"}
        out.append((f"{_('Saved search')}: {saved.name}", links.conversations_url(**own)))
    for k in filters.FILTER_PARAMS:
        if params.get(k):
            rest = {n: v for n, v in expanded.items() if n != k}
            out.append((f"{labels[k]}: {values.get(k) or params[k]}", links.conversations_url(**rest)))
    return out


@router.get("/percakapan", response_model=None)
def conversations(request: Request, user: Reader, cursor: str | None = None) -> Response:
    store, ws, memo = state(request)
    t = translations(request)
    names = data.topic_names(ws, memo, request.state.lang)
    params, saved = _params(request)
    win = data.window(store, ws, memo, params.get("since"), params.get("until"))
    chosen = filters.parse(params)
    if request.query_params.get("format") == "csv":
        pages = data.each_post(store, win, chosen, page_seconds=ws.settings.web.request_timeout)
        rows = (downloads.post_row(f, ws.tz, names) for f in pages)
        return downloads.csv_response(downloads.filename("percakapan", win), downloads.POST_COLUMNS, rows)
    query_error, total = None, None
    try:
        found = data.posts_page(store, win, chosen, cursor, PAGE)
        total = data.posts_count(store, memo, win, chosen)
    except QuerySyntaxError as exc:  # shown beside the search box, in the page's language
        query_error = exc.indonesian if request.state.lang == "id" else str(exc)
        found = Page([])
    context = {
        "win": win,
        "filters": chosen,
        "q": chosen.text or "",
        "who": params.get("who", ""),
        "found": found,
        "total": total,
        "query_error": query_error,
        "first": not cursor,
        "topic_names": names,
        "platforms": [p.value for p in Platform],
        "sentiments": [s.value for s in Sentiment],
        "can_label": user.role in EDITORS,
        "chips": _chips(params, dict(request.query_params), saved, names, wording.leader_roles(ws), t),
        "saved": saved,
        "searches": store.saved.all(),
        "save_params": chosen.params() | {k: params[k] for k in ("since", "until") if params.get(k)},
        "may_change": lambda s: user.role.value == "admin" or s.created_by == user.name,
        "can_watch": user.role in EDITORS,
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
    flash(request, t.gettext("Label saved: it will be used when the model is next retrained (Label posts page)."))
    target = back if back.startswith("/percakapan") else "/percakapan"
    return back_to(target, "/percakapan")


async def _form_params(request: Request) -> dict[str, str]:
    form = await request.form()
    return {k: str(v) for k, v in form.items() if k in filters.PARAMS and k != "saved"}


@router.post("/percakapan/simpan")
async def save_search(request: Request, user: Reader, name: str = Form(..., max_length=200)) -> RedirectResponse:
    """Save the current filters under a name (the form carries them as hidden fields)."""
    store, _, _ = state(request)
    saved_id = curate.save_search(store, user, name, await _form_params(request))
    flash(request, translations(request).gettext("Search saved: the whole team can use it."))
    return back_to(f"/percakapan?saved={saved_id}", "/percakapan")


def _change(request: Request, user: User, saved_id: int, name: str | None) -> RedirectResponse:
    store, _, _ = state(request)
    t = translations(request)
    if name is None:
        curate.delete_search(store, user, saved_id)
        flash(request, t.gettext("Saved search deleted."))
    else:
        curate.rename_search(store, user, saved_id, name)
        flash(request, t.gettext("Saved search renamed."))
    return back_to("/percakapan", "/percakapan")


@router.post("/percakapan/simpan/{saved_id}/ganti-nama")
def rename_search(
    request: Request, user: Reader, saved_id: int, name: str = Form(..., max_length=200)
) -> RedirectResponse:
    return _change(request, user, saved_id, name)


@router.post("/percakapan/simpan/{saved_id}/pantau")
def watch_search(request: Request, user: Editor, saved_id: int, watched: str = Form("1")) -> RedirectResponse:
    """Mark a saved search "Pantau" (an alert scope: the alert scan looks for spikes within it) or stop."""
    store, _, _ = state(request)
    t = translations(request)
    on = watched == "1"
    curate.watch_search(store, user, saved_id, on)
    if on:
        flash(request, t.gettext("Search watched: the alert scan now also looks for spikes within it."))
    else:
        flash(request, t.gettext("This search is no longer watched."))
    return back_to("/percakapan#saved-searches", "/percakapan")


@router.post("/percakapan/simpan/{saved_id}/hapus")
def delete_search(request: Request, user: Reader, saved_id: int) -> RedirectResponse:
    return _change(request, user, saved_id, None)
