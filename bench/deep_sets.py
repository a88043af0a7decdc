"""The labelled sets of the deep-sentiment benchmarks, with their e5 vectors from the shared embedding cache.

Each set is read once and embedded once (``bench/embed_cache.py``); the texts given to the encoder are the sets'
texts as stored (raw post text; SmSA is lower-cased and tokenised at the source, the vaccine tweets are its ``norm``
column, as the n-gram benchmarks use).

    nice -n 10 .venv/bin/python bench/deep_sets.py [forward|reverse|middle]   # embeds every set into the cache

(run two or three at once with different orders to share the work).
"""

from __future__ import annotations

import csv
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))

from citra.nlp import sentiment_sets
from citra.nlp.datasets import read_labelled
from citra.nlp.sentiment import LABELS
from citra.nlp.train import default_shared_data, default_training_set
from citra.records import Sentiment
from embed_cache import cached_embed

SHIPPED_SETS = ("smsa", "nusax-senti-id", "prdect-id", "citra-gov")  # what the shipped deep head trains on


@dataclass
class Embedded:
    """Texts, gold label indices (``Sentiment`` order), weights and e5 vectors of one set."""

    name: str
    texts: list[str]
    y: np.ndarray
    weights: np.ndarray
    vecs: np.ndarray

    def take(self, index: np.ndarray | list[int]) -> Embedded:
        idx = np.asarray(index, dtype=np.int64)
        return Embedded(self.name, [self.texts[i] for i in idx], self.y[idx], self.weights[idx], self.vecs[idx])

    def __len__(self) -> int:
        return len(self.texts)


CHUNK = 500  # texts per cache file: several processes can fill one set's cache at once


def chunked_embed(texts: list[str], name: str, order: str = "forward") -> np.ndarray:
    """``cached_embed`` in chunks of ``CHUNK`` texts (``order`` forward, reverse or middle: where to start)."""
    chunks = list(range(0, len(texts), CHUNK))
    if order == "reverse":
        chunks = chunks[::-1]
    elif order == "middle":
        chunks = chunks[len(chunks) // 2 :] + chunks[: len(chunks) // 2]
    parts = {i: cached_embed(texts[i : i + CHUNK], f"{name}.{i // CHUNK}") for i in chunks}
    return np.concatenate([parts[i] for i in sorted(parts)]) if parts else np.zeros((0, 384), np.float32)


ORDER = "forward"


def embedded(name: str, rows: list[tuple[str, Sentiment]], weight: float = 1.0) -> Embedded:
    texts = [t for t, _ in rows]
    y = np.array([LABELS.index(label) for _, label in rows], dtype=np.int64)
    return Embedded(name, texts, y, np.full(len(rows), weight), chunked_embed(texts, name, ORDER))


def shipped_part(shared: Path, name: str) -> Embedded:
    """One redistributable training set as ``default_training_set`` reads it (NusaX deduplicated against SmSA
    valid and NusaX valid), with its weight."""
    examples, _ = default_training_set(shared, names=(name,))
    rows = [(t, label) for t, label, _ in examples]
    return embedded(name, rows, examples[0][2] if examples else 1.0)


def smsa_valid(shared: Path) -> Embedded:
    return embedded("smsa-valid", read_labelled(shared / "smsa" / "valid_preprocess.tsv"))


def vaccine(shared: Path) -> Embedded:
    return embedded("gov-vaccine-id", sentiment_sets.vaccine(shared).rows)


def pilkada(shared: Path) -> Embedded:
    return embedded("gov-pilkada-dki2017", sentiment_sets.pilkada(shared).rows)


def sapawarga(shared: Path) -> Embedded:
    return embedded("sapawarga-reviews", sentiment_sets.sapawarga(shared).rows)


def complaint_or_not(shared: Path) -> tuple[list[str], np.ndarray, np.ndarray]:
    """Purbalingga complaint-or-not tweets: texts, 1 for "Aduan" (a complaint), and their vectors."""
    with (shared / "purbalingga-complaints" / "complaint-or-not.csv").open(encoding="utf-8", newline="") as f:
        rows = [(r["text"].strip(), r["label"].strip() == "Aduan") for r in csv.DictReader(f) if r["text"].strip()]
    texts = [t for t, _ in rows]
    return texts, np.array([c for _, c in rows], dtype=np.int64), chunked_embed(texts, "purbalingga-complaint-or-not")


def main() -> None:
    global ORDER
    ORDER = sys.argv[1] if len(sys.argv) > 1 else "forward"
    shared = default_shared_data()
    for name in SHIPPED_SETS[:1]:
        print(name, len(shipped_part(shared, name)), flush=True)
    for load in (smsa_valid, vaccine):
        print(load.__name__, len(load(shared)), flush=True)
    for name in SHIPPED_SETS[1:]:
        print(name, len(shipped_part(shared, name)), flush=True)
    for load in (pilkada, sapawarga):
        print(load.__name__, len(load(shared)), flush=True)
    print("complaint-or-not", len(complaint_or_not(shared)[0]), flush=True)


if __name__ == "__main__":
    main()
