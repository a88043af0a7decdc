"""Mapping database rows to records, in one place for every query of the Store."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from citra.records import (
    Alert,
    AlertWork,
    Annotation,
    Author,
    Engagement,
    Intent,
    Platform,
    Post,
    PostKind,
    Sentiment,
    Target,
)


def post(row: Any) -> Post:
    return Post(
        platform=Platform(row["platform"]),
        native_id=row["native_id"],
        text=row["text"],
        created_at=row["created_at"],
        url=row["url"],
        author=Author(row["author_id"], row["author_handle"], row["author_name"], row["author_followers"]),
        lang=row["lang"],
        conversation_id=row["conversation_id"],
        reply_to_id=row["reply_to_id"],
        kind=PostKind(row["kind"]),
        is_official=bool(row["is_official"]),
        engagement=Engagement(row["likes"], row["reposts"], row["replies"], row["quotes"], row["views"]),
        query=row["query"],
        batch=row["batch_id"],
        raw=row.get("raw") or {},
    )


def annotation(
    row: Any, topics: Sequence[str], targets: Sequence[Target], routes: Sequence[tuple[str, float]] = ()
) -> Annotation:
    """An annotations row with its topics, targets and ranked (opd, score) routes."""
    return Annotation(
        lang=row["lang"],
        lang_score=row["lang_score"],
        sentiment=Sentiment(row["sentiment"]),
        probs=(row["p_negative"], row["p_neutral"], row["p_positive"]),
        topics=tuple(topics),
        opds=tuple(o for o, _ in routes),
        opd_scores=tuple(float(s) for _, s in routes),
        targets=tuple(targets),
        intent=Intent(row["intent"]),
        needs_response=bool(row["needs_response"]),
        category=row["category"],
        models=row["models"],
    )


def alert(row: Any) -> Alert:
    return Alert(
        int(row["id"]),
        row["kind"],
        row["start"],
        row["last_seen"],
        float(row["peak_score"]),
        row["severity"],
        row["status"],
        row["drivers"],
        AlertWork(
            row.get("acknowledged_at"),
            row.get("acknowledged_by"),
            row.get("assignee"),
            row.get("resolved_at"),
            row.get("resolved_by"),
        ),
        row.get("scope_id"),
        row.get("scope_name"),
    )
