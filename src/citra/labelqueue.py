"""The label queue: which citizens' posts the team should label next.

Two modes. *Uncertain* (active learning): the posts whose labels would teach the model most, i.e. where it is least
sure (sentiment: entropy and margin of its probabilities; routing: no route, or two OPDs scored alike;
needs_response: posts near the rule's boundary), spread over distinct texts and topics so that twenty copies of
one viral complaint do not fill the list. *Random* (audit): a uniform random sample of citizens' annotated posts,
recorded in the store's audit sample, so that labels on them measure the classifier without bias (the corrected
index reads them). The CLI (``citra label queue``) and the "Beri label" page both call this module.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from citra.records import StoredPost
from citra.store import PostQuery, Store
from citra.store.labelling import TaskCounts

POOL_PER_ITEM = 20  # candidates read per wanted item, before the diversity filter
POOL_MIN, POOL_MAX = 200, 5000
MAX_ITEMS = 1000
NEAR_DUPLICATE = 0.5  # Jaccard similarity of character 5-gram shingles above which two texts count as one
SHINGLE = 5


class Task(StrEnum):
    """What the team labels: a post's sentiment, the OPD responsible for it, whether it needs a response."""

    SENTIMENT = "sentiment"
    ROUTING = "routing"
    NEEDS_RESPONSE = "needs_response"


@dataclass(frozen=True, slots=True)
class QueueItem:
    """A post offered for labelling: the model's answer for the task (``model_label``; its probability where
    the model gives one), how unsure the model is (0..1), and whether the post belongs to the audit sample."""

    post: StoredPost
    task: Task
    model_label: str
    probability: float | None
    uncertainty: float
    audit: bool = False


# uncertainty ------------------------------------------------------------------------------------------------------


def sentiment_uncertainty(probs: Sequence[float]) -> float:
    """Half normalised entropy, half (1 - margin between the two most likely labels): 0 sure, 1 undecided."""
    total = sum(probs) or 1.0
    p = [max(0.0, x) / total for x in probs]
    entropy = -sum(x * math.log(x) for x in p if x > 0) / math.log(len(p))
    top, second = sorted(p, reverse=True)[:2]
    return round(0.5 * entropy + 0.5 * (1.0 - (top - second)), 6)


def _model_answer(post: StoredPost, task: Task) -> tuple[str, float | None]:
    note = post.annotation
    if note is None:
        return "", None
    if task is Task.SENTIMENT:
        return note.sentiment.value, round(note.sentiment_score, 4)
    if task is Task.ROUTING:
        return (note.opds[0] if note.opds else ""), None
    return ("ya" if note.needs_response else "tidak"), None


def _score(post: StoredPost, task: Task, pooled: float) -> float:
    """The final uncertainty: recomputed from the probabilities for sentiment, the database's score otherwise."""
    if task is Task.SENTIMENT and post.annotation is not None:
        return sentiment_uncertainty(post.annotation.probs)
    return round(pooled, 6)


# diversity --------------------------------------------------------------------------------------------------------

_NOISE = re.compile(r"https?://\S+|www\.\S+|[@#]\w+|\d+")
_NON_WORD = re.compile(r"[^\w]+")


def normalised(text: str) -> str:
    """Lower case, no accents, links, mentions, hashtags, numbers or punctuation; single spaces."""
    folded = unicodedata.normalize("NFKD", text.casefold())
    folded = "".join(c for c in folded if not unicodedata.combining(c))
    return " ".join(_NON_WORD.sub(" ", _NOISE.sub(" ", folded)).replace("_", " ").split())


def shingles(text: str, k: int = SHINGLE) -> frozenset[str]:
    """Character k-grams of the normalised text (the whole text when shorter)."""
    norm = normalised(text)
    if len(norm) <= k:
        return frozenset([norm])
    return frozenset(norm[i : i + k] for i in range(len(norm) - k + 1))


def _similar(a: frozenset[str], b: frozenset[str]) -> bool:
    if not a or not b:
        return a == b
    return len(a & b) / len(a | b) >= NEAR_DUPLICATE


def diversify(items: Sequence[QueueItem], n: int) -> list[QueueItem]:
    """The first ``n`` items (in the given order, most uncertain first) that are not near-duplicates of an item
    already taken, with no topic taking more than a third of the list while other topics wait; near-duplicates
    are never taken, a topic's overflow fills the list when nothing else is left."""
    cap = max(1, math.ceil(n / 3))
    taken: list[QueueItem] = []
    seen: list[frozenset[str]] = []
    per_topic: Counter[str] = Counter()
    overflow: list[tuple[QueueItem, frozenset[str]]] = []
    for item in items:
        if len(taken) >= n:
            break
        grams = shingles(item.post.post.text)
        if any(_similar(grams, other) for other in seen):
            continue
        topic = _topic(item.post)
        if per_topic[topic] >= cap:
            overflow.append((item, grams))
            continue
        taken.append(item)
        seen.append(grams)
        per_topic[topic] += 1
    for item, grams in overflow:
        if len(taken) >= n:
            break
        if not any(_similar(grams, other) for other in seen):
            taken.append(item)
            seen.append(grams)
    return taken


