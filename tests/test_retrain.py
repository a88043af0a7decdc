"""Retraining on the team's labels, on SQLite and PostgreSQL: real training on a small labelled workspace, before/after
figures on the held-apart labels (never trained on), the previous model kept, rollback swapping the model files,
citra.toml pointed at the workspace model, posts re-analysed; and the same from the CLI."""

from __future__ import annotations

import filecmp
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from citra import config, retrain
from citra.analyze import analyze
from citra.errors import CitraError
from citra.nlp.normalize import Normalizer
from citra.nlp.pipeline import Pipeline
from citra.nlp.sentiment import SHIPPED, SentimentModel
from citra.nlp.train import evaluate_model
from citra.records import Author, Platform, Post, Sentiment
from citra.store import Store

from .test_cli import citra

SUBJECTS = ("jalan di Jatiasih", "pelayanan KTP", "puskesmas Bantargebang", "taman kota", "air PDAM", "angkot K02",
            "sekolah negeri 5", "pasar Kranji", "lampu PJU", "aplikasi layanan kota")  # fmt: skip
POSITIVE = ("mantap, terima kasih pemkot", "makin bagus dan bersih, salut", "cepat dan ramah, puas sekali")
NEGATIVE = ("rusak parah, kecewa berat", "lambat dan mengecewakan, payah", "kotor dan bau, parah sekali")
NEUTRAL = ("buka jam delapan pagi menurut pengumuman", "dijadwalkan rapat koordinasi hari Senin",
           "dibahas dalam musrenbang kecamatan")  # fmt: skip


def labelled_texts() -> list[tuple[str, Sentiment]]:
    """90 distinct texts written for this test: 30 of each label."""
    out = []
    for words, label in ((POSITIVE, Sentiment.POSITIVE), (NEGATIVE, Sentiment.NEGATIVE), (NEUTRAL, Sentiment.NEUTRAL)):
        out += [(f"{s} {w}", label) for s in SUBJECTS for w in words]
    return out


def fill_labelled(ws: config.Workspace, store: Store) -> list[int]:
    """Citizens' posts of the labelled texts, analysed by the shipped model, each labelled by the team."""
    t0 = datetime(2026, 11, 1, tzinfo=UTC)
    texts = labelled_texts()
    posts = [Post(Platform.X, f"p{i}", t, t0 + timedelta(minutes=i), author=Author("1", "warga")) for i, (t, _) in
             enumerate(texts)]  # fmt: skip
    store.add_posts(posts)
    analyze(store, Pipeline.for_workspace(ws))
    ids = [store.lookup(p.native_id, p.platform)[0].id for p in posts]
    for post_id, (_, label) in zip(ids, texts, strict=True):
        store.set_human(post_id, "web:rina", sentiment=label)
    return ids


def test_held_apart_is_fixed_and_a_fifth() -> None:
    texts = [t for t, _ in labelled_texts()]
    held = [t for t in texts if retrain.held_apart(t)]
    assert 0.1 < len(held) / len(texts) < 0.3
    assert retrain.held_apart("  Jalan RUSAK  parah ") == retrain.held_apart("jalan rusak parah")  # duplicates together
    assert [t for t in texts if retrain.held_apart(t)] == held


def test_retrain_scores_before_after_keeps_the_previous_and_rolls_back(
    workspace: config.Workspace, store: Store
) -> None:
    ids = fill_labelled(workspace, store)
    audit = set(store.labelling.draw("sentiment", 15, "test"))  # labelled posts drawn at random: never trained on
    result = retrain.retrain(workspace, store, base=False)
    train, held, audited = retrain.split_labels(store.labels(), audit)
    assert result.held_apart == len(held) > 5 and len(audited) == result.audit == 15
    assert result.team_labels_trained == len(train) == len(ids) - len(held) - 15
    assert result.examples == len(train) and not result.base_data
    trained_texts = {t for t, _ in train}
    assert not trained_texts & {p.post.text for p in store.each() if p.id in audit}
    assert result.audit_after and result.audit_after["n"] == 15
    assert (
        result.audit_before
        and result.audit_before["accuracy"]
        == evaluate_model(SentimentModel.load(SHIPPED), Normalizer.default(), audited)["accuracy"]
    )
    # the figures are the models' own on the held-apart labels
    normalizer = Normalizer.default()
    new = SentimentModel.load(workspace.root / retrain.MODEL_DIR)
    shipped = SentimentModel.load(SHIPPED)
    assert result.after and result.after["n"] == len(held)
    assert result.after["macro_f1"] == evaluate_model(new, normalizer, held)["macro_f1"]
    assert result.before and result.before["macro_f1"] == evaluate_model(shipped, normalizer, held)["macro_f1"]
    assert result.version_before == f"{shipped.name}@{shipped.version}" != result.version_after
    assert new.meta["training"]["examples"] == len(train)  # nothing held apart was trained on
    # the previous model is a copy of the shipped one; citra.toml points at the workspace model
    previous = workspace.root / retrain.PREVIOUS_DIR
    assert all(
        filecmp.cmp(previous / f, SHIPPED / f, shallow=False) for f in ("model.json", "arrays.npz", "vocab.json")
    )
    reloaded = config.load(workspace.root)
    assert reloaded.settings.nlp.sentiment_model == retrain.MODEL_DIR
    assert "[alerts]" in (workspace.root / "citra.toml").read_text() and reloaded.settings.timezone == "Asia/Jakarta"
    # every post re-analysed with the new model
    assert result.reanalysed == len(ids) and result.stale == 0
    assert {p.annotation.models["sentiment"] for p in store.each()} == {result.version_after}
    assert retrain.stale_posts(workspace, store) == 0
    record = retrain.last_record(workspace.root)
    assert record and record["last"]["after"] == result.after
    # a second retrain keeps the first as previous; rollback swaps, twice returns
    trained = next(i for i in ids if i not in audit and not retrain.held_apart(store.get(i).post.text))
    flipped = Sentiment.NEUTRAL if store.get(trained).sentiment is not Sentiment.NEUTRAL else Sentiment.POSITIVE
    store.set_human(trained, "web:rina", sentiment=flipped)  # a training label changes: another model
    second = retrain.retrain(workspace, store, base=False)
    assert second.version_before == result.version_after != second.version_after
    first_files = (previous / "arrays.npz").read_bytes()
    done = retrain.rollback(workspace, store)
    assert done["version"] == result.version_after and done["replaced"] == second.version_after
    assert done["reanalysed"] == len(ids)
    assert SentimentModel.load(workspace.root / retrain.MODEL_DIR).version == new.version
    assert (workspace.root / retrain.MODEL_DIR / "arrays.npz").read_bytes() == first_files
    assert {p.annotation.models["sentiment"] for p in store.each()} == {result.version_after}
    assert retrain.rollback(workspace, store)["version"] == second.version_after
    assert retrain.last_record(workspace.root)["rolled_back_at"]  # type: ignore[index]


