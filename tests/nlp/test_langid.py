"""Language identification: the project's eval file (floors a little below the measured accuracy), SmSA, edge cases."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from citra.nlp.langid import LANGUAGES, LanguageIdentifier
from tests.conftest import FIXTURES, shared_data

# Measured on 2026-11-23 (docs/benchmarks.md): en 100, jv 100, su 100, ms 90.2, id 100, other 95.7 (%).
FLOORS = {"en": 0.95, "jv": 0.92, "su": 0.9, "ms": 0.82, "id": 0.95, "other": 0.85}


@pytest.fixture(scope="module")
def lid() -> LanguageIdentifier:
    return LanguageIdentifier()


def read_eval(path: Path) -> list[tuple[str, str]]:
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            lang, text = line.split("\t", 1)
            rows.append((lang, text))
    return rows


def test_eval_fixture_accuracy_per_language(lid: LanguageIdentifier) -> None:
    rows = read_eval(FIXTURES / "langid_eval.tsv")
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for (lang, _), (got, score) in zip(rows, lid.detect_batch(t for _, t in rows), strict=True):
        assert 0.0 <= score <= 1.0
        counts[lang][0] += got == lang
        counts[lang][1] += 1
    assert set(counts) == set(FLOORS)
    for lang, n in ((lang, c[1]) for lang, c in counts.items()):
        assert n >= (20 if lang == "other" else 40), lang
    accuracy = {lang: right / n for lang, (right, n) in counts.items()}
    low = {lang: round(acc, 3) for lang, acc in accuracy.items() if acc < FLOORS[lang]}
    assert not low, f"below the floors {FLOORS}: {low}"


def test_smsa_indonesian_accuracy(lid: LanguageIdentifier) -> None:
    path = shared_data("smsa") / "valid_preprocess.tsv"
    texts = [line.rsplit("\t", 1)[0] for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    results = lid.detect_batch(texts)
    accuracy = sum(lang == "id" for lang, _ in results) / len(texts)
    assert accuracy >= 0.98  # measured 99.7 %


@pytest.mark.parametrize(
    "text",
    [
        "jalan depan rumah gue rusak parah bgt, kapan dibenerin sih min?",
        "honestly pelayanan di kelurahan sekarang udah jauh lebih baik, so proud",
        "sumpah ini macetnya parah banget, so annoying, literally stuck for hours",
        "@PemkotBekasi thanks ya udah gercep benerin lampu jalan 👍 #KotaBekasi",
        "btw jadwal vaksin booster di kecamatan kapan ya, need info asap",
    ],
)
def test_code_mixed_indonesian_is_indonesian(lid: LanguageIdentifier, text: str) -> None:
    assert lid.detect(text)[0] == "id"


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("The road near the market has been flooded since Monday", "en"),
        ("Aku ora ngerti kowe arep nang endi sesuk", "jv"),
        ("Matur nuwun sanget, pelayananipun sae", "jv"),
        ("Abdi teu terang kumaha carana ngadaptar", "su"),
        ("Saya tak faham kenapa kerajaan negeri tak buat apa-apa", "ms"),
        ("今天的交通真的很糟糕", "other"),
        ("Die Straße vor meinem Haus ist seit Wochen kaputt", "other"),
    ],
)
def test_clear_examples(lid: LanguageIdentifier, text: str, lang: str) -> None:
    got, score = lid.detect(text)
    assert got == lang
    assert score > 0.3


@pytest.mark.parametrize("text", ["", "   ", "12345 !!! ???", "😀😀🔥", "https://t.co/x", "@someone"])
def test_no_letters_is_other_with_zero_score(lid: LanguageIdentifier, text: str) -> None:
    assert lid.detect(text) == ("other", 0.0)


def test_batch_matches_single(lid: LanguageIdentifier) -> None:
    texts = ["jalan rusak parah", "the road is broken", "", "abdi teu terang", "kowe arep nang endi"]
    assert lid.detect_batch(texts) == [lid.detect(t) for t in texts]
    assert lid.detect_batch([]) == []


def test_markers_only_mode() -> None:
    lid = LanguageIdentifier(fallback=False)
    assert lid.detect("jalan di depan rumah saya rusak parah dan belum diperbaiki")[0] == "id"
    assert lid.detect("xyzzy qwerty")[0] == "other"
    assert lid.version.endswith("-markers")


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_any_text_gives_a_known_code_and_score(lid: LanguageIdentifier, text: str) -> None:
    lang, score = lid.detect(text)
    assert lang in LANGUAGES
    assert 0.0 <= score <= 1.0
