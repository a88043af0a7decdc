"""The shipped sentiment model, its file format, the labelled-file reader and the sentiment CLI commands."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import numpy as np
import pytest

from citra.errors import CitraError, SourceError
from citra.nlp.datasets import parse_label_map, read_labelled
from citra.nlp.normalize import Normalizer
from citra.nlp.sentiment import SHIPPED, SentimentModel
from citra.nlp.train import evaluate_model, human_labels, scores, train_sentiment
from citra.records import Sentiment
from citra.retrain import held_apart
from tests.conftest import shared_data

SMSA_VALID_FLOOR = 0.85  # measured 0.87x on SmSA valid (docs/benchmarks.md)
POS, NEU, NEG = Sentiment.POSITIVE, Sentiment.NEUTRAL, Sentiment.NEGATIVE
OBVIOUS = [
    ("pelayanannya mantul, cepet bgt 👍", POS),
    ("jalan rusak parah gak diperbaiki2 😡", NEG),
    ("jadwal vaksinasi besok di puskesmas", NEU),
    ("makasih pak wali, taman kotanya sekarang bersih dan rapi bgt", POS),
    ("antrian di disdukcapil lama bgt, petugasnya jutek, kecewa", NEG),
    ("banjir lagi, sampah numpuk, pemkot kemana aja sih?!", NEG),
    ("pendaftaran sekolah dibuka mulai senin 3 juni", NEU),
    ("mantap, pembangunan trotoarnya cepat selesai 👏", POS),
    ("terima kasih dinas kesehatan atas pelayanannya", POS),
    ("gak becus ngurus kota", NEG),
    ("pemkot bekasi gelar rapat koordinasi penanganan banjir", NEU),
    ("besok ada pemadaman listrik di wilayah bekasi timur", NEU),
]


@pytest.fixture(scope="module")
def model() -> SentimentModel:
    return SentimentModel.load()


@pytest.fixture(scope="module")
def normalizer() -> Normalizer:
    return Normalizer.default()


def citra(*args: str | Path, stdin: str | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("CITRA_WORKSPACE", "CITRA_DATABASE_URL")}
    cmd = [sys.executable, "-m", "citra", *map(str, args)]
    return subprocess.run(cmd, input=stdin, capture_output=True, text=True, timeout=120, env=env, cwd=cwd)


# the shipped model ------------------------------------------------------------------------------------------------


def test_shipped_model_is_arrays_and_json_without_pickles(model: SentimentModel) -> None:
    names = {p.name for p in SHIPPED.iterdir()}
    assert {"model.json", "vocab.json", "arrays.npz", "MODEL_CARD.md"} <= names
    assert sum(p.stat().st_size for p in SHIPPED.iterdir()) < 6_000_000
    with zipfile.ZipFile(SHIPPED / "arrays.npz") as archive:
        for member in archive.namelist():
            with archive.open(member) as f:
                version = np.lib.format.read_magic(f)
                read = np.lib.format.read_array_header_1_0 if version == (1, 0) else np.lib.format.read_array_header_2_0
                _, _, dtype = read(f)  # the header only, no data
                assert not dtype.hasobject, member
    for name in names:
        assert not name.endswith((".pkl", ".pickle", ".joblib")), name
    meta = json.loads((SHIPPED / "model.json").read_text(encoding="utf-8"))
    assert meta["classes"] == ["negative", "neutral", "positive"]
    redistributable = {"smsa", "nusax-senti-id", "prdect-id", "posp-news", "citra-gov"}  # shared/data/README.md
    assert {d["name"] for d in meta["training"]["data"]} <= redistributable
    assert model.name == meta["name"] and model.version == meta["version"]


def test_probabilities_are_calibrated_rows_summing_to_one(model: SentimentModel, normalizer: Normalizer) -> None:
    texts = [normalizer.normalize(t) for t, _ in OBVIOUS] + ["", "???", "x" * 50_000]
    probs = model.predict_proba(texts)
    assert probs.shape == (len(texts), 3)
    assert np.allclose(probs.sum(axis=1), 1.0) and (probs >= 0).all()
    assert model.predict_proba([]).shape == (0, 3)
    assert model.temperature > 0


def test_fast_scores_equal_the_feature_matrix(model: SentimentModel, normalizer: Normalizer) -> None:
    texts = [normalizer.normalize(t) for t, _ in OBVIOUS] + ["", "kata_baru_sekali zzqx", "a b a b a"]
    slow = model.featuriser.transform(texts) @ model.coef.T + model.intercept
    assert np.allclose(model.decision(texts), slow)
    assert np.allclose(model.decision(texts[::-1]), slow[::-1])  # the per-token table is filled now


@pytest.mark.parametrize(("text", "label"), OBVIOUS)
def test_obvious_examples(model: SentimentModel, normalizer: Normalizer, text: str, label: Sentiment) -> None:
    [(predicted, score)] = model.predict([normalizer.normalize(text)])
    assert predicted == label, (text, predicted, score)
    assert 1 / 3 < score <= 1


def test_smsa_valid_macro_f1_floor(model: SentimentModel, normalizer: Normalizer) -> None:
    rows = read_labelled(shared_data("smsa") / "valid_preprocess.tsv")
    result = evaluate_model(model, normalizer, rows)
    assert result["n"] == 1260
    assert result["macro_f1"] >= SMSA_VALID_FLOOR
    assert result["ece"] < 0.06


# reading labelled files ---------------------------------------------------------------------------------------------


def test_read_smsa_layout_and_named_columns(tmp_path: Path) -> None:
    smsa = tmp_path / "s.tsv"
    smsa.write_text("enak sekali\tpositive\nbiasa saja , ada tab\tdi sini\tneutral\n\nburuk\tnegative\n", "utf-8")
    assert read_labelled(smsa) == [("enak sekali", POS), ("biasa saja , ada tab\tdi sini", NEU), ("buruk", NEG)]
    table = tmp_path / "t.csv"
    table.write_text('no,norm,posneg\n1,"bagus, mantap",1.0\n2,jelek,-1.0\n3,,0.0\n4,info,0.0\n', "utf-8")
    mapping = parse_label_map(["-1.0=negative", "0.0=neutral", "1.0=Positive"])
    assert read_labelled(table, label_map=mapping) == [("bagus, mantap", POS), ("jelek", NEG), ("info", NEU)]
    named = tmp_path / "n.csv"
    named.write_text("isi,nilai\nmantap,pos\n", "utf-8")
    assert read_labelled(named, text_col="ISI", label_col="nilai") == [("mantap", POS)]


def test_read_labelled_errors_are_clear(tmp_path: Path) -> None:
    table = tmp_path / "t.csv"
    table.write_text("text,label\nbagus,1\n", "utf-8")
    with pytest.raises(SourceError, match=r"t.csv:2: unknown label '1'.*--label-map"):
        read_labelled(table)
    with pytest.raises(SourceError, match="no column 'isi'"):
        read_labelled(table, text_col="isi")
    with pytest.raises(SourceError, match="no such file"):
        read_labelled(tmp_path / "missing.tsv")
    with pytest.raises(SourceError, match="RAW=LABEL"):
        parse_label_map(["1=bagus"])
    (tmp_path / "x.csv").write_text("a,b\n1,2\n", "utf-8")
    with pytest.raises(SourceError, match="no text column found"):
        read_labelled(tmp_path / "x.csv")


def test_scores_and_human_label_weights() -> None:
    result = scores([0, 0, 1, 2, 2], [0, 1, 1, 2, 0])
    assert result["accuracy"] == 0.6 and result["confusion"]["matrix"] == [[1, 1, 0], [0, 1, 0], [1, 0, 1]]
    assert result["per_class"]["neutral"] == {"precision": 0.5, "recall": 1.0, "f1": 0.6667, "support": 1}
    rows, note = human_labels([("bagus", POS), ("  ", NEG), ("jelek", NEG)], weight=3.0)
    assert rows == [("bagus", POS, 3.0), ("jelek", NEG, 3.0)] and note["rows"] == 2 and note["weight"] == 3.0


def test_training_needs_every_label(tmp_path: Path) -> None:
    with pytest.raises(CitraError, match="all three labels"):
        train_sentiment([("bagus", POS, 1.0), ("jelek", NEG, 1.0)], tmp_path / "m", data_notes=[])


# the CLI ---------------------------------------------------------------------------------------------------------


def test_cli_eval_json_on_smsa_valid(tmp_path: Path) -> None:
    done = citra("eval", "sentiment", shared_data("smsa") / "valid_preprocess.tsv", "--json", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["n"] == 1260 and result["macro_f1"] >= SMSA_VALID_FLOOR and 0 < result["accuracy"] <= 1
    assert set(result["per_class"]) == {"negative", "neutral", "positive"}


def test_cli_eval_csv_with_label_map(tmp_path: Path) -> None:
    data = tmp_path / "gov.csv"
    rows = [(t, {POS: "1.0", NEU: "0.0", NEG: "-1.0"}[label]) for t, label in OBVIOUS]
    data.write_text("id,isi,nilai\n" + "".join(f'{i},"{t}",{v}\n' for i, (t, v) in enumerate(rows)), "utf-8")
    maps = ["--label-map", "-1.0=negative", "--label-map", "0.0=neutral", "--label-map", "1.0=positive"]
    args = ["eval", "sentiment", data, "--text-col", "isi", "--label-col", "nilai", *maps]
    result = json.loads(citra(*args, "--json", cwd=tmp_path).stdout)
    assert result["n"] == len(OBVIOUS) and result["macro_f1"] == 1.0 and result["accuracy"] == 1.0
    table = citra(*args, cwd=tmp_path)
    assert table.returncode == 0 and "macro-F1 1.0000" in table.stdout and "confusion" in table.stdout
    bad = citra("eval", "sentiment", data, "--text-col", "isi", "--label-col", "nilai", cwd=tmp_path)
    assert bad.returncode == 3 and "unknown label" in bad.stderr


def test_cli_sentiment_from_argument_and_stdin(tmp_path: Path) -> None:
    done = citra("sentiment", "pelayanannya mantul, cepet bgt 👍", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    [line] = done.stdout.splitlines()
    assert json.loads(line)["label"] == "positive" and set(json.loads(line)) == {"text", "label", "score"}
    texts = [t for t, _ in OBVIOUS]
    lines = citra("sentiment", stdin="\n".join(texts) + "\n", cwd=tmp_path).stdout.splitlines()
    out = [json.loads(x) for x in lines]
    assert [o["text"] for o in out] == texts
    assert [o["label"] for o in out] == [label.value for _, label in OBVIOUS]
    assert all(1 / 3 < o["score"] <= 1 for o in out)


def test_cli_train_sentiment_on_a_small_file(tmp_path: Path) -> None:
    lines = (shared_data("smsa") / "train_preprocess.tsv").read_text(encoding="utf-8").splitlines()
    small = tmp_path / "small.tsv"
    small.write_text("\n".join(lines[:400]) + "\n", encoding="utf-8")
    out = tmp_path / "model"
    done = citra("train", "sentiment", "--data", small, "--no-base", "--out", out, "--json", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    assert summary["examples"] == 400 and summary["data"][0]["name"] == "small.tsv" and summary["cv"]["macro_f1"] > 0
    trained = SentimentModel.load(out)
    assert trained.version == summary["version"] and trained.meta["training"]["data"][0]["rows"] == 400
    assert trained.predict_proba(["enak sekali"]).shape == (1, 3)
    again = citra("sentiment", "enak sekali", "--model", out, cwd=tmp_path)
    assert json.loads(again.stdout)["label"] in {"positive", "neutral", "negative"}
    nowhere = citra("train", "sentiment", "--data", small, "--no-base", cwd=tmp_path)
    assert nowhere.returncode != 0 and "--out" in nowhere.stderr


def test_cli_train_sentiment_adds_the_workspace_labels(tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    assert citra("init", ws, "--org", "Pemerintah Kota Bekasi", cwd=tmp_path).returncode == 0
    labels = tmp_path / "labels.csv"
    labels.write_text("text,label\n" + "".join(f'"{t}",{label.value}\n' for t, label in OBVIOUS), "utf-8")
    imported = citra("label", "import", labels, "--workspace", ws, cwd=tmp_path)
    assert imported.returncode == 0, imported.stderr
    lines = (shared_data("smsa") / "train_preprocess.tsv").read_text(encoding="utf-8").splitlines()
    small = tmp_path / "small.tsv"
    small.write_text("\n".join(lines[:300]) + "\n", encoding="utf-8")
    args = ["train", "sentiment", "--data", small, "--no-base", "--labels-weight", "5", "--workspace", ws, "--json"]
    done = citra(*args, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    trained = [t for t, _ in OBVIOUS if not held_apart(t)]  # the rest is held apart to score before/after
    assert summary["out"] == str(ws / "models" / "sentiment") and summary["examples"] == 300 + len(trained)
    [note] = [d for d in summary["data"] if d["name"] == "human labels"]
    assert note["rows"] == len(trained) and note["weight"] == 5.0
    assert note["held_apart"] == summary["held_apart"] == len(OBVIOUS) - len(trained)
    assert SentimentModel.load(ws / "models" / "sentiment").meta["training"]["examples"] == 300 + len(trained)
