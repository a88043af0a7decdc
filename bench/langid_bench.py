"""Accuracy and speed of citra.nlp.langid on Indonesian data sets and on the project's own eval file.

    .venv/bin/python bench/langid_bench.py [--data ../shared/data] [--errors]

Prints per-language accuracy, the share of texts the markers decide alone and throughput (texts/s on one core, by CPU
time and by wall clock; they differ when the machine is busy).
"""

from __future__ import annotations

import argparse
import csv
import os
import time
from collections import Counter
from pathlib import Path

from citra.nlp.langid import LanguageIdentifier

ROOT = Path(__file__).resolve().parents[1]
EVAL = ROOT / "tests" / "fixtures" / "langid_eval.tsv"


def smsa(data: Path) -> list[str]:
    with open(data / "smsa" / "valid_preprocess.tsv", encoding="utf-8") as fh:
        return [line.rsplit("\t", 1)[0] for line in fh if line.strip()]


def nusax(data: Path) -> list[str]:
    with open(data / "nusax-senti-id" / "valid.csv", encoding="utf-8", newline="") as fh:
        return [row["text"] for row in csv.DictReader(fh)]


def vaccine(data: Path) -> list[str]:
    with open(data / "gov-vaccine-id" / "train.csv", encoding="utf-8", newline="") as fh:
        return [row["norm"] for row in csv.DictReader(fh) if row["norm"].strip()]


def eval_file() -> list[tuple[str, str]]:
    with open(EVAL, encoding="utf-8") as fh:
        return [tuple(line.rstrip("\n").split("\t", 1)) for line in fh if line.strip()]  # type: ignore[misc]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--errors", action="store_true", help="print misclassified texts")
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    sets: dict[str, list[tuple[str, str]]] = {
        "smsa valid (id)": [("id", t) for t in smsa(args.data)],
        "nusax-senti-id valid (id)": [("id", t) for t in nusax(args.data)],
        "gov-vaccine-id train norm (id)": [("id", t) for t in vaccine(args.data)],
    }
    for lang, text in eval_file():
        sets.setdefault(f"langid_eval.tsv {lang}", []).append((lang, text))
    lid = LanguageIdentifier()
    lid.detect("pemanasan lingua")  # load lingua's models before timing
    print(f"{'set':34} {'n':>5} {'accuracy':>9}  wrong as")
    all_texts: list[str] = []
    for name, rows in sets.items():
        results = lid.detect_batch(t for _, t in rows)
        right = sum(r[0] == lang for r, (lang, _) in zip(results, rows, strict=True))
        wrong = Counter(r[0] for r, (lang, _) in zip(results, rows, strict=True) if r[0] != lang)
        print(f"{name:34} {len(rows):5} {right / len(rows):9.1%}  {dict(wrong.most_common(4))}")
        if args.errors:
            for r, (lang, text) in zip(results, rows, strict=True):
                if r[0] != lang:
                    print(f"    {lang}->{r[0]} {r[1]:.2f} {text[:110]}")
        all_texts += [t for _, t in rows]
    marker_only = LanguageIdentifier(fallback=False)
    for label, detector in (("with lingua fallback", lid), ("markers only", marker_only)):
        wall, cpu = time.perf_counter(), time.process_time()
        detector.detect_batch(all_texts)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        n = len(all_texts)
        print(f"throughput {label}: {n / cpu:,.0f} texts/s CPU time, {n / wall:,.0f} texts/s wall ({n} texts)")
    counter = _CountingDetector(lid._detector)  # private: the bench counts how often lingua is asked
    lid._detector = counter
    lid.detect_batch(all_texts)
    print(f"decided by the markers alone: {1 - counter.calls / len(all_texts):.1%}")


class _CountingDetector:
    def __init__(self, detector: object) -> None:
        self.detector = detector
        self.calls = 0

    def compute_language_confidence_values(self, text: str) -> list:
        self.calls += 1
        return self.detector.compute_language_confidence_values(text)  # type: ignore[attr-defined]


if __name__ == "__main__":
    main()
