"""Build src/citra/nlp/data/words-id.txt: Indonesian words by frequency, for hashtag segmentation and elongation checks.

Sources (redistributable; see src/citra/nlp/data/README.md): IndoNLU SmSA train/valid and the IndoNLU non-sentiment task
text (Apache-2.0), NusaX-Senti Indonesian train/valid (CC BY-SA 4.0), plus the formal side of citra's own slang list.
Only word counts leave the sources; no sentence is copied.

    .venv/bin/python bench/build_wordlist.py [--data ../shared/data] [--max-words 40000] [--min-count 3]
"""

from __future__ import annotations

import argparse
import ast
import csv
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src" / "citra" / "nlp" / "data" / "words-id.txt"
SLANG = ROOT / "src" / "citra" / "nlp" / "data" / "slang-id.csv"
WORD = re.compile(r"[a-z]+")
CONLL_TASKS = (
    "posp_pos-prosa",
    "bapos_pos-idn",
    "nergrit_ner-grit",
    "terma_term-extraction-airy",
    "keps_keyword-extraction-prosa",
)


def smsa(data: Path) -> Iterator[str]:
    for split in ("train", "valid"):
        with open(data / "smsa" / f"{split}_preprocess.tsv", encoding="utf-8") as fh:
            for line in fh:
                yield line.rsplit("\t", 1)[0]


def nusax(data: Path) -> Iterator[str]:
    for split in ("train", "valid"):
        with open(data / "nusax-senti-id" / f"{split}.csv", encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                yield row["text"]


def indonlu(data: Path) -> Iterator[str]:
    base = data / "indonlu-text"
    for task in CONLL_TASKS:
        for split in ("train", "valid"):
            with open(base / task / f"{split}_preprocess.txt", encoding="utf-8") as fh:
                for line in fh:
                    if line.strip():
                        yield line.split("\t", 1)[0]
    for split in ("train", "valid"):
        with open(base / "facqa_qa-factoid-itb" / f"{split}_preprocess.csv", encoding="utf-8", newline="") as fh:
            seen: set[str] = set()
            for row in csv.DictReader(fh):
                yield " ".join(ast.literal_eval(row["question"]))
                passage = " ".join(ast.literal_eval(row["passage"]))
                if passage not in seen:
                    seen.add(passage)
                    yield passage
        with open(base / "wrete_entailment-ui" / f"{split}_preprocess.csv", encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                yield row["sent_A"]
                yield row["sent_B"]


def count_words(data: Path) -> Counter[str]:
    counts: Counter[str] = Counter()
    for source in (smsa, nusax, indonlu):
        for text in source(data):
            counts.update(WORD.findall(text.lower()))
    return counts


def slang_formal_words() -> set[str]:
    with open(SLANG, encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))[1:]
    return {w for _, formal in rows for w in formal.split() if WORD.fullmatch(w)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--max-words", type=int, default=40000)
    parser.add_argument("--min-count", type=int, default=3)
    args = parser.parse_args()
    counts = count_words(args.data)
    words = [w for w, c in counts.most_common() if c >= args.min_count and (len(w) > 1 or w in "ak")]
    words = words[: args.max_words]
    known = set(words)
    words += sorted(slang_formal_words() - known)
    OUT.write_text("\n".join(words) + "\n", encoding="utf-8")
    print(f"{len(words)} words ({len(counts)} distinct in the sources) -> {OUT} ({OUT.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
