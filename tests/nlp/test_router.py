"""The router learned from routed complaints: training, calibration, storage, reading routed files, and its
figures on real complaints (../shared/data, evaluation only). Synthetic texts are written for the tests."""

from __future__ import annotations

import csv
import json
import random
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pytest
from openpyxl import Workbook

from citra.errors import CitraError, SourceError
from citra.nlp.normalize import Normalizer
from citra.nlp.routed import read_routed
from citra.nlp.router import LearnedRouter, RouterConfig, evaluate, train_router
from tests.conftest import shared_data

PLACES = ("gang melati", "jalan kenanga", "pasar baru", "rt 03 rw 05", "kampung sawah", "perumahan asri")
TEMPLATES = {
    "Dinas PUPR": (
        "jalan di {p} berlubang parah mohon segera diaspal",
        "aspal jalan {p} rusak dan mengelupas",
        "jembatan kecil di {p} retak berbahaya",
        "tolong perbaiki jalan rusak dekat {p}",
    ),
    "Dinas Lingkungan Hidup": (
        "sampah di {p} menumpuk belum diangkut",
        "bau limbah pabrik tercium sampai {p}",
        "tps di {p} penuh sampah berserakan",
        "truk sampah tidak datang ke {p} seminggu",
    ),
    "Disdukcapil": (
        "ktp elektronik saya belum jadi padahal rekam di {p}",
        "mengurus kartu keluarga di {p} lama sekali",
        "akta kelahiran anak belum terbit sudah sebulan, alamat {p}",
        "blangko ktp habis kata petugas kecamatan {p}",
    ),
    "Satpol PP": (
        "pedagang kaki lima berjualan di trotoar {p}",
        "pkl liar menutup jalan di {p} mohon ditertibkan",
        "bangunan liar berdiri di bantaran sungai {p}",
        "parkir liar dan pengamen mengganggu di {p}",
    ),
}


def routed_rows(places: tuple[str, ...] = PLACES) -> list[tuple[str, str]]:
    """(text, agency) rows written for the tests: every template at every place."""
    return [(t.format(p=p), agency) for agency, texts in TEMPLATES.items() for t in texts for p in places]


def write_routed_csv(path: Path, rows: list[tuple[str, str]], header: tuple[str, str] = ("isi", "opd")) -> Path:
    with path.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows([header, *rows])
    return path


@pytest.fixture(scope="module")
def normalizer() -> Normalizer:
    return Normalizer.default()


def _train(rows: list[tuple[str, str]], normalizer: Normalizer, **config: object) -> LearnedRouter:
    return train_router([normalizer.normalize(t) for t, _ in rows], [a for _, a in rows], config=RouterConfig(**config))  # type: ignore[arg-type]


def test_learns_routes_and_round_trips(tmp_path: Path, normalizer: Normalizer) -> None:
    model = _train(routed_rows(PLACES[:4]), normalizer)
    assert model.agencies == tuple(sorted(TEMPLATES))
    cv = model.meta["metrics"]["cv"]
    assert cv["folds"] == 5 and cv["n"] == 64 and cv["macro_f1"] >= 0.8
    assert set(cv["per_agency"]["Satpol PP"]) == {"precision", "recall", "f1", "support"}
    assert 0.04 < model.temperature < 20  # perfectly separable folds: the sharpest temperature allowed
    unseen = routed_rows(PLACES[4:])
    texts = [normalizer.normalize(t) for t, _ in unseen]
    result = evaluate([a for _, a in unseen], model.predict(texts))
    assert result["accuracy"] >= 0.9 and result["n"] == 32
    direct = np.asarray(model.featuriser.transform(texts) @ model.coef.T) + model.intercept
    assert np.allclose(model.decision(texts), direct) and np.allclose(model.decision(texts[::-1]), direct[::-1])
    assert model.decision([]).shape == (0, 4) and model.decision(["", "zzz"]).shape == (2, 4)

    model.save(tmp_path / "routing")
    assert not (tmp_path / "routing" / "arrays.npz").read_bytes().startswith(b"\x80")  # not a pickle
    meta = json.loads((tmp_path / "routing" / "model.json").read_text(encoding="utf-8"))
    assert meta["agencies"] == list(model.agencies) and meta["version"] == model.version
    loaded = LearnedRouter.load(tmp_path / "routing")
    assert loaded.version == model.version and loaded.agencies == model.agencies
    before, after = model.scores(texts), loaded.scores(texts)
    assert [list(s) for s in before] == [list(s) for s in after]  # same ranking
    for a, b in zip(before, after, strict=True):
        assert list(a.values()) == sorted(a.values(), reverse=True) and abs(sum(a.values()) - 1) < 1e-9
        assert np.allclose([a[k] for k in a], [b[k] for k in a], atol=1e-4)  # float32 on disk


def test_two_agencies_and_too_few(normalizer: Normalizer) -> None:
    rows = [r for r in routed_rows() if r[1] in ("Dinas PUPR", "Satpol PP")]
    model = _train(rows, normalizer)
    assert model.coef.shape[0] == 2
    [scores] = model.scores([normalizer.normalize("pkl berjualan di trotoar pasar")])
    assert next(iter(scores)) == "Satpol PP"
    with pytest.raises(CitraError, match="at least two agencies"):
        _train([r for r in rows if r[1] == "Satpol PP"], normalizer)
    single = [*rows, ("lampu jalan mati", "Dinas Perhubungan")]  # one example: trained, not cross-validated
    model = _train(single, normalizer)
    assert "Dinas Perhubungan" in model.agencies and "cv" not in model.meta["metrics"] and model.temperature == 1.0


