"""Benchmark ``citra ingest`` of a tweet-harvest CSV into SQLite and PostgreSQL: rows/s and peak memory.

    .venv/bin/python bench/ingest_bench.py                 # 1,000,000 rows, SQLite then PostgreSQL
    .venv/bin/python bench/ingest_bench.py --rows 100000 --no-postgres

The real command runs as a subprocess (``citra ingest FILE --json -w WS``) so that the peak resident memory of
that process alone is measured (``/usr/bin/time -v`` when present, else ``getrusage(RUSAGE_CHILDREN)``).
Workspaces go to ``bench/out/`` (gitignored); PostgreSQL uses a fresh database ``citra_bench`` on the local
server, created and dropped here. Prints a markdown table for docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import resource
import shutil
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import orjson

import make_tweet_harvest
from citra import config
from citra.store import Store

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
CITRA = Path(sys.executable).with_name("citra")
PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
PG_DB = "citra_bench"
TIME = Path("/usr/bin/time")


@dataclass
class Run:
    name: str
    rows: int
    seconds: float
    cpu: float  # user + system seconds of the ingest process (0 when unknown)
    peak_mb: float
    load: float  # 1-minute load average when the run started: other jobs on the machine slow it down
    summary: dict[str, object]

    @property
    def rate(self) -> float:
        return self.rows / self.seconds


def workspace(name: str) -> Path:
    root = OUT / name
    shutil.rmtree(root, ignore_errors=True)
    return root


def prepare(root: Path, database_url: str | None) -> None:
    """A fresh workspace and a migrated database (outside the measured run)."""
    ws = config.init(root, "Benchmark", "Asia/Jakarta")
    with Store.open(database_url or ws.database_url) as store:
        store.upgrade()


def ingest(name: str, root: Path, csv: Path, rows: int, database_url: str | None) -> Run:
    env = {k: v for k, v in os.environ.items() if k not in ("CITRA_DATABASE_URL", "CITRA_WORKSPACE")}
    if database_url:
        env["CITRA_DATABASE_URL"] = database_url
    cmd = [str(CITRA), "ingest", str(csv), "--json", "-w", str(root)]
    timed = TIME.exists()
    if timed:
        cmd = [str(TIME), "-v", *cmd]
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    load = os.getloadavg()[0]
    began = time.perf_counter()
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - began
    if done.returncode != 0:
        sys.exit(f"{name}: citra ingest failed ({done.returncode}):\n{done.stderr[-4000:]}")
    if timed:
        found = re.search(r"Maximum resident set size \(kbytes\): (\d+)", done.stderr)
        peak_kb = int(found.group(1)) if found else 0
        cpu = sum(float(m) for m in re.findall(r"(?:User|System) time \(seconds\): ([\d.]+)", done.stderr))
    else:  # the largest child so far; the first run is the SQLite import, the largest one
        peak_kb = max(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, before)
        cpu = 0.0
    summary = orjson.loads(done.stdout)
    if summary["read"] != rows or summary["rejected"] or summary["status"] != "done":
        sys.exit(f"{name}: unexpected summary {summary}")
    run = Run(name, rows, seconds, cpu, peak_kb / 1024, load, summary)
    print(
        f"{name}: {run.rate:,.0f} rows/s, {seconds:.1f} s ({cpu:.1f} s CPU), peak {run.peak_mb:.0f} MB, "
        f"inserted {summary['inserted']:,}, updated {summary['updated']:,}, load {load:.1f}",
        file=sys.stderr,
    )
    return run


def postgres_database(create: bool) -> str:
    import psycopg

    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {PG_DB}")
        if create:
            conn.execute(f"CREATE DATABASE {PG_DB}")
    return f"postgresql://postgres@127.0.0.1:5432/{PG_DB}"


def postgres_version() -> str:
    import psycopg

    with psycopg.connect(PG_ADMIN) as conn:
        row = conn.execute("SHOW server_version").fetchone()
    return str(row[0]) if row else "?"


def machine() -> list[str]:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())  # fmt: skip
    mem_kb = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))  # type: ignore[union-attr]
    return [
        f"CPU: {cpu}, {len(os.sched_getaffinity(0))} cores (nproc)", f"RAM: {mem_kb / 1024 / 1024:.1f} GiB",
        f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}",
    ]  # fmt: skip


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--no-postgres", action="store_true", help="SQLite only")
    parser.add_argument("--keep", action="store_true", help="keep the workspaces and the PostgreSQL database")
    args = parser.parse_args(argv)

    csv = OUT / f"tweet_harvest_{args.rows}.csv"
    if not csv.exists():
        make_tweet_harvest.write(csv, args.rows, args.seed)
    size_mb = csv.stat().st_size / 1e6
    runs: list[Run] = []

    root = workspace("ws_sqlite")
    prepare(root, None)
    runs.append(ingest("SQLite, first import", root, csv, args.rows, None))
    runs.append(ingest("SQLite, re-import (no changes)", root, csv, args.rows, None))
    db_mb = (root / config.DB_NAME).stat().st_size / 1e6
    if not args.keep:
        shutil.rmtree(root)

    lines = machine()
    if not args.no_postgres:
        url = postgres_database(create=True)
        try:
            root = workspace("ws_postgres")
            prepare(root, url)
            runs.append(ingest("PostgreSQL, first import", root, csv, args.rows, url))
            runs.append(ingest("PostgreSQL, re-import (no changes)", root, csv, args.rows, url))
            lines.append(f"PostgreSQL {postgres_version()} (local, default settings)")
        finally:
            if not args.keep:
                postgres_database(create=False)
                shutil.rmtree(OUT / "ws_postgres", ignore_errors=True)

    print(f"\n{args.rows:,} rows, {size_mb:.0f} MB CSV; SQLite file {db_mb:.0f} MB. " + "; ".join(lines) + "\n")
    print("| run | wall s | CPU s | rows/s | peak RSS (MB) | inserted | updated | load |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for r in runs:
        s = r.summary
        print(
            f"| {r.name} | {r.seconds:.1f} | {r.cpu:.1f} | {r.rate:,.0f} | {r.peak_mb:.0f} "
            f"| {s['inserted']:,} | {s['updated']:,} | {r.load:.1f} |"
        )


if __name__ == "__main__":
    main()
