"""The text the fast sentiment student learns from: the shipped training set, the redistributable unlabelled
Indonesian text of ``../shared/data``, and augmented copies of the labelled texts; every text gets a teacher label.

    .venv/bin/python bench/build_student_corpus.py [--shared-data DIR] [--out FILE] [--cap 40000] [--augment 6000]

Only sets that may go into shipped models are read (``shared/data/README.md``): SmSA, NusaX, PRDECT-ID (labelled,
with the shipped weights, and the rest of ``citra.nlp.train.DEFAULT_SETS``), CASA, HoASA, STIF-ID, IndoNLU text
(unlabelled). Unlabelled texts are split to sentence / post size (3-60 tokens), deduplicated (folded text), and any
text whose char-5-gram Jaccard with an evaluation text (SmSA valid, NusaX valid, the government sets) is >= 0.5 is
dropped, as in ``bench/sentiment_bench.py``. Augmentation follows Tang et al. 2019 (arXiv:1903.12136): each token of
a labelled text is dropped (their masking) or swapped for a word of the same part of speech (a lexicon from the IndoNLU
POSP tags) with probability 0.1 each, and with probability 0.25 an n-gram of it is kept instead of the whole.
Texts are written in priority order (labelled, informal unlabelled, augmented, news) and only the first ``cap`` get a
teacher label (``teach``), because each costs one embedding; unlabelled texts past the cap are left out. Seeded: same
inputs, same file (JSON lines: text, source, kind, label, weight, teach, origin).
"""

from __future__ import annotations

import argparse
import ast
import csv
import json
import random
import re
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from citra.nlp import sentiment_sets as sets
from citra.nlp.train import conll_sentences, default_shared_data, default_training_set
from sentiment_bench import near_duplicates

OUT = Path("/tmp/citra-student/corpus.jsonl")
MIN_TOKENS, MAX_TOKENS = 3, 60
AUGMENT_FROM = ("smsa", "nusax-senti-id", "prdect-id")
SWAP_TAGS = {"B-NNO", "B-ADJ", "B-VBT", "B-VBI", "B-ADV"}
INFORMAL = ("hoasa", "casa", "stif-id", "terma", "keps")
WEAK = ("posp-news",)  # gold only by a weak rule (news is neutral): taught last
NEWS = ("posp-valid", "bapos", "nergrit", "facqa", "wrete")


def unlabelled(shared: Path) -> dict[str, list[str]]:
    """Raw texts of each unlabelled redistributable source, in file order."""
    text = shared / "indonlu-text"
    out: dict[str, list[str]] = {}
    out["hoasa"] = _column(shared / "hoasa" / "train_preprocess.csv", "review")
    out["hoasa"] += _column(shared / "hoasa" / "valid_preprocess.csv", "review")
    out["casa"] = _column(shared / "casa" / "train_preprocess.csv", "sentence")
    out["casa"] += _column(shared / "casa" / "valid_preprocess.csv", "sentence")
    stif = sorted((shared / "stif-id" / "unlabelled").glob("batch*.inf"), key=lambda p: int(p.stem[5:]))
    stif += [shared / "stif-id" / "labelled" / f"{part}.inf" for part in ("train", "dev")]
    out["stif-id"] = [line.strip() for p in stif for line in p.read_text(encoding="utf-8").splitlines()]
    out["terma"] = [s for part in ("train", "valid") for s in conll_sentences(_tagged(text, "terma", part))]
    out["keps"] = [s for part in ("train", "valid") for s in conll_sentences(_tagged(text, "keps", part))]
    out["posp-valid"] = conll_sentences(text / "posp_pos-prosa" / "valid_preprocess.txt")
    out["bapos"] = [s for part in ("train", "valid") for s in conll_sentences(_tagged(text, "bapos", part))]
    out["nergrit"] = [s for part in ("train", "valid") for s in conll_sentences(_tagged(text, "nergrit", part))]
    qa: list[str] = []
    for part in ("train", "valid"):
        for row in _rows(text / "facqa_qa-factoid-itb" / f"{part}_preprocess.csv"):
            qa += [" ".join(ast.literal_eval(row["question"])), " ".join(ast.literal_eval(row["passage"]))]
    out["facqa"] = qa
    out["wrete"] = [r[k] for part in ("train", "valid") for r in _rows(_csv(text, part)) for k in ("sent_A", "sent_B")]
    return out


def _tagged(folder: Path, prefix: str, part: str) -> Path:
    return next(folder.glob(f"{prefix}_*")) / f"{part}_preprocess.txt"


def _csv(folder: Path, part: str) -> Path:
    return folder / "wrete_entailment-ui" / f"{part}_preprocess.csv"


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _column(path: Path, name: str) -> list[str]:
    return [row[name] for row in _rows(path)]


def pieces(text: str) -> Iterator[str]:
    """Sentence / post-sized parts of a text: whole when short, else cut after sentence ends (. ! ?)."""
    tokens = text.split()
    if len(tokens) <= MAX_TOKENS:
        yield " ".join(tokens)
        return
    current: list[str] = []
    for token in tokens:
        current.append(token)
        if (token[-1:] in ".!?" and len(current) >= MIN_TOKENS) or len(current) >= MAX_TOKENS:
            yield " ".join(current)
            current = []
    if current:
        yield " ".join(current)


