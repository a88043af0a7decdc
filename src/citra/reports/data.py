"""``gather``: every number of one month's Laporan Citra, read through the Store and the measures (no SQL here).

Months are local to the workspace zone. Each figure is compared with the previous month. Posts that need a
response are read once for both months (with their first official answer); the per-OPD answer figures are one
GROUP BY in the database (``Store.answers_by_opd``)."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any

from citra.analytics import engagement
from citra.analytics.index import IndexRow
from citra.config import Workspace
from citra.errors import CitraError
from citra.measure import data_range, impact, index_rows
from citra.records import Alert, FirstAnswer, Intent, Sentiment, StoredPost, TargetKind
from citra.reports import speakers
from citra.reports.model import (
    CategoryRow,
    Crisis,
    DayRow,
    GroupRow,
    Impact,
    OpdReplies,
    ReplyRow,
    ReportData,
    Sample,
    SlotRow,
    Summary,
)
from citra.reports.recommend import recommend
from citra.store import Order, PostQuery, Store

__all__ = ["default_period", "gather", "month_bounds", "parse_period", "recommend"]

MAX_INTERVENTIONS = 8  # the most recent ones up to the month's end
MIN_SLOT_POSTS = 2  # an hour of the week needs this many official posts to count as a good time to publish
MAX_TEXT = 500  # characters of a quoted post
TOP_POSTS = 3  # negative posts quoted
CANDIDATES = 200  # most engaged negative posts read to find TOP_POSTS that are surely negative complaints
MIN_CONFIDENCE = 0.7  # the model's probability of "negative" a post without a team label needs to be quoted
NOT_COMPLAINTS = (Intent.PRAISE, Intent.INFORMATION)  # model intents never quoted as negative without a team label
# thanks and praise: a grateful post the model calls negative ("terima kasih, jalannya sudah mulus") is never a
# "negative post" in front of a mayor
PRAISE = re.compile(
    r"\b(terima\s*kasih|makasi+h?|trims|thx|thanks?|thank\s+you|mantap|apresiasi|salut|keren|hebat|bangga|"
    r"sukses\s+(?:selalu|terus)|semoga\s+sukses|alhamdulillah)\b",
    re.IGNORECASE,
)
RETWEET = re.compile(r"^RT @\w+:\s*")
HOUR = timedelta(hours=1)
CATEGORY_NAMES = {
    "service_information": "Informasi layanan",
    "leader_activity": "Kegiatan pimpinan",
    "appeal": "Imbauan",
    "achievement": "Prestasi dan penghargaan",
    "anti_corruption": "Antikorupsi",
    "social_activity": "Kegiatan sosial",
    "other": "Lainnya",
    "lainnya": "Lainnya",
}
INTENT_NAMES = {"complaint": "Keluhan", "question": "Pertanyaan", "request": "Permintaan"}
KIND_NAMES = {
    "declaration": "Deklarasi",
    "campaign": "Kampanye",
    "social-activity": "Kegiatan sosial",
    "statement": "Pernyataan",
    "publication": "Publikasi",
}


def parse_period(period: str) -> tuple[int, int]:
    """(year, month) of ``YYYY-MM``; a CitraError for anything else."""
    found = re.fullmatch(r"(\d{4})-(\d{2})", period.strip())
    if not found or not 1 <= int(found[2]) <= 12:
        raise CitraError(f"period {period!r}: write YYYY-MM, e.g. 2024-08")
    return int(found[1]), int(found[2])


def month_bounds(year: int, month: int, ws: Workspace) -> tuple[datetime, datetime]:
    """Local midnight of the month's first day and of the next month's first day."""
    nxt = (year + 1, 1) if month == 12 else (year, month + 1)
    return datetime(year, month, 1, tzinfo=ws.tz), datetime(*nxt, 1, tzinfo=ws.tz)


def _previous(year: int, month: int) -> tuple[int, int]:
    return (year - 1, 12) if month == 1 else (year, month - 1)


def default_period(store: Store, ws: Workspace) -> str:
    """The last month that has analysed citizens' posts, as YYYY-MM (the newest such post's local month: one
    index probe, not the whole history summed by month)."""
    newest = store.search(PostQuery(official=False, annotated=True), limit=1).items
    if not newest:
        raise CitraError("no analysed posts yet: run citra ingest and citra analyze first")
    return newest[0].post.created_at.astimezone(ws.tz).strftime("%Y-%m")


def gather(store: Store, ws: Workspace, period: str, *, now: datetime | None = None) -> ReportData:
    """The report's numbers for ``period`` (YYYY-MM); a CitraError when the month has no analysed posts."""
    now = now or datetime.now(ws.tz)
    year, month = parse_period(period)
    since, until = month_bounds(year, month, ws)
    prev_year, prev_month = _previous(year, month)
    prev_since, _ = month_bounds(prev_year, prev_month, ws)
    last_day = until.date() - timedelta(days=1)
    totals = {r.period.strftime("%Y-%m"): r for r in index_rows(store, ws, freq="month", since=prev_since, until=until)}
    key, prev_key = f"{year:04d}-{month:02d}", f"{prev_year:04d}-{prev_month:02d}"
    if key not in totals:
        raise CitraError(_no_data(store, ws, key))
    answers = store.first_answers(prev_since, until)
    current = [r for r in answers if r.created_at >= since]
    alerts = store.alerts(scope=None)  # the whole city's crises
    audit_min = ws.settings.index.audit_min
    summary = _summary(totals[key], current, _overlapping(alerts, since, until), now, audit_min)
    previous = None
    if prev_key in totals:
        before = [r for r in answers if r.created_at < since]
        previous = _summary(totals[prev_key], before, _overlapping(alerts, prev_since, since), now, audit_min)
    categories, hours = engagement.official(store.official_posts(since, until), ws.tz)
    taxonomy = _topics(ws)
    return ReportData(
        organisation=ws.settings.organisation,
        period=key,
        start=since.date(),
        end=last_day,
        previous_period=prev_key,
        generated=now.astimezone(ws.tz),
        timezone=ws.settings.timezone,
        current=summary,
        previous=previous,
        days=tuple(_day(r) for r in index_rows(store, ws, freq="day", since=since, until=until)),
        topics=_groups(store, ws, "topic", prev_since, since, until, lambda k: taxonomy.get(k, (k, ""))),
        opds=_groups(store, ws, "opd", prev_since, since, until, lambda k: (k, "")),
        opd_replies=tuple(
            OpdReplies(o.opd, o.needing, o.answered, o.complaints_open) for o in store.answers_by_opd(since, until)
        ),
        targets=_targets(store, ws, prev_since, since, until),
        crises=tuple(_crisis(store, ws, a, answers, prev_since, now) for a in _overlapping(alerts, since, until)),
        impacts=_impacts(store, ws, last_day),
        categories=tuple(
            CategoryRow(
                CATEGORY_NAMES.get(c.category, c.category), c.posts, c.engagement_mean, c.engagement_median, c.rate
            )
            for c in categories
        ),
        slots=_slots(hours),
        replies=_replies(current, now),
        official_posts=sum(c.posts for c in categories),
        examples=_examples(store, ws, since, until),
        speakers=speakers.gather(store, ws, since, until),
    )


