"""What Peringatan and Ringkasan show of alerts: which alerts a tab lists and in what order, the crises of a viewed
period (banner and chart marker), and an alert's drivers in words with links to their posts.

Pure: takes alerts and names, returns view models; the pages fetch and render."""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, tzinfo
from typing import Any

from citra.alerts import coordinated
from citra.alerts.message import platform_name
from citra.alerts.wording import drill, target_words
from citra.records import Alert, AlertNote, AlertWork, Handling, Severity
from citra.web.render import safe_url

RECENT_DAYS = 14  # the default tab keeps alerts resolved this recently
TABS = ("current", "resolved", "all")
CRISIS = (Severity.HIGH, Severity.CRITICAL)


def work(alert: Alert) -> AlertWork:
    return alert.work or AlertWork()


def ordered(alerts: Sequence[Alert]) -> list[Alert]:
    """Unresolved first, then the most severe, then the newest."""
    return sorted(
        alerts,
        key=lambda a: (work(a).handling is Handling.RESOLVED, -a.severity.rank, -a.start.timestamp()),
    )


def tab(alerts: Sequence[Alert], chosen: str, now: datetime) -> list[Alert]:
    """``current``: not resolved, or resolved in the last RECENT_DAYS days; ``resolved``; ``all``."""
    if chosen == "resolved":
        return ordered([a for a in alerts if work(a).handling is Handling.RESOLVED])
    if chosen == "all":
        return ordered(alerts)
    recent = now - timedelta(days=RECENT_DAYS)
    return ordered([a for a in alerts if (work(a).resolved_at or now) >= recent])


def active(alerts: Sequence[Alert], since: datetime, until: datetime) -> list[Alert]:
    """Alerts whose crisis overlapped [since, until): the "alerts in this period" count of Ringkasan."""
    return [a for a in alerts if a.start < until and a.last_seen >= since]


def crises(alerts: Sequence[Alert], since: datetime, until: datetime) -> list[Alert]:
    """High or critical alerts active in the period, or still open and unresolved now: Ringkasan's banner."""
    seen = {a.id for a in active(alerts, since, until)}
    return ordered(
        [
            a
            for a in alerts
            if a.severity in CRISIS
            and (a.id in seen or (a.status == "open" and work(a).handling is not Handling.RESOLVED))
        ]
    )


@dataclass(frozen=True)
class Driver:
    """One driver in words, its count and the Percakapan link to its posts."""

    label: str
    count: int | None
    href: str


@dataclass(frozen=True)
class Sample:
    text: str
    author: str
    platform: str
    at: datetime | None
    link: str | None


@dataclass(frozen=True)
class Coordinated:
    """A group of accounts that acted in lock-step in the alert's window (``citra.alerts.coordinated``)."""

    kind: str
    accounts: list[str]  # the first few handles
    n_accounts: int
    posts: int
    bursts: int
    score: float
    first: datetime | None
    shared: list[str]

    @property
    def more(self) -> int:
        return max(self.n_accounts - len(self.accounts), 0)


@dataclass(frozen=True)
class Card:
    """An alert as Peringatan shows it."""

    alert: Alert
    work: AlertWork
    since: date
    until: date
    topics: list[Driver] = field(default_factory=list)
    targets: list[Driver] = field(default_factory=list)
    opds: list[Driver] = field(default_factory=list)
    samples: list[Sample] = field(default_factory=list)
    notes: list[AlertNote] = field(default_factory=list)
    negative_href: str = ""
    coordinated: list[Coordinated] = field(default_factory=list)
    coordinated_total: int = 0
    network_href: str = ""


def _items(drivers: Mapping[str, Any], key: str, limit: int = 6) -> list[Mapping[str, Any]]:
    return [x for x in (drivers.get(key) or []) if isinstance(x, Mapping)][:limit]


