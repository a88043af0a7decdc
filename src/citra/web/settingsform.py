"""The Pengaturan forms for citra.toml's tables: form fields in, the table's TOML shape out, or the problems per
field (an English message id and its values, translated beside the field by the page).

Lists are typed one item per line; leaders, comparison entities and feeds are rows of fields (a row with an empty
name is dropped, so clearing a name removes it). What passes here is checked again by citra.config when written
(config_edit), so these checks are for clear messages, not the last word."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from citra import credentials
from citra.nlp import services
from citra.web.i18n import N_

PLATFORMS = ("x", "instagram", "facebook", "youtube", "tiktok")
MAX_ITEMS = 500
MAX_TEXT = 200
HANDLE = re.compile(r"[a-z0-9_.-]{1,100}")  # X, Instagram, Facebook, YouTube (hyphens) and TikTok handles
URL = re.compile(r"https?://[^\s/$.?#][^\s]*", re.IGNORECASE)
EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
KINDS = ("telegram", "email", "webhook")
SEVERITIES = ("low", "medium", "high", "critical")

Problem = tuple[str, dict[str, Any]]


@dataclass
class Parsed:
    """A section's new value, with the rows to show again and the problems (field -> message) when refused."""

    value: Any = None
    rows: list[dict[str, Any]] = field(default_factory=list)
    problems: dict[str, Problem] = field(default_factory=dict)
    secrets: dict[str, dict[str, str]] | None = None


def _lines(text: str) -> list[str]:
    return list(dict.fromkeys(line.strip() for line in text.replace("\r", "").split("\n") if line.strip()))


def _commas(text: str) -> list[str]:
    return list(dict.fromkeys(part.strip() for part in text.replace("\n", ",").split(",") if part.strip()))


def _check_items(items: Sequence[str], name: str, problems: dict[str, Problem]) -> None:
    if len(items) > MAX_ITEMS:
        problems[name] = (N_("At most %(n)d entries."), {"n": MAX_ITEMS})
    for item in items:
        if len(item) > MAX_TEXT:
            problems[name] = (
                N_("“%(item)s…” is too long (at most %(n)d characters)."),
                {"item": item[:20], "n": MAX_TEXT},
            )


def keywords(form: Mapping[str, str]) -> Parsed:
    items = _lines(form.get("keywords", ""))
    out = Parsed(items)
    _check_items(items, "keywords", out.problems)
    return out


def accounts(form: Mapping[str, str]) -> Parsed:
    value: dict[str, list[str]] = {}
    out = Parsed(value)
    for platform in PLATFORMS:
        handles = [h.lstrip("@").lower() for h in _lines(form.get(f"accounts_{platform}", ""))]
        bad = [h for h in handles if not HANDLE.fullmatch(h)]
        if bad:
            out.problems[f"accounts_{platform}"] = (
                N_("“%(item)s” is not an account name: use letters, digits, _ . and - only (without a link)."),
                {"item": bad[0][:40]},
            )
        _check_items(handles, f"accounts_{platform}", out.problems)
        value[platform] = handles
    return out


def _rows(form: Any, prefix: str, names: Sequence[str]) -> list[dict[str, str]]:
    columns = [[str(v) for v in form.getlist(f"{prefix}_{n}")] for n in names]
    count = max((len(c) for c in columns), default=0)
    return [
        {n: (c[i].strip() if i < len(c) else "") for n, c in zip(names, columns, strict=True)} for i in range(count)
    ]


def _named_rows(form: Any, prefix: str, names: Sequence[str]) -> tuple[list[dict[str, str]], dict[str, Problem]]:
    """Rows with a name (blank rows dropped); a repeated name is a problem."""
    rows = [r for r in _rows(form, prefix, names) if any(r.values())]
    problems: dict[str, Problem] = {}
    seen: set[str] = set()
    for i, row in enumerate(rows):
        if not row["name"]:
            problems[f"{prefix}.{i}.name"] = (N_("A name is required (clear the whole row to remove it)."), {})
        elif row["name"].casefold() in seen:
            problems[f"{prefix}.{i}.name"] = (N_("This name is used twice."), {})
        seen.add(row["name"].casefold())
        for key, text in row.items():
            if len(text) > MAX_TEXT * 10 or (key == "name" and len(text) > MAX_TEXT):
                problems[f"{prefix}.{i}.{key}"] = (N_("Too long."), {})
    return rows, problems


def leaders(form: Any) -> Parsed:
    rows, problems = _named_rows(form, "leader", ("name", "role", "aliases"))
    value = [{"name": r["name"], "role": r["role"], "aliases": _commas(r["aliases"])} for r in rows]
    return Parsed(value, rows, problems)


def entities(form: Any) -> Parsed:
    rows, problems = _named_rows(form, "entity", ("name", "aliases"))
    value = [{"name": r["name"], "aliases": _commas(r["aliases"])} for r in rows]
    return Parsed(value, rows, problems)