def test_nothing_to_train_on_and_nothing_to_roll_back(workspace: config.Workspace, store: Store) -> None:
    with pytest.raises(CitraError, match="no training data"):
        retrain.retrain(workspace, store, base=False)
    with pytest.raises(CitraError, match="no previous model"):
        retrain.rollback(workspace, store)
    assert not (workspace.root / retrain.MODEL_DIR).exists()
    assert config.load(workspace.root).settings.nlp.sentiment_model == ""


def test_point_at_workspace_model_edits_one_line(tmp_path: Path) -> None:
    root = tmp_path / "w"
    config.init(root, "Kota")
    before = (root / "citra.toml").read_text().splitlines()
    retrain.point_at_workspace_model(root)
    after = (root / "citra.toml").read_text().splitlines()
    changed = [(a, b) for a, b in zip(before, after, strict=True) if a != b]
    assert len(changed) == 1 and changed[0][1].startswith('sentiment_model = "models/sentiment"')
    (root / "citra.toml").write_text('organisation = "Kota"\n', encoding="utf-8")  # no [nlp] section
    retrain.point_at_workspace_model(root)
    assert config.load(root).settings.nlp.sentiment_model == "models/sentiment"


def test_cli_train_prints_held_apart_figures_and_rolls_back(workspace: config.Workspace, store: Store) -> None:
    fill_labelled(workspace, store)
    text = citra("train", "sentiment", "--no-base", ws=workspace.root).stderr
    assert "Held-apart team labels (n = " in text and "before" in text and "after" in text
    back = json.loads(citra("train", "rollback", "--json", ws=workspace.root).stdout)
    shipped = SentimentModel.load(SHIPPED)
    assert back["version"] == f"{shipped.name}@{shipped.version}" and back["reanalysed"] == 90
    done = citra("train", "sentiment", "--no-base", "--json", ws=workspace.root)
    summary = json.loads(done.stdout)
    _, held, _ = retrain.split_labels(store.labels())
    assert summary["held_apart"] == len(held) and summary["before"]["n"] == summary["after"]["n"] == len(held)
    new = SentimentModel.load(workspace.root / retrain.MODEL_DIR)
    assert summary["before"]["macro_f1"] == evaluate_model(shipped, Normalizer.default(), held)["macro_f1"]
    assert summary["after"]["macro_f1"] == evaluate_model(new, Normalizer.default(), held)["macro_f1"]
    assert summary["out"] == str(workspace.root / "models" / "sentiment") and summary["reanalysed"] == 90


def test_too_many_posts_are_left_stale_and_said_so(
    workspace: config.Workspace, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    ids = fill_labelled(workspace, store)
    monkeypatch.setattr(retrain, "REANALYSE_MAX", len(ids) - 1)
    result = retrain.retrain(workspace, store, base=False)
    assert (result.reanalysed, result.stale) == (0, len(ids))
    assert retrain.stale_posts(workspace, store) == len(ids)
    analyze(store, Pipeline.for_workspace(config.load(workspace.root)))
    assert retrain.stale_posts(workspace, store) == 0


def test_enough_team_labels_fit_the_domains_temperature(workspace: config.Workspace, store: Store) -> None:
    """With enough training labels a quarter of them (never trained on) fits the temperature stored in the model."""
    when = ("pagi ini", "kemarin sore", "minggu lalu")
    texts = [(f"{t} {w}", label) for t, label in labelled_texts() for w in when]  # 270 distinct texts
    t0 = datetime(2026, 11, 1, tzinfo=UTC)
    posts = [Post(Platform.X, f"q{i}", t, t0 + timedelta(minutes=i), author=Author("1", "warga")) for i, (t, _) in
             enumerate(texts)]  # fmt: skip
    store.add_posts(posts)
    for post, (_, label) in zip(posts, texts, strict=True):
        store.set_human(store.lookup(post.native_id, post.platform)[0].id, "web:rina", sentiment=label)
    result = retrain.retrain(workspace, store, base=False, reanalyse=False)
    train, _, _ = retrain.split_labels(store.labels(), set())
    assert result.calibration_labels >= 40
    assert result.team_labels_trained + result.calibration_labels == len(train)
    domain = SentimentModel.load(workspace.root / retrain.MODEL_DIR).meta["calibration"]["domain"]
    assert domain["n"] == result.calibration_labels and domain["temperature"] > 0