def fold(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", text.casefold()).split())


def pos_lexicon(shared: Path) -> tuple[dict[str, str], dict[str, list[str]]]:
    """Word -> its commonest POSP tag, and tag -> its words seen at least twice (lower case), for POS swaps."""
    counts: dict[str, Counter[str]] = {}
    for line in (shared / "indonlu-text" / "posp_pos-prosa" / "train_preprocess.txt").read_text("utf-8").splitlines():
        word, _, tag = line.partition("\t")
        if tag in SWAP_TAGS and word.isalpha():
            counts.setdefault(word.lower(), Counter())[tag] += 1
    tag_of = {w: c.most_common(1)[0][0] for w, c in counts.items() if sum(c.values()) >= 2}
    words: dict[str, list[str]] = {}
    for word, tag in sorted(tag_of.items()):
        words.setdefault(tag, []).append(word)
    return tag_of, words


def augment(text: str, rng: random.Random, tag_of: dict[str, str], words: dict[str, list[str]]) -> str:
    """One augmented copy (Tang et al. 2019): drop or POS-swap each token with p 0.1, then an n-gram with p 0.25."""
    out: list[str] = []
    for token in text.split():
        roll = rng.random()
        if roll < 0.1:
            continue
        if roll < 0.2 and token.lower() in tag_of:
            token = rng.choice(words[tag_of[token.lower()]])
        out.append(token)
    if len(out) > MIN_TOKENS and rng.random() < 0.25:
        size = rng.randint(MIN_TOKENS, max(MIN_TOKENS, min(len(out), 12)))
        start = rng.randrange(len(out) - size + 1)
        out = out[start : start + size]
    return " ".join(out)


def evaluation_texts(shared: Path) -> list[str]:
    """Every text any sentiment figure is reported on: none of them may be taught to the student."""
    texts: list[str] = []
    for loader in (sets.smsa_valid, sets.nusax_valid, sets.vaccine, sets.sapawarga, sets.pilkada):
        texts += [t for t, _ in loader(shared).rows]
    return texts


def build(shared: Path, cap: int, n_augment: int, news_share: float = 0.5, seed: int = 0) -> list[dict]:
    """The corpus rows, in priority order, at most ``cap`` of them."""
    rng = random.Random(seed)
    gold, notes = default_training_set(shared)
    names = [note["name"] for note in notes for _ in range(note["rows"])]
    rows = [
        {"text": t, "source": src, "kind": "gold", "label": label.value, "weight": w}
        for (t, label, w), src in zip(gold, names, strict=True)
    ]
    seen = {fold(r["text"]) for r in rows}
    evaluation = evaluation_texts(shared)

    def fresh(candidates: list[tuple[str, str]], kind: str) -> list[dict]:
        kept: list[tuple[str, str]] = []
        for text, src in candidates:
            key = fold(text)
            if len(text.split()) >= MIN_TOKENS and key and key not in seen:
                seen.add(key)
                kept.append((text, src))
        dups = near_duplicates([t for t, _ in kept], evaluation) if kept else []
        return [
            {"text": t, "source": s, "kind": kind, "label": None, "weight": None}
            for (t, s), d in zip(kept, dups, strict=True)
            if not d
        ]

    raw = unlabelled(shared)
    informal = fresh([(p, s) for s in INFORMAL for t in raw[s] for p in pieces(t)], "unlabelled")
    tag_of, words = pos_lexicon(shared)
    for i, row in enumerate(rows):
        row["origin"] = i
    sources = [r for r in rows if r["source"] in AUGMENT_FROM]
    picked = rng.sample(sources, min(n_augment, len(sources)))
    origin = {}
    for r in picked:
        text = augment(r["text"], rng, tag_of, words)
        origin.setdefault(text, r["origin"])
    augmented = fresh([(t, rows[o]["source"]) for t, o in origin.items()], "augmented")
    news = fresh([(p, s) for s in NEWS for t in raw[s] for p in pieces(t)], "unlabelled")
    room = max(0, cap - len(rows) - len(informal) - len(augmented))
    news = rng.sample(news, min(len(news), room, int(news_share * len(news))))
    for row in augmented:
        row["source"] = f"augmented:{row['source']}"
        row["origin"] = origin[row["text"]]
    weak = [r for r in rows if r["source"] in WEAK]
    ordered = [r for r in rows if r["source"] not in WEAK] + informal + augmented + weak + news
    for i, row in enumerate(ordered):
        row["teach"] = i < cap
    kept = [r for r in ordered if r["teach"] or r["kind"] == "gold"]
    where = {id(r): i for i, r in enumerate(kept)}
    gold_at = {r["origin"]: where[id(r)] for r in kept if r["kind"] == "gold"}
    for r in kept:  # origin: the line of the gold text an augmented text was made from, or the text's own line
        r["origin"] = gold_at[r["origin"]] if r["kind"] == "augmented" else where[id(r)]
    return kept


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--shared-data", type=Path, default=None)
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--cap", type=int, default=40_000, help="At most this many texts in all.")
    parser.add_argument("--augment", type=int, default=6_000, help="Augmented copies of labelled texts.")
    args = parser.parse_args()
    rows = build(args.shared_data or default_shared_data(), args.cap, args.augment)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with args.out.open("w", encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")
    taught = Counter(r["source"] for r in rows if r["teach"])
    print(json.dumps({"out": str(args.out), "rows": len(rows), "taught": taught.total(), **taught}, indent=1))


if __name__ == "__main__":
    main()
