"""Laporan builds in the background: many requests for one month and format make one build, the page shows it being
made and then a link, the file is kept (0600) until the data changes, one build in progress per person. Real
``citra report`` child processes, on SQLite and PostgreSQL."""

from __future__ import annotations

import stat
from datetime import timedelta

from citra.reports import files as reportfiles
from citra.store import Store

from .conftest import START, Filled, _post

KEY = ("2026-09", "html")


def test_one_build_for_everyone_then_a_kept_file(as_user, app, filled: Filled) -> None:  # type: ignore[no-untyped-def]
    admin, admin_csrf = as_user("admin")
    viewer, viewer_csrf = as_user("pemirsa")
    jobs = app.state.reports
    first = admin.post(
        "/laporan/buat", data={"period": "2026-09", "fmt": "html", "csrf_token": admin_csrf}, follow_redirects=False
    )
    assert first.status_code == 303 and first.headers["location"] == "/laporan?period=2026-09&fmt=html"
    began = jobs.state(KEY).started_at
    joined = viewer.post("/laporan/buat", data={"period": "2026-09", "fmt": "html", "csrf_token": viewer_csrf})
    assert jobs.state(KEY).started_at == began and jobs.state(KEY).by == "admin"  # joined, not started again
    if jobs.state(KEY).running:  # the page says it is being made, and reloads itself
        assert "sedang dibuat" in joined.text or "Menunggu giliran" in joined.text
        assert 'http-equiv="refresh"' in joined.text
    done = jobs.wait(KEY, 180)
    assert done.state == "done", done.message
    page = viewer.get("/laporan?period=2026-09&fmt=html").text
    assert "Laporan siap" in page and 'http-equiv="refresh"' not in page
    got = viewer.get("/laporan/unduh?period=2026-09&fmt=html")
    assert got.status_code == 200 and got.content.lstrip().startswith(b"<")
    assert got.headers["content-disposition"] == 'attachment; filename="citra-2026-09.html"'
    built = list(reportfiles.folder(filled.ws).glob(f"{reportfiles.PREFIX}-*"))
    assert len(built) == 1 and stat.S_IMODE(built[0].stat().st_mode) == 0o600
    again = admin.post("/laporan/buat", data={"period": "2026-09", "fmt": "html", "csrf_token": admin_csrf})
    assert "Laporan siap" in again.text and jobs.state(KEY).started_at == began  # kept: nothing rebuilt

    with Store.open(filled.ws.database_url) as store:  # new data: the kept file is no longer current
        store.add_posts([_post(77_777, START + timedelta(days=40), "Jalan baru diaspal, terima kasih")])
    stale = viewer.get("/laporan/unduh?period=2026-09&fmt=html", follow_redirects=False)
    assert stale.status_code == 303 and stale.headers["location"] == "/laporan?period=2026-09&fmt=html"


def test_one_build_in_progress_per_person(as_user, app) -> None:  # type: ignore[no-untyped-def]
    viewer, csrf = as_user("pemirsa")
    jobs = app.state.reports
    viewer.post("/laporan/buat", data={"period": "2026-09", "fmt": "pdf", "csrf_token": csrf})
    second = viewer.post("/laporan/buat", data={"period": "2026-08", "fmt": "xlsx", "csrf_token": csrf})
    if jobs.state(("2026-09", "pdf")).running:  # the first is still being built: the second is refused
        assert "masih dibuat" in second.text
        assert jobs.state(("2026-08", "xlsx")).state == "idle"
    assert len(jobs.active("pemirsa")) <= 1
    assert jobs.wait(("2026-09", "pdf"), 180).state == "done"


def test_bad_requests_and_roles(as_user) -> None:  # type: ignore[no-untyped-def]
    admin, csrf = as_user("admin")
    assert admin.post("/laporan/buat", data={"period": "2026-13", "fmt": "pdf", "csrf_token": csrf}).status_code == 400
    assert admin.post("/laporan/buat", data={"period": "2026-09", "fmt": "exe", "csrf_token": csrf}).status_code == 400
    assert admin.post("/laporan/buat", data={"period": "2026-09", "fmt": "pdf"}).status_code == 403  # no CSRF token
    opd, opd_csrf = as_user("pupr")
    assert (
        opd.post("/laporan/buat", data={"period": "2026-09", "fmt": "pdf", "csrf_token": opd_csrf}).status_code == 403
    )
