"""Publikasi: engagement of official posts by content category and hour of week, and how citizens who need an
answer get one."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import Response

from citra.web import charts, data, downloads, links
from citra.web.auth import Reader
from citra.web.pages import router as make_router
from citra.web.pages import state
from citra.web.render import chart_json, render, translations

router = make_router()
# content category -> message id of its label
CATEGORIES = {
    "service_information": "service information",
    "leader_activity": "leader activity",
    "appeal": "appeal",
    "achievement": "achievement",
    "anti_corruption": "anti-corruption",
    "social_activity": "social activity",
    "other": "other",
    "lainnya": "other",
}


@router.get("/publikasi", response_model=None)
def publications(
    request: Request, user: Reader, since: str | None = None, until: str | None = None, format: str | None = None
) -> Response:
    store, ws, memo = state(request)
    t = translations(request)
    win = data.window(store, ws, memo, since, until)
    result = data.engagement(store, ws, memo, win)
    names = {k: t.gettext(v) for k, v in CATEGORIES.items()}
    if format == "csv":  # "Unduh CSV" of the category table
        rows = (
            {
                "kategori": c.category,
                "nama": names.get(c.category, c.category),
                "posting": c.posts,
                "keterlibatan_rata2": round(c.engagement_mean, 2),
                "median": c.engagement_median,
                "laju": "" if c.rate is None else round(c.rate, 6),
            }
            for c in result.categories
        )
        columns = ("kategori", "nama", "posting", "keterlibatan_rata2", "median", "laju")
        return downloads.csv_response(downloads.filename("publikasi-kategori", win), columns, rows)
    best = sorted(result.hours, key=lambda h: -h.engagement_mean)[:3]
    context = {
        "category_url": lambda category: links.conversations_url(
            who="official", category=category, since=win.start, until=win.end
        ),
        "win": win,
        "result": result,
        "names": names,
        "best": best,
        "days": charts.DAYS_ID if request.state.lang == "id" else charts.DAYS_EN,
        "charts": {
            "categories": chart_json(charts.categories(result.categories, names, t.gettext)),
            "hours": chart_json(charts.hour_heatmap(result.hours, request.state.lang, t.gettext)),
        }
        if result.categories
        else {},
    }
    return render(request, "publications.html", user, context)
