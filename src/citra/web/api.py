"""The JSON API under ``/api/v1`` (Bearer tokens for scripts; a browser session works too)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Path, Query, Request

from citra import curate, vocab
from citra.alerts.scan import alert_dict
from citra.errors import CitraError
from citra.records import InboxItem, Intent, Platform, Sentiment, StoredPost
from citra.store import CountMode, PostQuery
from citra.web import data, impact
from citra.web import schemas as s
from citra.web.auth import ApiEditor, ApiInbox, ApiReader, ApiRouter, ApiUser
from citra.web.guard import reject_control_characters
from citra.web.pages import state
from citra.web.pages.inbox import assign, scope_opd, waiting_hours
from citra.web.render import safe_url
from citra.web.text import clean
from citra.workdays import for_workspace

router = APIRouter(prefix="/api/v1", tags=["api"], dependencies=[Depends(reject_control_characters)])
ERRORS: dict[int | str, dict[str, object]] = {
    400: {"model": s.ErrorOut, "description": "Invalid input"},
    401: {"model": s.ErrorOut, "description": "No or invalid API token"},
    403: {"model": s.ErrorOut, "description": "Role not allowed"},
    404: {"model": s.ErrorOut, "description": "Not found"},
}
Day = Annotated[date | None, Query(description="Local day (YYYY-MM-DD); default: the last 90 days with data.")]


def annotation_out(stored: StoredPost) -> s.AnnotationOut | None:
    note, human = stored.annotation, stored.human
    if note is None:
        return None
    return s.AnnotationOut(
        sentiment=stored.sentiment or note.sentiment,
        model_sentiment=note.sentiment,
        probs=list(note.probs),
        topics=list(note.topics),
        opds=list(stored.opds),
        targets=[f"{t.kind.value}:{t.name}" for t in note.targets],
        intent=note.intent.value,
        needs_response=bool(stored.needs_response),
        category=note.category,
        human=s.HumanOut(sentiment=human.sentiment, opd=human.opd, needs_response=human.needs_response),
    )


def post_out(stored: StoredPost) -> s.PostOut:
    post = stored.post
    e = post.engagement
    return s.PostOut(
        id=stored.id,
        platform=post.platform.value,
        native_id=post.native_id,
        url=safe_url(post.url),
        created_at=post.created_at,
        author_handle=post.author.handle,
        author_name=post.author.name,
        text=post.text,
        kind=post.kind.value,
        is_official=post.is_official,
        likes=e.likes,
        reposts=e.reposts,
        replies=e.replies,
        quotes=e.quotes,
        views=e.views,
        annotation=annotation_out(stored),
    )


def inbox_out(item: InboxItem, now: datetime) -> s.InboxItemOut:
    return s.InboxItemOut(
        post=post_out(StoredPost(item.post_id, item.post)),
        intent=item.intent.value,
        sentiment=item.sentiment,
        topics=list(item.topics),
        suggested_opd=item.suggested_opd,
        status=item.status,
        opd=item.opd,
        assignee=item.assignee,
        note=item.note,
        updated_at=item.updated_at,
        answered_at=item.answered_at,
        waiting_hours=round(waiting_hours(item, now), 2),
        answered_by=item.answered_by,
        draft=item.draft,
        returned_opd=item.returned_opd,
        returned_reason=item.returned_reason,
        priority=item.priority,
        due_at=item.due_at,
    )


@router.get("/me", response_model=s.Me, responses=ERRORS)
def me(user: ApiUser) -> s.Me:
    """The user of the token or session."""
    return s.Me(name=user.name, role=user.role, opd=user.opd)


@router.get("/index", response_model=s.IndexOut, responses=ERRORS)
def index(
    request: Request,
    user: ApiReader,
    freq: Literal["hour", "day", "week", "month", "total"] = "day",
    by: Literal["platform", "topic", "target", "opd"] | None = None,
    since: Day = None,
    until: Day = None,
    platform: Platform | None = None,
) -> s.IndexOut:
    """The citra index (0-100, 95% interval) per local period and group (total: one row for the window), corrected
    for the sentiment model's errors once the audit sample allows; an hourly series covers at most 31 days."""
    store, ws, memo = state(request)
    win = data.window(store, ws, memo, since, until)
    if freq == "hour" and (win.end - win.start).days > 30:
        win = data.Window(win.end - timedelta(days=30), win.end, win.tz)
    rows = data.index_series(store, ws, memo, win, freq, by, platform.value if platform else None)
    return s.IndexOut(
        freq=freq,
        by=by,
        since=win.start,
        until=win.end,
        rows=[s.IndexRowOut.model_validate(r, from_attributes=True) for r in rows],
    )


