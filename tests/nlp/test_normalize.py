"""Normalisation of Indonesian social text: every rule on real-looking examples, lexicon loading, properties."""

from __future__ import annotations

import csv
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from citra.errors import ConfigError
from citra.nlp.normalize import Normalizer, read_lexicon


@pytest.fixture(scope="module")
def norm() -> Normalizer:
    return Normalizer.default()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Jalan RUSAK", "jalan rusak"),
        ("cek https://t.co/AbC123 dan www.bekasikota.go.id/berita", "cek url dan url"),
        ("@PemkotBekasi @dishub_bks tolong", "@user @user tolong"),
        ("#PemkotBekasi", "pemkot bekasi"),
        ("#banjirbekasi", "banjir bekasi"),
        ("#dirumahaja", "di rumah saja"),
        ("#BEKASIBANJIR", "bekasi banjir"),
        ("#KotaBekasi2024", "kota bekasi 2024"),
        ("#PPKM", "ppkm"),
        ("bangeeet", "banget"),
        ("parahhh", "parah"),
        ("maaaaf", "maaf"),
        ("tidaaak", "tidak"),
        ("gakkk", "tidak"),
        ("wkwkwk", "wkwk"),
        ("wkwkwkwkw", "wkwk"),
        ("hahahaha", "haha"),
        ("anak2 main", "anak anak main"),
        ("hati2 ya", "hati hati ya"),
        ("bener2 parah", "benar benar parah"),
        ("pagi2nya", "pagi paginya"),
        ("anak-anak", "anak anak"),
        ("yg", "yang"),
        ("bgt", "banget"),
        ("udh udah sdh", "sudah sudah sudah"),
        ("mantul", "mantap betul"),
        ("gmn gimana", "bagaimana bagaimana"),
        ("knp", "kenapa"),
        ("kenapa", "kenapa"),
        ("dgn utk krn tp jg", "dengan untuk karena tetapi juga"),
        ("gue lo", "saya kamu"),
        ("mksh makasih trims thx", "terima kasih terima kasih terima kasih terima kasih"),
        ("pemkot pemprov dishub dinkes disdukcapil", "pemkot pemprov dishub dinkes disdukcapil"),
        ("satpol pp", "satpol pp"),
        ("The service is so slow, I don't like it", "the service is so slow i don't like it"),
        ("tarif naik 10.000 jadi Rp 12.500 jam 10:30", "tarif naik 10.000 jadi rp 12.500 jam 10:30"),
        ("kapan diperbaiki???", "kapan diperbaiki ?"),
        ("keren!!!", "keren !"),
        ("lho?! kok gitu", "lho ? ! kok begitu"),
        ('jalan (rusak), "parah"; ...', "jalan rusak parah"),
        ("", ""),
        ("   ", ""),
    ],
)
def test_rules(norm: Normalizer, text: str, expected: str) -> None:
    assert norm.normalize(text) == expected


@pytest.mark.parametrize(
    "text", ["gak suka", "ga suka", "gk suka", "nggak suka", "enggak suka", "tdk suka", "ngga suka", "kagak suka"]
)
def test_negation_kept_as_own_token(norm: Normalizer, text: str) -> None:
    assert norm.normalize(text) == "tidak suka"


def test_negation_compounds_split(norm: Normalizer) -> None:
    assert norm.normalize("gabisa gatau gpp") == "tidak bisa tidak tahu tidak apa apa"


def test_emoji_become_stable_word_tokens(norm: Normalizer) -> None:
    out = norm.tokens("pelayanan lambat 😡 tapi petugas ramah 👍🏽 🙏 🇮🇩 ❤️")
    assert out == [
        "pelayanan",
        "lambat",
        "emo_enraged_face",
        "tetapi",
        "petugas",
        "ramah",
        "emo_thumbs_up",
        "emo_folded_hands",
        "emo_indonesia",
        "emo_red_heart",
    ]


def test_tokens_and_full_tweet(norm: Normalizer) -> None:
    text = "@PemkotBekasi jalan depan rumah gue rusak parahhh bangeeet, gak diperbaiki2 😡 #banjirbekasi https://t.co/x"
    expected = "@user jalan depan rumah saya rusak parah banget tidak diperbaiki diperbaiki emo_enraged_face"
    expected += " banjir bekasi url"
    assert norm.tokens(text) == expected.split(" ")


def test_normalizer_is_immutable(norm: Normalizer) -> None:
    with pytest.raises(AttributeError):
        norm._lexicon = {}  # type: ignore[misc]
    with pytest.raises(TypeError):
        norm.lexicon["yg"] = "x"  # type: ignore[index]