def _no_data(store: Store, ws: Workspace, key: str) -> str:
    try:
        first, last = data_range(store, ws)
    except CitraError as exc:
        return str(exc)
    return f"no analysed citizens' posts in {key}; the data covers {first:%Y-%m} to {last:%Y-%m}"


def _summary(
    row: IndexRow, answers: Sequence[FirstAnswer], crises: list[Alert], now: datetime, audit_min: int
) -> Summary:
    r = engagement.responses(answers, now)
    return Summary(
        volume=row.volume,
        index=row.index,
        ci_low=row.ci_low,
        ci_high=row.ci_high,
        net_sentiment=row.net_sentiment,
        negative_share=row.negative_share,
        needing=r.needing,
        answered=r.answered,
        answered_share=r.answered_share if r.needing else None,
        median_minutes=r.median_minutes,
        alerts=len(crises),
        corrected=row.corrected,
        labels_used=row.labels_used,
        audit_min=audit_min,
        positive_share=row.positive_share,
    )


def _day(r: IndexRow) -> DayRow:
    return DayRow(
        r.period.date(),
        r.volume,
        r.positive,
        r.neutral,
        r.negative,
        r.negative_share,
        r.net_sentiment,
        r.index,
        r.ci_low,
        r.ci_high,
    )


def _topics(ws: Workspace) -> dict[str, tuple[str, str]]:
    from citra.nlp.topics import Taxonomy

    return {t.id: (t.name, t.opd) for t in Taxonomy.for_settings(ws).topics}


def _groups(
    store: Store,
    ws: Workspace,
    by: str,
    prev_since: datetime,
    since: datetime,
    until: datetime,
    label: Callable[[str], tuple[str, str]],
) -> tuple[GroupRow, ...]:
    """The month's groups (most posts first) with last month's volume, negative share and index."""
    rows = index_rows(store, ws, freq="month", by=by, since=prev_since, until=until)
    before = {r.group: r for r in rows if r.period < since}
    out = []
    for r in rows:
        if r.period < since or r.group is None:
            continue
        p = before.get(r.group)
        name, detail = label(r.group)
        last = (p.volume, p.negative_share, p.index) if p else (None, None, None)
        row = (r.volume, r.positive_share, r.negative_share, r.index, r.ci_low, r.ci_high)
        out.append(GroupRow(r.group, name, detail, *row, *last))
    return tuple(sorted(out, key=lambda g: (-g.volume, g.name)))


