"""The monthly report on schedule (``citra watch``): sent once, on the first working day of the month, by email to
a real SMTP server on 127.0.0.1 and as Telegram documents to a real HTTP server, recorded in the report history;
skipped for a month without data; a failed send is recorded and tried again. SQLite and PostgreSQL."""

from __future__ import annotations

import dataclasses
import socket
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest

from citra.config import Workspace
from citra.reports import schedule
from citra.store import Store
from tests.alerts.test_channels import PASSWORD, HTTPReceiver, SMTPReceiver, SMTPState, _serve, email, telegram
from tests.web.conftest import fill

BOSSES = ["walikota@example.go.id", "sekda@example.go.id"]


@pytest.fixture
def smtp() -> Iterator[SMTPReceiver]:
    yield from _serve(SMTPReceiver(SMTPState(user="humas", password=PASSWORD)))


@pytest.fixture
def http() -> Iterator[HTTPReceiver]:
    yield from _serve(HTTPReceiver())


def configured(ws: Workspace, channels: list[Any], **reports: Any) -> Workspace:
    settings = ws.settings.model_copy(
        update={
            "alerts": ws.settings.alerts.model_copy(update={"channels": channels}),
            "reports": ws.settings.reports.model_validate({"schedule": True, "recipients": BOSSES} | reports),
        }
    )
    return dataclasses.replace(ws, settings=settings)


def test_first_working_day_skips_weekends_and_holidays() -> None:
    assert schedule.first_working_day(2026, 8) == date(2026, 8, 3)  # the 1st is a Saturday
    assert schedule.first_working_day(2026, 10) == date(2026, 10, 1)  # a Thursday
    assert schedule.first_working_day(2026, 10, [date(2026, 10, 1), date(2026, 10, 2)]) == date(2026, 10, 5)
    assert schedule.previous_month(date(2027, 1, 4)) == "2026-12"


def test_sent_once_by_email_and_telegram(workspace: Workspace, smtp: SMTPReceiver, http: HTTPReceiver) -> None:
    fill(workspace)  # posts from August to early October 2026
    ws = configured(
        workspace, [email(smtp.port), telegram(http.base)], formats=["pdf", "xlsx"], holidays=["2026-10-01"]
    )
    with Store.open(ws.database_url) as store:
        assert schedule.run(store, ws, today=date(2026, 10, 1)) is None  # a holiday: not yet
        assert smtp.state.mails == [] and http.received == []

        sent = schedule.run(store, ws, today=date(2026, 10, 2))
        assert sent is not None and (sent.month, sent.status, sent.errors) == ("2026-09", "sent", ())
        assert sent.sent_to == (*BOSSES, "telegram:-1001234")
        [mail] = smtp.state.mails
        assert sorted(mail.recipients) == sorted(BOSSES)
        message = mail.message()
        assert "September 2026" in message["Subject"] and "Laporan Citra" in message["Subject"]
        files = {part.get_filename(): part.get_content() for part in message.iter_attachments()}
        assert sorted(files) == ["laporan-citra-2026-09.pdf", "laporan-citra-2026-09.xlsx"]
        assert files["laporan-citra-2026-09.pdf"].startswith(b"%PDF")
        assert files["laporan-citra-2026-09.xlsx"].startswith(b"PK")
        assert [r.path.rsplit("/", 1)[1] for r in http.received] == ["sendDocument", "sendDocument"]
        assert b'name="chat_id"' in http.received[0].body and b"%PDF" in http.received[0].body

        history = store.report_history.recent()
        assert {(r.month, r.format, r.via, r.status) for r in history} == {
            ("2026-09", "pdf", "schedule", "sent"),
            ("2026-09", "xlsx", "schedule", "sent"),
        }
        assert all(r.file and (ws.root / "reports" / r.file).is_file() for r in history)

        assert schedule.run(store, ws, today=date(2026, 10, 2)) is None  # once: remembered in the database
        assert schedule.run(store, ws, today=date(2026, 10, 20)) is None
        assert len(smtp.state.mails) == 1 and len(http.received) == 2


def test_month_without_data_is_skipped_and_failures_are_retried(workspace: Workspace) -> None:
    fill(workspace)
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        dead = s.getsockname()[1]
    ws = configured(workspace, [email(dead, timeout=2)], formats=["xlsx"])
    with Store.open(ws.database_url) as store:
        skipped = schedule.run(store, ws, today=date(2026, 12, 1))  # November 2026 has no posts
        assert skipped is not None and skipped.status == "skipped"
        assert schedule.run(store, ws, today=date(2026, 12, 2)) is None

        failed = schedule.run(store, ws, today=date(2026, 11, 2))
        assert failed is not None and failed.status == "failed" and failed.sent_to == ()
        assert "email" in failed.errors[0] and PASSWORD not in failed.errors[0]
        assert schedule.run(store, ws, today=date(2026, 11, 3)) is not None  # tried again
        assert schedule.run(store, ws, today=date(2026, 11, 4)) is not None
        assert schedule.run(store, ws, today=date(2026, 11, 5)) is None  # at most three tries
        statuses = [r.status for r in store.report_history.scheduled("2026-10")]
        assert statuses == ["failed"] * schedule.MAX_TRIES


def test_not_scheduled_sends_nothing(workspace: Workspace, smtp: SMTPReceiver) -> None:
    fill(workspace)
    ws = configured(workspace, [email(smtp.port)], schedule=False)
    with Store.open(ws.database_url) as store:
        assert schedule.run(store, ws, today=date(2026, 10, 1)) is None
    assert smtp.state.mails == []
