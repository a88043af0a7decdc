"""Ingesting tweet-harvest and generic exports end to end on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import gzip
import json
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest
from openpyxl import Workbook

from citra import config
from citra.ingest import ingest
from citra.records import Platform, PostKind
from citra.sources.base import ReadOptions
from citra.store import Store
from tests.conftest import FIXTURES

SAMPLE = Path(__file__).parents[1] / "src" / "citra" / "samples" / "tweet-harvest-sample.csv"


def _rejects(summary) -> list[dict]:
    return [json.loads(line) for line in Path(summary.rejects_path).read_text(encoding="utf-8").splitlines()]


def test_sample_export(workspace: config.Workspace, store: Store) -> None:
    (workspace.root / "citra.toml").write_text(
        (workspace.root / "citra.toml").read_text().replace("x = []", 'x = ["@HumasKotaBekasi"]'), encoding="utf-8"
    )
    ws = config.load(workspace.root)
    summary = ingest(store, ws, [SAMPLE])
    assert summary.status == "done" and summary.files[0].format == "tweet-harvest"
    assert (summary.total("read"), summary.total("inserted"), summary.total("rejected")) == (22, 22, 0)
    assert summary.rejects_path is None
    posts = {p.native_id: p for p in (s.post for s in store.each(raw=True))}
    reply = posts["1745012345678901006"]
    assert reply.kind is PostKind.REPLY and reply.is_official and reply.author.handle == "humaskotabekasi"
    assert reply.platform is Platform.X and reply.created_at == datetime(2024, 1, 10, 7, 45, tzinfo=UTC)
    flood = posts["1745012345678901004"]
    assert flood.text.count("\n") == 1 and flood.engagement.likes == 150 and flood.engagement.reposts == 90
    assert flood.url == "https://x.com/bekasi_info/status/1745012345678901004"
    assert flood.raw["location"] == "Bekasi, Jawa Barat" and flood.lang == "in"
    assert posts["1745012345678901012"].kind is PostKind.REPOST
    assert sum(p.is_official for p in posts.values()) == 4


def test_old_twitter_dates(workspace: config.Workspace, store: Store) -> None:
    summary = ingest(store, workspace, [FIXTURES / "tweet_harvest_old.csv"])
    assert summary.total("inserted") == 3
    times = {p.native_id: p.created_at for p in (s.post for s in store.each(raw=True))}
    assert times["1050118621198921728"] == datetime(2018, 10, 10, 20, 19, 24, tzinfo=UTC)
    assert times["1050300000000000002"] == datetime(2018, 10, 12, 16, 59, 59, tzinfo=UTC)


def test_xlsx_variant_is_the_same_data(workspace: config.Workspace, store: Store, tmp_path: Path) -> None:
    wb = Workbook()
    sheet = wb.active
    sheet.title = "Tweets"
    with SAMPLE.open(encoding="utf-8") as f:
        for row in csv.reader(f):
            sheet.append(row)
    path = tmp_path / "tweets.xlsx"
    wb.save(path)
    first = ingest(store, workspace, [path])
    assert first.files[0].format == "tweet-harvest" and first.total("inserted") == 22
    again = ingest(store, workspace, [SAMPLE])
    assert again.total("inserted") == 0 and again.total("updated") == 0


def test_gzip_export(workspace: config.Workspace, store: Store, tmp_path: Path) -> None:
    path = tmp_path / "tweets.csv.gz"
    path.write_bytes(gzip.compress(SAMPLE.read_bytes()))
    assert ingest(store, workspace, [path]).total("inserted") == 22


def test_excel_resaved_export_recovers_what_it_can(workspace: config.Workspace, store: Store) -> None:
    summary = ingest(store, workspace, [FIXTURES / "tweet_harvest_excel.csv"])
    assert (summary.total("read"), summary.total("inserted"), summary.total("rejected")) == (4, 2, 2)
    posts = {p.native_id: p for p in (s.post for s in store.each(raw=True))}
    recovered = posts["1697763123456789012"]
    assert recovered.text == "Jalan Juanda macet parah – lampu merah mati"
    assert recovered.engagement.likes == 1234 and recovered.conversation_id is None
    assert recovered.created_at == datetime(2024, 1, 15, 3, 12, tzinfo=UTC)  # 10.12 WIB
    assert posts["1697763123456789015"].engagement.likes == 2500
    assert "café" in posts["1697763123456789015"].text
    reasons = {r["line"]: r["reason"] for r in _rejects(summary)}
    assert "cannot be recovered" in reasons[3] and "#NAME?" in reasons[4]


def test_bad_rows_are_logged_and_the_import_goes_on(workspace: config.Workspace, store: Store) -> None:
    path = FIXTURES / "tweet_harvest_bad.csv"
    summary = ingest(store, workspace, [path])
    assert (summary.total("read"), summary.total("inserted"), summary.total("rejected")) == (5, 1, 4)
    assert Path(summary.rejects_path) == workspace.rejects_dir / f"{summary.batch}.jsonl"
    rejects = _rejects(summary)
    assert [r["line"] for r in rejects] == [2, 3, 4, 5]
    assert all(r["file"] == str(path) and r["raw"] for r in rejects)
    reasons = [r["reason"] for r in rejects]
    assert "no id" in reasons[0] and "no text" in reasons[1] and "unreadable date" in reasons[2]
    assert "wrong column count" in reasons[3]
    [good] = list(s.post for s in store.each(raw=True))
    assert good.text == "baris yang baik\ndengan dua baris 👍"
    run = store.get_import(summary.batch)
    assert (run.read, run.inserted, run.rejected, run.status) == (5, 1, 4, "done")


def test_overlapping_exports_update_engagement(workspace: config.Workspace, store: Store, tmp_path: Path) -> None:
    with SAMPLE.open(encoding="utf-8") as f:
        header, *rows = list(csv.reader(f))
    likes = header.index("favorite_count")

    def write(name: str, part: list[list[str]]) -> Path:
        path = tmp_path / name
        with path.open("w", newline="", encoding="utf-8") as f:
            csv.writer(f, quoting=csv.QUOTE_ALL).writerows([header, *part])
        return path

    first = write("a.csv", rows[:15])
    later = [list(r) for r in rows[10:]]
    for row in later[:3]:
        row[likes] = str(int(row[likes]) + 100)
    second = write("b.csv", later)
    assert ingest(store, workspace, [first]).total("inserted") == 15
    summary = ingest(store, workspace, [second])
    assert (summary.total("inserted"), summary.total("updated")) == (7, 3)
    assert store.count() == 22
    posts = {p.native_id: p for p in (s.post for s in store.each(raw=True))}
    assert posts[rows[10][header.index("id_str")]].engagement.likes == int(rows[10][likes]) + 100


def test_unrecognised_file_fails_and_others_go_on(workspace: config.Workspace, store: Store, tmp_path: Path) -> None:
    odd = tmp_path / "notes.csv"
    odd.write_text("nama,alamat\nBudi,Jl. Juanda\n", encoding="utf-8")
    summary = ingest(store, workspace, [odd, SAMPLE])
    assert summary.status == "failed"
    assert str(odd) in summary.files[0].error and "not recognised" in summary.files[0].error
    assert summary.files[1].inserted == 22
    assert store.get_import(summary.batch).status == "failed"


def test_generic_table_with_column_map(workspace: config.Workspace, store: Store, tmp_path: Path) -> None:
    path = tmp_path / "komentar.csv"
    path.write_text(
        "kode;isi;tanggal;akun;suka\n"
        "a1;Pelayanan puskesmas ramah 👍;15/01/2024 08.00;@warga;1.200\n"
        "a2;Kapan jalan diperbaiki?;16/01/2024 09.30;@humaskotabekasi;3\n",
        encoding="utf-8",
    )
    opts = ReadOptions(
        platform=Platform.INSTAGRAM,
        tz=workspace.tz,
        official=frozenset({("instagram", "humaskotabekasi")}),
        column_map={"id": "kode", "text": "isi", "created_at": "tanggal", "author": "akun", "likes": "suka"},
    )
    summary = ingest(store, workspace, [path], "csv", opts)
    assert summary.total("inserted") == 2 and summary.files[0].format == "table"
    posts = {p.native_id: p for p in (s.post for s in store.each(raw=True))}
    assert posts["a1"].platform is Platform.INSTAGRAM and posts["a1"].engagement.likes == 1200
    assert posts["a1"].author.handle == "warga" and not posts["a1"].is_official and posts["a2"].is_official
    assert posts["a1"].created_at == datetime(2024, 1, 15, 1, 0, tzinfo=UTC)


def test_generic_table_needs_its_columns_named(workspace: config.Workspace, store: Store, tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("a,b,c\n1,2,3\n", encoding="utf-8")
    summary = ingest(store, workspace, [path], "csv")
    assert "--map id=COLUMN" in summary.files[0].error


def test_rejects_folder_is_created_when_missing(workspace: config.Workspace, store: Store) -> None:
    shutil.rmtree(workspace.rejects_dir)
    summary = ingest(store, workspace, [FIXTURES / "tweet_harvest_bad.csv"])
    assert Path(summary.rejects_path).exists()


@pytest.mark.parametrize("fmt", ["xlsx", "jsonl", "nope"])
def test_format_that_does_not_fit_the_file(workspace: config.Workspace, store: Store, fmt: str) -> None:
    summary = ingest(store, workspace, [SAMPLE], fmt)
    assert (summary.status == "failed" and str(SAMPLE) in summary.files[0].error) or "unknown format" in (
        summary.files[0].error or ""
    )


def test_ingest_and_analysis_refresh_postgres_statistics(workspace, store) -> None:
    """After a bulk change the planner's statistics are current (PostgreSQL; autovacuum may be off)."""
    if store.dialect != "postgresql":
        pytest.skip("PostgreSQL only")
    from citra.analyze import analyze
    from citra.nlp.pipeline import Pipeline

    def analysed(table: str) -> object:
        with store.engine.connect() as conn:
            return conn.exec_driver_sql(
                "SELECT coalesce(last_analyze, last_autoanalyze) FROM pg_stat_user_tables WHERE relname = %s",
                (table,),
            ).scalar()

    ingest(store, workspace, [SAMPLE])
    assert analysed("posts") is not None
    analyze(store, Pipeline.for_workspace(workspace))
    assert analysed("annotations") is not None
