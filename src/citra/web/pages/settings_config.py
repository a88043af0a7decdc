"""Pengaturan, the workspace's settings (admins only): keywords, official accounts, leaders, comparison entities, news
feeds, the OPD map, alert thresholds and channels (with a test send), the scheduled monthly report, the inbox's
deadlines and the OPDs' contacts (with a test send), edited in forms and written back to citra.toml
with its comments kept (curate.change_settings); the running app switches to the new settings at once."""

from __future__ import annotations

import tomllib
from datetime import UTC, date, datetime
from typing import Any

from fastapi import Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from citra import config, config_edit, credentials, curate, inbox_notify
from citra.alerts import channels as senders
from citra.config import Channel, Workspace
from citra.errors import CitraError
from citra.nlp import services
from citra.records import Alert, User
from citra.web import settingsform
from citra.web.auth import Admin
from citra.web.pages import router as make_router
from citra.web.pages import state
from citra.web.render import flash, translations

router = make_router()
SECTIONS = {
    "keywords": settingsform.keywords,
    "accounts": settingsform.accounts,
    "leaders": settingsform.leaders,
    "entities": settingsform.entities,
    "feeds": settingsform.feeds,
    "opd": settingsform.opd,
    "thresholds": settingsform.thresholds,
    "reports": settingsform.reports,
    "deep": settingsform.deep,
}
WITH_OPDS = {"inbox": settingsform.inbox, "opd_contacts": settingsform.opd_contacts}  # chosen from the OPDs
SECRET_FIELDS = {"telegram": ("bot_token",), "email": ("smtp_user", "smtp_password"), "webhook": ("url", "secret")}
BLANK_ROWS = 2


def reload(request: Request, ws: Workspace) -> None:
    """The running app uses ``ws`` from now on; cached figures computed with the old settings are dropped."""
    request.app.state.workspace = ws
    request.app.state.memo.clear()


def _rows(current: list[dict[str, Any]], blank: dict[str, str]) -> list[dict[str, Any]]:
    return current + [dict(blank) for _ in range(BLANK_ROWS)]


def _day_list(days: list[date]) -> str:
    return ", ".join(d.strftime("%d-%m-%Y") for d in days)


def opd_choices(request: Request) -> list[str]:
    """The OPDs a deadline or contact may name: the configured OPD map's, and any already in citra.toml."""
    from citra.web.pages.inbox import opd_names

    _, ws, _ = state(request)
    s = ws.settings
    return sorted(set(opd_names(request)) | set(s.opd_contacts) | set(s.inbox.deadlines))


def _channel_view(i: int, c: Channel) -> dict[str, Any]:
    view = c.model_dump(exclude=set(credentials.CHANNEL_SECRETS))
    view |= {"index": i, "to": ", ".join(c.to), "label": c.name or c.kind}
    view["masked"] = {k: config_edit.mask(getattr(c, k)) for k in SECRET_FIELDS[c.kind]}
    return view


def context(request: Request) -> dict[str, Any]:
    """What the settings forms show: the current settings, secrets masked."""
    _, ws, _ = state(request)
    s = ws.settings
    lang = request.state.lang
    return {
        "cfg": {
            "keywords": "\n".join(s.keywords),
            "accounts": {p: "\n".join(s.accounts.get(p, [])) for p in settingsform.PLATFORMS},
            "leaders": _rows(
                [{"name": x.name, "role": x.role, "aliases": ", ".join(x.aliases)} for x in s.leaders],
                {"name": "", "role": "", "aliases": ""},
            ),
            "entities": _rows(
                [{"name": x.name, "aliases": ", ".join(x.aliases)} for x in s.entities], {"name": "", "aliases": ""}
            ),
            "feeds": _rows(
                [
                    {"name": f.name, "url": f.url, "keywords": "*" if f.keywords == [] else ", ".join(f.keywords or [])}
                    for f in s.feeds
                ],
                {"name": "", "url": "", "keywords": ""},
            ),
            "opd": [
                {
                    "key": key,
                    "service": service.name_en if lang == "en" else service.name,
                    "usual": service.opd,
                    "name": s.opd.get(key, ""),
                }
                for key, service in services.shipped().items()
            ],
            "thresholds": {"threshold": s.alerts.threshold, "watch_minutes": s.alerts.watch_minutes},
            "deep": s.nlp.deep,
            "channels": [_channel_view(i, c) for i, c in enumerate(s.alerts.channels)],
            "reports": {
                "schedule": s.reports.schedule,
                "recipients": ", ".join(s.reports.recipients),
                "pdf": "pdf" in s.reports.formats,
                "xlsx": "xlsx" in s.reports.formats,
                "telegram": s.reports.telegram,
                "holidays": _day_list(s.reports.holidays),
            },
            "inbox": {
                "deadline_days": s.inbox.deadline_days,
                "warn_days": s.inbox.warn_days,
                "holidays": _day_list(s.inbox.holidays),
                "deadlines": _rows(
                    [{"opd": k, "days_for": str(v)} for k, v in sorted(s.inbox.deadlines.items())],
                    {"opd": "", "days_for": ""},
                ),
            },
            "contacts": [
                {
                    "opd": name,
                    "email": ", ".join(s.opd_contacts[name].email) if name in s.opd_contacts else "",
                    "telegram": s.opd_contacts[name].telegram_chat if name in s.opd_contacts else "",
                }
                for name in opd_choices(request)
            ],
        },
        "contact_test": None,
        "cfg_errors": {},
        "new_channel": None,
        "test_result": None,
        "error": None,
        "platforms": settingsform.PLATFORMS,
        "kinds": settingsform.KINDS,
        "severities": settingsform.SEVERITIES,
        "deep_modes": settingsform.DEEP_MODES,
        "toml_path": str(ws.root / config.CONFIG_NAME),
        "organisation": s.organisation,
    }