def _count(value: object) -> int | None:
    return int(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _when(value: object) -> datetime | None:
    try:
        return datetime.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def card(
    alert: Alert,
    notes: list[AlertNote],
    *,
    tz: tzinfo,
    topic_names: Mapping[str, str],
    roles: Mapping[str, str],
    kinds: Mapping[str, str],
    live_scopes: Collection[int] = (),
) -> Card:
    """``alert``'s drivers in the UI language (topic names, leaders with their role, OPDs), each linked to the
    negative posts of the alert's days in Percakapan; example posts with their time and a safe link."""
    d = alert.drivers or {}
    since, until = alert.start.astimezone(tz).date(), alert.last_seen.astimezone(tz).date()

    def link(kind: str, value: str) -> str:
        return drill(kind, value, since, until)

    topics = [
        Driver(
            topic_names.get(str(t.get("topic")), str(t.get("name") or t.get("topic"))),
            _count(t.get("count")),
            link("topic", str(t.get("topic"))),
        )
        for t in _items(d, "topics")
        if t.get("topic")
    ]
    targets = [
        Driver(
            target_words(t.get("target"), roles, kinds), _count(t.get("count")), link("target", str(t.get("target")))
        )
        for t in _items(d, "targets")
        if t.get("target")
    ]
    opds = [
        Driver(str(o.get("opd")), _count(o.get("count")), link("opd", str(o.get("opd"))))
        for o in _items(d, "opds")
        if o.get("opd")
    ]
    samples = [
        Sample(
            str(s.get("text") or ""),
            str(s.get("author") or ""),
            platform_name(s.get("platform")) if s.get("platform") else "",
            _when(s.get("created_at")),
            safe_url(s.get("url") if isinstance(s.get("url"), str) else None),
        )
        for s in _items(d, "samples", 5)
    ]
    return Card(
        alert,
        work(alert),
        since,
        until,
        topics,
        targets,
        opds,
        samples,
        notes,
        drill("sentiment", "negative", since, until)
        + (f"&saved={alert.scope_id}" if alert.scope_id in live_scopes else ""),
        _coordinated(d),
        coordinated.total(d),
        coordinated.jaringan(d, tz),
    )


def _coordinated(d: Mapping[str, Any]) -> list[Coordinated]:
    return [
        Coordinated(
            str(g.get("kind") or ""),
            [str(h) for h in (g.get("accounts") or [])][:5],
            _count(g.get("n_accounts")) or 0,
            _count(g.get("posts")) or 0,
            _count(g.get("bursts")) or 0,
            float(g.get("score") or 0.0),
            coordinated.moment(g.get("first")),
            [str(k) for k in (g.get("shared") or [])][:3],
        )
        for g in coordinated.groups(d)
    ]


def kind_words(gettext: Callable[[str], str]) -> dict[str, str]:
    """The words for a target's kind in the UI language."""
    return {"leader": gettext("leader"), "institution": gettext("institution"), "entity": gettext("comparison")}


def mark(fig: Any, alerts: Sequence[Alert], tz: tzinfo, label: Callable[[Alert], str]) -> Any:
    """Shade each alert's days on a daily chart (x: local ISO days) and name it at the top: where the spike is."""
    for a in alerts:
        first, last = a.start.astimezone(tz).date(), a.last_seen.astimezone(tz).date()
        fig.add_vrect(
            x0=f"{(first - timedelta(days=1)).isoformat()} 12:00",
            x1=f"{last.isoformat()} 12:00",
            fillcolor="#c0392b" if a.severity is Severity.CRITICAL else "#e67e22",
            opacity=0.18,
            line_width=0,
            layer="below",
            annotation_text=label(a),
            annotation_position="top left",
            annotation_font={"size": 11, "color": "#8e2c1f"},
        )
    return fig


def topic_words(alert: Alert, names: Mapping[str, str], k: int = 3) -> str:
    """The alert's first ``k`` topics in the UI language (stored names are Indonesian)."""
    found = [t for t in _items(alert.drivers or {}, "topics", k) if t.get("topic") or t.get("name")]
    return ", ".join(names.get(str(t.get("topic")), str(t.get("name") or t.get("topic"))) for t in found)
