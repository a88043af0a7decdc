"""The report's data model as JSON (``citra report --format json``): the same numbers the HTML and PDF show,
for tests and for other tools. Post text is data here, not markup; nothing is rounded beyond what the model holds."""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import date, datetime
from typing import Any

from citra.reports.model import GroupRow, Impact, ReportData, Sample

VERSION = 1


def render(data: ReportData, recommendations: list[str]) -> bytes:
    """UTF-8 JSON of ``data`` and its recommendations."""
    return json.dumps(model(data, recommendations), ensure_ascii=False, indent=2, default=_plain).encode("utf-8")


def model(d: ReportData, recommendations: list[str]) -> dict[str, Any]:
    """The report as plain values; ``index`` is the month's citra index of all citizens' posts."""
    c = d.current
    return {
        "version": VERSION,
        "organisation": d.organisation,
        "period": d.period,
        "start": d.start,
        "end": d.end,
        "timezone": d.timezone,
        "generated": d.generated,
        "index": {
            "index": c.index,
            "ci_low": c.ci_low,
            "ci_high": c.ci_high,
            "volume": c.volume,
            "positive_share": c.positive_share,
            "negative_share": c.negative_share,
            "net_sentiment": c.net_sentiment,
            "corrected": c.corrected,
            "labels_used": c.labels_used,
        },
        "previous": None if d.previous is None else asdict(d.previous),
        "summary": asdict(c),
        "headlines": [
            {"key": h.key, "label": h.label, "value": h.value, "previous": h.previous, "low": h.low, "high": h.high}
            for h in d.headlines()
        ],
        "recommendations": recommendations,
        "top_negative_posts": [_post(s) for s in d.examples],
        "interventions": [_impact(i) for i in d.impacts],
        "days": [asdict(r) for r in d.days],
        "topics": [_group(g) for g in d.topics],
        "opds": [_group(g) for g in d.opds],
        "targets": [_group(g) for g in d.targets],
        "opd_replies": [asdict(o) for o in d.opd_replies],
        "replies": [asdict(r) for r in d.replies],
        "crises": [asdict(c) for c in d.crises],
        "categories": [asdict(c) for c in d.categories],
        "slots": [asdict(s) for s in d.slots],
        "official_posts": d.official_posts,
        "speakers": None if d.speakers is None else asdict(d.speakers),
    }


def _post(s: Sample) -> dict[str, Any]:
    return {
        "native_id": s.native_id,
        "text": s.text,
        "platform": s.platform,
        "created_at": s.created_at,
        "engagement": s.engagement,
        "labelled": s.labelled,
        "confidence": s.confidence,
    }


def _impact(i: Impact) -> dict[str, Any]:
    found = i.verdict
    return {
        "name": i.name,
        "kind": i.kind,
        "date": i.day,
        "metric": i.metric,
        "window_days": i.window_days,
        "effect": i.effect,
        "ci_low": i.ci_low,
        "ci_high": i.ci_high,
        "p_value": i.p_value,
        "pre_days": i.pre_days,
        "post_days": i.post_days,
        "verdict": None if found is None else found.word,
        "better": None if found is None else found.good,
        "conclusion": found.sentence(i.metric) if found is not None and not i.note else i.note,
    }


def _group(g: GroupRow) -> dict[str, Any]:
    return asdict(g) | {"negative_change": g.negative_change, "index_change": g.index_change}


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    raise TypeError(f"not JSON: {type(value).__name__}")