def _messages(request: Request, problems: dict[str, settingsform.Problem]) -> dict[str, str]:
    t = translations(request)
    return {name: t.gettext(msg) % params if params else t.gettext(msg) for name, (msg, params) in problems.items()}


def _refused(request: Request, user: User, section: str, form: Any, problems: dict[str, str], rows: Any) -> Response:
    """The page again, status 400, with the section as typed and each message beside its field."""
    from citra.web.pages.settings import page

    extra = context(request)
    cfg = extra["cfg"]
    if section == "keywords":
        cfg["keywords"] = form.get("keywords", "")
    elif section == "accounts":
        cfg["accounts"] = {p: form.get(f"accounts_{p}", "") for p in settingsform.PLATFORMS}
    elif section in ("leaders", "entities", "feeds"):
        cfg[section] = [*rows, {k: "" for k in cfg[section][-1]}]
    elif section == "opd":
        for row in cfg["opd"]:
            row["name"] = form.get(f"opd_{row['key']}", "")
    elif section == "thresholds":
        cfg["thresholds"] = {k: form.get(k, "") for k in ("threshold", "watch_minutes")}
    elif section == "reports":
        cfg["reports"] = {k: form.get(k, "") for k in ("schedule", "recipients", "telegram", "holidays")}
        cfg["reports"] |= {f: bool(form.get(f"format_{f}")) for f in ("pdf", "xlsx")}
    elif section == "inbox":
        cfg["inbox"] = {k: form.get(k, "") for k in ("deadline_days", "warn_days", "holidays")}
        cfg["inbox"]["deadlines"] = [*rows, {"opd": "", "days_for": ""}]
    elif section == "opd_contacts":
        cfg["contacts"] = rows
    elif section == "deep":
        cfg["deep"] = form.get("deep", "")
    elif section == "channels":
        index = form.get("index", "")
        typed = {k: v for k, v in form.items() if k not in credentials.CHANNEL_SECRETS and k != "csrf_token"}
        if index.isdigit() and int(index) < len(cfg["channels"]):
            cfg["channels"][int(index)] |= typed
        else:
            extra["new_channel"] = typed
    extra["cfg_errors"] = {section: problems, "index": form.get("index", "")}
    extra["error"] = translations(request).gettext("Not saved: check the fields marked below.")
    return page(request, user, status_code=400, **extra)


def _save(request: Request, user: User, section: str, value: Any, secrets: Any = None) -> None:
    store, ws, _ = state(request)
    reload(request, curate.change_settings(store, user.name, ws.root, section, value, secrets))


@router.post("/pengaturan/konfigurasi/{section}")
async def save_section(request: Request, user: Admin, section: str) -> Response:
    """Save one table of citra.toml from its form."""
    form = await request.form()
    if section in WITH_OPDS:
        parsed = WITH_OPDS[section](form, opd_choices(request))
    elif section in SECTIONS:
        parsed = SECTIONS[section](form)
    else:
        raise CitraError(f"unknown settings section {section!r}")
    if parsed.problems:
        return _refused(request, user, section, form, _messages(request, parsed.problems), parsed.rows)
    try:
        await run_in_threadpool(_save, request, user, section, parsed.value)
    except config_edit.Refused as exc:
        return _refused(request, user, section, form, {"": str(exc)}, parsed.rows)
    flash(request, translations(request).gettext("Saved to citra.toml; the dashboard uses it now."))
    return RedirectResponse(f"/pengaturan#cfg-{section}", status_code=303)


def _toml_channels(ws: Workspace) -> list[dict[str, Any]]:
    """The channels as citra.toml writes them (only the keys it gives), without secrets."""
    data = tomllib.loads((ws.root / config.CONFIG_NAME).read_text(encoding="utf-8"))
    rows = [c for c in data.get("alerts", {}).get("channels", []) if isinstance(c, dict)]
    return [{k: v for k, v in c.items() if k not in credentials.CHANNEL_SECRETS} for c in rows]


