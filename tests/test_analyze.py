"""citra analyze and citra label import end to end, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from citra import config
from citra.analyze import analyze
from citra.ingest import ingest
from citra.labels import import_labels
from citra.nlp.pipeline import Pipeline
from citra.records import Intent, Platform, Sentiment, TargetKind
from citra.store import Store
from tests.test_cli import citra
from tests.test_ingest import SAMPLE

OFFICIAL = "humaskotabekasi"


def _configure(ws: config.Workspace, extra: str = "") -> config.Workspace:
    path = ws.root / "citra.toml"
    text = path.read_text(encoding="utf-8").replace("x = []", f'x = ["{OFFICIAL}"]')
    path.write_text(text + extra, encoding="utf-8")
    return config.load(ws.root)


def _by_native(store: Store) -> dict[str, int]:
    with store.engine.connect() as conn:
        return dict(conn.exec_driver_sql("SELECT native_id, id FROM posts").all())


def test_analyze_is_incremental_and_versioned(workspace: config.Workspace, store: Store) -> None:
    ws = _configure(workspace)
    ingest(store, ws, [SAMPLE])
    pipeline = Pipeline.for_workspace(ws)
    first = analyze(store, pipeline, batch=7)
    assert first.annotated == 22 and store.count_to_annotate(pipeline.version) == 0
    assert analyze(store, pipeline).annotated == 0
    assert analyze(store, pipeline, rebuild=True).annotated == 22
    leader = '\n[[leaders]]\nname = "Tri Adhianto"\nrole = "Wali Kota"\naliases = ["wali kota bekasi", "pak tri"]\n'
    changed = Pipeline.for_workspace(_configure(workspace, leader))
    assert changed.version != pipeline.version and store.count_to_annotate(changed.version) == 22
    assert analyze(store, changed).annotated == 22


def test_annotations_are_stored_with_their_models(workspace: config.Workspace, store: Store) -> None:
    ws = _configure(workspace)
    ingest(store, ws, [SAMPLE])
    pipeline = Pipeline.for_workspace(ws)
    analyze(store, pipeline)
    ids = _by_native(store)
    road = store.get(ids["1745012345678901001"]).annotation  # "Jalan di Jatiasih rusak parah ... @humaskotabekasi?"
    assert road is not None and road.models == pipeline.models
    assert "roads" in road.topics and len(road.opds) == len(road.topics)
    assert road.sentiment is Sentiment.NEGATIVE and road.intent in (Intent.COMPLAINT, Intent.QUESTION)
    assert road.needs_response and road.lang == "id"
    assert abs(sum(road.probs) - 1) < 1e-6
    official = store.get(ids["1745012345678901019"]).annotation  # the mayor's anti-corruption declaration
    assert official is not None and not official.needs_response and official.category is not None
    assert any(t.kind is TargetKind.INSTITUTION for t in official.targets) or "corruption" in official.topics


def test_interrupted_analysis_resumes(workspace: config.Workspace, store: Store) -> None:
    ingest(store, workspace, [SAMPLE])
    pipeline = Pipeline.for_workspace(workspace)

    def stop_after_two(done: int, total: int) -> None:
        if done >= 10:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        analyze(store, pipeline, batch=5, progress=stop_after_two)
    assert store.count_to_annotate(pipeline.version) == 12
    assert analyze(store, pipeline).annotated == 12


def test_label_import(workspace: config.Workspace, store: Store, tmp_path: Path) -> None:
    ingest(store, workspace, [SAMPLE])
    path = tmp_path / "labels.csv"
    path.write_text(
        "id,text,label\n"
        "1745012345678901001,,negatif\n"
        "1745012345678901003,,1.0\n"
        ",Pelayanan KTP sekarang cepat sekali,positive\n"
        "999,,negative\n"
        "1745012345678901005,,sedih\n"
        "1745012345678901001,,neutral\n",
        encoding="utf-8",
    )
    summary = import_labels(store, path, label_map={"1.0": "positive"})
    assert (summary.read, summary.stored, summary.matched_posts, summary.text_only) == (6, 4, 3, 1)
    assert [p["line"] for p in summary.rejected] == [5, 6]
    got = {(h.post_id is not None, h.text[:20]): h.label for h in store.labels()}
    assert got[(True, "Jalan di Jatiasih ru")] is Sentiment.NEUTRAL  # the newest label of a post wins
    assert got[(False, "Pelayanan KTP sekara")] is Sentiment.POSITIVE
    assert len(got) == 3


def test_label_ids_on_two_platforms_need_a_platform(workspace: config.Workspace, store: Store, tmp_path: Path) -> None:
    from citra.sources.base import ReadOptions

    ingest(store, workspace, [SAMPLE])
    ingest(store, workspace, [SAMPLE], opts=ReadOptions(platform=Platform.FACEBOOK, tz=workspace.tz))
    path = tmp_path / "labels.csv"
    path.write_text("id,platform,label\n1745012345678901001,,negative\n1745012345678901001,fb,negative\n")
    summary = import_labels(store, path)
    assert summary.stored == 1 and "several platforms" in summary.rejected[0]["reason"]


def test_cli_analyze_and_label_import(workspace: config.Workspace, tmp_path: Path) -> None:
    citra("ingest", SAMPLE, ws=workspace.root)
    done = json.loads(citra("analyze", "--json", ws=workspace.root).stdout)
    assert done["annotated"] == 22 and done["models"]["sentiment"]
    assert json.loads(citra("analyze", "--json", ws=workspace.root).stdout)["annotated"] == 0
    path = tmp_path / "l.csv"
    path.write_text("text,label\nmantap,positive\n,negative\n", encoding="utf-8")
    summary = json.loads(citra("label", "import", path, "--json", ws=workspace.root).stdout)
    assert summary["stored"] == 1 and summary["rejected"] == 1
    bad = tmp_path / "bad.csv"
    bad.write_text("text,nilai\nmantap,1\n", encoding="utf-8")
    failed = citra("label", "import", bad, ws=workspace.root, check=False)
    assert failed.returncode != 0 and "label column" in failed.stderr
