"""An alert in words: a short Indonesian message for Telegram (HTML) and email, and a JSON payload for webhooks.

Everything that comes from posts (sample texts, author names, terms, topic names) is untrusted: control and
bidi-override characters are stripped, lengths are bounded and the result is escaped for HTML.

The webhook payload (``render_json``) is stable::

    {"event": "citra.alert", "organisation": str, "update": bool,
     "alert": {"id": int | null, "kind": str, "start": ISO-8601 UTC, "last_seen": ISO-8601 UTC,
               "severity": "low" | "medium" | "high" | "critical", "peak_score": float,
               "status": "open" | "closed", "drivers": {...},
               "scope": {"saved_search": int, "name": str} | null}}

``drivers`` is ``Alert.drivers`` as stored (datetimes as ISO-8601 strings)."""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, tzinfo
from email.message import EmailMessage
from typing import Any
from urllib.parse import urlsplit

from citra.alerts import coordinated
from citra.alerts.wording import target_words
from citra.records import Alert

EVENT = "citra.alert"
TELEGRAM_LIMIT = 4096  # characters (UTF-16 units) after entity parsing
SEVERITY_ID = {"low": "rendah", "medium": "sedang", "high": "tinggi", "critical": "kritis"}
SEVERITY_MARK = {"low": "🔵", "medium": "🟡", "high": "🟠", "critical": "🔴"}
KIND_ID = {"negative_volume": "lonjakan komentar negatif", "negative_share": "porsi komentar negatif meningkat"}
PLATFORM_ID = {
    "x": "X",
    "instagram": "Instagram",
    "facebook": "Facebook",
    "youtube": "YouTube",
    "tiktok": "TikTok",
    "news": "Berita",
    "other": "Lainnya",
}
MONTHS = ("Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des")
MAX_ITEMS = 5
MAX_GROUPS = 3  # coordinated groups named in a message
MAX_TERMS = 10
MAX_SAMPLES = 3
SAMPLE_CHARS = 200
NAME_CHARS = 60
TERM_CHARS = 40
URL_CHARS = 300
_BIDI = frozenset("\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_TAG = re.compile(r"<[^>]*>")


def clean(value: object, limit: int) -> str:
    """``value`` as one line of at most ``limit`` characters, without control or bidi-override characters."""
    text = "" if value is None else str(value)
    text = text[: limit * 4 + 64]  # bound the work on huge inputs
    kept = (" " if unicodedata.category(c) in ("Cc", "Zl", "Zp") else c for c in text if c not in _BIDI)
    text = " ".join("".join(kept).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


@dataclass(frozen=True, slots=True)
class _Style:
    """How text is marked up: Telegram/email HTML or plain text."""

    html: bool

    def text(self, value: object, limit: int) -> str:
        cleaned = clean(value, limit)
        return html.escape(cleaned, quote=False) if self.html else cleaned

    def bold(self, markup: str) -> str:
        return f"<b>{markup}</b>" if self.html else markup

    def link(self, url: object, label: str) -> str:
        """A link to an http(s) URL, or nothing when the URL is missing, too long or of another scheme."""
        value = clean(url, URL_CHARS + 1)
        if not value or len(value) > URL_CHARS or " " in value:
            return ""
        parts = urlsplit(value)
        if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
            return ""
        return f' <a href="{html.escape(value, quote=True)}">{label}</a>' if self.html else f" {value}"


PLAIN, HTML = _Style(html=False), _Style(html=True)


def render_text(alert: Alert, org: str, tz: tzinfo, *, update: bool = False) -> str:
    """The Telegram message (``parse_mode=HTML``), at most ``TELEGRAM_LIMIT`` characters as displayed."""
    for samples in range(MAX_SAMPLES, -1, -1):
        text = "\n".join(_lines(alert, org, tz, HTML, update=update, samples=samples))
        if _displayed_length(text) <= TELEGRAM_LIMIT:
            break
    return text


def render_email(alert: Alert, org: str, tz: tzinfo, *, update: bool = False) -> EmailMessage:
    """An email with a subject, a plain-text body and an HTML alternative (no From/To: the channel sets them)."""
    subject = render_subject(alert, org, update=update)
    msg = EmailMessage()
    msg["Subject"] = subject
    msg.set_content("\n".join(_lines(alert, org, tz, PLAIN, update=update, samples=MAX_SAMPLES)) + "\n")
    body = "<br>\n".join(_lines(alert, org, tz, HTML, update=update, samples=MAX_SAMPLES))
    page = (
        f'<!DOCTYPE html>\n<html lang="id"><head><meta charset="utf-8"><title>{html.escape(subject)}</title></head>\n'
        f'<body style="font-family:sans-serif;font-size:15px;line-height:1.45">\n{body}\n</body></html>\n'
    )
    msg.add_alternative(page, subtype="html")
    return msg


def render_subject(alert: Alert, org: str, *, update: bool = False) -> str:
    """The email subject: one line, Indonesian."""
    prefix = "Diperbarui: " if update else ""
    done = " (selesai)" if alert.status == "closed" else ""
    what = KIND_ID.get(alert.kind, alert.kind)
    scope = f" (cakupan: {alert.scope_name})" if alert.scope_name else ""
    return clean(f"[citra] {prefix}Peringatan {SEVERITY_ID[alert.severity]}{done}: {what}{scope} – {org}", 200)


def render_json(alert: Alert, org: str, *, update: bool = False) -> dict[str, Any]:
    """The webhook payload documented at the top of this module."""
    return {
        "event": EVENT,
        "organisation": org,
        "update": update,
        "alert": {
            "id": alert.id,
            "kind": alert.kind,
            "start": _utc(alert.start).isoformat(),
            "last_seen": _utc(alert.last_seen).isoformat(),
            "severity": alert.severity,
            "peak_score": float(alert.peak_score),
            "status": alert.status,
            "drivers": _jsonable(alert.drivers),
            "scope": {"saved_search": alert.scope_id, "name": alert.scope_name} if alert.scope_id else None,
        },
    }


def _lines(alert: Alert, org: str, tz: tzinfo, s: _Style, *, update: bool, samples: int) -> list[str]:
    d = alert.drivers or {}
    closed = alert.status == "closed"
    what = KIND_ID.get(alert.kind) or s.text(alert.kind, NAME_CHARS)
    lines = [("✅ " if closed else "⚠️ ") + s.bold(f"Peringatan citra: {what}")]
    if update or closed:
        lines.append(f"🔄 Diperbarui {when(alert.last_seen, tz)}" + (" · krisis selesai" if closed else ""))
    lines.append(s.text(org, 120))
    if alert.scope_name:
        lines.append("🔎 Cakupan: " + s.bold(s.text(alert.scope_name, NAME_CHARS)))
    severity = s.bold(SEVERITY_ID[alert.severity].upper())
    lines.append(f"{SEVERITY_MARK[alert.severity]} Tingkat: {severity} · skor {_decimal(alert.peak_score)}")
    lines.append(f"🕒 Mulai: {when(alert.start, tz)}")
    volume = _volume(d.get("volume"), s)
    if volume:
        lines.append(volume)

    summary = [
        _listing(s, "Topik", [(t.get("name") or t.get("topic"), t.get("count")) for t in _items(d, "topics")]),
        _listing(
            s,
            "Sasaran kritik",
            [(t.get("name") or _target(t.get("target")), t.get("count")) for t in _items(d, "targets")],
        ),
        _listing(s, "OPD", [(o.get("opd"), o.get("count")) for o in _items(d, "opds")]),
        _listing(s, "Kata kunci", [(t, None) for t in (d.get("terms") or [])[:MAX_TERMS]], TERM_CHARS),
        _listing(
            s, "Platform", [(platform_name(p.get("platform")), p.get("count")) for p in _items(d, "platforms", 7)]
        ),
    ]
    summary = [line for line in summary if line]
    if summary:
        lines += ["", *summary]

    posts = [_sample(x, s) for x in _items(d, "samples", samples)]
    if posts:
        lines += ["", "💬 " + s.bold("Contoh unggahan"), *posts]
    authors = [_author(a, s) for a in _items(d, "authors", 3)]
    if authors:
        lines += ["", "📣 " + s.bold("Akun penyebar utama"), *authors]
    return lines + _coordinated(d, tz, s)


def _coordinated(d: Mapping[str, Any], tz: tzinfo, s: _Style) -> list[str]:
    """The coordinated groups of the window (``citra.alerts.coordinated``), in words, with what to check."""
    groups = coordinated.groups(d)
    if not groups:
        return []
    seconds = (d.get(coordinated.KEY) or {}).get("window_seconds")
    lines = ["", "🕸️ " + s.bold(coordinated.headline(d) + ":")]
    for g in groups[:MAX_GROUPS]:
        first = coordinated.moment(g.get("first"))
        handles = [s.text("@" + str(h), 40) for h in (g.get("accounts") or [])[:3]]
        more = (_number(g.get("n_accounts")) or 0) - len(handles)
        who = ", ".join(handles) + (f" dan {_count(more)} akun lain" if more > 0 else "")
        line = f"• {s.text(coordinated.sentence(g, seconds), 200)}"
        line += f", mulai {when(first, tz)}" if first else ""
        lines.append(line + (f"; akun: {who}" if who else ""))
    days = coordinated.days(d, tz)
    where = f" (tanggal {days[0]:%d-%m-%Y} s.d. {days[1]:%d-%m-%Y})" if days else ""
    lines.append(s.text(coordinated.NOTE.replace("halaman Jaringan", f"halaman Jaringan citra{where}"), 300))
    return lines


def _volume(volume: object, s: _Style) -> str:
    if not isinstance(volume, Mapping):
        return ""
    negative, total, expected = (_number(volume.get(k)) for k in ("negative", "total", "expected_negative"))
    if negative is None:
        return ""
    text = f"📈 Negatif: {s.bold(_count(negative))}"
    if total:
        text += f" dari {_count(total)} unggahan ({_decimal(100 * negative / total, 0)}%)"
    if expected is not None:
        text += f"; biasanya ±{_count(expected)}"
        if expected >= 1:
            text += f" ({_decimal(negative / expected)}×)"
    return text


def _listing(s: _Style, label: str, items: list[tuple[object, object]], limit: int = NAME_CHARS) -> str:
    parts = []
    for name, count in items:
        n = _number(count)
        if name:
            parts.append(s.text(name, limit) + (f" ({_count(n)})" if n is not None else ""))
    return f"{s.bold(label)}: {', '.join(parts)}" if parts else ""


def _sample(x: Mapping[str, Any], s: _Style) -> str:
    meta = [s.text(platform_name(x.get("platform")), 20)] if x.get("platform") else []
    engagement = _number(x.get("engagement"))
    if engagement:
        meta.append(f"{_count(engagement)} interaksi")
    who = s.bold(s.text(x.get("author") or "anonim", 50)) + (f" ({' · '.join(meta)})" if meta else "")
    return f"• {who}: “{s.text(x.get('text'), SAMPLE_CHARS)}”{s.link(x.get('url'), 'buka')}"


def _author(a: Mapping[str, Any], s: _Style) -> str:
    who = s.bold(s.text(a.get("author") or "anonim", 50))
    if a.get("platform"):
        who += f" ({s.text(platform_name(a.get('platform')), 20)})"
    figures = [
        f"{_count(n)} {unit}"
        for n, unit in (
            (_number(a.get("posts")), "unggahan"),
            (_number(a.get("engagement")), "interaksi"),
            (_number(a.get("followers")), "pengikut"),
        )
        if n is not None
    ]
    return f"• {who}" + (f": {', '.join(figures)}" if figures else "")


def platform_name(value: object) -> str:
    """The display name of a platform (not escaped)."""
    key = clean(value, 20)
    return PLATFORM_ID.get(key.lower(), key)


def _target(value: object) -> str:
    """A target in words when the alert was stored without its name (before names were kept): ``Dinas PUPR``
    from ``institution:Dinas PUPR``, ``Kota X (pembanding)`` from ``entity:Kota X``."""
    return target_words(value, {})


def when(moment: datetime, tz: tzinfo) -> str:
    """``3 Mar 2025 14.30 WIB``: a moment in the workspace zone, the Indonesian way."""
    local = _utc(moment).astimezone(tz)
    return f"{local.day} {MONTHS[local.month - 1]} {local.year} {local:%H.%M} {local.tzname() or ''}".rstrip()


def _items(drivers: Mapping[str, Any], key: str, limit: int = MAX_ITEMS) -> list[Mapping[str, Any]]:
    return [x for x in (drivers.get(key) or []) if isinstance(x, Mapping)][:limit]


def _number(value: object) -> float | None:
    """A figure from the drivers; an engagement mapping ({likes, reposts, ...}) counts as its sum."""
    if isinstance(value, Mapping):
        figures = [v for v in value.values() if isinstance(v, int | float) and not isinstance(v, bool)]
        return float(sum(figures)) if figures else None
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return None
    try:
        return float(value)
    except ValueError:
        return None


def _count(value: float) -> str:
    return f"{round(value):,}".replace(",", ".")


def _decimal(value: float, digits: int = 1) -> str:
    text = f"{value:,.{digits}f}"
    return text.replace(",", " ").replace(".", ",").replace(" ", ".")


def _utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _displayed_length(markup: str) -> int:
    """Length as Telegram counts it: without tags, entities decoded, in UTF-16 code units."""
    return len(html.unescape(_TAG.sub("", markup)).encode("utf-16-le")) // 2


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime):
        return _utc(value).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_jsonable(v) for v in value]
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)