def _targets(
    store: Store, ws: Workspace, prev_since: datetime, since: datetime, until: datetime
) -> tuple[GroupRow, ...]:
    """The institution as a whole, its leaders and the comparison entities (OPDs have their own table)."""
    s = ws.settings
    wanted = {f"{TargetKind.INSTITUTION.value}:{s.organisation}": (s.organisation, "Institusi")}
    wanted |= {f"{TargetKind.LEADER.value}:{p.name}": (p.name, p.role or "Pimpinan") for p in s.leaders}
    wanted |= {f"{TargetKind.ENTITY.value}:{e.name}": (e.name, "Pembanding") for e in s.entities}
    rows = _groups(store, ws, "target", prev_since, since, until, lambda k: wanted.get(k, (k, "")))
    order = list(wanted)
    return tuple(sorted((r for r in rows if r.key in wanted), key=lambda r: order.index(r.key)))


def _overlapping(alerts: list[Alert], since: datetime, until: datetime) -> list[Alert]:
    """Alerts whose window (first to last flagged hour, inclusive) overlaps [since, until), oldest first."""
    return sorted((a for a in alerts if a.start < until and a.last_seen + HOUR > since), key=lambda a: a.start)


def _crisis(
    store: Store, ws: Workspace, alert: Alert, answers: Sequence[FirstAnswer], read_from: datetime, now: datetime
) -> Crisis:
    """An alert with its peak hour and how it was handled: answers to posts needing one, official posts."""
    start, end = alert.start, alert.last_seen + HOUR
    hours = store.series("hour", ws.tz, since=start, until=end)
    peak = max(hours, key=lambda b: b.n_neg, default=None)
    if start < read_from:
        answers = store.first_answers(start, end)
    r = engagement.responses([a for a in answers if start <= a.created_at < end], now)
    official = store.official_posts(start, end)
    first = min((p.created_at for p in official), default=None)
    d = alert.drivers
    volume = d.get("volume", {})
    coordinated = speakers.from_alert(d, ws)
    return Crisis(
        start=start.astimezone(ws.tz),
        last_seen=alert.last_seen.astimezone(ws.tz),
        severity=alert.severity,
        status=alert.status,
        peak_score=alert.peak_score,
        peak_hour=peak.period if peak else None,
        peak_negative=peak.n_neg if peak else 0,
        negative=int(volume.get("negative", 0)),
        expected_negative=volume.get("expected_negative"),
        topics=tuple(str(t.get("name", t.get("topic", ""))) for t in d.get("topics", [])[:3]),
        targets=tuple(_target_label(str(t.get("target", ""))) for t in d.get("targets", [])[:3]),
        terms=tuple(str(t) for t in d.get("terms", [])[:6]),
        samples=tuple(_driver_sample(s, ws) for s in d.get("samples", [])[:2]),
        needing=r.needing,
        answered=r.answered,
        answered_share=r.answered_share if r.needing else None,
        official_posts=len(official),
        first_official_minutes=(first - start).total_seconds() / 60 if first is not None else None,
        coordinated=coordinated[0],
        coordinated_total=coordinated[1],
    )


def _target_label(target: str) -> str:
    """``leader:Hendra`` -> ``Hendra``."""
    return target.partition(":")[2] or target


def _driver_sample(s: dict[str, Any], ws: Workspace) -> Sample:
    try:
        when = datetime.fromisoformat(str(s.get("created_at")))
    except ValueError:
        when = datetime(1970, 1, 1, tzinfo=UTC)
    when = when if when.tzinfo else when.replace(tzinfo=UTC)
    text, platform = str(s.get("text", ""))[:MAX_TEXT], str(s.get("platform", ""))
    return Sample(text, platform, when.astimezone(ws.tz), int(s.get("engagement") or 0))


def _examples(store: Store, ws: Workspace, since: datetime, until: datetime) -> tuple[Sample, ...]:
    """The month's most engaged posts that are surely negative citizens' posts: the team labelled them negative
    (these first), or the model did with at least ``MIN_CONFIDENCE`` and did not read them as praise or
    information; never official accounts, never thanks or praise, each text once (a repost of a quoted post is
    not quoted again). Ranked by engagement."""
    query = PostQuery(
        since=since, until=until, official=False, annotated=True, sentiment=Sentiment.NEGATIVE, order=Order.ENGAGEMENT
    )
    found = store.search(query, limit=CANDIDATES).items
    return top_negative(found, ws)


