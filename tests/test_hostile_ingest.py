"""Hostile and broken files: each refusal is one line or a reject with its reason, the good rows around it are
kept, killed and concurrent imports report the truth; on SQLite and PostgreSQL. Files are written here."""

from __future__ import annotations

import gzip
import json
import os
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import sqlalchemy as sa

from citra import config
from citra.ingest import ingest
from citra.sources import limits
from citra.store import Store
from citra.store.schema import imports, posts


def _row(i: int, likes: int = 0) -> dict[str, object]:
    return {"id": str(i), "text": f"jalan rusak nomor {i}", "created_at": "2024-03-01T08:00:00Z", "likes": likes}


def _jsonl(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _rejects(summary) -> list[dict]:
    text = Path(summary.rejects_path).read_text(encoding="utf-8")
    return [json.loads(line) for line in text.splitlines()]


def _texts(store: Store) -> dict[str, str]:
    with store.engine.connect() as conn:
        return dict(conn.execute(sa.select(posts.c.native_id, posts.c.text)).all())


def _citra(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "citra", *map(str, args)], capture_output=True, text=True, timeout=300, check=False
    )


def test_deeply_nested_json_array_is_refused_in_one_line(workspace: config.Workspace, tmp_path: Path) -> None:
    path = tmp_path / "deep.json"
    path.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    done = _citra("ingest", path, "--workspace", workspace.root, "--json")
    assert done.returncode == 3 and "Traceback" not in done.stderr
    summary = json.loads(done.stdout)
    assert summary["status"] == "failed"
    assert summary["files"][0]["error"] == f"{path}: JSON nested more than 64 levels deep; refused"


def test_deep_array_after_good_items_keeps_them(workspace: config.Workspace, store: Store, tmp_path: Path) -> None:
    """The array streams: the items parsed before the deep one are stored, then the rest is refused."""
    good = ", ".join(json.dumps(_row(i)) for i in range(3000))
    path = tmp_path / "a.json"
    path.write_text(f"[{good}, " + '{"x": ' * 200 + "1" + "}" * 200 + "]", encoding="utf-8")
    summary = ingest(store, workspace, [path])
    assert summary.status == "failed" and "nested more than 64 levels" in summary.files[0].error
    kept = summary.files[0].inserted
    assert 0 < kept < 3000 and sorted(map(int, _texts(store))) == list(range(kept))


def test_deep_jsonl_line_is_rejected_and_its_neighbours_kept(
    workspace: config.Workspace, store: Store, tmp_path: Path
) -> None:
    deep = '{"id": "x", "text": "t", "created_at": "2024-03-01", "a": ' + '{"a": ' * 50_000 + "1" + "}" * 50_001
    path = _jsonl(tmp_path / "a.jsonl", [json.dumps(_row(1)), json.dumps(_row(2)), deep, json.dumps(_row(3))])
    summary = ingest(store, workspace, [path])
    assert summary.status == "done"
    assert (summary.total("read"), summary.total("inserted"), summary.total("rejected")) == (4, 3, 1)
    [reject] = _rejects(summary)
    assert reject["line"] == 3 and reject["reason"] == "JSON nested more than 64 levels deep"


def test_overlong_lines_and_fields_are_rejected_with_their_reason(
    workspace: config.Workspace, store: Store, tmp_path: Path
) -> None:
    huge = "x" * (limits.MAX_LINE + 10)
    path = _jsonl(tmp_path / "a.jsonl", [json.dumps(_row(1)), huge, json.dumps(_row(2))])
    summary = ingest(store, workspace, [path])
    assert (summary.total("inserted"), summary.total("rejected")) == (2, 1)
    assert _rejects(summary)[0]["reason"] == f"line is longer than {limits.MAX_LINE:,} bytes"

    field = "y" * (limits.MAX_FIELD + 1)
    table = tmp_path / "a.csv"
    table.write_text(
        f'id,text,created_at\n3,tiga,2024-03-01\n4,"{field}",2024-03-01\n5,"{huge}",2024-03-01\n6,enam,2024-03-01\n',
        encoding="utf-8",
    )
    summary = ingest(store, workspace, [table])
    assert (summary.total("inserted"), summary.total("rejected")) == (2, 2)
    reasons = [r["reason"] for r in _rejects(summary)]
    assert reasons[0].startswith("broken CSV row: field larger than field limit")
    assert reasons[1] == f"line 4 is longer than {limits.MAX_LINE:,} bytes"
    assert sorted(_texts(store)) == ["1", "2", "3", "6"]


