"""The monthly report on schedule: on the first working day of a month (Monday to Friday, the configured holidays
left out) ``citra watch`` builds the previous month's report in the configured formats and sends it by email
(through the first email alert channel's SMTP server) and as Telegram documents (the first Telegram channel),
once: the ``report_history`` rows of the schedule say a month is done. When watch was not running that day, it
sends later in the month; a month without analysed citizens' posts is recorded as skipped; a failed send is
tried again on the next cycles, at most ``MAX_TRIES`` times."""

from __future__ import annotations

import logging
import smtplib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

import httpx
from babel.dates import format_date

from citra.alerts import channels as ch
from citra.config import Channel, Workspace
from citra.errors import CitraError
from citra.reports import files
from citra.store import Store
from citra.store.version import data_version

log = logging.getLogger(__name__)
MAX_TRIES = 3
MIME = {
    "pdf": ("application", "pdf"),
    "xlsx": ("application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
}


@dataclass(frozen=True, slots=True)
class Delivery:
    """What one scheduled send did: the ``month`` reported, ``sent_to`` (addresses and ``telegram:<chat>``),
    ``status`` (sent, partial, failed, skipped) and the errors."""

    month: str
    status: str
    sent_to: tuple[str, ...] = ()
    errors: tuple[str, ...] = ()


def first_working_day(year: int, month: int, holidays: Sequence[date] = ()) -> date:
    """The month's first day that is Monday to Friday and not a holiday."""
    day = date(year, month, 1)
    while day.weekday() >= 5 or day in holidays:
        day += timedelta(days=1)
    return day


def previous_month(today: date) -> str:
    first = today.replace(day=1) - timedelta(days=1)
    return f"{first.year:04d}-{first.month:02d}"


def months_with_data(store: Store, ws: Workspace) -> list[str]:
    """The months (YYYY-MM, newest first) with analysed citizens' posts: the only ones a report can cover."""
    return sorted(
        {b.period.astimezone(ws.tz).strftime("%Y-%m") for b in store.series("month", ws.tz) if b.n}, reverse=True
    )


def due(store: Store, ws: Workspace, today: date) -> str | None:
    """The month whose report is due on ``today``, or None (not scheduled, too early, already done)."""
    settings = ws.settings.reports
    if not settings.schedule or today < first_working_day(today.year, today.month, settings.holidays):
        return None
    month = previous_month(today)
    records = store.report_history.scheduled(month)
    if any(r.status in ("sent", "partial", "skipped") for r in records):
        return None
    tries = {r.generated_at for r in records if r.status == "failed"}  # one try writes a row per format
    return month if len(tries) < MAX_TRIES else None


def run(store: Store, ws: Workspace, today: date | None = None) -> Delivery | None:
    """Send the report that is due, if any, and record it; never raises for a failed send (it is recorded)."""
    today = today or datetime.now(ws.tz).date()
    month = due(store, ws, today)
    if month is None:
        return None
    settings = ws.settings.reports
    if month not in months_with_data(store, ws):
        store.report_history.add(month, settings.formats[0], via="schedule", status="skipped", detail="no data")
        return Delivery(month, "skipped")
    built: list[Path] = []
    errors: list[str] = []
    version = data_version(store.engine)
    for fmt in settings.formats:
        try:
            ready = files.current(ws, month, fmt, version)  # the dashboard's file of the same data, if built
            built.append(ready or files.build(ws, month, fmt, version, files.Quiet()))
        except CitraError as exc:
            errors.append(str(exc))
    sent_to: list[str] = []
    if built:
        sent_to, send_errors = _send(ws, month, built)
        errors += send_errors
    status = "failed" if not sent_to else ("partial" if errors else "sent")
    at = datetime.now(ws.tz)
    names = {p.suffix.lstrip("."): p.name for p in built}
    for fmt in settings.formats:
        file = names.get(fmt, "")
        store.report_history.add(
            month, fmt, via="schedule", file=file, sent_to=sent_to, status=status, detail="; ".join(errors), at=at
        )
    if errors:
        log.warning("scheduled report %s: %s", month, "; ".join(errors))
    return Delivery(month, status, tuple(sent_to), tuple(errors))


def _channel(ws: Workspace, kind: str) -> Channel | None:
    return next((c for c in ws.settings.alerts.channels if c.kind == kind), None)


def _send(ws: Workspace, month: str, paths: list[Path]) -> tuple[list[str], list[str]]:
    """Email and Telegram; returns (who got it, errors)."""
    settings, sent, errors = ws.settings.reports, [], []
    email = _channel(ws, "email")
    recipients = list(settings.recipients) or (list(email.to) if email else [])
    if email is not None and recipients:
        channel = email.model_copy(update={"to": recipients})
        try:
            _email(channel, ws, month, paths)
            sent += recipients
        except (CitraError, smtplib.SMTPException, OSError) as exc:
            errors.append(ch._scrub(f"email: {exc}", channel))
    elif settings.recipients:
        errors.append("email: no email channel in [[alerts.channels]] to send through")
    telegram = _channel(ws, "telegram")
    if telegram is not None and settings.telegram:
        try:
            _telegram(telegram, ws, month, paths)
            sent.append(f"telegram:{telegram.chat_id}")
        except (CitraError, httpx.HTTPError) as exc:
            errors.append(ch._scrub(f"telegram: {exc}", telegram))
    if email is None and telegram is None:
        errors.append("no email or Telegram channel in [[alerts.channels]] to send the report through")
    return sent, errors


def _title(ws: Workspace, month: str) -> str:
    year, mon = (int(x) for x in month.split("-"))
    return f"Laporan Citra {ws.settings.organisation}, {format_date(date(year, mon, 1), 'MMMM yyyy', locale='id')}"


def _email(channel: Channel, ws: Workspace, month: str, paths: list[Path]) -> None:
    body = (
        f"Yth. Bapak/Ibu,\n\nTerlampir {_title(ws, month)}, dikirim otomatis oleh citra pada hari kerja pertama "
        "bulan ini.\n\nSalam,\nHumas"
    )
    email = ch.Email(channel)
    msg = email.message(_title(ws, month), body, "citra-laporan")
    for path in paths:
        main, sub = MIME[path.suffix.lstrip(".")]
        name = f"laporan-citra-{month}{path.suffix}"
        msg.add_attachment(path.read_bytes(), maintype=main, subtype=sub, filename=name)
    email.deliver(msg)


def _telegram(channel: Channel, ws: Workspace, month: str, paths: list[Path]) -> None:
    if not channel.bot_token or not channel.chat_id:
        raise CitraError("the Telegram channel needs bot_token and chat_id")
    url = f"{channel.api_url.rstrip('/')}/bot{channel.bot_token}/sendDocument"
    with httpx.Client(timeout=httpx.Timeout(max(channel.timeout, 30.0)), headers={"User-Agent": ch.USER_AGENT}) as c:
        for path in paths:
            name = f"laporan-citra-{month}{path.suffix}"
            data = {"chat_id": channel.chat_id, "caption": _title(ws, month)}
            document = {"document": (name, path.read_bytes(), "/".join(MIME[path.suffix.lstrip(".")]))}
            response = c.post(url, data=data, files=document)
            answer = response.json() if response.headers.get("content-type", "").startswith("application/json") else {}
            if not response.is_success or not (isinstance(answer, dict) and answer.get("ok") is True):
                raise CitraError(f"Telegram answered HTTP {response.status_code} to sendDocument")
