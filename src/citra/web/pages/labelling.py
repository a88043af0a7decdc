"""Beri label: the team labels the posts that teach the model most (or a random audit sample), sees how many labels
each task has, and an admin retrains the sentiment model (a background job) or returns to the previous one.

Labels go through ``curate.set_label`` (audited, roles checked here: admins and analysts label); retraining and
rolling back change the workspace's model, so only admins start them."""

from __future__ import annotations

from typing import Any

from fastapi import Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from citra import curate, labelqueue, retrain
from citra.errors import CitraError
from citra.labelqueue import Task
from citra.web import data
from citra.web.auth import Admin, Editor
from citra.web.jobs import Job
from citra.web.pages import router as make_router
from citra.web.pages import state
from citra.web.pages.inbox import opd_names
from citra.web.render import back_to, flash, render, translations

router = make_router()
PAGE = 20
MODES = ("uncertain", "audit")
SENTIMENTS = ("positive", "neutral", "negative")


def job_of(request: Request) -> Job:
    """The app's one background job slot (retrain, rollback)."""
    return request.app.state.jobs  # type: ignore[no-any-return]


def _task(value: str | None) -> Task:
    try:
        return Task(value or Task.SENTIMENT)
    except ValueError:
        raise CitraError(f"unknown task {value!r}; expected sentiment, routing or needs_response") from None


@router.get("/label", response_class=HTMLResponse)
def label_page(
    request: Request,
    user: Editor,
    task: str | None = None,
    mode: str | None = None,
    since: str | None = None,
    until: str | None = None,
) -> HTMLResponse:
    store, ws, memo = state(request)
    chosen = _task(task)
    shown = mode if mode in MODES else "uncertain"
    # the queue reads the dashboard's window (by default the last 90 days with data): on a million posts the whole
    # history takes seconds to rank, and recent posts are the ones worth a label
    win = data.window(store, ws, memo, since, until)
    if shown == "audit":
        items = labelqueue.pending_audit(store, chosen, PAGE)
    else:
        items = labelqueue.queue(store, chosen, PAGE, since=win.since, until=win.until)
    record = retrain.last_record(ws.root)
    job = job_of(request).state
    context: dict[str, Any] = {
        "win": win,
        "task": chosen.value,
        "tasks": [t.value for t in Task],
        "mode": shown,
        "items": items,
        "counts": labelqueue.counts(store),
        "opds": opd_names(request),
        "sentiments": SENTIMENTS,
        "record": record,
        "job": job,
        "has_previous": (ws.root / retrain.PREVIOUS_DIR).is_dir(),
        "stale": _stale(request) if record and not job.running else 0,
        "can_retrain": user.role.value == "admin",
        "held_every": retrain.HELD_APART_EVERY,
        "topic_names": _topic_names(request),
    }
    return render(request, "label.html", user, context)


def _stale(request: Request) -> int:
    """Posts not annotated by the workspace's current model (cached until the model or citra.toml changes: the
    count loads the pipeline and reads every annotation)."""
    store, ws, memo = state(request)
    marks = []
    for path in (ws.root / retrain.MODEL_DIR / "model.json", ws.root / "citra.toml"):
        try:
            marks.append(path.stat().st_mtime_ns)
        except OSError:
            marks.append(0)
    return memo.get(("label-stale", *marks), lambda: retrain.stale_posts(ws, store))


def _topic_names(request: Request) -> dict[str, str]:
    _, ws, memo = state(request)
    return data.topic_names(ws, memo, request.state.lang)


def _back(back: str, task: Task, mode: str) -> RedirectResponse:
    default = f"/label?task={task.value}&mode={mode if mode in MODES else 'uncertain'}"
    return back_to(back if back.startswith("/label") else None, default)


@router.post("/label/set")
def set_label(
    request: Request,
    user: Editor,
    post_id: int = Form(...),
    task: str = Form(..., max_length=16),
    value: str = Form(..., max_length=128),
    mode: str = Form("uncertain", max_length=16),
    back: str = Form("", max_length=2000),
) -> RedirectResponse:
    store, _, memo = state(request)
    chosen = _task(task)
    t = translations(request)
    if chosen is Task.SENTIMENT:
        curate.set_label(store, user.name, post_id, sentiment=value, via="web")
    elif chosen is Task.ROUTING:
        curate.set_label(store, user.name, post_id, opd=value, via="web")
    else:
        if value not in ("ya", "tidak"):
            raise CitraError("needs_response: ya or tidak")
        curate.set_label(store, user.name, post_id, needs_response=value == "ya", via="web")
        memo.forget("inbox")
    flash(request, t.gettext("Label saved."))
    return _back(back, chosen, mode)


@router.post("/label/draw")
def draw(
    request: Request,
    user: Editor,
    task: str = Form(..., max_length=16),
    n: int = Form(20, ge=1, le=200),
    since: str = Form("", max_length=10),
    until: str = Form("", max_length=10),
    back: str = Form("", max_length=2000),
) -> RedirectResponse:
    store, ws, memo = state(request)
    chosen = _task(task)
    win = data.window(store, ws, memo, since or None, until or None)
    drawn = labelqueue.draw_audit(store, user.name, chosen, n, since=win.since, until=win.until)
    t = translations(request)
    flash(request, t.gettext("%(n)d posts drawn at random into the audit sample.") % {"n": len(drawn)})
    return _back(back, chosen, "audit")


@router.post("/label/retrain")
def start_retrain(request: Request, user: Admin) -> RedirectResponse:
    store, ws, memo = state(request)
    t = translations(request)

    def work(say: Any) -> dict[str, Any]:
        result = retrain.retrain(ws, store, progress=say).as_dict()
        memo.forget("inbox")
        return result

    started = job_of(request).start("retrain", user.name, work)
    if started:
        store.accounts.audit(user.name, "model.retrain", "sentiment")
        flash(request, t.gettext("Retraining started: reload this page to see its progress."))
    else:
        flash(request, t.gettext("A retrain or rollback is already running."), "error")
    return back_to("/label#model", "/label")


@router.post("/label/rollback")
def start_rollback(request: Request, user: Admin) -> RedirectResponse:
    store, ws, _ = state(request)
    t = translations(request)

    def work(say: Any) -> dict[str, Any]:
        say("rolling back")
        return retrain.rollback(ws, store)

    started = job_of(request).start("rollback", user.name, work)
    if started:
        store.accounts.audit(user.name, "model.rollback", "sentiment")
        flash(request, t.gettext("Returning to the previous model: reload this page to see its progress."))
    else:
        flash(request, t.gettext("A retrain or rollback is already running."), "error")
    return back_to("/label#model", "/label")