@router.post("/pengaturan/kanal")
async def save_channel(request: Request, user: Admin) -> Response:
    """Add, change, delete or test-send an alert channel (``index`` empty: a new one)."""
    form = await request.form()
    _, ws, _ = state(request)
    t = translations(request)
    action, index = str(form.get("action", "save")), str(form.get("index", ""))
    rows = _toml_channels(ws)
    at = int(index) if index.isdigit() and int(index) < len(rows) else None
    if action == "test":
        if at is None:
            raise CitraError("save the channel before sending a test")
        from citra.web.pages.settings import page

        ok, error = await run_in_threadpool(test_send, ws, ws.settings.alerts.channels[at])
        said = (
            t.gettext("Test message sent. Check that it arrived.")
            if ok
            else t.gettext("Test message failed: %(error)s") % {"error": error}
        )
        # shown beside the channel (nothing changed, so no redirect)
        return page(request, user, test_result={"index": at, "ok": ok, "message": said})
    kept = config_edit.stored_channel_secrets(ws.root)
    old_name = credentials.channel_name(rows[at]) if at is not None else None
    if action == "delete" and at is not None:
        del rows[at]
        kept.pop(old_name or "", None)
        await run_in_threadpool(_save, request, user, "channels", rows, kept)
        flash(request, t.gettext("Channel removed."))
        return RedirectResponse("/pengaturan#cfg-channels", status_code=303)
    parsed = settingsform.channel(form, kept.get(old_name or "", {}))
    if parsed.problems:
        return _refused(request, user, "channels", form, _messages(request, parsed.problems), parsed.rows)
    if at is None:
        rows.append(parsed.value)
    else:
        rows[at] = parsed.value
        kept.pop(old_name or "", None)
    kept |= parsed.secrets or {}
    try:
        await run_in_threadpool(_save, request, user, "channels", rows, kept)
    except config_edit.Refused as exc:
        return _refused(request, user, "channels", form, {"": str(exc)}, parsed.rows)
    flash(request, t.gettext("Channel saved; secrets are kept in secrets.toml, not in citra.toml."))
    return RedirectResponse("/pengaturan#cfg-channels", status_code=303)


def test_send(ws: Workspace, channel: Channel) -> tuple[bool, str]:
    """Send a test alert through ``channel``: (True, "") or (False, the reason, secrets scrubbed)."""
    now = datetime.now(UTC)
    alert = Alert(None, "pesan uji dari citra (abaikan)", now, now, 0.0, "low", "closed", {})
    results = senders.deliver(alert, [channel.model_copy(update={"min_severity": "low"})], org=ws.settings.organisation,
                              tz=ws.tz)  # fmt: skip
    return (results[0].ok, results[0].error or "") if results else (False, "not sent")


@router.post("/pengaturan/kontak-opd/uji")
async def test_contact(request: Request, user: Admin) -> Response:
    """Send a test notice to an OPD's saved contact, the way ``citra watch`` tells it of an assignment (through the
    first email / Telegram alert channel); the result is shown beside the OPD, nothing is changed."""
    from citra.web.pages.settings import page

    form = await request.form()
    opd = str(form.get("opd", ""))
    _, ws, _ = state(request)
    t = translations(request)
    contact = ws.settings.opd_contacts.get(opd)
    if contact is None:
        said, ok = t.gettext("Save this OPD's contact before sending a test."), False
    else:
        kinds = {c.kind for c in ws.settings.alerts.channels}
        missing = [k for k, wanted in (("email", contact.email), ("telegram", contact.telegram_chat)) if wanted]
        missing = [k for k in missing if k not in kinds]
        if missing:
            said = t.gettext(
                "Add an alert channel of kind %(kind)s first (under Alert channels): it carries OPD notices."
            )
            said, ok = said % {"kind": ", ".join(missing)}, False
        else:
            ok, error = await run_in_threadpool(test_notice, ws, opd, contact)
            said = (
                t.gettext("Test message sent to %(opd)s. Check that it arrived.") % {"opd": opd}
                if ok
                else t.gettext("Test message failed: %(error)s") % {"error": error}
            )
    return page(request, user, contact_test={"opd": opd, "ok": ok, "message": said})


def test_notice(ws: Workspace, opd: str, contact: config.OpdContact) -> tuple[bool, str]:
    """Send a test notice to every route of an OPD's contact: (True, "") or (False, the reasons, secrets scrubbed)."""
    errors = []
    for channel in inbox_notify.routes(ws, contact):
        try:
            senders.send_notice(
                channel,
                f"[citra] Pesan uji untuk {opd}",
                f"{ws.settings.organisation}: pesan uji dari citra (abaikan).",
            )
        except CitraError as exc:
            errors.append(str(exc))
    return not errors, "; ".join(errors)
