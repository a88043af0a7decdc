"""needs_response and intent on real channels: recall on a complaint portal, precision on real tweet exports.

    .venv/bin/python bench/intent_eval.py [--shared-data DIR] [--before REV] [--json-out FILE] [--show dev|tweets-dev]

* Recall: ``purbalingga-complaints/complaints.csv`` (834 complaints to a regency portal, all addressed to the Bupati),
  split by a fixed hash of the text into DEV (read and tuned on) and HELD-OUT (only reported). Each half is scored
  twice: as posts of the complaint channel (``Platform.LAPOR``) and as bare texts (the same words posted on X with no
  mention or reply), which measures the text rules alone.
* Precision: tweets of ``purbalingga-complaints/complaint-or-not.csv``, ``x-political-issues-2025/posts`` and
  ``gov-vaccine-id/train.csv``, each split by the same hash into a dev half (read while writing the rules) and an
  evaluation half. From the evaluation half a seeded random sample of the posts that either rule set flags was
  labelled by hand (``bench/intent_labels.json``: row keys and labels only, never the texts; the labelling rule is in
  that file). Precision per rule set = labelled yes / sampled posts it flags, with a Wilson 95 % interval.
* ``before`` is ``src/citra/nlp/intent.py`` at ``--before`` (default: the commit before this work) with the pipeline
  wiring of that time (no channel, no reply-to-official, ``service=bool(topics)``); ``after`` is the working tree's
  ``intent.assess``, the function the pipeline calls.

The texts are read from ../shared/data and never written anywhere; only counts, keys and labels are.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import importlib.util
import json
import math
import random
import subprocess
import sys
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import ModuleType
from typing import Any

from citra.config import Settings
from citra.nlp import intent as intents
from citra.nlp.normalize import Normalizer
from citra.nlp.targets import TargetMatcher
from citra.nlp.topics import Taxonomy
from citra.nlp.train import default_shared_data
from citra.records import Author, Platform, Post, PostKind

ROOT = Path(__file__).resolve().parents[1]
LABELS = ROOT / "bench" / "intent_labels.json"
BEFORE = "4e55ac3"  # HEAD before the channel-aware rules
SALT = "citra-intent-eval"
NOW = datetime(2025, 1, 1, tzinfo=UTC)

# The regency whose portal the complaints come from; its Bupati (2021-2025) by public name.
PORTAL = Settings.model_validate(
    {
        "organisation": "Pemerintah Kabupaten Purbalingga",
        "leaders": [{"name": "Dyah Hayuning Pratiwi", "role": "Bupati", "aliases": ["bu tiwi", "mbak tiwi"]}],
    }
)
# A city workspace for tweet exports that concern no city: only generic government words can address it.
CITY = Settings.model_validate(
    {
        "organisation": "Pemerintah Kota Tirtajaya",
        "accounts": {"x": ["pemkottirtajaya"]},
        "leaders": [{"name": "Hendra Gunawan", "role": "Wali Kota"}],
    }
)


def half(key: str) -> str:
    """``dev`` or ``heldout``/``eval``-side by a fixed hash: the same text always lands on the same side."""
    digest = hashlib.sha256(f"{SALT}:{key}".encode()).digest()
    return "dev" if digest[0] % 2 == 0 else "heldout"


def row_key(text: str) -> str:
    return hashlib.sha256(f"{SALT}:{text}".encode()).hexdigest()[:16]


@dataclass(frozen=True)
class Item:
    """One text of a real set: where it comes from, its key (hash of the text), and the post it becomes."""

    dataset: str
    index: int
    key: str
    side: str
    post: Post
    gold: str | None = None


def _post(text: str, platform: Platform, i: int, handle: str | None = None) -> Post:
    kind = PostKind.REPLY if text.startswith("@") else PostKind.POST
    return Post(platform, str(i), text, NOW, author=Author(None, handle, None, None), kind=kind)


def portal(shared: Path, platform: Platform) -> list[Item]:
    with (shared / "purbalingga-complaints" / "complaints.csv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    return [
        Item("portal", i, row_key(r["text"]), half(r["text"]), _post(r["text"], platform, i), r["kategori"])
        for i, r in enumerate(rows)
    ]


def tweets(shared: Path) -> list[Item]:
    out: list[Item] = []
    with (shared / "purbalingga-complaints" / "complaint-or-not.csv").open(encoding="utf-8", newline="") as f:
        for i, r in enumerate(csv.DictReader(f)):
            out.append(
                Item("complaint-or-not", i, row_key(r["text"]), half(r["text"]), _post(r["text"], Platform.X, i))
            )
    i = 0
    for path in sorted((shared / "x-political-issues-2025" / "posts").glob("*.json")):
        for r in json.loads(path.read_text(encoding="utf-8")):
            text = r["content"]
            out.append(Item("x-political", i, row_key(text), half(text), _post(text, Platform.X, i, r.get("userName"))))
            i += 1
    with (shared / "gov-vaccine-id" / "train.csv").open(encoding="utf-8", newline="") as f:
        for i, r in enumerate(csv.DictReader(f)):
            out.append(Item("vaccine", i, row_key(r["norm"]), half(r["norm"]), _post(r["norm"], Platform.X, i)))
    seen: set[str] = set()
    unique = []
    for it in out:  # exact repeats (retweets, copies) once: a sample must not hold one text twice
        if f"{it.dataset}:{it.key}" not in seen:
            seen.add(f"{it.dataset}:{it.key}")
            unique.append(it)
    return unique


# the two rule sets ---------------------------------------------------------------------------------------------------

Assess = Callable[[Post, str], tuple[str, bool]]


def _old_module(rev: str) -> ModuleType:
    source = subprocess.run(
        ["git", "show", f"{rev}:src/citra/nlp/intent.py"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    spec = importlib.util.spec_from_loader("citra_intent_before", loader=None)
    assert spec is not None
    module = importlib.util.module_from_spec(spec)
    exec(compile(source, f"{rev}:intent.py", "exec"), module.__dict__)  # our own file at a commit
    return module


def rule_sets(settings: Settings, before: str) -> dict[str, Assess]:
    taxonomy = Taxonomy.default()
    matcher = TargetMatcher.from_settings(settings, taxonomy)
    official = frozenset((p, h) for p, hs in settings.accounts.items() for h in hs)
    old = _old_module(before)

    def run_before(post: Post, norm: str) -> tuple[str, bool]:
        targets = matcher.match(post.text, norm)
        intent = old.classify(post.text, norm, kind=post.kind, is_official=post.is_official)
        mentions = any((post.platform.value, h.lower()) in official for h in intents.HANDLE.findall(post.text))
        need = old.needs_response(
            intent, is_official=post.is_official, targets=targets, mentions_official=mentions,
            service=bool(taxonomy.match(norm)),
        )  # fmt: skip
        return intent.value, need

    def run_after(post: Post, norm: str) -> tuple[str, bool]:
        targets = matcher.match(post.text, norm)
        intent, need = intents.assess(
            post, norm, official=official, targets=targets, service=bool(taxonomy.match(norm))
        )
        return intent.value, need

    return {"before": run_before, "after": run_after}


def run(items: Iterable[Item], assess: Assess, normalizer: Normalizer) -> dict[str, tuple[str, bool]]:
    return {f"{it.dataset}:{it.key}": assess(it.post, normalizer.normalize(it.post.text)) for it in items}


# figures -------------------------------------------------------------------------------------------------------------


def wilson(k: int, n: int, z: float = 1.96) -> tuple[float, float]:
    if n == 0:
        return (math.nan, math.nan)
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    spread = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return (round(centre - spread, 3), round(centre + spread, 3))


def recall_figures(items: list[Item], got: dict[str, tuple[str, bool]]) -> dict[str, Any]:
    preds = [got[f"{it.dataset}:{it.key}"] for it in items]
    k = sum(need for _, need in preds)
    intent = Counter(i for i, _ in preds)
    return {
        "n": len(items),
        "needs_response_recall": round(k / len(items), 3),
        "recall_ci95": wilson(k, len(items)),
        "intent_share": {name: round(c / len(items), 3) for name, c in intent.most_common()},
    }


def precision_figures(
    items: list[Item], got: dict[str, dict[str, tuple[str, bool]]], labels: dict[str, dict[str, Any]]
) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for dataset in sorted({it.dataset for it in items}):
        mine = [it for it in items if it.dataset == dataset]
        row: dict[str, Any] = {"n_eval_half": len(mine)}
        for name, preds in got.items():
            flagged = [it for it in mine if preds[f"{it.dataset}:{it.key}"][1]]
            judged = [
                labels[f"{it.dataset}:{it.key}"]["needs_response"]
                for it in flagged
                if f"{it.dataset}:{it.key}" in labels
            ]
            k = sum(judged)
            row[name] = {
                "flagged_share": round(len(flagged) / len(mine), 3),
                "flagged": len(flagged),
                "labelled": len(judged),
                "precision": round(k / len(judged), 3) if judged else None,
                "precision_ci95": wilson(k, len(judged)),
            }
        out[dataset] = row
    return out


def sample_for_labelling(
    items: list[Item], got: dict[str, dict[str, tuple[str, bool]]], per_set: int, seed: int
) -> list[Item]:
    """A seeded uniform sample, per data set, of the evaluation-half posts that either rule set flags."""
    rng = random.Random(seed)
    chosen: list[Item] = []
    for dataset in sorted({it.dataset for it in items}):
        pool = [
            it for it in items if it.dataset == dataset and any(p[f"{it.dataset}:{it.key}"][1] for p in got.values())
        ]
        pool.sort(key=lambda it: it.key)
        chosen += rng.sample(pool, min(per_set, len(pool)))
    return chosen


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared-data", type=Path, default=default_shared_data())
    ap.add_argument("--before", default=BEFORE)
    ap.add_argument("--json-out", type=Path)
    ap.add_argument("--show", choices=["dev", "tweets-dev", "to-label"], help="print texts to read (never stored)")
    ap.add_argument("--only", choices=["missed", "flagged"], default="missed")
    ap.add_argument("--per-set", type=int, default=60)
    ap.add_argument("--seed", type=int, default=20261206)
    args = ap.parse_args(argv)
    normalizer = Normalizer.default()
    result: dict[str, Any] = {
        "before": args.before,
        "intent_version": intents.VERSION,
        "taxonomy": Taxonomy.default().version,  # "service" comes from the topics: both rule sets use today's
    }

    portal_sets = rule_sets(PORTAL, args.before)
    for mode, platform in (("channel", Platform.LAPOR), ("text_only", Platform.X)):
        items = portal(args.shared_data, platform)
        for name, assess in portal_sets.items():
            got = run(items, assess, normalizer)
            for side in ("dev", "heldout"):
                part = [it for it in items if it.side == side]
                result.setdefault("portal", {}).setdefault(mode, {}).setdefault(side, {})[name] = recall_figures(
                    part, got
                )
            if args.show == "dev" and name == "after" and mode == "text_only":
                for it in items:
                    intent, need = got[f"{it.dataset}:{it.key}"]
                    if it.side == "dev" and (need is (args.only == "flagged")):
                        print(f"--- {it.index} {intent} {it.gold}\n{it.post.text[:600]}")

    city_sets = rule_sets(CITY, args.before)
    all_tweets = tweets(args.shared_data)
    got_t = {name: run(all_tweets, assess, normalizer) for name, assess in city_sets.items()}
    if args.show == "tweets-dev":
        for it in all_tweets:
            intent, need = got_t["after"][f"{it.dataset}:{it.key}"]
            if it.side == "dev" and need:
                print(f"--- {it.dataset} {it.index} {intent}\n{it.post.text[:400]}")
    evaluation = [it for it in all_tweets if it.side == "heldout"]
    if args.show == "to-label":
        for it in sample_for_labelling(evaluation, got_t, args.per_set, args.seed):
            print(f"--- {it.dataset}:{it.key}\n{it.post.text[:500]}")
    labels = json.loads(LABELS.read_text(encoding="utf-8"))["labels"] if LABELS.exists() else {}
    result["tweets"] = precision_figures(evaluation, got_t, labels)
    for dataset in sorted({it.dataset for it in all_tweets}):
        mine = [it for it in all_tweets if it.dataset == dataset]
        result["tweets"][dataset]["flagged_share_all"] = {
            name: round(sum(got[f"{it.dataset}:{it.key}"][1] for it in mine) / len(mine), 3)
            for name, got in got_t.items()
        }
    # pooled precision over the three sets: each set's sample weighs as sampled (uniform within each set's pool)
    pooled: dict[str, Any] = {}
    for name in got_t:
        k = n = 0
        for it in evaluation:
            key = f"{it.dataset}:{it.key}"
            if got_t[name][key][1] and key in labels:
                n += 1
                k += labels[key]["needs_response"]
        pooled[name] = {"labelled": n, "precision": round(k / n, 3) if n else None, "precision_ci95": wilson(k, n)}
    result["tweets"]["pooled"] = pooled
    if not args.show:
        text = json.dumps(result, indent=1, ensure_ascii=False)
        print(text)
        if args.json_out:
            args.json_out.write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