def test_broken_model_folder(tmp_path: Path) -> None:
    (tmp_path / "model.json").write_text('{"format": 1, "name": "citra-routing"}', encoding="utf-8")
    with pytest.raises(CitraError, match="cannot load the routing model"):
        LearnedRouter.load(tmp_path)


def test_evaluate_counts_missing_routes_as_wrong() -> None:
    result = evaluate(["A", "A", "B", "B"], ["A", None, "B", "A"])
    assert (result["accuracy"], result["coverage"]) == (0.5, 0.75)
    assert result["per_agency"]["A"] == {"precision": 0.5, "recall": 0.5, "f1": 0.5, "support": 2}
    assert result["per_agency"]["B"] == {"precision": 1.0, "recall": 0.5, "f1": 0.6667, "support": 2}
    assert result["macro_f1"] == round((0.5 + 0.6667) / 2, 4)
    extra = evaluate(["A"], ["C"])  # an agency only predicted has no support and is not in the macro mean
    assert extra["per_agency"]["C"]["support"] == 0 and extra["macro_f1"] == 0.0


def test_read_routed_lapor_export_with_preamble(tmp_path: Path) -> None:
    wb = Workbook()
    sheet = wb.active
    sheet.append(["Judul Laporan", "Rekap Laporan"])
    sheet.append([])
    sheet.append(["Tracking ID", "Tanggal Laporan Masuk", "Isi Laporan Awal", "Instansi Terdisposisi (SKPD)"])
    sheet.append([1, "1 Jan 2026", "jalan rusak di gang melati", "Dinas PUPR"])
    sheet.append([2, "1 Jan 2026", "sampah menumpuk", None])  # not routed yet
    sheet.append([3, "1 Jan 2026", "#NAME?", "Satpol PP"])
    sheet.append([4, "2 Jan 2026", "pkl di trotoar", "  Satpol   PP "])
    path = tmp_path / "rekap.xlsx"
    wb.save(path)
    routed = read_routed(path)
    assert (routed.text_column, routed.label_column) == ("Isi Laporan Awal", "Instansi Terdisposisi (SKPD)")
    assert routed.rows == [("jalan rusak di gang melati", "Dinas PUPR"), ("pkl di trotoar", "Satpol PP")]
    assert routed.skipped == {"no agency": 1, "text lost by Excel": 1}
    named = read_routed(path, text_col="isi laporan awal", label_col="INSTANSI TERDISPOSISI (SKPD)")
    assert named.rows == routed.rows


def test_read_routed_needs_its_columns(tmp_path: Path) -> None:
    path = write_routed_csv(tmp_path / "a.csv", routed_rows()[:3], header=("text", "kategori"))
    with pytest.raises(SourceError, match="--text-col and --label-col"):
        read_routed(path)
    with pytest.raises(SourceError, match="no column 'dinas' for --label-col"):
        read_routed(path, label_col="dinas")
    assert len(read_routed(path, label_col="Kategori").rows) == 3


def test_purbalingga_held_apart(normalizer: Normalizer) -> None:
    """Real complaints (6 categories): trained on 80 %, measured on the other 20 % (seeded, texts kept apart)."""
    path = shared_data("purbalingga-complaints") / "complaints.csv"
    routed = read_routed(path, text_col="text", label_col="kategori")
    assert len(routed.rows) == 834
    texts = sorted({t for t, _ in routed.rows})
    random.Random(7).shuffle(texts)
    test = set(texts[: len(texts) // 5])
    train = [r for r in routed.rows if r[0] not in test]
    held = [r for r in routed.rows if r[0] in test]
    model = _train(train, normalizer, folds=0)
    result = evaluate([a for _, a in held], model.predict([normalizer.normalize(t) for t, _ in held]))
    assert result["macro_f1"] >= 0.6 and result["accuracy"] >= 0.62, result


def test_pipeline_combines_the_workspace_router(tmp_path: Path, normalizer: Normalizer) -> None:
    """A workspace's learned router joins the taxonomy in the pipeline: the city's own agency names come first."""
    from citra import config
    from citra.nlp.agency import install
    from citra.nlp.pipeline import Pipeline
    from citra.records import Platform, Post
    from tests.conftest import ORG

    ws = config.init(tmp_path / "ws", ORG)
    post = Post(Platform.LAPOR, "1", "aspal jalan gang mawar rusak dan mengelupas", datetime(2026, 1, 1, tzinfo=UTC))
    before = Pipeline.for_workspace(ws)
    assert before.learned is None and "citra-routing" not in before.models["routing"]
    [plain] = before.annotate([post])
    assert plain.opds and plain.opds[0] != "Bidang Jalan Kota"

    renamed = [(t, "Bidang Jalan Kota" if a == "Dinas PUPR" else a) for t, a in routed_rows()]
    model = _train(renamed, normalizer)
    install(model, ws.root)
    after = Pipeline.for_workspace(ws)
    assert after.models["routing"].endswith(f"+citra-routing@{model.version}") and after.version != before.version
    [learned] = after.annotate([post])
    assert learned.opds[0] == "Bidang Jalan Kota" and plain.opds[0] in learned.opds
    assert list(learned.opd_scores) == sorted(learned.opd_scores, reverse=True)
