"""Sentiment on government text: questions and information neutral, programme praise and thanks for a fixed problem
positive, complaints negative (sentences written for these tests, none of them in the training file), held-out
macro-F1 on real government-domain sets, and calibration fitted on a domain's labels."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from citra.nlp import sentiment_sets as sets
from citra.nlp.datasets import read_labelled
from citra.nlp.normalize import Normalizer
from citra.nlp.sentiment import SentimentModel
from citra.nlp.train import (
    PACKAGE_DATA,
    calibrate_domain,
    calibration_split,
    domain_calibration_split,
    fit_calibration,
    text_hash,
)
from citra.records import Sentiment
from tests.conftest import shared_data

POS, NEU, NEG = Sentiment.POSITIVE, Sentiment.NEUTRAL, Sentiment.NEGATIVE

QUESTIONS = [
    "min, pendaftaran vaksin untuk lansia bisa lewat rt atau langsung ke puskesmas?",
    "apakah pelayanan kk di kecamatan buka sampai sore?",
    "kapan jadwal pembagian bibit pohon gratis dari dinas lingkungan hidup?",
    "mau tanya pak, syarat daftar sekolah sd negeri apa saja?",
    "gedung olahraga kota bisa dipakai umum hari apa saja ya?",
    "bagaimana cara mendaftar pelatihan barista dari disnaker?",
    "pak wali, acara jalan sehat minggu besok mulai jam berapa?",
    "apakah warga bisa minta surat keterangan domisili secara online?",
    "izin tanya min, bus sekolah gratis lewat jalan mana saja?",
    "lokasi posko mudik gratis tahun ini di mana?",
]
INFORMATION = [
    "pemkot membuka pendaftaran lomba desain taman kota sampai akhir bulan",
    "layanan perpanjangan sim keliling hadir di alun alun setiap jumat",
    "dinas kesehatan menggelar imunisasi campak di sekolah dasar pekan depan",
    "jalan diponegoro ditutup sementara untuk pemasangan pipa air",
]
PRAISE = [
    "program beasiswa kuliah dari pemkot ini luar biasa membantu keluarga kami",
    "layanan antar jemput lansia ke puskesmas sangat bermanfaat, terima kasih",
    "salut sama program kampung bersih, lingkungan kami jadi asri",
    "keren pemkot, sekarang perpanjang izin usaha bisa selesai sehari",
    "program makan bergizi di sekolah bagus sekali, anak anak senang",
    "bangga sama wali kota yang peduli pedagang kecil",
]
THANKS_FOR_FIX = [
    "terima kasih pemkot, jalan sudah tidak banjir lagi",
    "makasih dinas pu, jalan berlubang di depan pasar sudah ditambal rapi",
    "terima kasih pak lurah, lampu jalan di gang kami sudah menyala kembali",
    "alhamdulillah air pdam sudah lancar lagi, terima kasih respon cepatnya",
    "terima kasih petugas, tumpukan sampah di sungai sudah dibersihkan",
    "makasih min, aduan saya soal got mampet langsung dikerjakan",
]
COMPLAINTS = [
    "jalan di kampung kami rusak parah sejak tahun lalu dan belum ada perbaikan",
    "lampu lalu lintas di perempatan mati, bikin macet dan bahaya",
    "sampah di tps menumpuk seminggu tidak diangkut, baunya sampai ke rumah",
    "kecewa, sudah antre dari subuh tapi nomor antrean habis",
    "mohon maaf pak, saluran air di perumahan kami mampet dan meluap tiap hujan",
    "kenapa laporan soal jalan rusak tidak pernah ditanggapi?",
    "petugas kecamatan minta uang pelicin untuk urus surat",
    "air pdam mati terus tapi tagihannya tetap mahal",
]
# Each group must be right at least this often: the model is statistical, and one wrong sentence must not fail CI,
# but a model that reads questions as complaints or thanks as negative fails.
FLOORS = {"questions": 0.8, "information": 0.75, "praise": 0.8, "thanks": 0.8, "complaints": 0.8}
GROUPS = {
    "questions": (QUESTIONS, NEU),
    "information": (INFORMATION, NEU),
    "praise": (PRAISE, POS),
    "thanks": (THANKS_FOR_FIX, POS),
    "complaints": (COMPLAINTS, NEG),
}
# Held-out (60 %) macro-F1 floors, a bit under what the shipped model measures (docs/benchmarks.md, Sentiment):
# Sapawarga reviews 0.858 (positive vs negative; the previous model 0.831), vaccine tweets 0.418 (3 classes; 0.396).
SAPAWARGA_HELD_FLOOR = 0.84
VACCINE_HELD_FLOOR = 0.39


@pytest.fixture(scope="module")
def model() -> SentimentModel:
    return SentimentModel.load()


@pytest.fixture(scope="module")
def normalizer() -> Normalizer:
    return Normalizer.default()


def test_test_sentences_are_not_training_sentences() -> None:
    training = {" ".join(t.lower().split()) for t, _ in read_labelled(PACKAGE_DATA / "sentiment-gov-id.tsv")}
    mine = [t for texts, _ in GROUPS.values() for t in texts]
    assert not [t for t in mine if " ".join(t.lower().split()) in training]


@pytest.mark.parametrize("group", list(GROUPS))
def test_government_sentences(model: SentimentModel, normalizer: Normalizer, group: str) -> None:
    texts, expected = GROUPS[group]
    predicted = [label for label, _ in model.predict([normalizer.normalize(t) for t in texts])]
    right = sum(p == expected for p in predicted) / len(texts)
    wrong = [(t, p.value) for t, p in zip(texts, predicted, strict=True) if p != expected]
    assert right >= FLOORS[group], wrong


def test_questions_without_a_problem_are_not_negative(model: SentimentModel, normalizer: Normalizer) -> None:
    predicted = [label for label, _ in model.predict([normalizer.normalize(t) for t in QUESTIONS])]
    assert sum(p == NEG for p in predicted) <= 1, list(zip(QUESTIONS, predicted, strict=True))


def test_real_government_sets_held_out_floor(model: SentimentModel, normalizer: Normalizer) -> None:
    shared = shared_data("sapawarga-reviews").parent
    shared_data("gov-vaccine-id")
    for data, floor in ((sets.sapawarga(shared), SAPAWARGA_HELD_FLOOR), (sets.vaccine(shared), VACCINE_HELD_FLOOR)):
        dev, held = sets.split(data.rows)
        assert len(held) > len(dev) > 0.3 * len(data.rows)
        result = sets.evaluate(model, normalizer, data, held)
        assert result["macro_f1"] >= floor, (data.name, result["macro_f1"])


def test_complaints_are_rarely_called_positive(model: SentimentModel, normalizer: Normalizer) -> None:
    texts = sets.complaints(shared_data("purbalingga-complaints").parent)
    shares = sets.predicted_shares(model, normalizer, [t for t in texts if not sets.is_dev(t)])
    assert shares["positive"] < 0.08  # measured 0.059 on the held part (the previous model: 0.097)


def test_domain_temperature_fitted_on_dev_lowers_held_calibration_error(
    model: SentimentModel, normalizer: Normalizer
) -> None:
    data = sets.vaccine(shared_data("gov-vaccine-id").parent)
    dev, held = sets.split(data.rows)
    domain = calibrate_domain(model, normalizer, dev)
    assert domain["n"] == len(dev) and domain["fitted"] == "temperature" and domain["bias"] == [0.0, 0.0, 0.0]
    assert domain["after_cross_fitted"]["ece"] < domain["before"]["ece"]
    adapted = replace(model, temperature=domain["temperature"], bias=np.array(domain["bias"]))
    before = sets.evaluate(model, normalizer, data, held)
    after = sets.evaluate(adapted, normalizer, data, held)
    assert after["ece"] < before["ece"] / 2 and after["macro_f1"] == before["macro_f1"]


def test_fit_calibration_recovers_a_known_temperature_and_bias() -> None:
    rng = np.random.default_rng(0)
    scores = rng.normal(0, 2, size=(4000, 3))
    true_t, true_b = 2.0, np.array([0.5, -0.8, 0.3])
    logits = scores / true_t + true_b
    p = np.exp(logits - logits.max(axis=1, keepdims=True))
    p /= p.sum(axis=1, keepdims=True)
    y = np.array([rng.choice(3, p=row) for row in p])
    t, b = fit_calibration(scores, y, bias=True)
    assert abs(t - true_t) < 0.25 and np.abs(b - (true_b - true_b.mean())).max() < 0.15
    t_only, zero = fit_calibration(scores, y)
    assert t_only > 0 and not zero.any()


def test_calibration_split_is_stable_and_keeps_equal_texts_together() -> None:
    labels = [(f"teks nomor {i}", POS if i % 2 else NEG) for i in range(400)] + [("Teks  Nomor 7", NEG)]
    train, held = calibration_split(labels, share=0.3)
    assert len(train) + len(held) == len(labels) and 0.2 < len(held) / len(labels) < 0.4
    assert (("teks nomor 7", POS) in held) == (("Teks  Nomor 7", NEG) in held)
    assert calibration_split(labels[:100], share=0.3)[1] == [x for x in held if x in labels[:100]]
    assert text_hash("a b") == text_hash("A  b") != text_hash("a b", seed=1)


def test_training_with_domain_labels_records_the_calibration(tmp_path: Path, normalizer: Normalizer) -> None:
    lines = (shared_data("smsa") / "train_preprocess.tsv").read_text(encoding="utf-8").splitlines()[:600]
    examples = [(t, Sentiment(label), 1.0) for t, label in (line.rsplit("\t", 1) for line in lines)]
    domain = [(t, label) for texts, label in GROUPS.values() for t in texts] * 3
    from citra.nlp.train import train_sentiment

    model = train_sentiment(examples, tmp_path / "m", data_notes=[], calibration=domain, calibrate_bias=True)
    record = model.meta["calibration"]["domain"]
    assert record["n"] == len(domain) and record["fitted"] == "temperature and class bias"
    assert {"ece", "macro_f1"} <= set(record["before"]) and {"ece", "macro_f1"} <= set(record["after_cross_fitted"])
    loaded = SentimentModel.load(tmp_path / "m")
    assert loaded.temperature == pytest.approx(record["temperature"])
    assert np.allclose(loaded.class_bias, record["bias"], atol=1e-5) and abs(loaded.class_bias.sum()) < 1e-4
    plain = train_sentiment(examples, None, data_notes=[])
    assert plain.version != model.version and np.allclose(plain.coef, model.coef)  # the calibration is in the version
    probs = loaded.predict_proba([normalizer.normalize(t) for t, _ in domain[:5]])
    assert np.allclose(probs, loaded.calibrated(loaded.decision([normalizer.normalize(t) for t, _ in domain[:5]])))


def test_cli_train_with_out_holds_team_labels_apart_for_the_temperature(tmp_path: Path) -> None:
    from tests.nlp.test_sentiment import citra

    ws = tmp_path / "ws"
    assert citra("init", ws, "--org", "Pemerintah Kota Bekasi", cwd=tmp_path).returncode == 0
    team = [(f"{t} {i}", label) for i in range(6) for texts, label in GROUPS.values() for t in texts]
    labels = tmp_path / "labels.csv"
    labels.write_text("text,label\n" + "".join(f'"{t}",{label.value}\n' for t, label in team), "utf-8")
    assert citra("label", "import", labels, "--workspace", ws, cwd=tmp_path).returncode == 0
    lines = (shared_data("smsa") / "train_preprocess.tsv").read_text(encoding="utf-8").splitlines()
    small = tmp_path / "small.tsv"
    small.write_text("\n".join(lines[:300]) + "\n", encoding="utf-8")
    out = tmp_path / "model"
    args = ["train", "sentiment", "--data", small, "--no-base", "--workspace", ws, "--out", out, "--json"]
    done = citra(*args, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    _, apart = domain_calibration_split(team)
    [note] = [d for d in summary["data"] if d["name"] == "human labels"]
    assert note["held_apart_for_calibration"] == len(apart) >= 40 and note["rows"] == len(team) - len(apart)
    assert summary["examples"] == 300 + len(team) - len(apart)
    domain = summary["calibration"]
    assert domain["n"] == len(apart) and domain["fitted"] == "temperature" and "calibration error" in done.stderr
    assert SentimentModel.load(out).temperature == pytest.approx(domain["temperature"])


def test_near_duplicates_of_evaluation_rows_leave_the_training_data() -> None:
    from citra.nlp.train import default_training_set, drop_near_duplicates

    rows = [("Makanannya enak sekali dan murah", POS), ("pelayanan lambat sekali", NEG), ("", NEU)]
    assert drop_near_duplicates(rows, ["makanannya enak sekali, dan murah!"]) == rows[1:]
    assert drop_near_duplicates(rows, []) == rows
    shared = shared_data("nusax-senti-id").parent
    _, notes = default_training_set(shared, ("nusax-senti-id",))
    [note] = notes
    assert note["near_duplicates_dropped"] == 10 and note["rows"] == 490  # of 500 (docs/benchmarks.md, Sentiment)
