"""``citra alerts scan``: find crises in the hourly series of citizens' negative posts, keep one alert per
crisis (updated while it lasts), work out its drivers, and push new or worsening open alerts to the channels.

The scan recomputes the causal spike scores over the whole history each time; because the detector is causal,
past episodes come out the same on every run and are matched to their stored alert instead of duplicated.

Each saved search marked "Pantau" is an alert scope: the same detector runs on the hourly negative counts of its
posts (counted in the database with the search's filters, its saved period left aside), and a crisis found there
is stored as an alert carrying the search's id and name. A scope's episode needs at least ``SCOPE_MIN_NEGATIVE``
negative posts over its flagged hours, so a quiet scope does not alert on noise (two complaints after a silent week
score high on their own). Whole-city alerts are matched and updated only among whole-city alerts, as before.

Each alert's drivers include the groups of accounts that acted in lock-step in its window (``coordinated``:
``citra.alerts.coordinated``), kept from the stored alert while its window is unchanged.

The team's handling (acknowledged, assigned, resolved, notes) is never written here, with one exception: a resolved
alert whose crisis flares again is reopened, with a note (``_reopen_on_flare``)."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np

from citra.analytics import spikes
from citra.config import Workspace
from citra.records import SEVERITIES, Alert, Sentiment, StoredPost
from citra.store import Order, PostQuery, Store
from citra.store.saved import SavedSearch

MERGE = timedelta(hours=24)  # flagged hours closer than this belong to one crisis
QUIET = timedelta(hours=48)  # an alert with no flagged hour for this long is closed
BASELINE = timedelta(days=7)
WINDOW_POSTS = 2000  # the most engaged negative posts read for an alert's drivers
SCOPE_MIN_NEGATIVE = 15  # a watched search's crisis needs this many negative posts over its flagged hours
SCAN_ACTOR = "citra:scan"  # the audit actor and note author of what the scan changes in the team's handling


@dataclass(frozen=True, slots=True)
class Episode:
    """A run of flagged hours: its first and last flagged hour (local), peak score and the first trigger."""

    kind: str
    start: datetime
    last_seen: datetime
    peak: float
    first: int
    last: int


@dataclass
class ScanResult:
    alerts: list[Alert] = field(default_factory=list)
    new: int = 0
    updated: int = 0
    deliveries: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "alerts": [alert_dict(a) for a in self.alerts],
            "new": self.new,
            "updated": self.updated,
            "deliveries": self.deliveries,
        }


def alert_dict(alert: Alert) -> dict[str, Any]:
    return {
        "id": alert.id,
        "kind": alert.kind,
        "start": alert.start.isoformat(),
        "last_seen": alert.last_seen.isoformat(),
        "severity": alert.severity,
        "peak_score": round(alert.peak_score, 2),
        "status": alert.status,
        "drivers": alert.drivers,
        "handling": alert.work.handling.value if alert.work else "new",
        "assignee": alert.work.assignee if alert.work else None,
        "scope": {"saved_search": alert.scope_id, "name": alert.scope_name} if alert.scope_id else None,
    }


def severity(peak: float, threshold: float) -> str:
    """low below 1.25x the threshold, medium below 2x, high below 3x, critical above."""
    ratio = peak / threshold
    return "critical" if ratio >= 3 else "high" if ratio >= 2 else "medium" if ratio >= 1.25 else "low"


def episodes(times: list[datetime], volume: np.ndarray, share: np.ndarray, threshold: float) -> list[Episode]:
    """Runs of hours whose volume or share score reaches the threshold, merged across gaps under MERGE."""
    vol = np.nan_to_num(volume, nan=-np.inf)
    shr = np.nan_to_num(share, nan=-np.inf)
    combined = np.maximum(vol, shr)
    flagged = np.flatnonzero(combined >= threshold)
    out: list[Episode] = []
    group: list[int] = []
    for i in flagged.tolist():
        if group and times[i] - times[group[-1]] > MERGE:
            out.append(_episode(group, times, vol, shr, combined))
            group = []
        group.append(i)
    if group:
        out.append(_episode(group, times, vol, shr, combined))
    return out


def _episode(
    group: list[int], times: list[datetime], vol: np.ndarray, shr: np.ndarray, combined: np.ndarray
) -> Episode:
    first, last = group[0], group[-1]
    kind = "negative_volume" if vol[first] >= shr[first] else "negative_share"
    return Episode(kind, times[first], times[last], float(combined[group].max()), first, last)


def _hourly(
    store: Store, ws: Workspace, within: PostQuery | None = None
) -> tuple[list[datetime], np.ndarray, np.ndarray]:
    buckets = store.series("hour", ws.tz, filters=within)
    if not buckets:
        return [], np.zeros(0), np.zeros(0)
    start, end = buckets[0].period, buckets[-1].period
    hours = int((end - start).total_seconds() // 3600) + 1
    times = [start + timedelta(hours=h) for h in range(hours)]
    total, negative = np.zeros(hours), np.zeros(hours)
    for b in buckets:
        h = int((b.period - start).total_seconds() // 3600)
        total[h], negative[h] = b.n, b.n_neg
    return times, negative, total


def scan(store: Store, ws: Workspace, *, notify: bool = True, now: datetime | None = None) -> ScanResult:
    """Detect, store and (optionally) push alerts, for the whole city and within each watched saved search;
    returns the alerts of every crisis in the history."""
    from citra import filters

    result = ScanResult()
    _scan_scope(store, ws, result, None, None, notify=notify, now=now)
    for search in store.saved.watched():
        within = filters.parse(search.params).query(None, None)
        _scan_scope(store, ws, result, search, within, notify=notify, now=now)
    return result


def _scan_scope(
    store: Store,
    ws: Workspace,
    result: ScanResult,
    scope: SavedSearch | None,
    within: PostQuery | None,
    *,
    notify: bool,
    now: datetime | None,
) -> None:
    """One scope's crises (the whole city when ``scope`` is None) added to ``result``."""
    from citra.alerts import channels, coordinated
    from citra.alerts.drivers import drivers
    from citra.alerts.wording import leader_roles
    from citra.nlp.normalize import Normalizer
    from citra.nlp.topics import Taxonomy

    times, negative, total = _hourly(store, ws, within)
    if not times:
        return
    threshold = ws.settings.alerts.threshold
    config = spikes.SpikeConfig(threshold=threshold)
    volume = spikes.scores(times, negative.tolist(), config=config)
    share = spikes.share_scores(times, negative.tolist(), total.tolist(), config=config)
    found = episodes(times, volume, share, threshold)
    if scope is not None:
        found = [ep for ep in found if negative[ep.first : ep.last + 1].sum() >= SCOPE_MIN_NEGATIVE]
    if not found:
        return
    normalizer = Normalizer.with_lexicons([ws.path(p) for p in ws.settings.nlp.lexicons])
    topic_names = {t.id: t.name for t in Taxonomy.for_settings(ws).topics}
    stored = store.alerts(scope=scope.id if scope else None)
    end = (now or times[-1]).astimezone(UTC)
    for ep in found:
        start, last = ep.start.astimezone(UTC), ep.last_seen.astimezone(UTC)
        window = _negative(store, start, last + timedelta(hours=1), within)
        calm = _negative(store, start - BASELINE, start, within)
        before = negative[max(0, ep.first - 24 * 7) : ep.first]
        expected = float(before.mean()) * (ep.last - ep.first + 1) if before.size else 0.0
        found_drivers = drivers(
            window,
            [s.post.text for s in calm],
            total=int(total[ep.first : ep.last + 1].sum()),
            expected=expected,
            tokens=normalizer.tokens,
            topic_names=topic_names,
            roles=leader_roles(ws),
        )
        match = next((a for a in stored if a.start - MERGE <= start <= a.last_seen + MERGE), None)
        found_drivers[coordinated.KEY] = coordinated.find(
            store, start, last + timedelta(hours=1), within, match.drivers if match else None
        )
        alert = Alert(
            id=match.id if match else None,
            kind=match.kind if match else ep.kind,
            start=min(start, match.start) if match else start,
            last_seen=max(last, match.last_seen) if match else last,
            peak_score=max(ep.peak, match.peak_score) if match else ep.peak,
            severity=severity(max(ep.peak, match.peak_score) if match else ep.peak, threshold),
            status="open" if end - last <= QUIET else "closed",
            drivers=found_drivers,
            work=match.work if match else None,
            scope_id=scope.id if scope else None,
            scope_name=scope.name if scope else None,
        )
        saved = store.save_alert(alert)
        if match is None:
            result.new += 1
            stored.append(saved)
        else:
            result.updated += 1
            saved = _reopen_on_flare(store, match, saved, ws)
        result.alerts.append(saved)
        if notify and saved.status == "open" and saved.id is not None:
            result.deliveries += _notify(store, ws, saved, channels, update=match is not None)


