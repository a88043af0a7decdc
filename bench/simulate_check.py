"""Do the language stages read the simulator's texts as they were written? Prints, for a simulated city:

* the confusion matrix of intended vs predicted sentiment (non-official posts), overall and per stream;
* the share of citizens' complaints in which the topic matcher finds a topic, and finds the intended one;
* the intent rules' agreement with the templates' intents, and how often the targets find the mayor in crisis posts.

    .venv/bin/python bench/simulate_check.py --days 60 --seed 1 [--sample 6000] [--proxy]

The sentiment model is the shipped one (``SentimentModel.load()``). When it is not there yet, ``--proxy`` trains a
stand-in (TF-IDF word + character n-grams, logistic regression) on ../shared/data SmSA + NusaX, normalised the same
way; its figures are only indicative of what the shipped model will do.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
import tomllib
from collections import Counter
from pathlib import Path

import numpy as np

from citra.simulate import Scenario, generate

LABELS = ("negative", "neutral", "positive")
SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"


def _proxy(normalize):
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline, make_union

    from citra.nlp.datasets import read_labelled

    examples = read_labelled(SHARED / "smsa" / "train_preprocess.tsv")
    examples += read_labelled(SHARED / "nusax-senti-id" / "train.csv")
    texts = [normalize(t) for t, _ in examples]
    labels = [str(label) for _, label in examples]
    features = make_union(
        TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True),
        TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), min_df=2, sublinear_tf=True),
    )
    model = make_pipeline(features, LogisticRegression(max_iter=2000, C=4.0, class_weight="balanced"))
    model.fit(texts, labels)
    classes = list(model.classes_)
    order = [classes.index(label) for label in LABELS]
    return lambda batch: model.predict_proba(batch)[:, order], f"proxy (SmSA+NusaX, {len(texts):,} texts)"


def _matrix(pairs: list[tuple[str, str]]) -> str:
    counts = Counter(pairs)
    lines = [f"{'intended / predicted':>22} " + " ".join(f"{p:>9}" for p in LABELS) + "   recall"]
    for i in LABELS:
        row = [counts[(i, p)] for p in LABELS]
        total = sum(row) or 1
        lines.append(f"{i:>22} " + " ".join(f"{n:>9,}" for n in row) + f"   {counts[(i, i)] / total:6.1%}")
    ok = sum(counts[(x, x)] for x in LABELS)
    lines.append(f"{'accuracy':>22} {ok / max(1, len(pairs)):.1%} of {len(pairs):,}")
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--days", type=int, default=60)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--sample", type=int, default=6000, help="non-official posts checked (0: all)")
    ap.add_argument("--proxy", action="store_true", help="train a stand-in model when none is shipped")
    args = ap.parse_args()

    from citra.config import Settings
    from citra.errors import CitraError
    from citra.nlp import intent as intents
    from citra.nlp.normalize import Normalizer
    from citra.nlp.targets import TargetMatcher
    from citra.nlp.topics import Taxonomy
    from citra.records import PostKind, TargetKind

    scenario = Scenario.default(args.days, args.seed)
    t = time.perf_counter()
    rows = [r for r in generate(scenario).rows() if not r.official]
    print(f"generated {len(rows):,} non-official posts in {time.perf_counter() - t:.1f} s", file=sys.stderr)
    if args.sample and len(rows) > args.sample:
        rows = random.Random(0).sample(rows, args.sample)
    norm = Normalizer.default()
    normalized = [norm.normalize(r.text) for r in rows]

    predict, name = None, ""
    try:
        from citra.nlp.sentiment import SentimentModel

        model = SentimentModel.load()
        predict, name = model.predict_proba, f"shipped {model.name}@{model.version}"
    except (CitraError, ImportError, OSError) as exc:
        if not args.proxy:
            print(f"no sentiment model ({exc}); run with --proxy for a stand-in", file=sys.stderr)
        else:
            predict, name = _proxy(norm.normalize)
    if predict is not None:
        probs = np.asarray(predict(normalized))
        predicted = [LABELS[i] for i in probs.argmax(1)]
        print(f"## Sentiment: intended vs predicted ({name})\n")
        print(_matrix([(r.sentiment, p) for r, p in zip(rows, predicted, strict=True)]))
        for stream in sorted({r.stream for r in rows}):
            pairs = [(r.sentiment, p) for r, p in zip(rows, predicted, strict=True) if r.stream == stream]
            ok = sum(a == b for a, b in pairs) / len(pairs)
            print(f"  {stream:<20} {len(pairs):>6,} posts, accuracy {ok:.1%}")
        worst = Counter(r.topic for r, p in zip(rows, predicted, strict=True) if r.sentiment != p)
        print("  most missed topics:", ", ".join(f"{k} {v}" for k, v in worst.most_common(6)))

    taxonomy = Taxonomy.default()
    complaints = [(r, n) for r, n in zip(rows, normalized, strict=True) if r.intent == "complaint"]
    found = [(r.topic, taxonomy.match(n)) for r, n in complaints if r.stream in ("citizen", "comparison")]
    named = [(want, got) for want, got in found if want not in ("leader", "general")]
    print("\n## Topics of citizens' complaints\n")
    print(f"  any topic found: {sum(bool(g) for _, g in found) / max(1, len(found)):.1%} of {len(found):,}")
    print(f"  intended topic among those found: {sum(w in g for w, g in named) / max(1, len(named)):.1%}")
    missed = Counter(w for w, g in named if w not in g)
    print("  topics missed most:", ", ".join(f"{k} {v}" for k, v in missed.most_common(6)))

    agree = Counter()
    for r, n in zip(rows, normalized, strict=True):
        if r.stream in ("citizen", "comparison") and r.intent:
            kind = PostKind.REPOST if r.text.startswith("RT @") else PostKind.REPLY if r.reply_to else PostKind.POST
            agree[(r.intent, str(intents.classify(r.text, n, kind=kind)))] += 1
    print("\n## Intent rules vs the templates' intents\n")
    for want in ("complaint", "question", "request", "praise", "information"):
        total = sum(v for (w, _), v in agree.items() if w == want)
        if total:
            top = ", ".join(f"{g} {v / total:.0%}" for (w, g), v in agree.most_common() if w == want)
            print(f"  {want:<12} {total:>6,}: {top}")

    settings = Settings.model_validate(tomllib.loads(scenario.workspace_toml()))
    targets = TargetMatcher.from_settings(settings, taxonomy)
    crisis = [(r, n) for r, n in zip(rows, normalized, strict=True) if r.stream == "crisis_leader"]
    if crisis:
        mayor = scenario.mayor.name
        hits = sum(
            any(t.kind is TargetKind.LEADER and t.name == mayor for t in targets.match(r.text, n)) for r, n in crisis
        )
        print(f"\n## Targets: the mayor found in {hits / len(crisis):.1%} of {len(crisis):,} crisis posts about him")
    comparison = [(r, n) for r, n in zip(rows, normalized, strict=True) if r.stream == "comparison"]
    if comparison:
        hits = sum(any(t.kind is TargetKind.ENTITY for t in targets.match(r.text, n)) for r, n in comparison)
        print(f"   the comparison city found in {hits / len(comparison):.1%} of {len(comparison):,} posts about it")


if __name__ == "__main__":
    main()
