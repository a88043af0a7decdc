"""Keterlibatan: the inbox of citizens' posts that need a response. Admins route any item, one or many at once; an
OPD user sees and updates only its OPD's queue and hands back items that are not its own; analysts and viewers
read. Items are sorted by priority (deadline in working days, the author's reach, negativity) by default. Every
change is audited (``curate``)."""

from __future__ import annotations

import gettext
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Annotated

from fastapi import Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from citra import curate, vocab
from citra.records import InboxItem, InboxStatus, Role, User
from citra.store import Store, priority
from citra.web import data, inbox_csv, similar
from citra.web.auth import Forbidden, InboxUser, Router
from citra.web.cache import Memo
from citra.web.pages import router as make_router
from citra.web.pages import state
from citra.web.render import Formatter, back_to, flash, render, translations
from citra.workdays import Deadlines, for_workspace

router = make_router()
PAGE = 25
SORTS = ("priority", "newest", "oldest")
SETTLED = (InboxStatus.ANSWERED, InboxStatus.DONE)


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


@dataclass(frozen=True)
class Urgency:
    """How an item's priority reads: a badge ("lewat tenggat", "mendesak"; none for others) and its reasons."""

    level: str  # overdue | urgent | ""
    badge: str
    reasons: tuple[str, ...]


def urgency(item: InboxItem, rules: Deadlines, now: datetime, t: gettext.NullTranslations, fmt: Formatter) -> Urgency:
    """The badge and the reasons behind an item's priority, read from the score's parts (so the page says what
    the SQL sorted by), in the page's language."""
    if item.status in SETTLED or item.due_at is None:
        return Urgency("", "", ())
    reasons: list[str] = []
    level = badge = ""
    if item.priority & priority.OVERDUE:
        level, badge = "overdue", t.gettext("overdue")
        late = -rules.calendar.left(now, item.due_at)
        if late > 0:
            reasons.append(t.gettext("%(n)d working day(s) late") % {"n": late})
        else:
            reasons.append(t.gettext("deadline was %(when)s") % {"when": fmt.when(item.due_at)})
    else:
        if item.priority & priority.URGENT:
            level, badge = "urgent", t.gettext("urgent")
        reasons.append(t.gettext("due %(when)s") % {"when": fmt.when(item.due_at)})
    if item.priority & priority.REACH:
        reasons.append(t.gettext("%(n)s followers") % {"n": fmt.num(item.post.author.followers or 0)})
    if item.priority & priority.NEGATIVE:
        reasons.append(t.gettext("negative"))
    return Urgency(level, badge, tuple(reasons))


def people(store: Store, user: User) -> list[tuple[str, str | None]]:
    """Active users an item may be assigned to, (name, OPD): an OPD user picks among its own OPD's users."""
    found = [(u.name, u.opd) for u in store.accounts.users() if u.active]
    if user.role is Role.OPD:
        found = [(n, o) for n, o in found if o == user.opd]
    return sorted(found, key=lambda p: p[0].lower())


