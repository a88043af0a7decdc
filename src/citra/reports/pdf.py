"""The PDF report: the HTML report laid out on A4 by WeasyPrint, offline (only ``data:`` URIs may load)."""

from __future__ import annotations

import logging


def render(html: str) -> bytes:
    """PDF bytes of an HTML report; no base URL, and every URL other than ``data:`` is refused."""
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    logging.getLogger("fontTools").setLevel(logging.WARNING)  # font subsetting chatter
    fetcher = URLFetcher(allowed_protocols=("data",), fail_on_errors=False)
    return HTML(string=html, base_url=None, url_fetcher=fetcher).write_pdf()
