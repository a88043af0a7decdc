"""Targets: the institution, its OPDs, leaders and entities, from a Settings built here; gold-set floors."""

from __future__ import annotations

import pytest

from citra.config import Settings
from citra.nlp.normalize import Normalizer
from citra.nlp.targets import TargetMatcher
from citra.nlp.topics import Taxonomy
from citra.records import Target, TargetKind
from tests.nlp.test_topics import gold, prf

ORG = Target(TargetKind.INSTITUTION, "Pemerintah Kota Tirtajaya")
DISHUB = Target(TargetKind.INSTITUTION, "Dinas Perhubungan")
DINKES = Target(TargetKind.INSTITUTION, "Dinas Kesehatan")
MAYOR = Target(TargetKind.LEADER, "Hendra Gunawan")
DEPUTY = Target(TargetKind.LEADER, "Ratna Dewi")
MEKARSARI = Target(TargetKind.ENTITY, "Kota Mekarsari")
JABAR = Target(TargetKind.ENTITY, "Provinsi Jawa Barat")

SETTINGS = {
    "organisation": "Pemerintah Kota Tirtajaya",
    "accounts": {"x": ["humaskotatirtajaya", "@PemkotTirtajaya"], "instagram": ["pemkot_tirtajaya"]},
    "leaders": [
        {"name": "Hendra Gunawan", "role": "Wali Kota", "aliases": ["pak hendra", "kang hendra"]},
        {"name": "Ratna Dewi", "role": "Wakil Wali Kota", "aliases": ["bu ratna"]},
    ],
    "entities": [{"name": "Kota Mekarsari", "aliases": ["mekarsari"]}, {"name": "Provinsi Jawa Barat"}],
}


@pytest.fixture(scope="module")
def norm() -> Normalizer:
    return Normalizer.default()


@pytest.fixture(scope="module")
def taxonomy() -> Taxonomy:
    return Taxonomy.default()


@pytest.fixture(scope="module")
def matcher(taxonomy: Taxonomy) -> TargetMatcher:
    return TargetMatcher.from_settings(Settings.model_validate(SETTINGS), taxonomy)


def targets(matcher: TargetMatcher, norm: Normalizer, text: str) -> tuple[Target, ...]:
    return matcher.match(text, norm.normalize(text))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the institution, by name and the usual ways to say it
        ("Pemkot Tirtajaya lelet banget", (ORG,)),
        ("pemerintah kota tirtajaya harus tegas", (ORG,)),
        ("Pemda Tirtajaya kemana aja", (ORG,)),
        ("pemkotnya diem aja", (ORG,)),
        ("Pemkot Harus Tegas!", (ORG,)),
        ("@humaskotatirtajaya tolong sampah numpuk", (ORG,)),
        ("@pemkottirtajaya @PemkotTirtajaya", (ORG,)),
        ("#PemkotTirtajaya gercep", (ORG,)),
        ("pelayanan kelurahan lambat", (ORG,)),
        # OPDs: the institution and the OPD, also in a handle with the place
        ("Dishub kemana aja sih", (ORG, DISHUB)),
        ("dinas perhubungan tirtajaya tolong", (ORG, DISHUB)),
        ("Dinas Kesehatan Kota Tirtajaya membuka layanan", (ORG, DINKES)),
        ("@dinkestirtajaya vaksin kapan?", (ORG, DINKES)),
        ("@dishubkotatirtajaya lampu mati", (ORG, DISHUB)),
        # the bare city name is a place, not the institution
        ("banjir lagi di kota tirtajaya", ()),
        ("Tirtajaya macet parah", ()),
        ("warga Kelurahan Sukaresmi resah", ()),
        # generic words about another place are not ours
        ("Dishub DKI lebih sigap", ()),
        ("Wali Kota Surabaya aja bisa", ()),
        ("pemkot mekarsari lebih tanggap", (MEKARSARI,)),
        ("pemkot mekarsari lebih tanggap drpd pemkot kita", (ORG, MEKARSARI)),
        ("Pemprov Jawa Barat juga lambat", (JABAR,)),
        # leaders: name, alias, role, role + place; deputies are not the mayor; former mayors do not count
        ("Hendra Gunawan meresmikan taman", (MAYOR,)),
        ("pak hendra mantap", (MAYOR,)),
        ("walkot tolong dong", (MAYOR,)),
        ("walkotnya kemana", (MAYOR,)),
        ("pak wali, jalan rusak", (MAYOR,)),
        ("Walkot Hendra meresmikan RSUD", (ORG, MAYOR)),
        ("wali kota tirtajaya blusukan", (MAYOR,)),
        ("Wakil Wali Kota Ratna Dewi hadir", (DEPUTY,)),
        ("wawali kemana", (DEPUTY,)),
        ("mantan walkot dipanggil kejaksaan", ()),
        ("calon wali kota kampanye", ()),
        # several targets, deduplicated, institution first then leaders then entities
        ("Mekarsari lebih maju, pak wali & pemkot harus belajar. Pemkot jangan diam", (ORG, MAYOR, MEKARSARI)),
        ("selamat pagi semua", ()),
    ],
)
def test_targets(matcher: TargetMatcher, norm: Normalizer, text: str, expected: tuple[Target, ...]) -> None:
    assert targets(matcher, norm, text) == expected


def test_other_levels_and_unparsed_names(taxonomy: Taxonomy, norm: Normalizer) -> None:
    regency = TargetMatcher.from_settings(Settings(organisation="Pemerintah Kabupaten Cibening"), taxonomy)
    org = Target(TargetKind.INSTITUTION, "Pemerintah Kabupaten Cibening")
    assert regency.match("Pemkab Cibening lambat", "pemkab cibening lambat") == (org,)
    assert regency.match("pemkot", "pemkot") == ()
    bupati = Settings(organisation="Pemkab Cibening", leaders=[{"name": "Asep", "role": "Plt Bupati"}])
    plt = TargetMatcher.from_settings(bupati, taxonomy)
    assert plt.match("Plt Bupati hadir", "plt bupati hadir") == (Target(TargetKind.LEADER, "Asep"),)
    odd = TargetMatcher.from_settings(Settings(organisation="Humas Setda Sukamaju"), taxonomy)
    assert odd.match("humas setda sukamaju", "humas setda sukamaju") == (
        Target(TargetKind.INSTITUTION, "Humas Setda Sukamaju"),
    )


def test_version_follows_settings(matcher: TargetMatcher, taxonomy: Taxonomy) -> None:
    same = TargetMatcher.from_settings(Settings.model_validate(SETTINGS), taxonomy)
    other = TargetMatcher.from_settings(Settings.model_validate({**SETTINGS, "entities": []}), taxonomy)
    assert same.version == matcher.version != other.version


def test_targets_gold_floors(taxonomy: Taxonomy) -> None:
    """Micro precision/recall of targets on the gold set stay above floors a little below what was measured."""
    settings, posts = gold()
    matcher = TargetMatcher.from_settings(settings, taxonomy)
    pairs = [
        ({f"{k}:{n}" for k, n in p["targets"]}, {f"{t.kind}:{t.name}" for t in matcher.match(p["text"], p["norm"])})
        for p in posts
    ]
    precision, recall = prf(pairs)
    assert precision >= 0.9, precision
    assert recall >= 0.9, recall
