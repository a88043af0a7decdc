"""Orchestration of ``citra label import``: human sentiment labels from a file, tied to stored posts where
the file names them (by native id, optionally with platform), else kept as bare texts for training."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from citra.errors import SourceError
from citra.records import HumanLabel, Platform, Sentiment
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


@dataclass
class LabelSummary:
    read: int = 0
    stored: int = 0
    matched_posts: int = 0
    text_only: int = 0
    rejected: list[dict[str, object]] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        return {
            "read": self.read,
            "stored": self.stored,
            "matched_posts": self.matched_posts,
            "text_only": self.text_only,
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


def import_labels(
    store: Store,
    path: Path,
    *,
    id_col: str = "id",
    text_col: str = "text",
    label_col: str = "label",
    platform_col: str = "platform",
    label_map: Mapping[str, str] | None = None,
    source: str = "import",
) -> LabelSummary:
    """Read (id and/or text, label) rows and store them as human labels; bad rows are reported, not stored."""
    opened = open_records(path)
    if label_col not in opened.keys:
        raise SourceError(f"{path}: no label column {label_col!r}; columns are {', '.join(opened.keys)}")
    if id_col not in opened.keys and text_col not in opened.keys:
        raise SourceError(f"{path}: needs a post id column {id_col!r} or a text column {text_col!r}")
    summary = LabelSummary()
    batch: list[HumanLabel] = []
    for rec in opened.records:
        summary.read += 1
        if rec.data is None:
            summary.rejected.append({"line": rec.line, "reason": rec.problem})
            continue
        try:
            label = parse_label(rec.data.get(label_col), label_map or {})
            batch.append(_resolve(store, rec.data, label, id_col, text_col, platform_col, source, summary))
        except ValueError as exc:
            summary.rejected.append({"line": rec.line, "reason": str(exc)})
    summary.stored = store.add_labels(batch)
    return summary


def _resolve(
    store: Store,
    row: Mapping[str, object],
    label: Sentiment,
    id_col: str,
    text_col: str,
    platform_col: str,
    source: str,
    summary: LabelSummary,
) -> HumanLabel:
    native = fields.clean(row.get(id_col))
    text = fields.clean(row.get(text_col))
    platform_name = fields.clean(row.get(platform_col))
    platform = Platform.parse(platform_name) if platform_name else None
    if native is not None:
        found = store.lookup(native, platform)
        if len(found) > 1:
            raise ValueError(f"post id {native} exists on several platforms; add a {platform_col} column")
        if found:
            summary.matched_posts += 1
            return HumanLabel(found[0].post.text, label, source, found[0].id)
        if text is None:
            raise ValueError(f"no stored post with id {native} and no text")
    if text is None:
        raise ValueError("no text")
    summary.text_only += 1
    return HumanLabel(text, label, source)
