"""Taxonomy routing on real complaints: top-1 agency category, macro-F1, accuracy and coverage.

Run from the repository root:  .venv/bin/python bench/routing_eval.py [--split dev|heldout|all] [--errors N]
To measure an older version, run it with that version's ``src`` first on PYTHONPATH (see docs/benchmarks.md).

Data: ../shared/data/purbalingga-complaints/complaints.csv (834 complaints, 6 project categories; evaluation only,
never copied). Split: a text belongs to DEV when the first 8 hex digits of sha256("citra-routing-split:" + text),
read as an integer, are even, else to HELD-OUT; repeated texts fall in the same half. Look at DEV only; HELD-OUT is
reported, never inspected.

The router proposes OPDs; each route carries the service keys of its topics, and the service of the top route's
best topic maps to one of the six categories (SERVICE_CATEGORY). A text with no route counts as wrong (it is not
dropped): accuracy and macro-F1 are over every text of the split; coverage is the share with any route.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from sklearn.metrics import f1_score

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "purbalingga-complaints" / "complaints.csv"
NONE = "(none)"
SERVICE_CATEGORY = {
    "jalan": "Infrastruktur",
    "drainase": "Infrastruktur",
    "penerangan_jalan": "Infrastruktur",
    "lalu_lintas": "Infrastruktur",
    "air_minum": "Pelayanan Publik",
    "perumahan": "Infrastruktur",
    "bencana": "Infrastruktur",
    "persampahan": "Lingkungan",
    "pertamanan": "Lingkungan",
    "lingkungan": "Lingkungan",
    "pendidikan": "Pendidikan",
    "sosial": "Sosial dan Ekonomi",
    "jaminan_kesehatan": "Pelayanan Publik",
    "ekonomi_umkm": "Sosial dan Ekonomi",
    "tenaga_kerja": "Sosial dan Ekonomi",
    "ketertiban": "Ketertiban",
    "kebakaran": "Ketertiban",
    "kesehatan": "Pelayanan Publik",
    "kependudukan": "Pelayanan Publik",
    "perizinan": "Pelayanan Publik",
    "pajak_daerah": "Pelayanan Publik",
    "integritas": "Pelayanan Publik",
    "kominfo": "Pelayanan Publik",
    "pelayanan_publik": "Pelayanan Publik",
    "kepegawaian": "Pelayanan Publik",
    "listrik": "Pelayanan Publik",
}
# The taxonomy before canonical services had topic ids only; their services, for measuring that version.
OLD_TOPIC_SERVICE = {
    "roads": "jalan",
    "floods": "drainase",
    "waste": "persampahan",
    "traffic": "lalu_lintas",
    "health": "kesehatan",
    "education": "pendidikan",
    "population_documents": "kependudukan",
    "social_aid": "sosial",
    "permits": "perizinan",
    "taxes": "pajak_daerah",
    "public_order": "ketertiban",
    "corruption": "integritas",
    "public_service": "pelayanan_publik",
    "economy": "ekonomi_umkm",
    "environment": "lingkungan",
    "disasters": "bencana",
}


def split_of(text: str) -> str:
    digest = hashlib.sha256(("citra-routing-split:" + text).encode()).hexdigest()
    return "dev" if int(digest[:8], 16) % 2 == 0 else "heldout"


def load(split: str) -> list[tuple[str, str]]:
    with DATA.open(encoding="utf-8", newline="") as f:
        rows = [(r["text"], r["kategori"]) for r in csv.DictReader(f)]
    return [(t, k) for t, k in rows if split == "all" or split_of(t) == split]


def predictor() -> tuple[Callable[[str], str | None], str]:
    """text -> top service key (or None), with the routing code of whichever citra is on the path."""
    from citra.nlp.normalize import Normalizer
    from citra.nlp.topics import Taxonomy

    normalizer = Normalizer.default()
    taxonomy = Taxonomy.default()
    try:
        from citra.nlp.routing import Router
    except ImportError:  # the taxonomy before ranked routing: the first topic in file order decides

        def old(text: str) -> str | None:
            topics = taxonomy.match(normalizer.normalize(text))
            return OLD_TOPIC_SERVICE[topics[0]] if topics else None

        return old, "file order (before)"
    router = Router.from_taxonomy(taxonomy)

    def new(text: str) -> str | None:
        routes = router.route(text, normalizer.normalize(text))
        return routes[0].services[0] if routes else None

    return new, f"ranked routes, taxonomy {taxonomy.version}"


def evaluate(split: str, errors: int) -> dict[str, object]:
    rows = load(split)
    predict, name = predictor()
    gold, pred = [], []
    wrong: list[tuple[str, str, str]] = []
    for text, label in rows:
        service = predict(text)
        got = SERVICE_CATEGORY[service] if service else NONE
        gold.append(label)
        pred.append(got)
        if got != label:
            wrong.append((label, f"{got} ({service})", text[:300]))
    labels = sorted(set(gold))
    per = f1_score(gold, pred, labels=labels, average=None, zero_division=0)
    out = {
        "router": name,
        "split": split,
        "n": len(rows),
        "macro_f1": round(float(f1_score(gold, pred, labels=labels, average="macro", zero_division=0)), 3),
        "accuracy": round(sum(g == p for g, p in zip(gold, pred, strict=True)) / len(rows), 3),
        "coverage": round(sum(p != NONE for p in pred) / len(rows), 3),
        "per_category_f1": {k: round(float(v), 3) for k, v in zip(labels, per, strict=True)},
        "predicted": dict(Counter(pred).most_common()),
    }
    if errors:
        if split != "dev":
            sys.exit("--errors shows texts: only on the dev split")
        for label, got, text in wrong[:errors]:
            print(f"[{label}] -> {got}: {text}", file=sys.stderr)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=("dev", "heldout", "all"), default="dev")
    parser.add_argument("--errors", type=int, default=0, help="print this many misrouted DEV texts to stderr")
    args = parser.parse_args()
    print(json.dumps(evaluate(args.split, args.errors), ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
