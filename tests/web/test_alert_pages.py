"""Peringatan over HTTP on both databases: who may change an alert, what a refused change does, the tabs, and the
drivers in words with their links (the browser flow is in test_browser_alerts.py)."""

from __future__ import annotations

from citra.records import Handling
from citra.store import Store

from .conftest import XSS


def test_alert_handling_by_role_and_the_tabs(as_user, filled) -> None:  # type: ignore[no-untyped-def]
    with Store.open(filled.ws.database_url) as store:
        [alert] = store.alerts()
    base = f"/peringatan/{alert.id}"
    viewer, viewer_token = as_user("pemirsa")
    page = viewer.get("/peringatan").text
    assert f'id="alert-{alert.id}"' in page and "/acknowledge" not in page  # read only
    assert viewer.post(f"{base}/acknowledge", data={"csrf_token": viewer_token}).status_code == 403

    analyst, token = as_user("analis")
    page = analyst.get("/peringatan").text
    assert '<a href="/percakapan?topic=roads&amp;since=' in page and XSS not in page
    assert analyst.post(f"{base}/acknowledge", data={}).status_code == 403  # no CSRF token
    assert analyst.post(f"{base}/assign", data={"csrf_token": token, "assignee": "siapa"}).status_code == 400
    assert analyst.post("/peringatan/999999/note", data={"csrf_token": token, "text": "x"}).status_code == 404
    done = analyst.post(f"{base}/assign", data={"csrf_token": token, "assignee": "pupr"}, follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"] == f"/peringatan?status=current#alert-{alert.id}"
    analyst.post(f"{base}/note", data={"csrf_token": token, "text": "Cek <b>lapangan</b>"})
    analyst.post(f"{base}/resolve", data={"csrf_token": token, "text": ""})
    with Store.open(filled.ws.database_url) as store:
        work = store.alert_work.get(alert.id or 0).work
    assert work and work.handling is Handling.RESOLVED and work.assignee == "pupr" and work.acknowledged_by == "analis"

    resolved = analyst.get("/peringatan?status=resolved").text
    assert f'id="alert-{alert.id}"' in resolved and "Cek &lt;b&gt;lapangan&lt;/b&gt;" in resolved
    assert f'id="alert-{alert.id}"' in analyst.get("/peringatan").text  # resolved today: still current
    analyst.post(f"{base}/reopen", data={"csrf_token": token, "text": "muncul lagi"})
    assert f'id="alert-{alert.id}"' not in analyst.get("/peringatan?status=resolved").text
