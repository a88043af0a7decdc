"""Laporan Citra: the monthly report for leaders, in Indonesian, as HTML, PDF (WeasyPrint) or XLSX (openpyxl), and
its data model as JSON (the same numbers, for tests and other tools).

``build`` gathers one month's numbers through the Store and the measures, derives recommendations by fixed rules,
and renders them; the renderers import their libraries only when called."""

from __future__ import annotations

from datetime import datetime

from citra.config import Workspace
from citra.errors import CitraError
from citra.reports.data import default_period, gather, parse_period, recommend
from citra.reports.model import ReportData
from citra.store import Store

FORMATS = ("html", "pdf", "xlsx", "json")

__all__ = ["FORMATS", "ReportData", "build", "default_period", "gather", "parse_period", "recommend", "render"]


def render(data: ReportData, fmt: str = "html") -> bytes:
    """The report of already gathered data in one of ``FORMATS``."""
    if fmt not in FORMATS:
        raise CitraError(f"unknown report format {fmt!r}; choose one of {', '.join(FORMATS)}")
    recommendations = recommend(data)
    if fmt == "json":
        from citra.reports import jsondata

        return jsondata.render(data, recommendations)
    if fmt == "xlsx":
        from citra.reports import xlsx

        return xlsx.render(data, recommendations)
    from citra.reports import html

    page = html.render(data, recommendations, for_print=fmt == "pdf")
    if fmt == "html":
        return page.encode("utf-8")
    from citra.reports import pdf

    return pdf.render(page)


def build(
    store: Store, ws: Workspace, period: str | None = None, fmt: str = "html", *, now: datetime | None = None
) -> bytes:
    """The report of ``period`` (YYYY-MM; default: the last month with data) as bytes of ``fmt``."""
    if fmt not in FORMATS:
        raise CitraError(f"unknown report format {fmt!r}; choose one of {', '.join(FORMATS)}")
    return render(gather(store, ws, period or default_period(store, ws), now=now), fmt)
