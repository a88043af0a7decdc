"""The posts behind the Jaringan page: one account's posts in the window (a page, or with ``partial=1`` the
fragment ``static/network.js`` shows beside the graph when an account is clicked) and every post of a coordinated
group, with its time to the second."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query, Request
from fastapi.responses import HTMLResponse

from citra.errors import CitraError, NotFound
from citra.store.query import CountMode, Order, PostQuery
from citra.web import data, netdata, netview
from citra.web.auth import Reader
from citra.web.pages import router as make_router
from citra.web.pages import state
from citra.web.render import render

router = make_router()
ACCOUNT_POSTS = 20  # newest posts of an account shown
GROUP_POSTS = 200  # posts of a group listed


def _handle(value: str) -> str:
    handle = value.strip().lstrip("@")
    if not handle or len(handle) > 100 or any(ch.isspace() for ch in handle):
        raise CitraError("handle: give an account's handle, e.g. humaskota")
    return handle


@router.get("/jaringan/akun", response_class=HTMLResponse)
def account(
    request: Request,
    user: Reader,
    handle: Annotated[str, Query(max_length=101)],
    since: str | None = None,
    until: str | None = None,
    partial: bool = False,
) -> HTMLResponse:
    """The newest ``ACCOUNT_POSTS`` posts of ``handle`` in the window, with how many it wrote in all."""
    store, ws, memo = state(request)
    win = data.window(store, ws, memo, since, until)
    who = _handle(handle)
    query = PostQuery(author=who, since=win.since, until=win.until, order=Order.NEWEST)
    found = store.search(query, limit=ACCOUNT_POSTS, count=CountMode.BOUNDED)
    context = {
        "win": win,
        "handle": who,
        "posts": netview.timed(found.items, ws.tz, request.state.lang),
        "total": found.total if found.total is not None else len(found.items),
        "total_exact": found.total_exact,
    }
    return render(request, "_network_posts.html" if partial else "network_posts.html", user, context)


@router.get("/jaringan/kelompok", response_class=HTMLResponse)
def group(
    request: Request,
    user: Reader,
    n: Annotated[int, Query(ge=1, le=100_000)],
    since: str | None = None,
    until: str | None = None,
    q: Annotated[str | None, Query(max_length=500)] = None,
    window_seconds: Annotated[int | None, Query(ge=1, le=86_400)] = None,
) -> HTMLResponse:
    """Every post (up to ``GROUP_POSTS``) of coordinated group ``n`` of the window, oldest first."""
    store, ws, memo = state(request)
    win = data.window(store, ws, memo, since, until)
    c = netview.controls(request, q, window_seconds)
    if c.error:
        raise CitraError(c.error)
    found = netdata.who_speaks(store, memo, win, c.q or None, c.seconds).coordination
    if n > len(found.groups):
        raise NotFound("this coordinated group is no longer in the list (the period or the posts changed)")
    g = found.groups[n - 1]
    ids = g.posts[:GROUP_POSTS]
    stored = {f.id: f for f in store.search(PostQuery(ids=tuple(ids)), limit=len(ids)).items}
    lang = request.state.lang
    context = {
        "win": win,
        "g": netview.group_view(n, g, found, win, c, ws.tz, lang),
        "posts": [
            (stored[i], netview.when(stored[i].post.created_at.timestamp(), ws.tz, lang)) for i in ids if i in stored
        ],
        "total": len(g.posts),
        "net_account_url": netview.account_url(win),
        "back": netview.page_url(win, c) + f"#kelompok-{n}",
    }
    return render(request, "network_group.html", user, context)
