"""Keterlibatan: the inbox of citizens' posts that need a response. Admins route any item; an OPD user sees and
updates only its OPD's queue; analysts and viewers read. Every assignment is audited."""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi import Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from citra import curate, vocab
from citra.records import InboxItem, InboxStatus, Role, User
from citra.store import Store
from citra.web import data
from citra.web.auth import Forbidden, InboxUser, Router
from citra.web.cache import Memo
from citra.web.pages import router as make_router
from citra.web.pages import state
from citra.web.render import back_to, flash, render, translations

router = make_router()
PAGE = 25


def scope_opd(user: User, asked: str | None) -> str | None:
    """The OPD whose queue a user may see: an OPD user only its own."""
    if user.role is Role.OPD:
        if not user.opd:
            raise Forbidden("your account has no OPD")
        return user.opd
    return (asked or "").strip()[:128] or None


def waiting_hours(item: InboxItem, now: datetime) -> float:
    """Hours the citizen waited for the first official answer (or is still waiting)."""
    end = item.answered_at or now
    return max(0.0, (end - item.post.created_at).total_seconds() / 3600)


def opd_names(request: Request) -> list[str]:
    _, ws, memo = state(request)
    return sorted({t.opd for t in data.topics(ws, memo) if t.opd})


@router.get("/keterlibatan", response_class=HTMLResponse)
def inbox(
    request: Request,
    user: InboxUser,
    status: str | None = None,
    opd: str | None = None,
    unanswered: bool = False,
    page: int = 1,
) -> HTMLResponse:
    store, ws, memo = state(request)
    chosen = vocab.optional(InboxStatus, status, "status")
    queue = scope_opd(user, opd)
    page = max(1, min(page, data.MAX_OFFSET // PAGE + 1))
    items = store.inbox.items(status=chosen, opd=queue, limit=PAGE + 1, offset=(page - 1) * PAGE, unanswered=unanswered)
    now = datetime.now(UTC)
    context = {
        "items": [
            (item, waiting_hours(item, now), curate.may_route(user, item.opd or item.suggested_opd))
            for item in items[:PAGE]
        ],
        "more": len(items) > PAGE,
        "page": page,
        "status": chosen.value if chosen else "",
        "statuses": [s.value for s in InboxStatus],
        "opd": queue or "",
        "opds": opd_names(request),
        "unanswered": unanswered,
        "counts": data.inbox_counts_soon(store, memo, queue),
        "cap": data.COUNT_CAP,
        "topic_names": data.topic_names(ws, memo, request.state.lang),
        "own_opd": user.opd if user.role is Role.OPD else None,
    }
    return render(request, "inbox.html", user, context)


def assign(
    store: Store,
    memo: Memo,
    user: User,
    post_id: int,
    *,
    opd: str | None,
    assignee: str | None,
    status: InboxStatus | str | None,
    note: str | None,
) -> InboxItem:
    """Route an item (``curate.assign``: roles checked, audited) and forget the cached inbox counts."""
    done = curate.assign(store, user, post_id, opd=opd, assignee=assignee, status=status, note=note)
    memo.forget("inbox")
    return done


@router.post("/keterlibatan/assign")
def assign_form(
    request: Request,
    user: Router,
    post_id: int = Form(...),
    opd: str = Form("", max_length=128),
    assignee: str = Form("", max_length=80),
    status: str = Form("", max_length=16),
    note: str = Form("", max_length=2000),
    back: str = Form("/keterlibatan", max_length=2000),
) -> RedirectResponse:
    store, _, memo = state(request)
    # a blank field keeps the item's value
    assign(store, memo, user, post_id, opd=opd, assignee=assignee, status=status, note=note.strip() or None)
    flash(request, translations(request).gettext("Assignment saved."))
    return back_to(back if back.startswith("/keterlibatan") else None, "/keterlibatan")
