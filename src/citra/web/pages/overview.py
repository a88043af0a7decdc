"""Ringkasan (the index trend, volume, sentiment mix, open alerts) and Isu & OPD (topics, OPDs, institution
versus leaders)."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse, Response

from citra.analytics.index import IndexRow
from citra.web import charts, crisis, data, downloads, links
from citra.web.auth import Reader
from citra.web.pages import newissues, state
from citra.web.pages import router as make_router
from citra.web.render import cached_charts, chart_json, render, translations

router = make_router()
SENTIMENTS = ("negative", "neutral", "positive")  # the donut's order
TOP_GROUPS = 20


def _headline(days: list[IndexRow], weeks: list[IndexRow], total: IndexRow | None) -> dict[str, Any]:
    """The tiles: counts of the days, shares and net sentiment of the window's total row (corrected when the
    audit allows), the last week's index."""
    n = sum(r.volume for r in days)
    pos, neu, neg = (sum(getattr(r, k) for r in days) for k in ("positive", "neutral", "negative"))
    last = weeks[-1] if weeks else None
    before = weeks[-2] if len(weeks) > 1 else None
    return {
        "volume": n,
        "positive": pos,
        "neutral": neu,
        "negative": neg,
        "negative_share": total.negative_share if total else None,
        "negative_low": total.negative_share_ci_low if total else None,
        "negative_high": total.negative_share_ci_high if total else None,
        "net": total.net_sentiment if total else None,
        "week": last,
        "period": total,  # the window's index: the report's figure when the window is its month
        "change": (last.index - before.index) if last and before else None,
    }


def _mix(total: IndexRow | None, head: dict[str, Any], _: Any, links: list[str] | None = None) -> Any:
    """The donut shows the same shares as the tiles: the window's total row, corrected when the audit allows."""
    if total is None or not total.corrected:
        return charts.sentiment_mix(head["positive"], head["neutral"], head["negative"], _, links=links)
    shares = (total.positive_share, total.neutral_share, total.negative_share)
    return charts.sentiment_mix(*shares, _, title=_("Sentiment mix, corrected by the audit"), links=links)


@router.get("/", response_class=HTMLResponse)
def overview(
    request: Request, user: Reader, since: str | None = None, until: str | None = None, saved: str | None = None
) -> HTMLResponse:
    store, ws, memo = state(request)
    _ = translations(request).gettext
    chosen, search = data.saved_search(store, saved)  # a saved search as the dashboard's filter
    if search is not None:
        since, until = since or search.since, until or search.until
    win = data.window(store, ws, memo, since, until)
    days = data.index_series(store, ws, memo, win, filters=chosen)
    weeks = data.index_series(store, ws, memo, win, freq="week", filters=chosen)
    total = data.index_series(store, ws, memo, win, freq="total", filters=chosen)
    head = _headline(days, weeks, total[0] if total else None)
    kept = {k: v for k, v in (chosen.params() if chosen else {}).items() if k != "who"}
    daily = links.period_link(win.start, win.end, **kept)
    slices = [links.citizens_url(win.start, win.end, **(kept | {"sentiment": s})) for s in SENTIMENTS]

    def crisis_label(a: Any) -> str:
        return _("Crisis: %(severity)s") % {"severity": _(a.severity)}

    audit = data.audit(store, ws, memo)
    stored = store.alerts(scope=None)  # the whole city's crises (a watched search's are on Peringatan)
    in_period = crisis.ordered(crisis.active(stored, win.since, win.until))
    marked = [a for a in in_period if a.severity in crisis.CRISIS]
    names = data.topic_names(ws, memo, request.state.lang)
    context = {
        "win": win,
        "head": head,
        "tile_links": {
            s: links.citizens_url(win.start, win.end, **(kept | ({"sentiment": s} if s else {})))
            for s in ("", "negative", "positive")
        },
        "saved_search": search,
        "searches": store.saved.all(),
        "audit": {"corrected": audit.corrected, "used": audit.labels_used, "minimum": audit.minimum},
        "alerts": in_period[:5],
        "open_alerts": len(in_period),
        "crises": crisis.crises(stored, win.since, win.until)[:3],
        "alert_topics": {a.id: crisis.topic_words(a, names) for a in stored},
        "inbox": data.inbox_counts_soon(store, memo, None),
        "cap": data.COUNT_CAP,
        "charts": cached_charts(
            request,
            "overview",
            (
                win.key,
                chosen,
                tuple(days),
                tuple(total),
                tuple((a.id, a.start, a.last_seen, a.severity) for a in marked),
            ),
            lambda: {
                "trend": chart_json(crisis.mark(charts.index_trend(days, _, daily), marked, ws.tz, crisis_label)),
                "volume": chart_json(
                    crisis.mark(
                        charts.sentiment_bars(days, _, _("Citizens' posts per day by sentiment"), daily),
                        marked,
                        ws.tz,
                        crisis_label,
                    )
                ),
                "mix": chart_json(_mix(total[0] if total else None, head, _, slices)),
            },
        )
        if days
        else {},
    }
    return render(request, "overview.html", user, context)


