"""Topics, targets and intent on the gold set: per-label precision/recall/F1 and microseconds per post per stage.

Run from the repository root:  .venv/bin/python bench/rules_bench.py [--split dev|heldout|all] [--errors]
The gold set is tests/fixtures/nlp_gold.jsonl: a settings line, then one labelled post per line.
"""

from __future__ import annotations

import argparse
import json
import time
from collections import Counter
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from pathlib import Path

import regex

from citra.config import Settings
from citra.nlp import category as categories
from citra.nlp import intent as intents
from citra.nlp.normalize import Normalizer
from citra.nlp.targets import TargetMatcher
from citra.nlp.topics import Taxonomy
from citra.records import Platform, Post, PostKind

GOLD = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "nlp_gold.jsonl"
_WHEN = datetime(2026, 1, 1, tzinfo=UTC)
MENTION = regex.compile(r"(?<![\w@])@(\w{1,50})")


def load(split: str = "all") -> tuple[Settings, list[dict]]:
    lines = GOLD.read_text(encoding="utf-8").splitlines()
    settings = Settings.model_validate(json.loads(lines[0])["settings"])
    posts = [json.loads(line) for line in lines[1:] if line.strip()]
    return settings, [p for p in posts if split == "all" or p["split"] == split]


def predict(settings: Settings, posts: list[dict]) -> list[dict]:
    """Run the four rule stages on the gold posts (the same wiring as the pipeline)."""
    normalizer = Normalizer.default()
    taxonomy = Taxonomy.default()
    matcher = TargetMatcher.from_settings(settings, taxonomy)
    handles = {h for hs in settings.accounts.values() for h in hs}
    out = []
    for p in posts:
        norm = normalizer.normalize(p["text"])
        kind = PostKind(p["kind"])
        topics = taxonomy.match(norm)
        targets = matcher.match(p["text"], norm)
        intent = intents.classify(p["text"], norm, kind=kind, is_official=p["is_official"])
        mentions = any(h.lower() in handles for h in MENTION.findall(p["text"]))
        need = intents.needs_response(
            intent,
            is_official=p["is_official"],
            targets=targets,
            mentions_official=mentions,
            reply_to_official=p["reply_to_official"],
        )
        service = bool(taxonomy.opds(topics))
        first = next(iter(sorted(handles)), "")
        post = Post(
            Platform.X, "0", p["text"], _WHEN, kind=kind, is_official=p["is_official"],
            raw={"in_reply_to_screen_name": first} if p["reply_to_official"] else {},
        )  # fmt: skip
        official = frozenset(("x", h) for h in handles)
        _, piped = intents.assess(post, norm, official=official, targets=targets, service=service)
        out.append(
            {
                "needs_response_pipeline": piped,
                "needs_response_service": intents.needs_response(
                    intent,
                    is_official=p["is_official"],
                    targets=targets,
                    mentions_official=mentions,
                    reply_to_official=p["reply_to_official"],
                    service=service,
                ),
                "topics": list(topics),
                "targets": [[t.kind.value, t.name] for t in targets],
                "intent": intent.value,
                "needs_response": need,
                "category": categories.category(p["text"], norm) if p["is_official"] else None,
            }
        )
    return out


def scores(gold: Iterable[set[str]], pred: Iterable[set[str]]) -> dict[str, tuple[float, float, float, int]]:
    """Per label (precision, recall, F1, support) of multi-label sets, plus "micro"."""
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    for g, p in zip(gold, pred, strict=True):
        for x in g & p:
            tp[x] += 1
        for x in p - g:
            fp[x] += 1
        for x in g - p:
            fn[x] += 1
    out = {}
    for label in sorted(set(tp) | set(fp) | set(fn)):
        out[label] = _prf(tp[label], fp[label], fn[label])
    out["micro"] = _prf(sum(tp.values()), sum(fp.values()), sum(fn.values()))
    return out


def _prf(tp: int, fp: int, fn: int) -> tuple[float, float, float, int]:
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f, tp + fn


