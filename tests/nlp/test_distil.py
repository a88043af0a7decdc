"""Distillation of a teacher's soft labels into the fast sentiment model (citra.nlp.distil), on sentences written
for the tests."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from citra.nlp.distil import Design, StudentConfig, fit_soft, sharpen, targets, train_student
from citra.nlp.normalize import Normalizer
from citra.nlp.sentiment import SentimentModel, softmax
from citra.nlp.train import fit_featuriser

NEG, NEU, POS = 0, 1, 2
GOLD = [
    ("pelayanan kantor kelurahan cepat dan ramah, terima kasih", POS),
    ("taman kota sekarang bersih dan indah, mantap", POS),
    ("petugasnya sigap, masalah lampu jalan langsung beres", POS),
    ("jalan di depan rumah rusak parah dan belum diperbaiki", NEG),
    ("antrian pembuatan ktp lama sekali, petugasnya jutek", NEG),
    ("sampah menumpuk di pasar, bau dan kotor", NEG),
    ("jadwal posyandu bulan ini hari selasa", NEU),
    ("pendaftaran sekolah dibuka mulai senin depan", NEU),
    ("rapat warga diadakan di balai rw nanti malam", NEU),
]
UNLABELLED = [
    "pelayanan puskesmas ramah dan cepat",
    "lampu jalan mati dan belum diperbaiki",
    "jadwal vaksinasi di balai rw hari kamis",
    "jalan berlubang, kotor dan bau",
]


@pytest.fixture(scope="module")
def normalized() -> list[str]:
    norm = Normalizer.default()
    return [norm.normalize(t) for t, _ in GOLD] + [norm.normalize(t) for t in UNLABELLED]


def test_design_products_equal_the_feature_matrix(normalized: list[str]) -> None:
    featuriser = fit_featuriser(normalized, min_df_word=1, min_df_char=1)
    full = featuriser.transform(normalized)
    design = Design.of(featuriser, normalized)
    coef = np.random.default_rng(0).normal(size=(featuriser.n_features, 3))
    assert design.shape == full.shape
    np.testing.assert_allclose(design.dot(coef), full @ coef, atol=1e-10)


def test_targets_mix_gold_and_teacher() -> None:
    teacher = np.array([[0.2, 0.2, 0.6], [0.7, 0.2, 0.1], [np.nan] * 3, [np.nan] * 3])
    q, usable = targets([POS, None, NEG, None], teacher, StudentConfig(gold_share=0.5))
    np.testing.assert_allclose(q[0], [0.1, 0.1, 0.8])
    np.testing.assert_allclose(q[1], teacher[1])
    np.testing.assert_allclose(q[2], [1.0, 0.0, 0.0])
    assert usable.tolist() == [True, True, True, False]
    sharp = sharpen(teacher[:2], 0.5)
    assert (sharp.max(axis=1) > teacher[:2].max(axis=1)).all()
    np.testing.assert_allclose(sharp.sum(axis=1), 1.0)


def test_fit_soft_matches_the_soft_targets_it_was_given(normalized: list[str]) -> None:
    featuriser = fit_featuriser(normalized, min_df_word=1, min_df_char=1)
    design = Design.of(featuriser, normalized)
    rng = np.random.default_rng(1)
    q = softmax(rng.normal(size=(len(normalized), 3)))
    coef, intercept = fit_soft(design, q, np.ones(len(q)), C=1000.0, balanced=False, max_iter=2000)
    fitted = softmax(featuriser.transform(normalized) @ coef.T + intercept)
    np.testing.assert_allclose(fitted, q, atol=0.02)  # few texts, many features: the targets can be met closely
    weak, _ = fit_soft(design, q, np.ones(len(q)), C=0.001, balanced=False)
    assert np.abs(weak).max() < np.abs(coef).max() / 100  # the L2 penalty shrinks the weights


@pytest.mark.parametrize("classifier", ["logistic-soft", "linear-svm"])
def test_student_learns_from_teacher_labels_of_unlabelled_texts(
    normalized: list[str], tmp_path: Path, classifier: str
) -> None:
    gold = [label for _, label in GOLD] + [None] * len(UNLABELLED)
    teacher = np.full((len(gold), 3), np.nan)
    teacher[len(GOLD) :] = [[0.05, 0.05, 0.9], [0.9, 0.05, 0.05], [0.05, 0.9, 0.05], [0.9, 0.05, 0.05]]
    config = StudentConfig(classifier=classifier, min_df_word=1, min_df_char=1, C=30.0)
    weights = np.ones(len(gold))
    student = train_student(normalized, gold, teacher, weights, config)
    without = train_student(normalized, gold, None, weights, config)
    probe = Normalizer.default().normalize("puskesmas ramah")
    assert student.predict([probe])[0][0].value == "positive"
    # the word "puskesmas" was seen only in a teacher-labelled text: it moved the student, not the gold-only model
    assert student.predict_proba([probe])[0, POS] > without.predict_proba([probe])[0, POS]
    student.save(tmp_path / "student")
    loaded = SentimentModel.load(tmp_path / "student")
    np.testing.assert_allclose(loaded.predict_proba(normalized), student.predict_proba(normalized), atol=1e-5)
    assert loaded.meta["training"]["student"]["texts"] == len(gold)


def test_temperature_comes_from_held_apart_scores(normalized: list[str]) -> None:
    gold = [label for _, label in GOLD] + [None] * len(UNLABELLED)
    scores = np.array([[4.0, 0.0, 0.0], [0.0, 4.0, 0.0], [0.0, 0.0, 4.0]] * 4)
    y = np.array([0, 1, 2] * 3 + [1, 2, 0])  # a quarter wrong: the scores are overconfident
    student = train_student(normalized, gold, None, np.ones(len(gold)), calibration=(scores, y))
    assert student.temperature > 1.0
