"""Orchestration of the inbox's notices to OPDs (run by ``citra watch``): an item assigned to an OPD, and an item
whose deadline is about to pass, are told once to the OPD's contact (``[opd_contacts."NAME"]``) by email and/or
Telegram, through the first alert channel of that kind (its server, sender and secrets); the store remembers what
was sent, so a later cycle never repeats it, and a notice that reached the OPD no way is tried again next cycle."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime

from citra.alerts.channels import DeliveryError, send_notice
from citra.config import Channel, OpdContact, Workspace
from citra.errors import CitraError
from citra.records import InboxItem
from citra.store import Store
from citra.workdays import Deadlines, for_workspace

log = logging.getLogger("citra.inbox")
SNIPPET = 280


@dataclass(frozen=True)
class Notices:
    """What one round sent: assignments told, deadline warnings, and the failures (one line each)."""

    assigned: int = 0
    warned: int = 0
    errors: tuple[str, ...] = ()


def routes(ws: Workspace, contact: OpdContact) -> list[Channel]:
    """The channels that reach an OPD's contact: copies of the first email / telegram alert channel addressed to
    the contact; a ConfigError when the contact names a kind that has no alert channel to carry it."""
    first = {c.kind: c for c in reversed(ws.settings.alerts.channels)}
    out: list[Channel] = []
    for kind, wanted, change in (
        ("email", bool(contact.email), {"to": list(contact.email)}),
        ("telegram", bool(contact.telegram_chat), {"chat_id": contact.telegram_chat}),
    ):
        if not wanted:
            continue
        if kind not in first:
            raise CitraError(f"no {kind} channel in [[alerts.channels]] to carry OPD notices")
        out.append(first[kind].model_copy(update=change | {"name": f"{kind} OPD"}))
    return out


def _text(item: InboxItem, ws: Workspace, head: str) -> str:
    post = item.post
    when = post.created_at.astimezone(ws.tz).strftime("%d-%m-%Y %H.%M")
    who = f"@{post.author.handle}" if post.author.handle else post.author.name or "-"
    lines = [
        head,
        f"{who} ({post.platform.value}, {when})",
        post.text[:SNIPPET] + ("…" if len(post.text) > SNIPPET else ""),
    ]
    if item.due_at is not None:
        lines.append(f"Tenggat: {item.due_at.astimezone(ws.tz).strftime('%d-%m-%Y %H.%M')}")
    if post.url:
        lines.append(post.url)
    return "\n".join(lines)


def _send(ws: Workspace, opd: str, subject: str, text: str) -> tuple[bool, list[str]]:
    """Send to every route of the OPD's contact: whether one delivered, and each problem as one line. A notice that
    reached the OPD one way is remembered (the other way is not retried, so a broken bot never repeats an email
    every cycle); one that reached it no way is tried again next cycle."""
    try:
        channels = routes(ws, ws.settings.opd_contacts[opd])
    except CitraError as exc:
        return False, [f"{opd}: {exc}"]
    delivered, problems = False, []
    for channel in channels:
        try:
            send_notice(channel, subject, text)
            delivered = True
        except (DeliveryError, CitraError) as exc:
            log.warning("notice to %s not sent: %s", opd, exc)
            problems.append(f"{opd}: {exc}")
    return delivered, problems


def notify(store: Store, ws: Workspace, now: datetime | None = None, rules: Deadlines | None = None) -> Notices:
    """Tell OPDs of new assignments and of deadlines within ``[inbox] warn_days`` working days."""
    contacts = sorted(ws.settings.opd_contacts)
    if not contacts:
        return Notices()
    now = now or datetime.now(UTC)
    rules = rules or for_workspace(ws)
    assigned = warned = 0
    errors: list[str] = []
    for item in store.inbox.to_notify(contacts):
        opd = item.opd or ""
        subject = f"[citra] Aduan baru untuk {opd}"
        sent, problems = _send(
            ws, opd, subject, _text(item, ws, f"{ws.settings.organisation}: aduan diteruskan ke {opd}.")
        )
        errors += problems
        if sent:
            store.inbox.notified(item.post_id, opd)
            assigned += 1
    if rules.warn_days > 0:
        for item in store.inbox.to_warn(rules, now, contacts):
            opd = item.opd or ""
            late = item.due_at is not None and item.due_at <= now
            head = "sudah lewat tenggat" if late else "tenggat segera berakhir"
            subject = f"[citra] Aduan {head} ({opd})"
            sent, problems = _send(
                ws, opd, subject, _text(item, ws, f"Aduan untuk {opd} {head}; mohon segera ditanggapi.")
            )
            errors += problems
            if sent:
                store.inbox.warned(item.post_id, now)
                warned += 1
    return Notices(assigned, warned, tuple(dict.fromkeys(errors)))