def feeds(form: Any) -> Parsed:
    rows, problems = _named_rows(form, "feed", ("name", "url", "keywords"))
    value = []
    for i, r in enumerate(rows):
        if not URL.fullmatch(r["url"]):
            problems[f"feed.{i}.url"] = (N_("Enter the feed's address, starting with http:// or https://."), {})
        item: dict[str, Any] = {"name": r["name"], "url": r["url"]}
        if r["keywords"] == "*":
            item["keywords"] = []
        elif r["keywords"]:
            item["keywords"] = _commas(r["keywords"])
        value.append(item)
    return Parsed(value, rows, problems)


def opd(form: Mapping[str, str]) -> Parsed:
    """One field per shipped service key; an empty one (or the usual name) keeps the usual agency."""
    value = {}
    out = Parsed(value)
    for key, service in services.shipped().items():
        name = form.get(f"opd_{key}", "").strip()
        if len(name) > 128:
            out.problems[f"opd_{key}"] = (N_("At most %(n)d characters."), {"n": 128})
        if name and name != service.opd:
            value[key] = name
    return out


def thresholds(form: Mapping[str, str]) -> Parsed:
    out = Parsed({})
    try:
        threshold = float(form.get("threshold", "").replace(",", "."))
        if not 0 < threshold <= 100:
            raise ValueError
        out.value["threshold"] = threshold
    except ValueError:
        out.problems["threshold"] = (N_("Enter a number greater than 0 (for example 5 or 4,5)."), {})
    try:
        minutes = int(form.get("watch_minutes", ""))
        if not 1 <= minutes <= 1440:
            raise ValueError
        out.value["watch_minutes"] = minutes
    except ValueError:
        out.problems["watch_minutes"] = (N_("Enter a whole number of minutes from 1 to 1440."), {})
    return out


DEEP_MODES = ("attention", "all", "off")


def deep(form: Mapping[str, str]) -> Parsed:
    """``[nlp] deep``: which citizens' posts the deep tier labels."""
    choice = form.get("deep", "")
    if choice not in DEEP_MODES:
        return Parsed(problems={"deep": (N_("Choose one of the options."), {})})
    return Parsed(choice)


def channel(form: Mapping[str, str], kept: Mapping[str, str]) -> Parsed:
    """One alert channel from its form; a secret field left empty keeps the stored secret (``kept``)."""
    out = Parsed()
    kind = form.get("kind", "")
    if kind not in KINDS:
        out.problems["kind"] = (N_("Choose Telegram, email or webhook."), {})
        return out
    row: dict[str, Any] = {"kind": kind}
    name = form.get("name", "").strip()
    if name:
        if not re.fullmatch(r"[A-Za-z0-9_.-]{1,40}", name):
            out.problems["name"] = (N_("Use 1-40 letters, digits, _ . or - (no spaces)."), {})
        row["name"] = name
    severity = form.get("min_severity", "medium")
    row["min_severity"] = severity if severity in SEVERITIES else "medium"
    secrets = {k: v for k, v in kept.items() if v}
    for key in credentials.CHANNEL_SECRETS:
        given = form.get(key, "").strip()
        if given:
            secrets[key] = given
        if form.get(f"clear_{key}"):
            secrets.pop(key, None)

    def need(key: str, present: bool) -> None:
        if not present:
            out.problems[key] = (N_("Required for this kind of channel."), {})

    if kind == "telegram":
        row["chat_id"] = form.get("chat_id", "").strip()
        need("chat_id", bool(re.fullmatch(r"-?\d{1,20}|@[A-Za-z0-9_]{4,64}", row["chat_id"])))
        need("bot_token", bool(secrets.get("bot_token")))
        secrets = {k: v for k, v in secrets.items() if k == "bot_token"}
    elif kind == "email":
        row["smtp_host"] = form.get("smtp_host", "").strip()
        need("smtp_host", bool(re.fullmatch(r"[A-Za-z0-9.-]{1,253}", row["smtp_host"])))
        try:
            row["smtp_port"] = int(form.get("smtp_port", "587") or 587)
            if not 1 <= row["smtp_port"] <= 65535:
                raise ValueError
        except ValueError:
            out.problems["smtp_port"] = (N_("Enter a port number (587, or 465 for implicit TLS)."), {})
        row["smtp_starttls"] = bool(form.get("smtp_starttls"))
        row["sender"] = form.get("sender", "").strip()
        if not EMAIL.fullmatch(row["sender"]):
            out.problems["sender"] = (N_("Enter an email address, e.g. citra@kota.go.id."), {})
        row["to"] = _commas(form.get("to", ""))
        bad = [a for a in row["to"] if not EMAIL.fullmatch(a)]
        if bad or not row["to"]:
            out.problems["to"] = (N_("Enter one or more email addresses, separated by commas."), {})
        secrets = {k: v for k, v in secrets.items() if k in ("smtp_user", "smtp_password")}
    else:
        need("url", bool(URL.fullmatch(secrets.get("url", ""))))
        secrets = {k: v for k, v in secrets.items() if k in ("url", "secret")}
    out.value, out.secrets, out.rows = row, {credentials.channel_name(row): secrets}, [dict(form)]
    return out