def test_gzip_and_xlsx_bombs_are_refused(workspace: config.Workspace, store: Store, tmp_path: Path) -> None:
    body = b"id,text,created_at\n" + b"1,a,2024-03-01\n" * (limits.RATIO_FLOOR // 15 + 10)
    bomb = tmp_path / "bomb.csv.gz"
    bomb.write_bytes(gzip.compress(body, compresslevel=9))
    workbook = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(workbook, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/sharedStrings.xml", b" " * (limits.RATIO_FLOOR + 1))
    summary = ingest(store, workspace, [bomb, workbook])
    errors = [f.error for f in summary.files]
    assert errors == [
        f"{bomb}: decompresses to more than 100 times its size (a zip bomb?); refused",
        f"{workbook}: decompresses to more than 100 times its size (a zip bomb?); refused",
    ]
    assert summary.total("inserted") == 0


def test_stray_bytes_in_a_utf8_file_are_named_not_spread(
    workspace: config.Workspace, store: Store, tmp_path: Path
) -> None:
    lines = ["id,text,created_at"] + [f"{i},Kafé “{i}” rusak,2024-03-01" for i in range(1, 61)]
    data = ("\n".join(lines) + "\n").encode("utf-8")
    data = data.replace("Kafé “5”".encode(), b"Kaf" + b"\xe9\xff\xfe\x80" + " “5”".encode())  # 4 stray bytes
    data = data.replace("Kafé “9”".encode(), "Kafé – 9".encode("cp1252"))  # a row pasted from a Windows file
    path = tmp_path / "a.csv"
    path.write_bytes(data)
    done = _citra("ingest", path, "--workspace", workspace.root, "--json")
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    assert summary["inserted"] == 60 and summary["rejected"] == 0
    assert summary["warnings"] == [
        f"{path}: 1 line with bytes that are not UTF-8, replaced by U+FFFD: line 6",
        f"{path}: 1 line with text that is not UTF-8, read as cp1252 (Windows): line 10",
    ]
    texts = _texts(store)
    assert texts["1"] == "Kafé “1” rusak" and texts["60"] == "Kafé “60” rusak"
    assert texts["5"] == "Kaf\ufffd\ufffd\ufffd\ufffd “5” rusak" and texts["9"] == "Kafé – 9 rusak"
    shown = _citra("ingest", path, "--workspace", workspace.root)
    assert "warning" in shown.stderr and "line 6" in shown.stderr and "Traceback" not in shown.stderr


def test_nul_characters_are_removed_on_both_databases(
    workspace: config.Workspace, store: Store, tmp_path: Path
) -> None:
    rows = []
    for i in range(60):
        row = {**_row(i), "author": f"warga{i}", "url": f"https://x.com/warga{i}/status/{i}"}
        if i == 30:
            row["text"] = "banjir\x00 lagi"
        if i == 31:
            row |= {"author": "wa\x00rga", "url": "https://x.com/a\x00/status/31", "lokasi\x00": "\x00bekasi"}
        rows.append(json.dumps(row))
    rows.append(json.dumps(_row(99)).replace('"99"', '"9\x009"').replace("\\u0000", "\x00"))  # a raw NUL byte
    summary = ingest(store, workspace, [_jsonl(tmp_path / "a.jsonl", rows)])
    assert (summary.status, summary.total("inserted"), summary.total("rejected")) == ("done", 61, 0)
    assert summary.files[0].warnings == ["1 line with NUL characters, removed: line 61"]
    with store.engine.connect() as conn:
        got = conn.execute(
            sa.select(posts.c.text, posts.c.author_handle, posts.c.url, posts.c.raw)
            .where(posts.c.native_id.in_(["30", "31", "99"]))
            .order_by(posts.c.native_id)
        ).all()
    assert [g[:3] for g in got] == [
        ("banjir lagi", "warga30", "https://x.com/warga30/status/30"),
        ("jalan rusak nomor 31", "warga", "https://x.com/a/status/31"),
        ("jalan rusak nomor 99", None, None),
    ]
    assert got[1][3]["lokasi"] == "bekasi"


def test_a_killed_import_is_marked_interrupted_and_the_rerun_completes(
    workspace: config.Workspace, store: Store, tmp_path: Path
) -> None:
    total = 150_000
    path = tmp_path / "big.jsonl"
    _jsonl(path, [json.dumps(_row(i)) for i in range(total)])
    proc = subprocess.Popen(
        [sys.executable, "-m", "citra", "ingest", str(path), "--workspace", str(workspace.root)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120
    committed = 0
    try:
        while committed == 0 and time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.05)
            with store.engine.connect() as conn:
                committed = conn.execute(sa.select(sa.func.coalesce(sa.func.sum(imports.c.inserted), 0))).scalar()
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait(30)
    assert proc.returncode == -signal.SIGKILL, "the import finished before it could be killed"
    with store.engine.connect() as conn:
        [(status, kept)] = conn.execute(sa.select(imports.c.status, imports.c.inserted)).all()
    assert status == "running" and 0 < kept < total

    listed = _citra("imports", "--workspace", workspace.root, "--json")
    assert json.loads(listed.stdout.splitlines()[0])["status"] == "interrupted"
    done = _citra("ingest", path, "--workspace", workspace.root, "--json")
    summary = json.loads(done.stdout)
    assert (summary["status"], summary["read"], summary["inserted"], summary["updated"]) == (
        "done", total, total - kept, 0,
    )  # fmt: skip
    with store.engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(posts)).scalar() == total


def test_concurrent_imports_each_report_their_true_counts(
    workspace: config.Workspace, store: Store, tmp_path: Path
) -> None:
    n = 30_000
    low = _jsonl(tmp_path / "low.jsonl", [json.dumps(_row(i, likes=1)) for i in range(n)])
    high = _jsonl(tmp_path / "high.jsonl", [json.dumps(_row(i, likes=2)) for i in range(n // 2, n + n // 2)])
    cmd = [sys.executable, "-m", "citra", "ingest", "--workspace", str(workspace.root), "--json"]
    runs = [
        subprocess.Popen([*cmd, str(p)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for p in (low, high)
    ]
    outputs = [r.communicate(timeout=300) for r in runs]
    assert all(r.returncode == 0 for r in runs), [err for _, err in outputs]
    a, b = (json.loads(out) for out, _ in outputs)
    # every key is inserted exactly once; a high row updates a low row stored before it, never the reverse
    assert a["inserted"] + b["inserted"] == n + n // 2
    assert a["updated"] == 0 and b["updated"] == a["inserted"] - n // 2
    with store.engine.connect() as conn:
        rows = conn.execute(sa.select(imports.c.inserted, imports.c.updated).order_by(imports.c.id)).all()
        likes = conn.execute(sa.select(posts.c.likes, sa.func.count()).group_by(posts.c.likes)).all()
    assert sorted(rows) == sorted([(a["inserted"], a["updated"]), (b["inserted"], b["updated"])])
    assert dict(likes) == {1: n // 2, 2: n}


def test_a_minified_json_array_longer_than_a_line_limit_is_read_whole(
    workspace: config.Workspace, store: Store, tmp_path: Path
) -> None:
    """Line limits bound lines of text; a JSON array on one line (json.dump) streams item by item."""
    path = tmp_path / "min.json"
    path.write_text(json.dumps([_row(i) | {"text": f"jalan rusak {i} " * 8} for i in range(40_000)]), encoding="utf-8")
    assert path.stat().st_size > limits.MAX_LINE
    summary = ingest(store, workspace, [path])
    assert (summary.status, summary.total("inserted"), summary.total("rejected")) == ("done", 40_000, 0)


def test_utf8_rows_in_a_windows_file_are_read_as_utf8(
    workspace: config.Workspace, store: Store, tmp_path: Path
) -> None:
    rows = [f"{i};Café – nomor {i};2024-03-01".encode("cp1252") for i in range(1, 21)]
    rows[4] = "5;Kafé “lima” 😡;2024-03-01".encode()  # one row pasted from a UTF-8 file
    path = tmp_path / "excel.csv"
    path.write_bytes(b"id;text;created_at\r\n" + b"\r\n".join(rows) + b"\r\n")
    summary = ingest(store, workspace, [path])
    assert summary.total("inserted") == 20
    assert summary.files[0].warnings == ["1 line with UTF-8 text in a file that is not, read as UTF-8: line 6"]
    texts = _texts(store)
    assert texts["5"] == "Kafé “lima” 😡" and texts["4"] == "Café – nomor 4"
