"""The citra command line, run as a real process, on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import io
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from citra import config
from citra.store import Store
from tests.conftest import ORG
from tests.test_ingest import SAMPLE


def citra(*args: str | Path, ws: Path | None = None, check: bool = True) -> subprocess.CompletedProcess[str]:
    cmd = [sys.executable, "-m", "citra", *map(str, args)]
    if ws is not None:
        cmd += ["--workspace", str(ws)]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    if check and done.returncode != 0:
        raise AssertionError(f"{cmd} failed with {done.returncode}:\n{done.stderr}")
    return done


def test_init_writes_settings_and_database(backend: str, tmp_path: Path) -> None:
    root = tmp_path / "bekasi"
    citra("init", root, "--org", ORG)
    ws = config.load(root)
    assert ws.settings.organisation == ORG and ws.settings.timezone == "Asia/Jakarta"
    assert ws.database_url.startswith("postgresql" if backend == "postgres" else "sqlite")
    Store.open(ws.database_url).check_current()
    again = citra("init", root, "--org", ORG, check=False)
    assert again.returncode == 2 and "already exists" in again.stderr
    assert citra("init", tmp_path / "x", check=False).returncode == 2
    assert "Database at revision" in citra("db", "upgrade", ws=root).stderr


def test_ingest_json_summary_and_idempotence(workspace: config.Workspace) -> None:
    done = citra("ingest", SAMPLE, "--json", ws=workspace.root)
    summary = json.loads(done.stdout)
    assert {k: summary[k] for k in ("read", "inserted", "updated", "rejected")} == {
        "read": 22,
        "inserted": 22,
        "updated": 0,
        "rejected": 0,
    }
    assert summary["files"][0]["path"] == str(SAMPLE) and summary["files"][0]["format"] == "tweet-harvest"
    again = json.loads(citra("ingest", SAMPLE, "--json", ws=workspace.root).stdout)
    assert (again["read"], again["inserted"], again["updated"]) == (22, 0, 0)


def test_ingest_failures_exit_non_zero_naming_the_file(workspace: config.Workspace, tmp_path: Path) -> None:
    odd = tmp_path / "photo.jpg"
    odd.write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" * 50)
    done = citra("ingest", odd, SAMPLE, "--json", ws=workspace.root, check=False)
    assert done.returncode != 0
    summary = json.loads(done.stdout)
    assert str(odd) in summary["files"][0]["error"] and summary["inserted"] == 22
    plain = citra("ingest", tmp_path / "missing.csv", ws=workspace.root, check=False)
    assert plain.returncode != 0 and "missing.csv" in plain.stderr.replace("\n", "")  # Rich wraps long paths


def test_ingest_with_map_platform_and_zone(workspace: config.Workspace, tmp_path: Path) -> None:
    path = tmp_path / "fb.csv"
    path.write_text("cid,pesan,waktu,nama\n9,Mantap pak wali 👍,2024-01-15 08:00,Andi\n", encoding="utf-8")
    args = [
        "--format",
        "csv",
        "--platform",
        "facebook",
        "--tz",
        "Asia/Makassar",
        "--map",
        "id=cid",
        "--map",
        "text=pesan",
        "--map",
        "created_at=waktu",
        "--map",
        "author=nama",
        "--json",
    ]
    assert json.loads(citra("ingest", path, *args, ws=workspace.root).stdout)["inserted"] == 1
    [row] = [json.loads(x) for x in citra("posts", "--format", "jsonl", ws=workspace.root).stdout.splitlines()]
    assert row["platform"] == "facebook" and row["created_at"] == "2024-01-15T07:00:00+07:00"  # 08:00 WITA
    bad = citra("ingest", path, "--map", "nothing", ws=workspace.root, check=False)
    assert bad.returncode != 0 and "FIELD=COLUMN" in bad.stderr


def test_posts_filters_and_formats(workspace: config.Workspace) -> None:
    citra("ingest", SAMPLE, ws=workspace.root)
    rows = [
        json.loads(x)
        for x in citra("posts", "--format", "jsonl", "--limit", "0", ws=workspace.root).stdout.splitlines()
    ]
    assert len(rows) == 22 and rows[0]["created_at"] > rows[-1]["created_at"]
    day = citra(
        "posts", "--since", "2024-01-11", "--until", "2024-01-11", "--format", "csv", "--limit", "0", ws=workspace.root
    ).stdout
    dates = [r["created_at"][:10] for r in csv.DictReader(io.StringIO(day))]
    assert dates and set(dates) == {"2024-01-11"}
    found = citra("posts", "--search", "PUSKESMAS", "--format", "jsonl", ws=workspace.root).stdout.splitlines()
    assert len(found) == 1 and "Puskesmas" in json.loads(found[0])["text"]
    assert citra("posts", "--platform", "youtube", "--format", "jsonl", ws=workspace.root).stdout == ""
    table = citra("posts", "--limit", "3", ws=workspace.root)
    assert "3 shown of 22" in table.stderr
    assert citra("posts", "--platform", "myspace", ws=workspace.root, check=False).returncode != 0


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "parquet"])
def test_export(workspace: config.Workspace, tmp_path: Path, fmt: str) -> None:
    citra("ingest", SAMPLE, ws=workspace.root)
    out = tmp_path / f"posts.{fmt}"
    citra("export", "--format", fmt, "--out", out, ws=workspace.root)
    if fmt == "csv":
        rows = list(csv.DictReader(out.open(encoding="utf-8")))
    elif fmt == "jsonl":
        rows = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
        assert rows[0]["raw"]["id_str"] == rows[0]["native_id"]
    else:
        rows = pq.read_table(out).to_pylist()
        assert json.loads(rows[0]["raw"])["id_str"] == rows[0]["native_id"]
    assert len(rows) == 22 and rows[0]["created_at"] < rows[-1]["created_at"]
    flood = next(r for r in rows if r["native_id"] == "1745012345678901004")
    assert flood["text"].count("\n") == 1 and str(flood["likes"]) == "150"


def test_workspace_from_the_environment(workspace: config.Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CITRA_WORKSPACE", str(workspace.root))
    assert json.loads(citra("ingest", SAMPLE, "--json").stdout)["inserted"] == 22
    monkeypatch.setenv("CITRA_WORKSPACE", str(workspace.root / "nowhere"))
    done = citra("posts", check=False)
    assert done.returncode == 2 and "citra init" in done.stderr


def _big_export(path: Path, rows: int) -> None:
    with SAMPLE.open(encoding="utf-8") as f:
        header, *sample = list(csv.reader(f))
    ids = header.index("id_str")
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f, quoting=csv.QUOTE_ALL)
        writer.writerow(header)
        for i in range(rows):
            row = list(sample[i % len(sample)])
            row[ids] = str(1800000000000000000 + i)
            row[header.index("tweet_url")] = ""
            writer.writerow(row)


@pytest.mark.slow
@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGKILL], ids=["ctrl-c", "crash"])
def test_interrupted_import_keeps_commits_and_rerun_completes(
    workspace: config.Workspace, tmp_path: Path, sig: signal.Signals
) -> None:
    total = 400_000
    path = tmp_path / "big.csv"
    _big_export(path, total)
    store = Store.open(workspace.database_url)
    proc = subprocess.Popen(
        [sys.executable, "-m", "citra", "ingest", str(path), "--json", "--workspace", str(workspace.root)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        # a shell that ran us in the background ignores SIGINT, and the child would inherit that: Ctrl-C as a user's
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    deadline = time.monotonic() + 60
    while store.count() < 10_000 and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.05)
    assert proc.poll() is None, "import finished before it could be interrupted"
    os.kill(proc.pid, sig)
    _, stderr = proc.communicate(timeout=60)
    committed = store.count()
    assert 0 < committed < total and committed % 5000 == 0  # whole chunks only
    with store.engine.connect() as conn:
        status, inserted = conn.exec_driver_sql("SELECT status, inserted FROM imports").one()
    assert inserted == committed  # the import record agrees with what is stored
    if sig == signal.SIGINT:
        assert proc.returncode == 130 and status == "interrupted" and "run the same command again" in stderr, stderr
    else:
        assert status == "running"
    summary = json.loads(citra("ingest", path, "--json", ws=workspace.root).stdout)
    assert summary["inserted"] == total - committed and summary["read"] == total
    assert store.count() == total
    store.close()