def top_negative(found: Sequence[StoredPost], ws: Workspace, limit: int = TOP_POSTS) -> tuple[Sample, ...]:
    """``limit`` quotable negative posts of ``found`` (most engaged first), the team-labelled ones first."""
    labelled, confident, seen = [], [], set()
    for item in found:
        text = RETWEET.sub("", item.post.text).strip()
        if item.sentiment is not Sentiment.NEGATIVE or PRAISE.search(text) or text.casefold() in seen:
            continue
        if item.human.sentiment is Sentiment.NEGATIVE:
            labelled.append(_sample(item, ws, labelled=True))
        elif (
            item.annotation is not None
            and item.annotation.probs[0] >= MIN_CONFIDENCE
            and item.annotation.intent not in NOT_COMPLAINTS
        ):
            confident.append(_sample(item, ws, labelled=False))
        else:
            continue
        seen.add(text.casefold())
    ranked = sorted(labelled, key=lambda s: -s.engagement) + sorted(confident, key=lambda s: -s.engagement)
    return tuple(ranked[:limit])


def _sample(item: StoredPost, ws: Workspace, *, labelled: bool) -> Sample:
    post = item.post
    e = post.engagement
    total = sum(v or 0 for v in (e.likes, e.reposts, e.replies, e.quotes))
    p_neg = item.annotation.probs[0] if item.annotation is not None else None
    return Sample(
        post.text[:MAX_TEXT],
        post.platform.value,
        post.created_at.astimezone(ws.tz),
        total,
        post.native_id,
        labelled,
        None if labelled or p_neg is None else round(p_neg, 3),
    )


def _impacts(store: Store, ws: Workspace, last_day: date) -> tuple[Impact, ...]:
    """Effect of the latest interventions up to ``last_day`` on each one's recorded metric over its recorded
    window, from data up to that day: the same call as the Strategi page and ``citra impact``
    (``measure.impact``), so the three give the same numbers."""
    from citra.analytics.impact import PrePeriodTooShort

    items = [i for i in store.interventions() if i.date <= last_day][-MAX_INTERVENTIONS:]
    if not items:
        return ()
    first, last = data_range(store, ws)
    out = []
    for item in items:
        head = (item.name, KIND_NAMES.get(item.kind.value, item.kind.value), item.date, item.metric, item.window_days)
        if min(last, last_day) < item.date or first >= item.date:
            out.append(Impact(*head, note=_refusal(0 if first >= item.date else None)))
            continue
        try:
            result, _ = impact(store, ws, item, item.metric, days=item.window_days, until=last_day, span=(first, last))
        except PrePeriodTooShort as exc:
            out.append(Impact(*head, note=_refusal(exc.have)))
            continue
        except CitraError:
            out.append(Impact(*head, note=_refusal(28)))
            continue
        except (ValueError, ArithmeticError):  # a numerical failure of the model must not stop the report
            out.append(Impact(*head, note="Belum dapat diukur: model dampak tidak konvergen."))
            continue
        numbers = (result.effect, result.ci_low, result.ci_high, result.p_value, result.pre_days, result.post_days)
        out.append(Impact(*head, *numbers, result.end))
    return tuple(out)


def _refusal(pre_days: int | None) -> str:
    """Why no effect is shown, in a sentence for the reader."""
    if pre_days is None:
        return "Belum dapat diukur: belum ada data sesudah tanggal strategi."
    if pre_days < 28:
        return (
            f"Belum dapat diukur: data sebelum strategi hanya {pre_days} hari, sedangkan perhitungan dampak "
            "memerlukan sedikitnya 28 hari."
        )
    return "Belum dapat diukur: data di sekitar tanggal strategi tidak cukup bervariasi untuk dibandingkan."


def _slots(hours: Sequence[engagement.HourStat]) -> tuple[SlotRow, ...]:
    """Hours of the week with the highest mean engagement of official posts (at least MIN_SLOT_POSTS posts)."""
    good = sorted((h for h in hours if h.posts >= MIN_SLOT_POSTS), key=lambda h: (-h.engagement_mean, -h.posts))
    return tuple(SlotRow(h.weekday, h.hour, h.posts, h.engagement_mean) for h in good[:5])


def _replies(answers: Sequence[FirstAnswer], now: datetime) -> tuple[ReplyRow, ...]:
    """Answers per kind of post (complaint, question, request, then any other), kinds with posts only."""
    by_intent: dict[str, list[FirstAnswer]] = defaultdict(list)
    for r in answers:
        by_intent[r.intent.value].append(r)
    order = [*INTENT_NAMES, *sorted(set(by_intent) - set(INTENT_NAMES))]
    out = []
    for intent in order:
        if intent in by_intent:
            r = engagement.responses(by_intent[intent], now)
            out.append(
                ReplyRow(
                    intent,
                    INTENT_NAMES.get(intent, "Lainnya"),
                    r.needing,
                    r.answered,
                    r.answered_share,
                    r.median_minutes,
                )
            )
    return tuple(out)
