"""Distil the deep sentiment tier into the fast one: choose the student's settings, cross-validate it against the
shipped recipe on the same folds, and build it (``citra.nlp.distil``).

    nice -n 10 .venv/bin/python bench/build_student_corpus.py          # /tmp/citra-student/corpus.jsonl
    nice -n 10 .venv/bin/python bench/build_student.py --embed         # e5 vectors of the corpus into the cache
    nice -n 10 .venv/bin/python bench/build_student.py --select [--grid JSON]           # settings, on fold 0
    nice -n 10 .venv/bin/python bench/build_student.py --cv 1,2,3,4 [--json-out FILE]   # the chosen settings
    nice -n 10 .venv/bin/python bench/build_student.py --cv 0 --build --out DIR         # temperature from fold 0

Teacher (``--teacher deep``): a ``citra.nlp.deep_train`` head with the shipped deep head's settings, changed by
``--teacher-config`` (default: with the n-gram block, e5 + n-grams, the stronger of the two here), trained on the
gold rows of SmSA, NusaX, PRDECT-ID and the citra government sentences with their e5 vectors from the shared cache
(``bench/embed_cache.py``, chunks named as ``bench/deep_sets.py`` names them); ``--teacher fast`` = the fast recipe
(a stand-in to test the pipeline). Folds: SmSA train, 5-fold stratified (seed 0, as ``bench/sentiment_bench.py``);
a fold's training part drops the fold's texts, the augmented copies made from them, and every other text whose
char-5-gram Jaccard with a fold text is >= 0.5, and its teacher is trained on that part only (a teacher trained on
all of SmSA would leak the fold into the student). The build's teacher is trained on all gold rows; its temperature
comes from 5 folds, the student's from the out-of-fold scores of ``--cv``. It records SmSA valid, NusaX valid and the
government sets (evaluation only: HELD parts of the vaccine and Sapawarga sets, pilkada whole).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from dataclasses import asdict, replace
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from build_student_corpus import OUT as CORPUS
from citra.nlp import sentiment_sets as sets
from citra.nlp.distil import StudentConfig, train_student
from citra.nlp.normalize import Normalizer
from citra.nlp.sentiment import LABELS, SentimentModel
from citra.nlp.train import TrainConfig, default_shared_data, scores, train_sentiment
from citra.records import Sentiment
from sentiment_bench import near_duplicates

CACHE = CORPUS.parent
TEACHER_SETS = ("smsa", "nusax-senti-id", "prdect-id", "citra-gov")  # bench/deep_sets.py: the deep head's data
CHUNK = 500  # texts per cache entry (as bench/deep_sets.py): a long embedding run keeps what it finished
GRID = [
    {},
    {"C": 3.0},
    {"C": 30.0},
    {"gold_share": 1.0},
    {"unlabelled_weight": 0.3},
    {"gold_share": 1.0, "unlabelled_weight": 1e-9},  # no teacher at all: logistic regression on the gold labels
]


def blocks(rows: list[dict]) -> list[tuple[str, list[int]]]:
    """(cache name, corpus rows) of each embedding block, in corpus order: chunks of ``CHUNK`` texts per source,
    named as ``bench/deep_sets.py`` names its chunks (the labelled sets' vectors are shared with the deep benches)."""
    by_source: dict[str, list[int]] = {}
    for i, r in enumerate(rows):
        if r["teach"]:
            by_source.setdefault(r["source"], []).append(i)
    out = []
    for source, index in by_source.items():
        name = source if source in TEACHER_SETS else f"student-{source.replace(':', '-')}"
        out += [(f"{name}.{k // CHUNK}", index[k : k + CHUNK]) for k in range(0, len(index), CHUNK)]
    return out


def cache_path(texts: list[str], name: str) -> Path:
    """Where ``embed_cache.cached_embed(texts, name)`` keeps its vectors (its own rule, repeated to look without
    embedding)."""
    import os

    from embed_cache import encoder

    digest = hashlib.sha256("\x00".join(texts).encode()).hexdigest()[:16]
    folder = Path(os.environ.get("CITRA_EMBED_CACHE", "/tmp/citra-embed-cache")) / encoder().version.replace("/", "_")
    return folder / f"{name}-{len(texts)}-{digest}.npy"


def embed(rows: list[dict]) -> None:
    """Embed the corpus blocks not cached yet, in priority order (the labelled sets are left to bench/deep_sets.py)."""
    from embed_cache import cached_embed

    for name, index in blocks(rows):
        texts = [rows[i]["text"] for i in index]
        if rows[index[0]]["source"] in TEACHER_SETS or cache_path(texts, name).is_file():
            continue
        started = time.perf_counter()
        cached_embed(texts, name)
        print(f"  embedded {name}: {len(texts)} texts, {time.perf_counter() - started:.0f} s", flush=True)


class Corpus:
    """The corpus rows with normalised texts, gold indices, weights, the teacher's vectors and probabilities."""

    def __init__(self, path: Path, teacher: str, teacher_changes: dict[str, Any] | None = None) -> None:
        self.rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
        self.raw = [r["text"] for r in self.rows]
        self.normalizer = Normalizer.default()
        self.texts = [self.normalizer.normalize(t) for t in self.raw]
        self.gold = [None if r["label"] is None else LABELS.index(Sentiment(r["label"])) for r in self.rows]
        self.weights = np.array([r["weight"] or 1.0 for r in self.rows])
        self.smsa = np.array([i for i, r in enumerate(self.rows) if r["source"] == "smsa"])
        self.kind = teacher
        self.vecs = np.full((len(self.rows), 384), np.nan, dtype=np.float32)
        if teacher == "deep":
            for name, index in blocks(self.rows):
                path = cache_path([self.raw[i] for i in index], name)
                if path.is_file():
                    self.vecs[index] = np.load(path)
        self.taught = np.flatnonzero(np.isfinite(self.vecs).all(axis=1) if teacher == "deep" else self._taught())
        self._fold_teachers: dict[bytes, np.ndarray] = {}
        self._full: Any = None
        self.teacher_changes = teacher_changes or {}
        print(f"  corpus: {len(self.rows)} texts, {len(self.taught)} with a teacher label", flush=True)

    def _taught(self) -> np.ndarray:
        return np.array([r["teach"] for r in self.rows])

    def teacher(self, mask: np.ndarray | None) -> np.ndarray:
        """The teacher's probabilities (NaN rows where none): the shipped teacher for ``mask`` None, else a teacher
        trained, with the shipped teacher's settings and temperature, on the gold rows of ``mask`` only."""
        key = b"all" if mask is None else np.packbits(mask).tobytes()
        if key not in self._fold_teachers:
            probs = np.full((len(self.rows), len(LABELS)), np.nan)
            taught = self.taught
            if self.kind == "fast":
                model = SentimentModel.load() if mask is None else self.baseline(mask)
                probs[taught] = model.predict_proba([self.texts[i] for i in taught])
            else:
                model = self._deep(mask)
                probs[taught] = model.predict_proba_vectors(self.vecs[taught], [self.raw[i] for i in taught])
            self._fold_teachers[key] = probs
        return self._fold_teachers[key]

    def _deep(self, mask: np.ndarray | None) -> Any:
        """A deep head (``citra.nlp.deep_train``, the shipped head's settings) on the e5 vectors of the gold rows of
        ``mask`` (None: all) from the deep head's sets; the full one fits its temperature on 5 folds, a fold's
        teacher takes the full one's."""
        from citra.nlp.deep_sentiment import DeepSentimentModel
        from citra.nlp.deep_train import DeepConfig, train_deep_sentiment

        if mask is not None and self._full is None:
            self._full = self._deep(None)
        settings = DeepSentimentModel.load().meta.get("training", {}).get("settings", {})
        settings = {**settings, **self.teacher_changes}
        config = DeepConfig(**{k: v for k, v in settings.items() if k in DeepConfig.__dataclass_fields__})
        known = np.zeros(len(self.rows), dtype=bool)
        known[self.taught] = True
        use = known if mask is None else mask & known
        index = [i for i in np.flatnonzero(use) if self.rows[i]["source"] in TEACHER_SETS]
        model = train_deep_sentiment(
            [self.raw[i] for i in index],
            np.array([self.gold[i] for i in index]),
            self.weights[index],
            self.vecs[index],
            data_notes=[{"name": n, "rows": sum(self.rows[i]["source"] == n for i in index)} for n in TEACHER_SETS],
            config=replace(config, folds=5 if mask is None else 0),
            normalizer=self.normalizer,
        )
        if mask is None:
            self._full = model
        else:
            model.temperature = self._full.temperature
        return model

    def teacher_model(self) -> Any:
        """The teacher of the build (trained on all gold rows of its sets)."""
        if self._full is None:
            self._full = self._deep(None)
        return self._full

    def fold_mask(self, held: np.ndarray) -> np.ndarray:
        """Rows a student (and its teacher) may train on when the SmSA rows ``held`` are scored."""
        mask = np.ones(len(self.rows), dtype=bool)
        mask[held] = False
        origins = np.array([r["origin"] for r in self.rows])
        mask &= ~np.isin(origins, held)
        others = np.array([i for i, r in enumerate(self.rows) if r["source"] != "smsa"])
        dups = near_duplicates([self.raw[i] for i in others], [self.raw[i] for i in held])
        mask[others[[bool(d) for d in dups]]] = False
        return mask

    def student(self, mask: np.ndarray, config: StudentConfig, fold: bool = True, **kwargs: Any) -> SentimentModel:
        """A student trained on the rows of ``mask``, taught by the fold's own teacher (``fold``) or the shipped one."""
        index = np.flatnonzero(mask)
        teacher = self.teacher(mask if fold else None)
        return train_student(
            [self.texts[i] for i in index],
            [self.gold[i] for i in index],
            teacher[index],
            self.weights[index],
            config,
            normalizer=self.normalizer,
            **kwargs,
        )

    def baseline(self, mask: np.ndarray) -> SentimentModel:
        """The shipped recipe (``train_sentiment``: linear SVM, gold labels only) on the gold rows of ``mask``."""
        examples = [
            (self.raw[i], LABELS[self.gold[i]], float(self.weights[i]))
            for i in np.flatnonzero(mask)
            if self.rows[i]["kind"] == "gold"
        ]
        model = train_sentiment(examples, None, data_notes=[], config=replace(TrainConfig(), folds=0))
        model.temperature = SentimentModel.load().temperature
        return model


def folds() -> list[tuple[np.ndarray, np.ndarray]]:
    from sklearn.model_selection import StratifiedKFold

    rows = sets.read_labelled(default_shared_data() / "smsa" / "train_preprocess.tsv")
    y = [LABELS.index(label) for _, label in rows]
    return list(StratifiedKFold(5, shuffle=True, random_state=0).split(rows, y))


def macro(model: SentimentModel, texts: list[str], gold: np.ndarray) -> float:
    return scores(gold, model.predict_proba(texts).argmax(axis=1))["macro_f1"]


def select(corpus: Corpus, base: StudentConfig, grid: list[dict[str, Any]]) -> dict[str, Any]:
    """Each grid setting (changes to ``base``) and the shipped recipe, scored on SmSA fold 0."""
    _, held = folds()[0]
    held = corpus.smsa[held]
    mask = corpus.fold_mask(held)
    texts, gold = [corpus.texts[i] for i in held], np.array([corpus.gold[i] for i in held])
    out: dict[str, Any] = {"baseline": macro(corpus.baseline(mask), texts, gold)}
    print(f"  baseline: {out['baseline']:.4f}", flush=True)
    out["teacher"] = scores(gold, corpus.teacher(mask)[held].argmax(axis=1))["macro_f1"]
    print(f"  the fold's teacher: {out['teacher']:.4f}", flush=True)
    for change in grid:
        started = time.perf_counter()
        f1 = macro(corpus.student(mask, replace(base, **change)), texts, gold)
        out[json.dumps(change)] = f1
        print(f"  {json.dumps(change)}: {f1:.4f} ({time.perf_counter() - started:.0f} s)", flush=True)
    return out


def cross_validate(
    corpus: Corpus, config: StudentConfig, which: list[int]
) -> tuple[dict[str, Any], np.ndarray, np.ndarray]:
    """Per-fold macro-F1 of the student and of the shipped recipe on the folds ``which`` (of 5), and the students'
    out-of-fold raw scores and gold labels of those folds' texts."""
    student, baseline = [], []
    oof = np.full((len(corpus.smsa), len(LABELS)), np.nan)
    for k, (_, held_local) in enumerate(folds()):
        if k not in which:
            continue
        held = corpus.smsa[held_local]
        mask = corpus.fold_mask(held)
        texts, gold = [corpus.texts[i] for i in held], np.array([corpus.gold[i] for i in held])
        model = corpus.student(mask, config)
        oof[held_local] = model.decision(texts)
        student.append(scores(gold, oof[held_local].argmax(axis=1))["macro_f1"])
        baseline.append(macro(corpus.baseline(mask), texts, gold))
        print(f"  fold {k}: student {student[-1]:.4f} shipped recipe {baseline[-1]:.4f}", flush=True)
    y = np.array([corpus.gold[i] for i in corpus.smsa])
    scored = np.isfinite(oof).all(axis=1)
    oof, y = oof[scored], y[scored]
    summary = {
        name: {"macro_f1": round(float(np.mean(v)), 4), "sd": round(float(np.std(v)), 4), "per_fold": v}
        for name, v in (("student", student), ("shipped_recipe", baseline))
    }
    return summary, oof, y


def evaluate(model: SentimentModel, normalizer: Normalizer) -> dict[str, Any]:
    """SmSA valid, NusaX valid, pilkada (whole) and the HELD parts of the vaccine and Sapawarga sets."""
    shared = default_shared_data()
    out: dict[str, Any] = {}
    for loader in (sets.smsa_valid, sets.nusax_valid, sets.pilkada, sets.vaccine, sets.sapawarga):
        data = loader(shared)
        rows = sets.split(data.rows)[1] if loader in (sets.vaccine, sets.sapawarga) else data.rows
        m = sets.evaluate(model, normalizer, data, rows)
        out[data.name] = {k: m[k] for k in ("n", "macro_f1", "accuracy", "ece") if k in m}
    return out


def teacher_scores(teacher: Any) -> dict[str, Any]:
    """The teacher's macro-F1 on the sets whose vectors the deep benchmarks cached (chunks of 500)."""
    shared = default_shared_data()
    out: dict[str, Any] = {"version": teacher.version, "temperature": teacher.temperature}
    for loader, name in ((sets.smsa_valid, "smsa-valid"), (sets.vaccine, "gov-vaccine-id")):
        rows = loader(shared).rows
        texts = [t for t, _ in rows]
        parts = [cache_path(texts[k : k + CHUNK], f"{name}.{k // CHUNK}") for k in range(0, len(texts), CHUNK)]
        if not all(p.is_file() for p in parts):
            continue
        vecs = np.concatenate([np.load(p) for p in parts])
        gold = np.array([LABELS.index(label) for _, label in rows])
        probs = teacher.predict_proba_vectors(vecs, texts)
        out[name] = scores(gold, probs.argmax(axis=1))["macro_f1"]
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--teacher", choices=("deep", "fast"), default="deep")
    parser.add_argument("--teacher-config", default='{"ngram": true}', help="DeepConfig changes as JSON.")
    parser.add_argument("--config", default="{}", help="StudentConfig changes as JSON, e.g. '{\"C\": 3}'.")
    parser.add_argument("--embed", action="store_true", help="Embed the corpus blocks not cached yet, then stop.")
    parser.add_argument("--select", action="store_true")
    parser.add_argument("--grid", default="", help="Settings to try with --select, as a JSON list of changes.")
    parser.add_argument("--cv", default="", help="Cross-validate on these of the 5 folds (e.g. 0,1,2,3,4).")
    parser.add_argument("--build", action="store_true", help="Train on everything (temperature from --cv).")
    parser.add_argument("--out", type=Path, default=CACHE / "student")
    parser.add_argument("--date", default="2026-12-06")
    parser.add_argument("--json-out", type=Path, default=None)
    args = parser.parse_args()
    if args.embed:
        embed([json.loads(line) for line in args.corpus.read_text(encoding="utf-8").splitlines()])
        return
    corpus = Corpus(args.corpus, args.teacher, json.loads(args.teacher_config))
    config = replace(StudentConfig(), **json.loads(args.config))
    result: dict[str, Any] = {"teacher": args.teacher, "teacher_config": corpus.teacher_changes}
    result.update(config=asdict(config), rows=len(corpus.rows))
    if args.select:
        result["select_fold0"] = select(corpus, config, json.loads(args.grid) if args.grid else GRID)
    calibration = None
    if args.cv:
        result["cv"], oof, y = cross_validate(corpus, config, [int(k) for k in args.cv.split(",")])
        calibration = (oof, y)
        print("cv:", json.dumps({k: v["macro_f1"] for k, v in result["cv"].items()}), flush=True)
    if args.build:
        mask = np.ones(len(corpus.rows), dtype=bool)
        meta = {"training": {"corpus": _corpus_notes(corpus), "teacher": args.teacher}}
        model = corpus.student(
            mask, config, fold=False, calibration=calibration, meta=meta, today=date.fromisoformat(args.date)
        )
        model.meta["metrics"] = {**evaluate(model, corpus.normalizer)}
        if "cv" in result:
            model.meta["metrics"]["cv"] = result["cv"]
        model.save(args.out)
        result["build"] = {"out": str(args.out), "version": model.version, "metrics": model.meta["metrics"]}
        result["shipped"] = evaluate(SentimentModel.load(), corpus.normalizer)
        if args.teacher == "deep":
            result["teacher"] = teacher_scores(corpus.teacher_model())
        print(json.dumps({k: result.get(k) for k in ("build", "shipped", "teacher")}, indent=1), flush=True)
    if args.json_out:
        args.json_out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")


def _corpus_notes(corpus: Corpus) -> dict[str, Any]:
    counts: dict[str, dict[str, int]] = {}
    for r in corpus.rows:
        entry = counts.setdefault(r["source"], {"texts": 0, "teacher_labelled": 0})
        entry["texts"] += 1
        entry["teacher_labelled"] += int(r["teach"])
    return counts


if __name__ == "__main__":
    main()
