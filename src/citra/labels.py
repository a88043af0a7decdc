"""Orchestration of ``citra label import``: the team's labels from a file (sentiment, OPD, needs_response), tied to
stored posts where the file names them (by native id, optionally with platform, or by a text that exactly one
stored post has), else kept as bare texts for sentiment training. ``audit`` records the labelled posts as members
of the random audit sample (for labels made on a random sample outside citra)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from citra.errors import SourceError
from citra.records import HumanLabel, Platform, Sentiment, StoredPost
from citra.sources import fields
from citra.sources.files import open_records
from citra.store import Store

ALIASES = {
    "positive": Sentiment.POSITIVE,
    "positif": Sentiment.POSITIVE,
    "pos": Sentiment.POSITIVE,
    "1": Sentiment.POSITIVE,
    "neutral": Sentiment.NEUTRAL,
    "netral": Sentiment.NEUTRAL,
    "neu": Sentiment.NEUTRAL,
    "0": Sentiment.NEUTRAL,
    "negative": Sentiment.NEGATIVE,
    "negatif": Sentiment.NEGATIVE,
    "neg": Sentiment.NEGATIVE,
    "-1": Sentiment.NEGATIVE,
}


NEEDS_RESPONSE = {
    "ya": True,
    "y": True,
    "yes": True,
    "true": True,
    "1": True,
    "perlu": True,
    "tidak": False,
    "t": False,
    "no": False,
    "n": False,
    "false": False,
    "0": False,
    "tidak perlu": False,
}
OPD_MAX = 128
AUDIT_TASK = {"sentiment": "sentiment", "opd": "routing", "needs_response": "needs_response"}
"""``audit_sample`` task of each label column kind."""


@dataclass
class LabelSummary:
    read: int = 0
    stored: int = 0
    matched_posts: int = 0
    text_only: int = 0
    rejected: list[dict[str, object]] = field(default_factory=list)
    by_task: Counter[str] = field(default_factory=Counter)
    audit_added: int = 0

    def as_dict(self) -> dict[str, object]:
        return {
            "read": self.read,
            "stored": self.stored,
            "matched_posts": self.matched_posts,
            "text_only": self.text_only,
            "by_task": {task: self.by_task.get(task, 0) for task in AUDIT_TASK},
            "audit_added": self.audit_added,
            "rejected": len(self.rejected),
            "problems": self.rejected[:20],
        }


def parse_label(value: object, label_map: Mapping[str, str]) -> Sentiment:
    raw = fields.clean(value)
    if raw is None:
        raise ValueError("no label")
    mapped = label_map.get(raw, raw)
    found = ALIASES.get(mapped.strip().lower())
    if found is None:
        raise ValueError(f"unknown label {raw!r} (use positive, neutral or negative, or --label-map)")
    return found


def parse_needs_response(value: object) -> bool | None:
    """ya/tidak, true/false, 1/0 (None for an empty cell)."""
    raw = fields.clean(value)
    if raw is None:
        return None
    found = NEEDS_RESPONSE.get(raw.lower())
    if found is None:
        raise ValueError(f"unknown needs_response {raw!r} (use ya or tidak, true or false, 1 or 0)")
    return found


def parse_opd(value: object) -> str | None:
    raw = fields.clean(value)
    if raw is None:
        return None
    raw = raw.replace("\x00", "")
    if len(raw) > OPD_MAX:
        raise ValueError(f"OPD name longer than {OPD_MAX} characters")
    return raw


@dataclass(frozen=True)
class _Row:
    line: int
    native: str | None
    text: str | None
    platform: Platform | None
    sentiment: Sentiment | None
    opd: str | None
    needs_response: bool | None


def import_labels(
    store: Store,
    path: Path,
    *,
    id_col: str = "id",
    text_col: str = "text",
    label_col: str | None = None,
    platform_col: str = "platform",
    label_map: Mapping[str, str] | None = None,
    source: str = "import",
    opd_col: str | None = None,
    needs_response_col: str | None = None,
    audit: bool = False,
    actor: str | None = None,
) -> LabelSummary:
    """Read rows naming a post (id and/or text) and labels for one or more tasks (``label_col``: sentiment;
    ``opd_col``; ``needs_response_col``) and store each label given; bad rows are reported per line, not stored.
    ``label_col`` None reads sentiment from a ``label`` column only when no other task column is given."""
    opened = open_records(path)
    if label_col is None and opd_col is None and needs_response_col is None:
        label_col = "label"
    for what, column in (("label", label_col), ("OPD", opd_col), ("needs_response", needs_response_col)):
        if column is not None and column not in opened.keys:
            raise SourceError(f"{path}: no {what} column {column!r}; columns are {', '.join(opened.keys)}")
    if id_col not in opened.keys and text_col not in opened.keys:
        raise SourceError(f"{path}: needs a post id column {id_col!r} or a text column {text_col!r}")
    summary = LabelSummary()
    rows: list[_Row] = []
    for rec in opened.records:
        summary.read += 1
        if rec.data is None:
            summary.rejected.append({"line": rec.line, "reason": rec.problem})
            continue
        try:
            rows.append(_parse(rec.line, rec.data, label_map or {}, id_col, text_col, platform_col,
                               label_col, opd_col, needs_response_col))  # fmt: skip
        except ValueError as exc:
            summary.rejected.append({"line": rec.line, "reason": str(exc)})
    by_text = store.labelling.ids_by_texts(r.text for r in rows if r.native is None and r.text is not None)
    batch: list[HumanLabel] = []
    audited: dict[str, set[int]] = {task: set() for task in AUDIT_TASK.values()}
    for row in rows:
        try:
            post = _resolve(store, row, by_text, platform_col)
        except ValueError as exc:
            summary.rejected.append({"line": row.line, "reason": str(exc)})
            continue
        if post is None:
            if row.opd is not None or row.needs_response is not None:
                reason = "OPD and needs_response labels need a stored post (no id given, or none matches the text)"
                summary.rejected.append({"line": row.line, "reason": reason})
            if row.sentiment is not None:
                summary.text_only += 1
                batch.append(HumanLabel(row.text or "", row.sentiment, source))
            continue
        summary.matched_posts += 1
        if row.sentiment is not None:
            batch.append(HumanLabel(post.post.text, row.sentiment, source, post.id))
            audited["sentiment"].add(post.id)
        if row.opd is not None or row.needs_response is not None:
            store.set_human(post.id, source, opd=row.opd, needs_response=row.needs_response)
            for task, value in (("opd", row.opd), ("needs_response", row.needs_response)):
                if value is not None:
                    summary.by_task[task] += 1
                    audited[AUDIT_TASK[task]].add(post.id)
    summary.by_task["sentiment"] += store.add_labels(batch)
    summary.stored = sum(summary.by_task.values())
    summary.rejected.sort(key=lambda problem: int(problem["line"]))  # type: ignore[call-overload]
    if audit:
        for task, ids in audited.items():
            summary.audit_added += store.labelling.add_to_audit(ids, task, actor or source)
    if summary.stored:
        detail = {"file": path.name, "stored": dict(summary.by_task), "audit_added": summary.audit_added}
        store.accounts.audit((actor or source)[:80], "label.import", path.name[:256], **detail)
    return summary


def _parse(
    line: int,
    data: Mapping[str, object],
    label_map: Mapping[str, str],
    id_col: str,
    text_col: str,
    platform_col: str,
    label_col: str | None,
    opd_col: str | None,
    needs_response_col: str | None,
) -> _Row:
    sentiment = None
    if label_col is not None and (fields.clean(data.get(label_col)) is not None or not (opd_col or needs_response_col)):
        sentiment = parse_label(data.get(label_col), label_map)
    opd = parse_opd(data.get(opd_col)) if opd_col else None
    needs = parse_needs_response(data.get(needs_response_col)) if needs_response_col else None
    if sentiment is None and opd is None and needs is None:
        raise ValueError("no label")
    platform_name = fields.clean(data.get(platform_col))
    platform = Platform.parse(platform_name) if platform_name else None
    return _Row(line, fields.clean(data.get(id_col)), fields.clean(data.get(text_col)), platform, sentiment, opd, needs)


def _resolve(store: Store, row: _Row, by_text: Mapping[str, list[int]], platform_col: str) -> StoredPost | None:
    """The stored post a row names (None: a bare text, usable for sentiment training only)."""
    if row.native is not None:
        found = store.lookup(row.native, row.platform)
        if len(found) > 1:
            raise ValueError(f"post id {row.native} exists on several platforms; add a {platform_col} column")
        if found:
            return found[0]
        if row.text is None:
            raise ValueError(f"no stored post with id {row.native} and no text")
    if row.text is None:
        raise ValueError("no text")
    matches = by_text.get(row.text, [])
    return store.get(matches[0]) if len(matches) == 1 else None
