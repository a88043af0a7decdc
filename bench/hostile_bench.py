"""Peak memory and time of ``citra ingest`` on hostile files (issue 10 item 2), on SQLite and PostgreSQL.

    .venv/bin/python bench/hostile_bench.py               # both databases
    .venv/bin/python bench/hostile_bench.py --no-postgres

Writes the files to ``bench/out/hostile/`` (gitignored), runs the real command as a subprocess under
``/usr/bin/time -v`` (its peak resident memory alone) with an address-space cap of 4 GiB so that a regression
fails instead of taking the machine, and prints a markdown table for docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

import psycopg

from citra import config
from citra.store import Store

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out" / "hostile"
CITRA = Path(sys.executable).with_name("citra")
PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
PG_DB = "citra_hostile_bench"
CAP = 4 * 1024**3
GOOD = '{"id": "%d", "text": "jalan rusak nomor %d", "created_at": "2024-03-01T08:00:00Z"}'


def _deep_arrays(path: Path) -> None:
    path.write_text("[" * 100_000 + "]" * 100_000)


def _deep_lines(path: Path) -> None:
    deep = '{"id": "x", "text": "t", "created_at": "2024-03-01", "a": ' + '{"a": ' * 100_000 + "1" + "}" * 100_001
    path.write_text("\n".join([GOOD % (1, 1), deep, GOOD % (2, 2)]) + "\n")


def _gzip_bomb(path: Path) -> None:
    with gzip.open(path, "wb", compresslevel=9) as f:
        f.write(b"id,text,created_at\n")
        block = b"1,a,2024-03-01\n" * 70_000
        for _ in range(1000):  # 1 GB of rows
            f.write(block)


def _xlsx_bomb(path: Path) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/sharedStrings.xml", b" " * (1024**3))


def _long_line(path: Path) -> None:
    with path.open("w") as f:
        f.write("id,text,created_at\n1,satu,2024-03-01\n2,")
        for _ in range(200):  # a 200 MB cell without a line break
            f.write("x" * 1_000_000)
        f.write(",2024-03-01\n3,tiga,2024-03-01\n")


def _stray_bytes(path: Path) -> None:
    rows = [f"{i},Kafé “{i}” rusak,2024-03-01" for i in range(200_000)]
    data = ("id,text,created_at\n" + "\n".join(rows) + "\n").encode()
    path.write_bytes(data.replace("Kafé “5”".encode(), b"Kaf\xe9\xff\xfe\x80 5", 1))


FILES: dict[str, tuple[str, Callable[[Path], None]]] = {
    "deep_arrays.json": ("200 KB of arrays nested 100,000 deep", _deep_arrays),
    "deep_lines.jsonl": ("a JSONL line of objects nested 100,000 deep between two good lines", _deep_lines),
    "bomb.csv.gz": ("gzip of 1 GB of CSV rows", _gzip_bomb),
    "bomb.xlsx": ("XLSX whose sharedStrings expand to 1 GiB", _xlsx_bomb),
    "long_line.csv": ("a 200 MB CSV line between two good rows", _long_line),
    "stray_bytes.csv": ("200,000 UTF-8 rows, four stray bytes in one", _stray_bytes),
}


def _cap() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (CAP, CAP))


def run(ws: Path, path: Path, url: str | None) -> tuple[float, float, str]:
    cmd = ["/usr/bin/time", "-v", str(CITRA), "ingest", str(path), "--json", "-w", str(ws)]
    env = {k: v for k, v in os.environ.items() if k != "CITRA_DATABASE_URL"} | (
        {"CITRA_DATABASE_URL": url} if url else {}
    )
    started = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True, preexec_fn=_cap, env=env, check=False)
    wall = time.perf_counter() - started
    rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", done.stderr).group(1)) / 1024
    if "Traceback" in done.stderr or not done.stdout.strip():
        return wall, rss, f"CRASH (exit {done.returncode}): {done.stderr.strip().splitlines()[-3]}"
    summary = json.loads(done.stdout)
    [file] = summary["files"]
    if file.get("error"):
        outcome = f"refused: {file['error'].split(': ', 1)[1]}"
    else:
        outcome = f"{file['inserted']:,} stored, {file['rejected']:,} rejected"
    if file.get("warnings"):
        outcome += f"; warning: {file['warnings'][0]}"
    return wall, rss, outcome


def workspace(name: str, url: str | None) -> Path:
    root = OUT / name
    shutil.rmtree(root, ignore_errors=True)
    ws = config.init(root, "Bench")
    with Store.open(url or ws.database_url) as store:
        store.upgrade()
    return root


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--no-postgres", action="store_true")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    for name, (_what, make) in FILES.items():
        if not (OUT / name).exists():
            make(OUT / name)
    backends: list[tuple[str, str | None]] = [("SQLite", None)]
    if not args.no_postgres:
        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{PG_DB}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{PG_DB}"')
        backends.append(("PostgreSQL", PG_ADMIN.rsplit("/", 1)[0] + f"/{PG_DB}"))
    print("| database | file | size | outcome | wall s | peak RSS (MB) |")
    print("| --- | --- | ---: | --- | ---: | ---: |")
    for label, url in backends:
        for name, (what, _make) in FILES.items():
            ws = workspace(f"ws-{label.lower()}-{name}", url)
            if url:
                with Store.open(url) as store, store.engine.begin() as conn:
                    conn.exec_driver_sql("TRUNCATE posts, imports CASCADE")
            wall, rss, outcome = run(ws, OUT / name, url)
            size = (OUT / name).stat().st_size
            print(f"| {label} | {what} | {size / 1e6:,.1f} MB | {outcome} | {wall:.1f} | {rss:,.0f} |", flush=True)
    if not args.no_postgres:
        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{PG_DB}" WITH (FORCE)')


if __name__ == "__main__":
    main()
