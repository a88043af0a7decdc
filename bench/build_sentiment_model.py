"""Build the shipped sentiment model (src/citra/nlp/models/sentiment/) from the redistributable data.

    .venv/bin/python bench/build_sentiment_model.py [--shared-data DIR] [--out DIR] [--date 2026-12-06] [--sets ...]

Only redistributable data goes into the model (see ../shared/data/README.md): SmSA, NusaX and PRDECT-ID train, IndoNLU
POSP news sentences (as neutral) and the government-domain sentences written for citra
(src/citra/nlp/data/sentiment-gov-id.tsv).
SmSA valid, NusaX valid and the vaccine tweets (no license: evaluation only) are scored and recorded in model.json.
Same inputs, same artifact.
"""

from __future__ import annotations

import argparse
import json
from datetime import date
from pathlib import Path

from citra.nlp.datasets import parse_label_map, read_labelled
from citra.nlp.sentiment import SHIPPED
from citra.nlp.train import DEFAULT_SETS, default_shared_data, default_training_set, train_sentiment

VACCINE_MAP = ["-1.0=negative", "0.0=neutral", "1.0=positive"]


def evaluation_sets(shared: Path) -> dict[str, list]:
    """Held-out labelled sets recorded in model.json (never trained on)."""
    return {
        "smsa_valid": read_labelled(shared / "smsa" / "valid_preprocess.tsv"),
        "nusax_valid": read_labelled(shared / "nusax-senti-id" / "valid.csv"),
        "vaccine_all": read_labelled(
            shared / "gov-vaccine-id" / "train.csv",
            text_col="norm",
            label_col="posneg",
            label_map=parse_label_map(VACCINE_MAP),
        ),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--shared-data", type=Path, default=None)
    parser.add_argument("--out", type=Path, default=SHIPPED)
    parser.add_argument("--date", default="2026-12-06", help="Training date recorded in the model (reproducibility).")
    parser.add_argument(
        "--sets",
        default=",".join(DEFAULT_SETS),
        help="Shipped-data sets to train on (e.g. smsa,prdect-id,posp-news,citra-gov: no CC BY-SA).",
    )
    args = parser.parse_args()
    shared = args.shared_data or default_shared_data()
    examples, notes = default_training_set(shared, names=args.sets.split(","))
    model = train_sentiment(
        examples,
        args.out,
        data_notes=notes,
        evaluate=evaluation_sets(shared),
        today=date.fromisoformat(args.date),
    )
    metrics = {k: {m: v[m] for m in ("n", "macro_f1", "accuracy", "ece")} for k, v in model.meta["metrics"].items()}
    print(json.dumps({"out": str(args.out), "version": model.version, "metrics": metrics}, indent=2))


if __name__ == "__main__":
    main()
