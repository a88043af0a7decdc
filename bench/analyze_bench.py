"""Speed and peak memory of `citra analyze` (the whole language pipeline plus the database writes).

Fills a SQLite workspace from the city simulator, then runs `citra analyze --json` as its own process (one
Python process: one core for the pipeline) and reads its peak RSS. Run by hand:

    .venv/bin/python bench/analyze_bench.py --days 365
"""

from __future__ import annotations

import argparse
import json
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from citra import config
from citra.ingest import ingest
from citra.simulate import Scenario, generate, write_csv
from citra.store import Store


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--seed", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "ws"
        scenario = Scenario.default(args.days, args.seed)
        config.init(root, "x")
        (root / config.CONFIG_NAME).write_text(scenario.workspace_toml(), encoding="utf-8")
        ws = config.load(root)
        export = Path(tmp) / "posts.csv"
        rows = write_csv(generate(scenario), export)
        with Store.open(ws.database_url) as store:
            store.upgrade()
            ingest(store, ws, [export])
        started = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-m", "citra", "analyze", "--json", "--workspace", str(root)],
            capture_output=True,
            text=True,
            check=True,
        )
        wall = time.perf_counter() - started
        peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        summary = json.loads(done.stdout)
    print(f"Python {platform.python_version()}, {rows:,} simulated posts ({args.days} days)")
    print("| measure | value |\n| --- | --- |")
    print(f"| posts annotated | {summary['annotated']:,} |")
    print(f"| pipeline + writes (as reported by citra analyze) | {summary['posts_per_second']:,.0f} posts/s |")
    rate = summary["annotated"] / wall
    print(f"| whole process incl. start-up and model loading | {rate:,.0f} posts/s ({wall:.1f} s) |")
    print(f"| peak RSS of the process | {peak_mb:,.0f} MB |")


if __name__ == "__main__":
    main()
