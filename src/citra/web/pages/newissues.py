"""Isu baru on Isu & OPD: clusters of the last days' uncovered complaints (``citra.newissues``), a page with the
posts of one, and "Jadikan topik", which adds a cluster to the workspace's taxonomy (``curate.add_topic``).

The clusters are computed on the first request for a period and cached (``Memo``): on the demo workspace
the computation takes well under a second from stored vectors. Adding a topic reloads the workspace and drops the
cache, so the cluster the new topic covers disappears at once."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from typing import Any

from fastapi import Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from citra import curate, newissues
from citra.analytics.newissues import NewIssue
from citra.errors import CitraError, NotFound
from citra.nlp.normalize import Normalizer
from citra.nlp.topics import Taxonomy
from citra.records import Role, User
from citra.store.query import PostQuery
from citra.web import data
from citra.web.auth import Editor, Reader
from citra.web.pages import router as make_router
from citra.web.pages import state
from citra.web.pages.settings_config import reload
from citra.web.render import back_to, flash, render, translations

router = make_router()
SHOWN = 5  # clusters listed on Isu & OPD
DRILL_MAX = 200  # posts listed on a cluster's page


def _job(request: Request, until: datetime) -> tuple[tuple[str, str], Callable[[], newissues.Found]]:
    """The cache key and the computation of the new issues of the ``newissues.HOURS`` before ``until``."""
    store, ws, memo = state(request)

    def run() -> newissues.Found:
        tax = memo.get(("taxonomy", "compiled"), lambda: Taxonomy.for_settings(ws))
        norm = memo.get(
            ("normalizer",), lambda: Normalizer.with_lexicons([ws.path(p) for p in ws.settings.nlp.lexicons])
        )
        return newissues.find(store, ws, until, taxonomy=tax, normalizer=norm)

    return ("newissues", until.isoformat()), run


def found(request: Request, until: datetime) -> newissues.Found:
    """The new issues of the period ending at ``until`` (cached per period and settings)."""
    key_, run = _job(request, until)
    return state(request)[2].get(key_, run)


def peek(request: Request, until: datetime) -> newissues.Found | None:
    """As ``found``, but None while they are first computed in the background: a cold run on a million posts'
    workspace takes seconds, and Isu & OPD shows the rest of the page meanwhile."""
    key_, run = _job(request, until)
    return state(request)[2].peek(key_, run)


def _until(request: Request, day: date | None) -> datetime:
    """The end of the period: the end of ``day``, else of the dashboard's last day (the newest data's)."""
    store, ws, memo = state(request)
    last = day or data.last_day(store, ws, memo)
    return datetime.combine(last + timedelta(days=1), time(), ws.tz)


def key(issue: NewIssue) -> int:
    """A cluster's name in links: its newest post's id (stable while the period and the posts stay)."""
    return issue.post_ids[0]


def section(request: Request, user: User, last: date) -> dict[str, Any]:
    """The context of the Isu baru card for a window ending on day ``last``."""
    until = _until(request, last)
    got = peek(request, until)
    if got is None:
        return {"new_issues_pending": True}
    return {
        "new_issues_pending": False,
        "new_issues": got.issues[:SHOWN],
        "new_issues_more": max(0, len(got.issues) - SHOWN),
        "new_issues_found": got,
        "new_issues_day": (until - timedelta(days=1)).date().isoformat(),
        "can_add_topic": user.role in (Role.ADMIN, Role.ANALYST),
    }


@router.get("/isu/baru", response_class=HTMLResponse)
def cluster_page(request: Request, user: Reader, c: int, day: str | None = None) -> HTMLResponse:
    """The posts of one new issue (``c``: its key) of the period ending on ``day``."""
    store, ws, _ = state(request)
    until = _until(request, data.parse_day(day, "day"))
    got = found(request, until)
    issue = next((i for i in got.issues if key(i) == c), None)
    if issue is None:
        raise NotFound("this new issue is no longer in the list (the period changed or a topic now covers it)")
    page = store.search(PostQuery(ids=issue.post_ids[:DRILL_MAX]), limit=DRILL_MAX)
    context = {
        "issue": issue,
        "posts": page.items,
        "got": got,
        "day": (until - timedelta(days=1)).date().isoformat(),
        "can_add_topic": user.role in (Role.ADMIN, Role.ANALYST),
        "topic_names": data.topic_names(ws, request.app.state.memo, request.state.lang),
    }
    return render(request, "newissue.html", user, context)


@router.post("/isu/baru/topik")
async def add_topic(request: Request, user: Editor, name: str = Form(..., max_length=200)) -> RedirectResponse:
    """Jadikan topik: the cluster's terms become the patterns of a new topic of the workspace's taxonomy."""
    store, ws, _ = state(request)
    form = await request.form()
    terms = [str(t) for t in form.getlist("terms")]
    posts = [int(p) for p in str(form.get("posts", "")).split(",") if p.strip().isdigit()]
    t = translations(request)
    try:
        fresh, _tid = curate.add_topic(store, user, ws, name, terms, posts)
    except CitraError as exc:
        flash(request, t.gettext("Topic not added: %(reason)s") % {"reason": str(exc)}, "error")
        return back_to("/isu#isu-baru", "/isu")
    reload(request, fresh)
    flash(
        request,
        t.gettext("Topic %(name)s added to the taxonomy (%(file)s); posts get it when they are next analysed.")
        % {"name": name, "file": fresh.settings.nlp.topics},
    )
    return back_to("/isu#isu-baru", "/isu")