def _target_names(rows: list[IndexRow], org: str, _: Any) -> dict[str, str]:
    names = {}
    for r in rows:
        kind, _sep, name = (r.group or "").partition(":")
        label = {"institution": _("institution"), "leader": _("leader"), "entity": _("comparison")}.get(kind, kind)
        names[r.group or ""] = f"{name} ({label})"
    return names


def _followed_targets(rows: list[IndexRow], settings: Any) -> list[IndexRow]:
    """The institution as a whole, its leaders and the comparison entities, as in the report. An agency named in a
    post (``institution:Dinas PUPR``) is a different slice from its OPD row (posts on its topics): showing both
    under one name gave one agency two indexes, so agencies appear in the OPD table only."""
    wanted = {f"institution:{settings.organisation}"}
    wanted |= {f"leader:{p.name}" for p in settings.leaders} | {f"entity:{e.name}" for e in settings.entities}
    return [r for r in rows if r.group in wanted]


@router.get("/isu", response_model=None)
def issues(
    request: Request, user: Reader, since: str | None = None, until: str | None = None, format: str | None = None
) -> Response:
    store, ws, memo = state(request)
    _ = translations(request).gettext
    win = data.window(store, ws, memo, since, until)
    taxonomy = data.topics(ws, memo)
    topic_names = {t.id: t.name for t in taxonomy}
    topic_opd = {t.id: t.opd for t in taxonomy}
    topics = data.totals(store, ws, memo, win, "topic")
    opds = data.totals(store, ws, memo, win, "opd")
    targets = _followed_targets(data.totals(store, ws, memo, win, "target"), ws.settings)
    target_names = _target_names(targets, ws.settings.organisation, _)
    followed = {r.group for r in targets if r.group and r.group.split(":", 1)[0] in ("institution", "leader")}
    followed = {g for g in followed if g.split(":", 1)[0] == "leader" or g == f"institution:{ws.settings.organisation}"}
    weekly = [r for r in data.index_series(store, ws, memo, win, freq="week", by="target") if r.group in followed]
    top_topics, top_opds = topics[:TOP_GROUPS], opds[:TOP_GROUPS]
    drill = {by: links.window_link(win.start, win.end, by) for by in ("topic", "opd", "target")}
    weekly_link = links.period_link(win.start, win.end, 7, "target")
    if format == "csv":  # "Unduh CSV" of one table: ?table=topic|opd|target
        by = request.query_params.get("table", "topic")
        rows, names = {"opd": (opds, {}), "target": (targets, target_names)}.get(by, (topics, topic_names))
        by = by if by in drill else "topic"
        return downloads.index_rows_csv(f"isu-{by}", win, rows, names, drill[by])
    context = {
        "drill": drill,
        "win": win,
        "topics": topics,
        "opds": opds,
        "targets": targets,
        "topic_names": topic_names,
        "topic_opd": topic_opd,
        "target_names": target_names,
        "charts": cached_charts(
            request,
            "issues",
            (win.key, tuple(top_topics), tuple(top_opds), tuple(weekly), tuple(target_names.items())),
            lambda: {
                "topics": chart_json(
                    charts.group_bars(top_topics, topic_names, _, _("Posts per topic by sentiment"), drill["topic"])
                ),
                "opds": chart_json(
                    charts.index_dots(top_opds, {}, _, _("Citra index per OPD (95% interval)"), drill["opd"])
                ),
                "targets": chart_json(
                    charts.group_trend(
                        weekly, target_names, _, _("Institution versus leaders: citra index per week"), weekly_link
                    )
                ),
            },
        )
        if topics or opds or targets
        else {},
    }
    context |= newissues.section(request, user, win.end)
    return render(request, "issues.html", user, context)
