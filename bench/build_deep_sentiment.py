"""Build the shipped deep-tier sentiment head (src/citra/nlp/models/sentiment-deep/) from the redistributable data.

    nice -n 10 .venv/bin/python bench/build_deep_sentiment.py [--out DIR] [--date 2026-12-06] [--config NAME]

Trains on SmSA train, NusaX Indonesian train (minus rows near-duplicating SmSA valid / NusaX valid), PRDECT-ID
(weight 0.5) and citra's own government sentences (weight 6), the weights of ``citra.nlp.train.SHIPPABLE``. Vectors
come from the shared embedding cache (``bench/deep_sets.py``; same encoder version, same vectors). SmSA valid and the
vaccine tweets (no licence: evaluation only) are scored and recorded in model.json. Same inputs, same artifact.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import deep_sets as ds
from citra.nlp.deep_sentiment import SHIPPED
from citra.nlp.deep_train import train_deep_sentiment
from citra.nlp.train import default_shared_data, default_training_set
from deep_sentiment_bench import CANDIDATES, concat, shipped_sets
from embed_cache import encoder

CHOSEN = "e5+ngram SVM C0.5 s0.03"  # by 5-fold CV on SmSA train (bench/deep_sentiment_bench.py --parts select)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=SHIPPED)
    parser.add_argument("--date", default="2026-12-06", help="Training date recorded in the head (reproducibility).")
    parser.add_argument("--config", default=CHOSEN, choices=sorted(CANDIDATES))
    args = parser.parse_args()
    shared = default_shared_data()
    _, notes = default_training_set(shared, names=ds.SHIPPED_SETS)
    full = concat(list(shipped_sets(shared).values()))
    held = {"smsa_valid": ds.smsa_valid(shared), "vaccine_all": ds.vaccine(shared)}
    model = train_deep_sentiment(
        full.texts,
        full.y,
        full.weights,
        full.vecs,
        data_notes=notes,
        config=CANDIDATES[args.config],
        evaluate={name: (d.texts, d.y, d.vecs) for name, d in held.items()},
        today=date.fromisoformat(args.date),
        encoder_version=encoder().version,
    )
    model.meta["training"]["candidate"] = args.config
    model.save(args.out)
    metrics = {k: {m: v[m] for m in ("n", "macro_f1", "accuracy", "ece")} for k, v in model.meta["metrics"].items()}
    print(json.dumps({"out": str(args.out), "version": model.version, "metrics": metrics}, indent=2))


if __name__ == "__main__":
    main()