def evaluate(posts: list[dict], preds: list[dict]) -> dict[str, dict[str, tuple[float, float, float, int]]]:
    def sets(key: str, rows: list[dict], wrap: Callable[[object], set[str]]) -> list[set[str]]:
        return [wrap(r[key]) for r in rows]

    official = [i for i, p in enumerate(posts) if p["is_official"]]
    return {
        "topics": scores(sets("topics", posts, set), sets("topics", preds, set)),
        "intent": scores(sets("intent", posts, lambda v: {v}), sets("intent", preds, lambda v: {v})),
        "needs_response": scores(
            [{"yes"} if p["needs_response"] else {"no"} for p in posts],
            [{"yes"} if p["needs_response"] else {"no"} for p in preds],
        ),
        "needs_response (service=True)": scores(
            [{"yes"} if p["needs_response"] else {"no"} for p in posts],
            [{"yes"} if p["needs_response_service"] else {"no"} for p in preds],
        ),
        "needs_response (pipeline: intent.assess)": scores(
            [{"yes"} if p["needs_response"] else {"no"} for p in posts],
            [{"yes"} if p["needs_response_pipeline"] else {"no"} for p in preds],
        ),
        "targets": scores(
            [{f"{k}:{n}" for k, n in p["targets"]} for p in posts],
            [{f"{k}:{n}" for k, n in p["targets"]} for p in preds],
        ),
        "category": scores([{posts[i]["category"]} for i in official], [{preds[i]["category"]} for i in official]),
    }


def timings(settings: Settings, texts: list[str], rounds: int = 20) -> dict[str, float]:
    """Microseconds per post for each stage (normalised text computed once, outside the stage timings)."""
    normalizer = Normalizer.default()
    taxonomy = Taxonomy.default()
    matcher = TargetMatcher.from_settings(settings, taxonomy)
    norms = [normalizer.normalize(t) for t in texts]
    pairs = list(zip(texts, norms, strict=True))
    stages: dict[str, Callable[[str, str], object]] = {
        "topics": lambda raw, norm: taxonomy.match(norm),
        "targets": matcher.match,
        "intent": lambda raw, norm: intents.classify(raw, norm, kind=PostKind.POST, is_official=False),
        "category": categories.category,
    }
    out = {}
    for name, fn in stages.items():
        best = float("inf")
        for _ in range(rounds):
            start = time.perf_counter()
            for raw, norm in pairs:
                fn(raw, norm)
            best = min(best, time.perf_counter() - start)
        out[name] = best / len(pairs) * 1e6
    return out


def _join150(a: str, b: str) -> str:
    """Two gold texts joined and cut at a word boundary near 150 characters: a typical post length."""
    text = f"{a} {b}"
    return text if len(text) <= 150 else text[:150].rsplit(" ", 1)[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", default="all", choices=["dev", "heldout", "all"])
    parser.add_argument("--errors", action="store_true", help="print every post with a wrong label")
    args = parser.parse_args()
    settings, posts = load(args.split)
    preds = predict(settings, posts)
    results = evaluate(posts, preds)
    print(
        f"gold: {GOLD.name}, split {args.split}, {len(posts)} posts ({sum(p['is_official'] for p in posts)} official)"
    )
    for family, table in results.items():
        print(f"\n{family:<24} {'P':>6} {'R':>6} {'F1':>6} {'n':>5}")
        for label, (p, r, f, n) in table.items():
            print(f"  {label:<22} {p:6.2f} {r:6.2f} {f:6.2f} {n:5d}")
    accuracy = sum(p["intent"] == q["intent"] for p, q in zip(posts, preds, strict=True)) / len(posts)
    print(f"\nintent accuracy {accuracy:.2f}")
    _, everything = load("all")
    texts = [p["text"] for p in everything]
    long = [_join150(texts[i], texts[(i + 1) % len(texts)]) for i in range(len(texts))]
    start = time.perf_counter()
    Taxonomy.default()
    built = time.perf_counter()
    TargetMatcher.from_settings(settings, Taxonomy.default())
    print(
        f"\nbuild: taxonomy {(built - start) * 1e3:.0f} ms, target matcher (with its taxonomy) "
        f"{(time.perf_counter() - built) * 1e3:.0f} ms"
    )
    print("speed, µs/post (best of 20 rounds; normalisation not included):")
    short, padded = timings(settings, texts), timings(settings, long)
    mean = sum(map(len, long)) / len(long)
    print(f"  {'stage':<10} {f'gold ({sum(map(len, texts)) / len(texts):.0f} ch)':>14} {f'{mean:.0f} ch':>8}")
    for name in short:
        print(f"  {name:<10} {short[name]:14.1f} {padded[name]:8.1f}")
    if args.errors:
        for p, q in zip(posts, preds, strict=True):
            diffs = [
                f"{k}: gold {p.get(k)} / got {q[k]}"
                for k in ("topics", "intent", "needs_response", "targets", "category")
                if (sorted(map(str, p.get(k) or [])) if isinstance(q[k], list) else p.get(k))
                != (sorted(map(str, q[k])) if isinstance(q[k], list) else q[k])
            ]
            if diffs:
                print(f"\n{p['id']} {p['text']}\n  " + "\n  ".join(diffs))


if __name__ == "__main__":
    main()
