"""citra train routing / citra eval routing, run as real processes on files written for the tests."""

from __future__ import annotations

import json
from pathlib import Path

from citra import config
from tests.conftest import ORG
from tests.nlp.test_router import PLACES, TEMPLATES, routed_rows, write_routed_csv
from tests.test_cli import citra


def test_train_then_eval_the_workspace_routing(tmp_path: Path) -> None:
    ws = config.init(tmp_path / "ws", ORG).root
    train = write_routed_csv(tmp_path / "history.csv", routed_rows(PLACES[:4]))
    unseen = write_routed_csv(tmp_path / "unseen.csv", routed_rows(PLACES[4:]), header=("Isi Laporan", "OPD Tujuan"))

    before = json.loads(citra("eval", "routing", unseen, "--text-col", "isi laporan", "--json", ws=ws).stdout)
    assert before["router"].startswith("ranked-") and "citra-routing" not in before["router"]  # no learned model
    assert before["n"] == 32 and sum(m["support"] for m in before["per_agency"].values()) == 32

    done = citra("train", "routing", "--data", train, "--text-col", "isi", "--label-col", "opd", "--json", ws=ws)
    summary = json.loads(done.stdout)
    assert summary["out"] == str(ws / "models" / "routing") and summary["examples"] == 64
    assert summary["agencies"] == {a: 16 for a in sorted(TEMPLATES)}
    assert summary["cv"]["folds"] == 5 and 0 <= summary["cv"]["macro_f1"] <= 1
    assert (ws / "models" / "routing" / "model.json").is_file() and summary["previous"] is None
    assert summary["not_in_taxonomy"] == []  # the default agency names of the shipped taxonomy
    assert summary["vector_model"].startswith("multilingual-e5-small") and summary["cv_vectors"]["folds"] == 5

    after = json.loads(citra("eval", "routing", unseen, "--json", ws=ws).stdout)  # columns found by name
    assert after["router"].startswith("ranked-") and after["router"].endswith(f" + citra-routing@{summary['version']}")
    assert after["accuracy"] >= 0.9 and after["macro_f1"] >= 0.9 and after["coverage"] == 1.0
    assert after["vectors"] == summary["vector_model"]  # the texts were embedded for the model's vector head
    plain = json.loads(citra("eval", "routing", unseen, "--no-vectors", "--json", ws=ws).stdout)
    assert plain["vectors"] is None and plain["accuracy"] >= 0.9  # the n-gram model alone
    assert set(after["per_agency"]) == set(TEMPLATES)
    for figures in after["per_agency"].values():
        assert set(figures) == {"precision", "recall", "f1", "support"} and figures["support"] == 8

    shown = citra("eval", "routing", unseen, ws=ws).stdout
    assert "macro-F1" in shown and "Satpol PP" in shown

    renamed = [(t, "Bidang Jalan Kota" if a == "Dinas PUPR" else a) for t, a in routed_rows(PLACES[4:])]
    city = write_routed_csv(tmp_path / "city.csv", renamed, header=("Isi Laporan", "OPD Tujuan"))
    done = citra("train", "routing", "--data", city, ws=ws)  # a second model: the first is kept
    assert "the model it replaces is in" in done.stderr
    assert (
        "1 of its agencies are not the workspace's agency names" in done.stderr and "Bidang Jalan Kota" in done.stderr
    )
    kept = json.loads((ws / "models" / "routing.previous" / "model.json").read_text(encoding="utf-8"))
    assert kept["version"] == summary["version"] and not (ws / "models" / "routing.new").exists()


def test_train_needs_a_place_and_data(tmp_path: Path) -> None:
    data = write_routed_csv(tmp_path / "history.csv", routed_rows())
    done = citra("train", "routing", "--data", data, ws=tmp_path / "nowhere", check=False)
    assert done.returncode != 0 and "give --out DIR" in done.stderr
    empty = write_routed_csv(tmp_path / "empty.csv", [("teks tanpa opd", "")])
    done = citra("train", "routing", "--data", empty, "--out", tmp_path / "m", check=False)
    assert done.returncode != 0 and "no routed complaints" in done.stderr
    out = tmp_path / "model"
    done = citra("train", "routing", "--data", data, "--out", out)
    assert "Trained citra-routing@" in done.stderr and (out / "arrays.npz").is_file()
