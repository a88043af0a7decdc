"""What drives a crisis: the terms, topics, targets, posts, authors and platforms of its negative posts.

Pure: takes the posts of the alert window (and of a calm baseline window) and returns the ``drivers`` mapping
of an Alert."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from citra.alerts.wording import target_words
from citra.records import Post, StoredPost

STOP = frozenset(
    [
        "yang",
        "dan",
        "di",
        "ke",
        "dari",
        "untuk",
        "dengan",
        "ini",
        "itu",
        "ada",
        "tidak",
        "sudah",
        "akan",
        "juga",
        "saja",
        "bisa",
        "karena",
        "pada",
        "dalam",
        "atau",
        "kami",
        "kita",
        "saya",
        "aku",
        "kamu",
        "anda",
        "dia",
        "mereka",
        "nya",
        "pak",
        "bu",
        "ya",
        "lagi",
        "masih",
        "belum",
        "mau",
        "jadi",
        "oleh",
        "seperti",
        "sama",
        "buat",
        "apa",
        "kapan",
        "mana",
        "bagaimana",
        "mengapa",
        "kenapa",
        "siapa",
        "berapa",
        "tolong",
        "mohon",
        "sangat",
        "banget",
        "aja",
        "kok",
        "sih",
        "deh",
        "dong",
        "nih",
        "url",
        "user",
        "the",
        "and",
        "for",
        "this",
        "that",
        "you",
        "are",
        "was",
        "not",
        "rt",
        "amp",
    ]
)


def _engagement(post: Post) -> int:
    e = post.engagement
    return sum(v or 0 for v in (e.likes, e.reposts, e.replies, e.quotes))


def top_terms(
    window: Sequence[str], baseline: Sequence[str], tokens: Callable[[str], list[str]], k: int = 8
) -> list[str]:
    """Terms over-represented in the window's texts against the baseline's (log-odds with a +1 prior)."""
    here = Counter(t for text in window for t in set(tokens(text)) if _term(t))
    there = Counter(t for text in baseline for t in set(tokens(text)) if _term(t))
    n_here, n_there = max(len(window), 1), max(len(baseline), 1)
    scored = [
        (math.log((c + 1) / (n_here + 2)) - math.log((there[t] + 1) / (n_there + 2)), c, t)
        for t, c in here.items()
        if c >= 2
    ]
    scored.sort(key=lambda x: (-x[0], -x[1], x[2]))
    return [t for _, _, t in scored[:k]]


def _term(token: str) -> bool:
    return len(token) >= 3 and token not in STOP and not token.isdigit() and not token.startswith(("emo_", "@"))


def drivers(
    negative: Sequence[StoredPost],
    baseline_texts: Sequence[str],
    *,
    total: int,
    expected: float,
    tokens: Callable[[str], list[str]],
    topic_names: dict[str, str],
    roles: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """The ``drivers`` of an alert from its window's negative posts (most engaged first). Targets carry their
    name in Indonesian words (``roles``: leader name -> configured role) beside the key the filters use."""
    notes = [s.annotation for s in negative if s.annotation is not None]
    topics = Counter(t for a in notes for t in a.topics)
    targets = Counter(f"{t.kind.value}:{t.name}" for a in notes for t in a.targets)
    opds = Counter(o for a in notes for o in a.opds)
    platforms = Counter(s.post.platform.value for s in negative)
    authors: dict[tuple[str, str], dict[str, Any]] = {}
    for post in (s.post for s in negative):
        name = post.author.handle or post.author.name or "?"
        entry = authors.setdefault(
            (post.platform.value, name),
            {"author": name, "platform": post.platform.value, "posts": 0, "engagement": 0, "followers": None},
        )
        entry["posts"] += 1
        entry["engagement"] += _engagement(post)
        if post.author.followers is not None:
            entry["followers"] = max(entry["followers"] or 0, post.author.followers)
    amplifiers = sorted(authors.values(), key=lambda a: (-a["engagement"], -(a["followers"] or 0), -a["posts"]))
    samples = [
        {
            "text": post.text[:500],
            "author": post.author.handle or post.author.name,
            "url": post.url,
            "platform": post.platform.value,
            "created_at": post.created_at.isoformat(),
            "engagement": _engagement(post),
        }
        for post in (s.post for s in negative[:3])
    ]
    return {
        "terms": top_terms([s.post.text for s in negative], baseline_texts, tokens),
        "topics": [{"topic": t, "name": topic_names.get(t, t), "count": c} for t, c in topics.most_common(5)],
        "targets": [{"target": t, "name": target_words(t, roles or {}), "count": c} for t, c in targets.most_common(5)],
        "opds": [{"opd": o, "count": c} for o, c in opds.most_common(5)],
        "samples": samples,
        "authors": amplifiers[:5],
        "platforms": [{"platform": p, "count": c} for p, c in platforms.most_common()],
        "volume": {"negative": len(negative), "total": total, "expected_negative": round(expected, 1)},
    }
