"""New issues: clusters of recent citizens' complaints that no topic of the taxonomy covers, named by their terms.

The taxonomy only knows what someone wrote into it; a new problem (a bridge closed, a new fee, a flooded
underpass) shows up first as posts with no topic. This stage groups such posts by their sentence vectors
(``citra.nlp.encoder``) and names each group by the words that set it apart from the other uncovered posts, so
that the team sees "jembatan, ditutup, jembatan ditutup" instead of 40 unrelated posts.

Pure: takes the candidate posts (already chosen: recent, citizens', negative or needing a response, no topic) and
their vectors; returns the clusters. Agglomerative clustering with average linkage on cosine distance (scikit-
learn): no number of clusters to guess, a distance that means the same on any day, and deterministic. Its cost
is quadratic, so at most ``MAX_POSTS`` of the newest candidates are clustered."""

from __future__ import annotations

import itertools
import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import numpy as np
from sklearn.cluster import AgglomerativeClustering

from citra.alerts.drivers import STOP

MAX_POSTS = 3000  # the newest candidates clustered (average linkage is O(n^2) in time and memory)
DISTANCE = 0.08  # cosine distance within which average linkage joins groups (e5-small; 0.10 and 0.12 merged
# different questions on the demo, 0.08 kept them apart)
MIN_SIZE = 5
MIN_AUTHORS = 3  # a group one or two accounts wrote is a campaign or a conversation, not an issue
TERMS = 5
EXAMPLES = 3
MIN_SHARE = 0.2  # a naming term is in at least this share of the cluster's posts
_MORE_STOP = frozenset(
    {"ini", "itu", "nya", "kalo", "kalau", "gak", "nggak", "enggak", "udah", "sdh", "blm", "dgn", "yg", "utk"}
    | {"tdk", "aja", "ajah", "lah", "kah", "pun", "yah", "banget", "bgt", "min", "admin", "mimin", "kak", "bang"}
    | {"mas", "mbak", "bapak", "ibu", "warga", "kota", "pemkot", "pemerintah", "tolong", "segera", "gimana"}
)


@dataclass(frozen=True, slots=True)
class Candidate:
    """A post that may belong to a new issue: its id, normalised text (``Normalizer.normalize``), author key
    and time."""

    id: int
    text: str
    author: str
    created_at: datetime


@dataclass(frozen=True, slots=True)
class NewIssue:
    """A cluster: its posts (newest first), how many authors wrote them, its naming terms (best first), its
    time span and the posts nearest its centre (``examples``, ids)."""

    post_ids: tuple[int, ...]
    authors: int
    terms: tuple[str, ...]
    first_at: datetime
    last_at: datetime
    examples: tuple[int, ...]

    @property
    def size(self) -> int:
        return len(self.post_ids)

    @property
    def label(self) -> str:
        """A suggested topic name: the first four different words of the terms ("Jembatan ditutup memutar")."""
        words = list(dict.fromkeys(w for t in self.terms for w in t.split()))[:4]
        return " ".join(words).capitalize()


def term_ok(token: str) -> bool:
    """Whether a token may name an issue: a word of three letters or more, not a function word, number,
    emoji name or mention."""
    return (
        len(token) >= 3
        and token not in STOP
        and token not in _MORE_STOP
        and not token.isdigit()
        and token.isalpha()
        and not token.startswith(("emo_", "@"))
    )


def doc_terms(text: str) -> frozenset[str]:
    """The unigrams and bigrams of a normalised text that may name an issue (a bigram of two such words)."""
    words = text.split()
    uni = {w for w in words if term_ok(w)}
    bi = {f"{a} {b}" for a, b in itertools.pairwise(words) if a != b and a in uni and b in uni}
    return frozenset(uni | bi)


def cluster(
    candidates: Sequence[Candidate],
    vecs: np.ndarray,
    *,
    distance: float = DISTANCE,
    min_size: int = MIN_SIZE,
    min_authors: int = MIN_AUTHORS,
    max_posts: int = MAX_POSTS,
) -> list[NewIssue]:
    """The new issues among ``candidates`` (parallel to ``vecs``, unit vectors), largest first. Only the newest
    ``max_posts`` candidates are clustered."""
    if len(candidates) != len(vecs):
        raise ValueError("candidates and vecs must have the same length")
    order = sorted(range(len(candidates)), key=lambda k: (candidates[k].created_at, candidates[k].id), reverse=True)
    order = order[:max_posts]
    if len(order) < max(min_size, 2):
        return []
    posts = [candidates[k] for k in order]
    x = np.asarray(vecs, dtype=np.float32)[order]
    labels = AgglomerativeClustering(
        n_clusters=None, distance_threshold=distance, metric="cosine", linkage="average"
    ).fit_predict(x)
    terms = [doc_terms(p.text) for p in posts]
    df = Counter(t for ts in terms for t in ts)
    found = []
    for label in np.unique(labels):
        members = np.nonzero(labels == label)[0]
        authors = len({posts[k].author for k in members})
        if len(members) < min_size or authors < min_authors:
            continue
        found.append(_issue(posts, x, members, authors, terms, df))
    found.sort(key=lambda c: (-c.size, -c.last_at.timestamp(), c.post_ids[0]))
    return found


def _issue(
    posts: list[Candidate],
    x: np.ndarray,
    members: np.ndarray,
    authors: int,
    terms: list[frozenset[str]],
    df: Counter[str],
) -> NewIssue:
    centre = x[members].mean(axis=0)
    nearest = members[np.argsort(-(x[members] @ centre), kind="stable")[:EXAMPLES]]
    times = [posts[k].created_at for k in members]
    return NewIssue(
        post_ids=tuple(posts[k].id for k in members),  # posts are newest first, members ascending
        authors=authors,
        terms=top_terms([terms[k] for k in members], df, len(posts)),
        first_at=min(times),
        last_at=max(times),
        examples=tuple(posts[k].id for k in nearest),
    )


def top_terms(
    cluster_terms: Sequence[frozenset[str]], df: Counter[str], n_docs: int, k: int = TERMS
) -> tuple[str, ...]:
    """The cluster's distinctive terms (class-based TF-IDF): the share of its posts with the term times the
    term's inverse frequency among all candidates; a bigram hides its two words when it covers most of the posts
    either covers."""
    size = len(cluster_terms)
    here = Counter(t for ts in cluster_terms for t in ts)
    scored = {t: (c / size) * math.log(1 + n_docs / df[t]) for t, c in here.items() if c >= 2 and c / size >= MIN_SHARE}
    ranked = sorted(scored, key=lambda t: (-scored[t], t))
    chosen: list[str] = []
    hidden: set[str] = set()
    for t in ranked:
        if " " in t:
            a, b = t.split()
            if here[t] >= 0.7 * max(here[a], here[b]):
                hidden |= {a, b}
    for t in ranked:
        if t in hidden or any(t in c.split() for c in chosen if " " in c):
            continue
        if " " in t and any(w in chosen for w in t.split()) and here[t] < 0.7 * max(here[w] for w in t.split()):
            continue
        chosen.append(t)
        if len(chosen) == k:
            break
    return tuple(chosen)