@router.get("/posts", response_model=s.PostsOut, responses=ERRORS)
def posts(
    request: Request,
    user: ApiReader,
    q: Annotated[
        str | None,
        Query(
            max_length=500,
            description='Text query: words (all must occur, any case or accent), "exact phrase", OR, -word to '
            "exclude, parentheses, word* for a prefix. A syntax error is a 400 with its position.",
        ),
    ] = None,
    platform: Platform | None = None,
    sentiment: Annotated[Sentiment | None, Query(description="The team's label wins over the model's.")] = None,
    topic: Annotated[str | None, Query(max_length=48)] = None,
    opd: Annotated[str | None, Query(max_length=128, description="Routed to this OPD (a team label wins).")] = None,
    target: Annotated[str | None, Query(max_length=300, description="kind:name, e.g. leader:Budi Santoso.")] = None,
    intent: Intent | None = None,
    needs_response: bool | None = None,
    official: Annotated[bool | None, Query(description="true: official accounts; false: citizens.")] = None,
    since: Day = None,
    until: Day = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    cursor: Annotated[str | None, Query(max_length=40, description="next_cursor of the previous page.")] = None,
    count: Annotated[bool, Query(description="Add how many posts match (up to 1000, then total_exact=false).")] = False,
) -> s.PostsOut:
    """Stored posts, newest first, with their annotations and the team's labels; every filter runs in the
    database, so every page is full. Pass ``next_cursor`` back as ``cursor`` for the next page."""
    store, ws, memo = state(request)
    win = data.window(store, ws, memo, since, until)
    query = PostQuery(
        since=win.since,
        until=win.until,
        platform=platform,
        official=official,
        sentiment=sentiment,
        topic=clean(topic) or None,
        opd=clean(opd) or None,
        target=vocab.target(clean(target), "target"),
        intent=intent,
        needs_response=needs_response,
        text=clean(q) or None,
    )
    page = store.search(query, limit=limit, cursor=cursor, count=CountMode.BOUNDED if count else CountMode.NONE)
    return s.PostsOut(
        items=[post_out(f) for f in page.items],
        next_cursor=page.next_cursor,
        total=page.total,
        total_exact=page.total_exact if page.total is not None else None,
    )


@router.get("/alerts", response_model=s.AlertsOut, responses=ERRORS)
def alerts(request: Request, user: ApiReader, status: Literal["open", "closed"] | None = None) -> s.AlertsOut:
    """Crisis alerts, newest first, with their drivers (sample texts and authors are untrusted content)."""
    store = state(request)[0]
    return s.AlertsOut(alerts=[s.AlertOut(**alert_dict(a)) for a in store.alerts(status)])


@router.get("/interventions", response_model=list[s.InterventionOut], responses=ERRORS)
def interventions(request: Request, user: ApiReader) -> list[s.InterventionOut]:
    """Recorded interventions (strategies), oldest first."""
    return [
        s.InterventionOut(
            name=i.name,
            date=i.date,
            kind=i.kind,
            description=i.description,
            metric=i.metric,
            window_days=i.window_days,
        )
        for i in state(request)[0].interventions()
    ]


@router.post("/interventions", response_model=s.InterventionOut, status_code=201, responses=ERRORS)
def add_intervention(request: Request, user: ApiEditor, body: s.InterventionIn) -> s.InterventionOut:
    """Record an intervention (admin, analyst)."""
    store = state(request)[0]
    item = curate.add_intervention(
        store, user.name, body.name, body.date, body.kind, body.description, body.metric, body.window_days
    )
    return s.InterventionOut(
        name=item.name,
        date=item.date,
        kind=item.kind,
        description=item.description,
        metric=item.metric,
        window_days=item.window_days,
    )


