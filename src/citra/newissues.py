"""New issues of the last days: the store's uncovered complaints, their sentence vectors and the clustering stage.

Wires ``Store.uncovered_posts`` (citizens' negative or needing-a-response posts without a topic) and
``Store.vectors`` (written by the deep tier) to ``citra.analytics.newissues``. A post the current taxonomy now
covers (a topic added since it was analysed, e.g. with "Jadikan topik") is left out at once, before it is
re-analysed. Posts without a vector yet are left out too: the page never loads the encoder in a request; the deep
tier (``citra.deep``) embeds them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np

from citra.analytics.newissues import MAX_POSTS, Candidate, NewIssue, cluster
from citra.config import Workspace
from citra.nlp.normalize import Normalizer
from citra.nlp.topics import Taxonomy
from citra.store import Store
from citra.store.uncovered import Uncovered

HOURS = 72  # how far back a new issue's posts go


@dataclass(frozen=True, slots=True)
class Found:
    """The new issues of a period and what they were drawn from: ``candidates`` uncovered posts, of which
    ``with_vectors`` had a sentence vector and were clustered. ``texts`` holds the examples' texts by id."""

    since: datetime
    until: datetime
    issues: tuple[NewIssue, ...]
    candidates: int
    with_vectors: int
    texts: dict[int, str]


def candidates(
    store: Store,
    ws: Workspace,
    until: datetime,
    hours: int = HOURS,
    *,
    taxonomy: Taxonomy | None = None,
    normalizer: Normalizer | None = None,
) -> tuple[list[Uncovered], list[str]]:
    """The uncovered posts of the ``hours`` before ``until`` that the current taxonomy still does not cover, and
    their normalised texts (``taxonomy`` and ``normalizer``: the workspace's, built when not given)."""
    rows = store.uncovered_posts(until - timedelta(hours=hours), until, limit=MAX_POSTS)
    norm = normalizer or Normalizer.with_lexicons([ws.path(p) for p in ws.settings.nlp.lexicons])
    tax = taxonomy or Taxonomy.for_settings(ws)
    kept, texts = [], []
    for r in rows:
        text = norm.normalize(r.text)
        if not tax.match(text):
            kept.append(r)
            texts.append(text)
    return kept, texts


def find(
    store: Store,
    ws: Workspace,
    until: datetime,
    hours: int = HOURS,
    *,
    taxonomy: Taxonomy | None = None,
    normalizer: Normalizer | None = None,
    model: str | None = None,
) -> Found:
    """The new issues of the ``hours`` before ``until``, from the posts that have a vector (of encoder ``model``
    when given; else any stored one: the deep tier's versions are the same e5-small model at another precision,
    their vectors agree to a cosine of 0.999)."""
    rows, texts = candidates(store, ws, until, hours, taxonomy=taxonomy, normalizer=normalizer)
    have = store.vectors([r.id for r in rows], model=model)
    chosen = [(r, t) for r, t in zip(rows, texts, strict=True) if r.id in have]
    items = [Candidate(r.id, t, r.author, r.created_at) for r, t in chosen]
    matrix = np.vstack([have[r.id] for r, _ in chosen]) if chosen else np.empty((0, 384), np.float32)
    issues = cluster(items, matrix)
    wanted = {i for c in issues for i in c.examples}
    return Found(
        since=until - timedelta(hours=hours),
        until=until,
        issues=tuple(issues),
        candidates=len(rows),
        with_vectors=len(chosen),
        texts={r.id: r.text for r, _ in chosen if r.id in wanted},
    )