@router.get("/keterlibatan", response_class=HTMLResponse)
def inbox(
    request: Request,
    user: InboxUser,
    status: str | None = None,
    opd: str | None = None,
    unanswered: bool = False,
    overdue: bool = False,
    sort: str = "priority",
    page: int = 1,
    format: str = "",
    item: int | None = None,
) -> Response:
    store, ws, memo = state(request)
    chosen = vocab.optional(InboxStatus, status, "status")
    order = sort if sort in SORTS else "priority"
    queue = scope_opd(user, opd)
    page = max(1, min(page, data.MAX_OFFSET // PAGE + 1))
    rules, now = for_workspace(ws), datetime.now(UTC)
    if format == "csv":  # the whole filtered list, an OPD user's own queue only (scope_opd)
        return inbox_csv.download(
            store,
            status=chosen,
            opd=queue,
            unanswered=unanswered,
            overdue=overdue,
            sort=order,  # type: ignore[arg-type]
            rules=rules,
            now=now,
            tz=ws.tz,
            words=translations(request),
        )
    fresh: list[bool] = []

    def page_items() -> list[InboxItem]:
        fresh.append(True)
        return store.inbox.items(
            status=chosen,
            opd=queue,
            limit=PAGE + 1,
            offset=(page - 1) * PAGE,
            unanswered=unanswered,
            sort=order,  # type: ignore[arg-type]
            rules=rules,
            overdue=overdue,
            now=now,
        )

    # the priority sort ranks the whole open inbox (1.5 s on 1,000,000 posts): a page is cached like the dashboard's
    # figures, under "inbox", which every change through the web forgets
    if item is not None:  # one item (a similar complaint's link); an OPD user may open its own queue's only
        items = [one(store, user, item, rules)]
    else:
        items = memo.get(("inbox", "page", queue, chosen, unanswered, overdue, order, page), page_items)[: PAGE + 1]
    shown = items[:PAGE]
    if fresh and any(i.status is InboxStatus.ANSWERED for i in items):
        memo.drop(("inbox", queue))  # reading may have marked items answered: the counts moved
    t, fmt = translations(request), Formatter(request.state.lang, ws.tz)
    notes = store.inbox.notes([i.post_id for i in shown])
    context = {
        "items": [
            (
                item,
                waiting_hours(item, now),
                curate.may_route(user, curate.queue_of(item)),
                urgency(item, rules, now, t, fmt),
                notes.get(item.post_id, []),
            )
            for item in shown
        ],
        "more": len(items) > PAGE,
        "page": page,
        "status": chosen.value if chosen else "",
        "statuses": [s.value for s in InboxStatus],
        "opd": queue or "",
        "opds": opd_names(request),
        "unanswered": unanswered,
        "overdue": overdue,
        "sort": order,
        "sorts": SORTS,
        "counts": data.inbox_counts_soon(store, memo, queue),
        "cap": data.COUNT_CAP,
        "topic_names": data.topic_names(ws, memo, request.state.lang),
        "own_opd": user.opd if user.role is Role.OPD else None,
        "people": people(store, user) if user.role in (Role.ADMIN, Role.OPD) else [],
        "may_bulk": user.role in (Role.ADMIN, Role.OPD),
        "similar": similar.neighbours(store, memo, [i.post_id for i in shown]),
        "single": item is not None,
    }
    return render(request, "inbox.html", user, context)


def one(store: Store, user: User, post_id: int, rules: Deadlines) -> InboxItem:
    """One inbox item by post id; an OPD user sees only items of its own queue."""
    found = store.inbox.item(post_id, rules)
    if user.role is Role.OPD and curate.queue_of(found) != user.opd:
        raise Forbidden("you may only see items of your own OPD")
    return found


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


def _back(back: str, anchor: str = "") -> RedirectResponse:
    return back_to(back + anchor if back.startswith("/keterlibatan") else None, "/keterlibatan")


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
    return _back(back)


@router.post("/keterlibatan/bulk")
def bulk_form(
    request: Request,
    user: Router,
    post_id: Annotated[list[int] | None, Form()] = None,
    opd: str = Form("", max_length=128),
    assignee: str = Form("", max_length=80),
    back: str = Form("/keterlibatan", max_length=2000),
) -> RedirectResponse:
    """Assign the ticked items to an OPD and/or a person, as one audited action."""
    store, _, memo = state(request)
    done = curate.assign_many(store, user, post_id or [], opd=opd or None, assignee=assignee or None)
    memo.forget("inbox")
    t = translations(request)
    flash(request, t.gettext("Items assigned: %(n)d.") % {"n": len(done)})
    return _back(back)


@router.post("/keterlibatan/note")
def note_form(
    request: Request,
    user: Router,
    post_id: int = Form(...),
    text: str = Form(..., max_length=2000),
    back: str = Form("/keterlibatan", max_length=2000),
) -> RedirectResponse:
    store, _, _ = state(request)
    curate.add_note(store, user, post_id, text)
    flash(request, translations(request).gettext("Note added."))
    return _back(back, f"#item-{post_id}")


@router.post("/keterlibatan/draft")
def draft_form(
    request: Request,
    user: Router,
    post_id: int = Form(...),
    draft: str = Form("", max_length=2000),
    back: str = Form("/keterlibatan", max_length=2000),
) -> RedirectResponse:
    store, _, _ = state(request)
    curate.set_draft(store, user, post_id, draft)
    flash(request, translations(request).gettext("Reply draft saved."))
    return _back(back, f"#item-{post_id}")


@router.post("/keterlibatan/kembalikan")
def hand_back_form(
    request: Request,
    user: Router,
    post_id: int = Form(...),
    reason: str = Form(..., max_length=2000),
    back: str = Form("/keterlibatan", max_length=2000),
) -> RedirectResponse:
    """An OPD user returns an item that is not its OPD's to Humas, with a reason."""
    store, _, memo = state(request)
    curate.hand_back(store, user, post_id, reason)
    memo.forget("inbox")
    flash(request, translations(request).gettext("Item handed back to Humas."))
    return _back(back)