@router.get(
    "/interventions/{name}/impact",
    response_model=s.ImpactOut,
    responses=ERRORS | {409: {"model": s.ErrorOut, "description": "Too little data to estimate"}},
)
def intervention_impact(
    request: Request,
    user: ApiReader,
    name: Annotated[str, Path(max_length=200)],
    metric: Literal["net_sentiment", "negative_share", "volume", "index"] | None = None,
    days: Annotated[int | None, Query(ge=7, le=56)] = None,
) -> s.ImpactOut:
    """The effect of an intervention on a daily metric (default: the metric and window recorded with it), with a
    95% interval (409 when the data cannot say)."""
    store, ws, memo = state(request)
    item = store.intervention(clean(name))
    metric = metric or item.metric  # type: ignore[assignment]
    try:
        result, _ = impact.measure(store, ws, memo, item, metric, days or item.window_days)
    except CitraError as exc:
        exc.http_status = 404 if exc.http_status == 404 else 409
        raise
    return s.ImpactOut(intervention=item.name, metric=metric, **result.as_dict())


@router.get("/engagement", response_model=s.EngagementOut, responses=ERRORS)
def engagement(request: Request, user: ApiReader, since: Day = None, until: Day = None) -> s.EngagementOut:
    """Engagement of official posts by category and local hour, and the answers citizens get."""
    store, ws, memo = state(request)
    win = data.window(store, ws, memo, since, until)
    result = data.engagement(store, ws, memo, win)
    return s.EngagementOut(since=win.start, until=win.end, **result.as_dict())


@router.get("/inbox", response_model=s.InboxOut, responses=ERRORS)
def inbox(
    request: Request,
    user: ApiInbox,
    status: s.InboxStatus | None = None,
    opd: Annotated[str | None, Query(max_length=128)] = None,
    unanswered: bool = False,
    sort: Literal["oldest", "newest", "priority"] = "oldest",
    overdue: bool = False,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0, le=data.MAX_OFFSET)] = 0,
) -> s.InboxOut:
    """Posts that need a response, oldest first (or newest, or by priority); ``overdue`` keeps the open ones past
    their deadline; an OPD user gets only its OPD's queue."""
    store, ws, memo = state(request)
    queue = scope_opd(user, clean(opd))
    now = datetime.now(UTC)
    items = store.inbox.items(
        status=status,
        opd=queue,
        limit=limit + 1,
        offset=offset,
        unanswered=unanswered,
        sort=sort,
        rules=for_workspace(ws),
        overdue=overdue,
        now=now,
    )
    return s.InboxOut(
        items=[inbox_out(i, now) for i in items[:limit]],
        offset=offset,
        next_offset=offset + limit if len(items) > limit and offset + limit <= data.MAX_OFFSET else None,
        counts=data.inbox_counts_soon(store, memo, queue),
    )


@router.post("/inbox/{post_id}/assign", response_model=s.InboxItemOut, responses=ERRORS)
def assign_item(
    request: Request, user: ApiRouter, post_id: Annotated[int, Path(ge=1, le=2**62)], body: s.AssignIn
) -> s.InboxItemOut:
    """Route an item to an OPD and/or a person and set its status (admin; an OPD user within its OPD)."""
    store, _, memo = state(request)
    done = assign(
        store,
        memo,
        user,
        post_id,
        opd=body.opd,
        assignee=body.assignee,
        status=body.status,
        note=body.note,
    )
    return inbox_out(done, datetime.now(UTC))


@router.post("/labels", response_model=s.LabelOut, status_code=201, responses=ERRORS)
def add_label(request: Request, user: ApiEditor, body: s.LabelIn) -> s.LabelOut:
    """Correct the sentiment of a stored post: stored as a human label for ``citra train`` (admin, analyst)."""
    store = state(request)[0]
    found = curate.post_by_native_id(store, body.platform, body.native_id)
    done = curate.set_label(store, user.name, found.id, sentiment=body.label, via="api")
    before = done.annotation.sentiment if done.annotation else None
    return s.LabelOut(post_id=done.id, label=body.label, model=before)