def _reopen_on_flare(store: Store, before: Alert, now: Alert, ws: Workspace) -> Alert:
    """The rule for the team's decisions: the scan never writes who acknowledged, was assigned or resolved an
    alert. One exception: an alert the team resolved whose crisis flares again (a flagged hour later than both
    the resolve and the last flagged hour known before) is reopened by ``citra:scan`` with a note saying when; it
    stays acknowledged and assigned. Recomputing old episodes (same last hour) never reopens anything."""
    from citra import curate
    from citra.alerts.message import when

    work = before.work
    if work is None or work.resolved_at is None or now.id is None:
        return now
    if now.last_seen <= before.last_seen or now.last_seen <= work.resolved_at:
        return now
    note = f"Dibuka lagi otomatis: krisis muncul lagi, terakhir terdeteksi {when(now.last_seen, ws.tz)}."
    return curate.reopen_alert(store, SCAN_ACTOR, now.id, note)


def _negative(store: Store, since: datetime, until: datetime, within: PostQuery | None = None) -> list[StoredPost]:
    """Citizens' negative posts of a window (the team's label wins), most engaged first, within a scope's
    filters when given."""
    base = within or PostQuery()
    query = dataclasses.replace(
        base, since=since, until=until, official=False, sentiment=Sentiment.NEGATIVE, order=Order.ENGAGEMENT
    )
    return store.search(query, limit=WINDOW_POSTS).items


def _notify(store: Store, ws: Workspace, alert: Alert, channels: Any, *, update: bool) -> list[dict[str, Any]]:
    """Push an open alert when it is new to the channels or has become more severe since the last push."""
    assert alert.id is not None
    sent = store.notified_severity(alert.id)
    if sent is not None and SEVERITIES.index(alert.severity) <= SEVERITIES.index(sent):
        return []
    results = channels.deliver(
        alert, ws.settings.alerts.channels, org=ws.settings.organisation, tz=ws.tz, update=update
    )
    if any(r.ok for r in results) or not results:
        store.mark_notified(alert.id, alert.severity)
    return [{"alert": alert.id, "channel": r.channel, "ok": r.ok, "error": r.error} for r in results]
