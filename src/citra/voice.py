"""Orchestration of share of voice and spillover: the store's GROUP BY counts, the workspace's targets, the pure
arithmetic of ``citra.analytics.voice``. The CLI, the API and the Jaringan page call these two functions.

Share of voice compares the government (its institution target) with each comparison entity of
``settings.entities``; spillover measures, for one leader of ``settings.leaders``, the share of the institution's
negative posts that also name the leader, and how it moves ``days`` local days before and after each intervention."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from citra.analytics import voice
from citra.analytics.index import compute
from citra.config import Workspace
from citra.errors import CitraError, ConfigError
from citra.measure import correction
from citra.records import Intervention, TargetKind
from citra.store import Store
from citra.store import voice as voice_counts

FREQS = ("day", "week", "month")
WINDOW_DAYS = 14


@dataclass(frozen=True, slots=True)
class Group:
    """A compared group: its target key (``entity:Kota Depok``), shown name and kind."""

    key: str
    name: str
    kind: str


@dataclass(frozen=True, slots=True)
class ShareOfVoice:
    """Share of voice per period of the government and the comparison entities, and over the whole range."""

    freq: str
    since: datetime | None
    until: datetime | None
    groups: tuple[Group, ...]
    rows: tuple[voice.VoiceRow, ...]
    totals: tuple[voice.VoiceRow, ...]

    def as_dict(self) -> dict[str, Any]:
        return {
            "freq": self.freq,
            "since": self.since.isoformat() if self.since else None,
            "until": self.until.isoformat() if self.until else None,
            "groups": [{"key": g.key, "name": g.name, "kind": g.kind} for g in self.groups],
            "rows": [r.as_dict() for r in self.rows],
            "totals": [r.as_dict() for r in self.totals],
        }


@dataclass(frozen=True, slots=True)
class Spillover:
    """The institution's negative posts that name ``leader``, per period and around each intervention."""

    freq: str
    since: datetime | None
    until: datetime | None
    organisation: str
    leader: str
    window_days: int
    rows: tuple[voice.SpillRow, ...]
    total: voice.SpillRow | None
    changes: tuple[voice.Change, ...]

    def as_dict(self) -> dict[str, Any]:
        return {
            "freq": self.freq,
            "since": self.since.isoformat() if self.since else None,
            "until": self.until.isoformat() if self.until else None,
            "organisation": self.organisation,
            "leader": self.leader,
            "window_days": self.window_days,
            "rows": [r.as_dict() for r in self.rows],
            "total": self.total.as_dict() if self.total else None,
            "changes": [c.as_dict() for c in self.changes],
        }


def groups(ws: Workspace) -> tuple[Group, ...]:
    """The government first, then each comparison entity in the configured order."""
    s = ws.settings
    own = Group(f"{TargetKind.INSTITUTION.value}:{s.organisation}", s.organisation, TargetKind.INSTITUTION.value)
    others = (Group(f"{TargetKind.ENTITY.value}:{e.name}", e.name, TargetKind.ENTITY.value) for e in s.entities)
    return (own, *others)


def _freq(freq: str) -> str:
    if freq not in FREQS:
        raise CitraError(f"unknown period {freq!r}; choose one of {', '.join(FREQS)}")
    return freq


def share_of_voice(
    store: Store, ws: Workspace, freq: str = "week", since: datetime | None = None, until: datetime | None = None
) -> ShareOfVoice:
    """Share of voice per local ``freq`` period in ``[since, until)`` (each bound optional)."""
    freq = _freq(freq)
    compared = groups(ws)
    keys = [g.key for g in compared]
    kinds = [(g.kind, g.name) for g in compared]
    buckets = voice_counts.target_series(store, freq, ws.tz, kinds, since, until)
    audit = correction(store, ws)
    rows = compute(buckets, audit)
    first = since.astimezone(ws.tz) if since else min((b.period for b in buckets), default=None)
    totals = compute(voice.summed(buckets, first), audit) if first is not None else []
    return ShareOfVoice(
        freq,
        since,
        until,
        compared,
        tuple(voice.share_of_voice(rows, keys)),
        tuple(voice.share_of_voice(totals, keys)),
    )


def leader_name(ws: Workspace, leader: str | None) -> str:
    """The configured leader called ``leader`` (any case; a name or an alias), by default the first one."""
    leaders = ws.settings.leaders
    if not leaders:
        raise ConfigError("no leaders configured: add one under [[leaders]] in citra.toml (or Pengaturan)")
    if leader is None:
        return leaders[0].name
    wanted = leader.strip().casefold()
    for item in leaders:
        if wanted in {item.name.casefold(), *(a.casefold() for a in item.aliases)}:
            return item.name
    known = ", ".join(item.name for item in leaders)
    raise ConfigError(f"no leader named {leader!r} (configured: {known})")


def spillover(
    store: Store,
    ws: Workspace,
    freq: str = "week",
    since: datetime | None = None,
    until: datetime | None = None,
    *,
    leader: str | None = None,
    window_days: int = WINDOW_DAYS,
) -> Spillover:
    """Spillover of ``leader`` (default: the first configured) onto the institution per local ``freq`` period in
    ``[since, until)``, and its change ``window_days`` days before and after each intervention dated in that range."""
    freq = _freq(freq)
    if not 1 <= window_days <= 90:
        raise CitraError("the window before and after an intervention must be 1 to 90 days")
    name, org = leader_name(ws, leader), ws.settings.organisation
    buckets = voice_counts.counts(store, freq, ws.tz, org, name, since, until)
    rows = tuple(
        voice.spill_row(b.period, b.institution, b.negative, b.with_leader, b.leader_negative) for b in buckets
    )
    total = None
    if buckets:
        sums = [sum(getattr(b, f) for b in buckets) for f in ("institution", "negative", "with_leader")]
        total = voice.spill_row(buckets[0].period, *sums, sum(b.leader_negative for b in buckets))
    items = [i for i in store.interventions() if _inside(i, ws, since, until)]
    changes = _changes(store, ws, org, name, items, window_days)
    return Spillover(freq, since, until, org, name, window_days, rows, total, changes)


def _local(day: date, ws: Workspace) -> datetime:
    return datetime.combine(day, time(), ws.tz)


def _inside(item: Intervention, ws: Workspace, since: datetime | None, until: datetime | None) -> bool:
    start = _local(item.date, ws)
    return (since is None or start >= since) and (until is None or start < until)


def _changes(
    store: Store, ws: Workspace, org: str, leader: str, items: list[Intervention], days: int
) -> tuple[voice.Change, ...]:
    """Before: the ``days`` local days up to the intervention's date; after: its date and the ``days − 1`` next."""
    if not items:
        return ()
    first = min(i.date for i in items) - timedelta(days=days)
    last = max(i.date for i in items) + timedelta(days=days)
    daily = voice_counts.counts(store, "day", ws.tz, org, leader, _local(first, ws), _local(last, ws))
    counts = {b.period.date(): (b.with_leader, b.negative) for b in daily}

    def window(start: date) -> tuple[int, int]:
        picked = [counts.get(start + timedelta(days=k), (0, 0)) for k in range(days)]
        return sum(k for k, _ in picked), sum(n for _, n in picked)

    return tuple(
        voice.change(i.name, i.date, days, window(i.date - timedelta(days=days)), window(i.date)) for i in items
    )