TELEGRAM_CHAT = re.compile(r"-?\d{1,20}|@[A-Za-z0-9_]{4,64}")
DATE_FORMATS = ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y")


def _dates(text: str, name: str, problems: dict[str, Problem]) -> list[date]:
    """Holidays typed one per line or comma-separated, as 2026-12-25 or 25-12-2026; sorted, each once."""
    found: set[date] = set()
    for item in _commas(text):
        for fmt in DATE_FORMATS:
            try:
                found.add(datetime.strptime(item, fmt).date())
                break
            except ValueError:
                continue
        else:
            problems[name] = (
                N_("“%(item)s” is not a date: write it as 25-12-2026 or 2026-12-25."),
                {"item": item[:20]},
            )
    if len(found) > MAX_ITEMS:
        problems[name] = (N_("At most %(n)d entries."), {"n": MAX_ITEMS})
    return sorted(found)


def _whole(form: Mapping[str, str], name: str, low: int, high: int, problems: dict[str, Problem]) -> int:
    try:
        number = int(str(form.get(name, "")).strip())
        if not low <= number <= high:
            raise ValueError
    except ValueError:
        problems[name] = (N_("Enter a whole number from %(low)d to %(high)d."), {"low": low, "high": high})
        return low
    return number


def _emails(text: str, name: str, problems: dict[str, Problem]) -> list[str]:
    found = _commas(text)
    bad = [a for a in found if not EMAIL.fullmatch(a) or len(a) > MAX_TEXT]
    if bad:
        problems[name] = (N_("“%(item)s” is not an email address (e.g. humas@kota.go.id)."), {"item": bad[0][:40]})
    _check_items(found, name, problems)
    return found


def reports(form: Mapping[str, str]) -> Parsed:
    """``[reports]``: the monthly report on schedule, its recipients, files, Telegram copy and holidays."""
    out = Parsed({})
    formats = [f for f in ("pdf", "xlsx") if form.get(f"format_{f}")]
    if not formats:
        out.problems["formats"] = (N_("Choose at least one file: PDF and/or Excel."), {})
    out.value = {
        "schedule": bool(form.get("schedule")),
        "recipients": _emails(form.get("recipients", ""), "recipients", out.problems),
        "formats": formats or ["pdf"],
        "telegram": bool(form.get("telegram")),
        "holidays": _dates(form.get("holidays", ""), "holidays", out.problems),
    }
    return out


def inbox(form: Any, opds: Sequence[str]) -> Parsed:
    """``[inbox]`` deadlines: the default in working days, per-OPD overrides (an OPD of ``opds``), the warning and
    holidays. Rows of ``deadline_opd`` / ``deadline_days``; a row without an OPD is dropped."""
    out = Parsed({})
    out.value["deadline_days"] = _whole(form, "deadline_days", 1, 60, out.problems)
    out.value["warn_days"] = _whole(form, "warn_days", 0, 30, out.problems)
    out.value["holidays"] = _dates(form.get("holidays", ""), "holidays", out.problems)
    out.rows = [r for r in _rows(form, "deadline", ("opd", "days_for")) if any(r.values())]
    deadlines: dict[str, int] = {}
    for i, row in enumerate(out.rows):
        if row["opd"] not in opds:
            out.problems[f"deadline.{i}.opd"] = (N_("Choose an OPD from the list."), {})
        elif row["opd"] in deadlines:
            out.problems[f"deadline.{i}.opd"] = (N_("This OPD is listed twice."), {})
        days: dict[str, Problem] = {}
        deadlines[row["opd"]] = _whole(row, "days_for", 1, 60, days)
        if days:
            out.problems[f"deadline.{i}.days"] = days["days_for"]
    out.value["deadlines"] = deadlines
    return out


def opd_contacts(form: Any, opds: Sequence[str]) -> Parsed:
    """``[opd_contacts."OPD"]``: per configured OPD its email addresses and/or Telegram chat (rows of
    ``contact_opd`` / ``contact_email`` / ``contact_telegram``); an OPD with both empty has no contact."""
    out = Parsed({})
    out.rows = _rows(form, "contact", ("opd", "email", "telegram"))
    for i, row in enumerate(out.rows):
        if not (row["email"] or row["telegram"]):
            continue
        if row["opd"] not in opds:
            out.problems[f"contact.{i}.opd"] = (N_("Choose an OPD from the list."), {})
            continue
        entry: dict[str, Any] = {}
        emails = _emails(row["email"], f"contact.{i}.email", out.problems)
        if emails:
            entry["email"] = emails
        if row["telegram"]:
            if not TELEGRAM_CHAT.fullmatch(row["telegram"]):
                out.problems[f"contact.{i}.telegram"] = (
                    N_("Enter a chat ID such as -1001234567890 (or @channel_name)."),
                    {},
                )
            entry["telegram_chat"] = row["telegram"]
        out.value[row["opd"]] = entry
    return out