def _topic(post: StoredPost) -> str:
    note = post.annotation
    return note.topics[0] if note is not None and note.topics else ""


# the queue --------------------------------------------------------------------------------------------------------


def _load(store: Store, ids: Sequence[int]) -> dict[int, StoredPost]:
    out: dict[int, StoredPost] = {}
    for start in range(0, len(ids), 5000):
        part = tuple(ids[start : start + 5000])
        out.update((p.id, p) for p in store.search(PostQuery(ids=part), limit=len(part)).items)
    return out


def queue(
    store: Store, task: Task | str, n: int, *, since: datetime | None = None, until: datetime | None = None
) -> list[QueueItem]:
    """Up to ``n`` citizens' annotated posts of [since, until) without a team label for ``task``, most uncertain
    first and diverse (see ``diversify``)."""
    task = Task(task)
    n = max(0, min(n, MAX_ITEMS))
    if n == 0:
        return []
    size = min(POOL_MAX, max(POOL_MIN, n * POOL_PER_ITEM))
    pooled = store.labelling.pool(task.value, size, since, until)
    found = _load(store, [i for i, _ in pooled])
    audit = set(store.labelling.audit_members(task.value))
    items = []
    for post_id, score in pooled:
        post = found.get(post_id)
        if post is None:
            continue
        label, probability = _model_answer(post, task)
        items.append(QueueItem(post, task, label, probability, _score(post, task, score), post_id in audit))
    items.sort(key=lambda it: (-it.uncertainty, -it.post.post.created_at.timestamp(), -it.post.id))
    return diversify(items, n)


def draw_audit(
    store: Store,
    actor: str,
    task: Task | str,
    n: int,
    *,
    since: datetime | None = None,
    until: datetime | None = None,
) -> list[QueueItem]:
    """Draw ``n`` more posts at random into the audit sample of ``task`` (recorded with ``actor`` and audited) and
    return them, in the order drawn."""
    task = Task(task)
    n = max(0, min(n, MAX_ITEMS))
    ids = store.labelling.draw(task.value, n, actor, since, until)
    detail = {"task": task.value, "n": len(ids), "since": _iso(since), "until": _iso(until)}
    store.accounts.audit(actor[:80], "audit.draw", f"task:{task.value}", **detail)
    return _items(store, task, ids)


def pending_audit(store: Store, task: Task | str, n: int) -> list[QueueItem]:
    """Audit members of ``task`` still waiting for a team label, in the order drawn."""
    task = Task(task)
    ids = store.labelling.audit_members(task.value, unlabelled=True, limit=max(0, min(n, MAX_ITEMS)))
    return _items(store, task, ids)


def _items(store: Store, task: Task, ids: Sequence[int]) -> list[QueueItem]:
    found = _load(store, ids)
    out = []
    for post_id in ids:
        post = found.get(post_id)
        if post is None:
            continue
        label, probability = _model_answer(post, task)
        pooled = sentiment_uncertainty(post.annotation.probs) if post.annotation and task is Task.SENTIMENT else 0.0
        out.append(QueueItem(post, task, label, probability, pooled, True))
    return out


def counts(store: Store) -> list[TaskCounts]:
    """Per task: posts with a team label, audit labels, audit members drawn."""
    return store.labelling.counts()


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


# spreadsheet rows -------------------------------------------------------------------------------------------------

SHEET_COLUMNS = (
    "id",
    "platform",
    "created_at",
    "url",
    "text",
    "task",
    "model_label",
    "probability",
    "uncertainty",
    "audit",
    "sentiment",
    "opd",
    "needs_response",
)
"""Columns of ``citra label queue --csv``: fill ``sentiment``, ``opd`` or ``needs_response`` and import the file
back with ``citra label import FILE --label-col sentiment --opd-col opd --needs-response-col needs_response``."""


def sheet_row(item: QueueItem) -> dict[str, Any]:
    """One row for a spreadsheet: the post's native id and platform (what ``citra label import`` matches), its text,
    the model's answer, and empty label columns."""
    post = item.post.post
    return {
        "id": post.native_id,
        "platform": post.platform.value,
        "created_at": post.created_at.isoformat(),
        "url": post.url or "",
        "text": post.text,
        "task": item.task.value,
        "model_label": item.model_label,
        "probability": "" if item.probability is None else item.probability,
        "uncertainty": item.uncertainty,
        "audit": item.audit,
        "sentiment": "",
        "opd": "",
        "needs_response": "",
    }