def test_shipped_lexicon_is_large_and_consistent(norm: Normalizer) -> None:
    lex = norm.lexicon
    assert len(lex) >= 400
    for word in ("yg", "dgn", "utk", "krn", "tp", "jg", "sm", "aja", "dr", "pd", "dlm", "org", "bnyk", "skrg", "kmrn"):
        assert word in lex
    # formal words are fixed points, so normalising twice changes nothing
    for formal in lex.values():
        for word in formal.split():
            assert lex.get(word, word) == word, (formal, word)


def write_csv(path: Path, rows: list[list[str]]) -> Path:
    with open(path, "w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows(rows)
    return path


def test_extra_lexicon_simple(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "mine.csv", [["slang", "formal"], ["bks", "bekasi"], ["yg", "yang"]])
    n = Normalizer.with_lexicons([path])
    assert n.normalize("banjir bks yg parah") == "banjir bekasi yang parah"
    no_header = write_csv(tmp_path / "plain.csv", [["pkm", "puskesmas"]])
    assert Normalizer.with_lexicons([path, no_header]).normalize("pkm bks") == "puskesmas bekasi"


def test_extra_lexicon_shared_layout(tmp_path: Path) -> None:
    header = ["slang", "formal", "In-dictionary", "context", "category1", "category2", "category3"]
    rows = [
        header,
        ["woww", "wow", "1", "wow keren", "elongasi", "0", "0"],
        ["bks", "bekasi", "1", 'jalan di bks\nrusak, "parah"', "abreviasi", "0", "0"],
        ["bks", "bekasi", "1", "banjir bks", "abreviasi", "0", "0"],
        ["bks", "bakso", "1", "makan bks", "abreviasi", "0", "0"],
    ]
    path = write_csv(tmp_path / "colloquial-indonesian-lexicon.csv", rows)
    assert read_lexicon(path) == {"woww": "wow", "bks": "bekasi"}
    assert Normalizer.with_lexicons([path]).normalize("bks woww") == "bekasi wow"


def test_missing_lexicon_raises_config_error(tmp_path: Path) -> None:
    missing = tmp_path / "nope.csv"
    with pytest.raises(ConfigError, match=r"nope\.csv"):
        Normalizer.with_lexicons([missing])
    with pytest.raises(ConfigError, match="a-dir"):
        read_lexicon((tmp_path / "a-dir").mkdir() or tmp_path / "a-dir")


def test_segment(norm: Normalizer) -> None:
    assert norm.segment("jalanrusak") == ["jalan", "rusak"]
    assert norm.segment("xqzvw") == ["xqzvw"]


def test_speed(norm: Normalizer) -> None:
    tweets = [
        f"@PemkotBekasi jalan di depan rumah gue rusak parahhh {i} bangeeet, udh 3 bulan gak diperbaiki2 😡😡 "
        f"kapan min??? #banjirbekasi https://t.co/x{i}"
        for i in range(2000)
    ]
    norm.normalize(tweets[0])
    start = time.perf_counter()
    for t in tweets:
        norm.normalize(t)
    per_text = (time.perf_counter() - start) / len(tweets)
    assert per_text < 150e-6  # measured about 20 µs; generous for slow CI machines


WORDY = st.text(alphabet=st.sampled_from(list("abdegiklmnprstuwy 2#@!?.😡👍")), max_size=80)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_never_raises_and_single_spaced(norm: Normalizer, text: str) -> None:
    out = norm.normalize(text)
    assert "  " not in out
    assert out == out.strip()
    assert out == out.lower()


@settings(max_examples=300, deadline=None)
@given(WORDY)
def test_idempotent_on_social_alphabet(norm: Normalizer, text: str) -> None:
    once = norm.normalize(text)
    assert norm.normalize(once) == once


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["gak", "tidak", "ga", "nggak", "bukan", "belum", "jangan"]), min_size=1), WORDY)
def test_negations_survive(norm: Normalizer, negations: list[str], noise: str) -> None:
    text = noise + " " + " ".join(negations) + " " + noise
    tokens = norm.tokens(text)
    survivors = [t for t in tokens if t in {"tidak", "bukan", "belum", "jangan"}]
    assert len(survivors) >= len(negations)


def test_constructor_cleans_lexicon_values() -> None:
    n = Normalizer({"Bks": "  Kota  BEKASI! ", "x y": "z", "kosong": "..."}, ["kota", "bekasi"])
    assert n.lexicon == {"bks": "kota bekasi"}
    assert n.normalize("BKS kosong") == "kota bekasi kosong"


def test_version_tracks_lexicon(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "mine.csv", [["bks", "bekasi"]])
    assert Normalizer.default().version == Normalizer.default().version
    assert Normalizer.with_lexicons([path]).version != Normalizer.default().version
