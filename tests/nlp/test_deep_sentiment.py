"""The deep tier's sentiment head: the shipped head loads and labels clear sentences, save/load round-trips (with
and without an n-gram block), precomputed vectors give the same answer, and adaptation moves toward new labels."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import numpy as np
import pytest

from citra import config, retrain
from citra.errors import CitraError
from citra.nlp.deep_sentiment import DIM, DeepSentimentModel, deep_head_folder
from citra.nlp.deep_train import DeepConfig, adapt_deep_sentiment, train_deep_head, train_deep_sentiment
from citra.nlp.encoder import Encoder
from citra.nlp.sentiment import LABELS
from citra.records import Sentiment
from citra.store import Store
from tests.test_retrain import fill_labelled

CLEAR = [
    ("pelayanan di kantor kelurahan sangat ramah dan cepat, terima kasih banyak", Sentiment.POSITIVE),
    ("mantap, jalan di depan rumah kami sudah diaspal mulus, keren pemkot", Sentiment.POSITIVE),
    ("jalan rusak parah dan berlubang sudah berbulan-bulan tidak diperbaiki, kecewa sekali", Sentiment.NEGATIVE),
    ("sampah menumpuk dan bau busuk, petugasnya malas dan tidak peduli", Sentiment.NEGATIVE),
    ("jam berapa kantor disdukcapil buka hari senin?", Sentiment.NEUTRAL),
    ("rapat koordinasi akan diadakan di balai kota pada hari kamis", Sentiment.NEUTRAL),
]


@pytest.fixture(scope="module")
def encoder() -> Encoder:
    return Encoder()


@pytest.fixture(scope="module")
def shipped(encoder: Encoder) -> DeepSentimentModel:
    model = DeepSentimentModel.load()
    model.encoder = encoder
    return model


@pytest.fixture(scope="module")
def clear_vecs(encoder: Encoder) -> np.ndarray:
    return encoder.embed([t for t, _ in CLEAR])


def test_shipped_head_labels_clear_sentences(shipped: DeepSentimentModel) -> None:
    probs = shipped.predict_proba([t for t, _ in CLEAR])
    assert probs.shape == (len(CLEAR), 3)
    np.testing.assert_allclose(probs.sum(axis=1), 1.0, rtol=1e-6)
    assert [LABELS[i] for i in probs.argmax(axis=1)] == [label for _, label in CLEAR]
    assert shipped.name == "citra-sentiment-deep" and shipped.version


def test_vectors_give_the_same_probabilities(shipped: DeepSentimentModel, clear_vecs: np.ndarray) -> None:
    texts = [t for t, _ in CLEAR]
    np.testing.assert_allclose(shipped.predict_proba_vectors(clear_vecs, texts), shipped.predict_proba(texts))
    with pytest.raises(CitraError):
        shipped.predict_proba_vectors(clear_vecs[:, :10], texts)
    assert shipped.predict_proba([]).shape == (0, 3)


def _tiny(clear_vecs: np.ndarray, ngram: bool) -> DeepSentimentModel:
    texts = [t for t, _ in CLEAR] * 3
    y = np.array([LABELS.index(label) for _, label in CLEAR] * 3)
    vecs = np.concatenate([clear_vecs] * 3)
    config = DeepConfig(ngram=ngram, folds=0)
    return train_deep_sentiment(texts, y, np.ones(len(y)), vecs, data_notes=[], config=config, today=date(2026, 1, 2))


@pytest.mark.parametrize("ngram", [False, True])
def test_save_load_round_trip(tmp_path: Path, clear_vecs: np.ndarray, ngram: bool) -> None:
    model = _tiny(clear_vecs, ngram)
    model.temperature, model.bias = 1.7, np.array([0.2, -0.1, -0.1])
    model.save(tmp_path / "head")
    again = DeepSentimentModel.load(tmp_path / "head")
    texts = [t for t, _ in CLEAR]
    assert again.version == model.version and again.version.startswith("20260102-")
    assert (again.ngram is not None) is ngram
    np.testing.assert_allclose(
        again.predict_proba_vectors(clear_vecs, texts), model.predict_proba_vectors(clear_vecs, texts), rtol=1e-5
    )
    meta = json.loads((tmp_path / "head" / "model.json").read_text(encoding="utf-8"))
    assert meta["classes"] == ["negative", "neutral", "positive"] and "raw post text" in meta["input"]


def test_load_refuses_a_broken_folder(tmp_path: Path, clear_vecs: np.ndarray) -> None:
    _tiny(clear_vecs, False).save(tmp_path)
    np.savez(tmp_path / "head.npz", coef=np.zeros((3, DIM - 1)), intercept=np.zeros(3))
    with pytest.raises(CitraError, match="cannot load the deep sentiment head"):
        DeepSentimentModel.load(tmp_path)
    with pytest.raises(CitraError):
        DeepSentimentModel.load(tmp_path / "missing")


@pytest.mark.parametrize("ngram_strength", [None, 1e-4])
def test_adaptation_moves_toward_the_domain_labels(
    shipped: DeepSentimentModel, clear_vecs: np.ndarray, ngram_strength: float | None
) -> None:
    # a domain where questions to the government count as negative: the adapted head follows the labels
    texts = [t for t, _ in CLEAR]
    y = np.array([LABELS.index(Sentiment.NEGATIVE if label is Sentiment.NEUTRAL else label) for _, label in CLEAR])
    before = shipped.predict_proba_vectors(clear_vecs, texts)[4:, 0]
    adapted = adapt_deep_sentiment(
        shipped, texts, y, np.ones(len(y)), clear_vecs, strength=1e-4, ngram_strength=ngram_strength, data_notes=[]
    )
    after = adapted.predict_proba_vectors(clear_vecs, texts)[4:, 0]
    assert (after > before + 0.2).all()
    assert adapted.version != shipped.version and adapted.meta["adapted"]["examples"] == len(y)
    assert adapted.ngram is not None and shipped.ngram is not None
    assert np.array_equal(adapted.ngram.coef, shipped.ngram.coef) is (ngram_strength is None)


def citra(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("CITRA_WORKSPACE", "CITRA_DATABASE_URL")}
    cmd = [sys.executable, "-m", "citra", *map(str, args)]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=600, env=env, cwd=cwd)


def test_cli_tier_chooses_the_model(tmp_path: Path) -> None:
    data = tmp_path / "clear.csv"
    data.write_text("text,label\n" + "".join(f'"{t}",{label.value}\n' for t, label in CLEAR), "utf-8")
    deep = json.loads(citra("eval", "sentiment", data, "--tier", "deep", "--json", cwd=tmp_path).stdout)
    assert deep["tier"] == "deep" and deep["model"].startswith("citra-sentiment-deep@") and deep["macro_f1"] == 1.0
    fast = json.loads(citra("eval", "sentiment", data, "--json", cwd=tmp_path).stdout)
    assert fast["tier"] == "fast" and fast["model"].startswith("citra-sentiment@")
    done = citra("sentiment", "--tier", "deep", CLEAR[0][0], cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["label"] == "positive"
    bad = citra("sentiment", "--tier", "deeper", "bagus", cwd=tmp_path)
    assert bad.returncode != 0 and "deeper" in bad.stderr


def test_cli_train_writes_both_tiers(tmp_path: Path) -> None:
    data = tmp_path / "mine.csv"
    data.write_text("text,label\n" + "".join(f'"{t}",{label.value}\n' for t, label in CLEAR * 2), "utf-8")
    out = tmp_path / "model"
    done = citra("train", "sentiment", "--data", data, "--no-base", "--out", out, "--json", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    head = DeepSentimentModel.load(out / "deep")
    assert summary["deep"]["version"] == head.version and summary["deep"]["examples"] == 2 * len(CLEAR)
    assert head.meta["training"]["data"][0]["name"] == "mine.csv"
    answer = citra("sentiment", "--tier", "deep", "--model", out, CLEAR[2][0], cwd=tmp_path)
    assert answer.returncode == 0, answer.stderr
    assert json.loads(answer.stdout)["label"] == "negative"
    empty = tmp_path / "empty"
    empty.mkdir()
    missing = citra("sentiment", "--tier", "deep", "--model", empty, "bagus", cwd=tmp_path)
    assert missing.returncode != 0 and "no deep sentiment head" in missing.stderr


def test_retrain_writes_the_deep_head_from_training_labels_only(workspace: config.Workspace, store: Store) -> None:
    fill_labelled(workspace, store)
    result = retrain.retrain(workspace, store, base=False, reanalyse=False)
    folder = deep_head_folder(workspace.root / retrain.MODEL_DIR, strict=True)
    head = DeepSentimentModel.load(folder)
    assert folder == workspace.root / retrain.MODEL_DIR / "deep"
    assert result.deep_version == f"{head.name}@{head.version}"
    # the team's training labels (with the part that fitted the fast model's temperature), never the held-apart ones
    assert head.meta["training"]["examples"] == result.team_labels_trained + result.calibration_labels
    assert result.held_apart > 0


def test_train_deep_head_adapts_the_shipped_head(encoder: Encoder) -> None:
    examples = [(t, label, 3.0) for t, label in CLEAR]
    head = train_deep_head(examples, base=True, encoder=encoder, data_notes=[{"name": "mine"}])
    shipped = DeepSentimentModel.load()
    assert head.meta["adapted"]["from"] == f"{shipped.name}@{shipped.version}"
    assert head.meta["adapted"]["examples"] == len(CLEAR) and head.meta["adapted"]["ngram_strength"] > 0
    assert head.version != shipped.version and head.ngram is not None
    assert [LABELS[i] for i in head.predict_proba([t for t, _ in CLEAR]).argmax(axis=1)] == [lb for _, lb in CLEAR]
    assert train_deep_head([], base=True, encoder=encoder, data_notes=[]).version == shipped.version
