"""Time ``citra report`` on a workspace and ``citra demo --no-serve`` into a fresh folder, as whole processes.

    .venv/bin/python bench/report_bench.py -w /tmp/citra-demo                  # the demo month, pdf/html/xlsx
    .venv/bin/python bench/report_bench.py -w /tmp/citra-1m/postgres --period 2025-06 --formats pdf
    .venv/bin/python bench/report_bench.py --demo                               # citra demo --no-serve, 3 runs

Each run is the real command in its own process, timed with ``/usr/bin/time -v`` (wall clock, CPU = user + system,
peak RSS); the figure quoted is the median of ``--runs`` (default 3) runs. ``--period`` defaults to the report's own
default (the last month with analysed posts). Reports are written under a temporary folder in /tmp, not into the
workspace; each demo run builds a new workspace in a fresh temporary folder, removed afterwards.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CITRA = ROOT / ".venv" / "bin" / "citra"


def timed(args: list[str]) -> dict[str, float]:
    """One process run by /usr/bin/time -v: wall s, CPU s, peak RSS MB, 1-minute load when it started."""
    env = {k: v for k, v in os.environ.items() if k not in ("CITRA_WORKSPACE", "CITRA_DATABASE_URL")}
    load = os.getloadavg()[0]
    began = time.perf_counter()
    done = subprocess.run(["/usr/bin/time", "-v", str(CITRA), *args], capture_output=True, text=True, env=env)
    wall = time.perf_counter() - began
    if done.returncode != 0:
        sys.exit(f"citra {' '.join(args)} failed ({done.returncode}):\n{done.stdout[-2000:]}\n{done.stderr[-4000:]}")
    grab = lambda name: float(re.search(rf"{name}: ([\d.]+)", done.stderr)[1])  # type: ignore[index]  # noqa: E731
    cpu = grab(r"User time \(seconds\)") + grab(r"System time \(seconds\)")
    return {
        "wall_s": round(wall, 2),
        "cpu_s": round(cpu, 2),
        "peak_rss_mb": round(grab(r"Maximum resident set size \(kbytes\)") / 1024),
        "load": round(load, 2),
    }


def default_period(workspace: Path) -> str:
    from citra import config, reports
    from citra.store import Store

    ws = config.load(workspace)
    with Store.open(ws.database_url) as store:
        return reports.default_period(store, ws)


def summary(name: str, runs: list[dict[str, float]], target: float | None) -> dict[str, object]:
    wall = statistics.median(r["wall_s"] for r in runs)
    out: dict[str, object] = {
        "name": name,
        "median_wall_s": round(wall, 2),
        "runs_wall_s": [r["wall_s"] for r in runs],
        "median_cpu_s": round(statistics.median(r["cpu_s"] for r in runs), 2),
        "peak_rss_mb": max(r["peak_rss_mb"] for r in runs),
        "load": [r["load"] for r in runs],
    }
    if target is not None:
        out["target_s"] = target
        out["verdict"] = "met" if wall <= target else f"MISSED by {wall - target:.1f} s"
    print(f"{name}: median {wall:.1f} s {out['runs_wall_s']}", file=sys.stderr)
    return out


def bench_reports(workspace: Path, period: str, formats: list[str], runs: int, target: float | None) -> list[dict]:
    out = []
    with tempfile.TemporaryDirectory(prefix="citra-report-bench-") as tmp:
        for fmt in formats:
            target_file = Path(tmp) / f"laporan.{fmt}"
            cmd = ["report", "--period", period, "--format", fmt, "--out", str(target_file), "-w", str(workspace)]
            done = [timed(cmd) for _ in range(runs)]
            item = summary(f"citra report --period {period} --format {fmt}", done, target)
            item["bytes"] = target_file.stat().st_size
            out.append(item)
    return out


def bench_demo(runs: int, target: float | None, days: int | None) -> dict:
    done = []
    for _ in range(runs):
        folder = Path(tempfile.mkdtemp(prefix="citra-demo-bench-"))
        try:
            extra = ["--days", str(days)] if days else []
            done.append(timed(["demo", "--no-serve", "-w", str(folder / "demo"), *extra]))
        finally:
            shutil.rmtree(folder, ignore_errors=True)
    return summary("citra demo --no-serve" + (f" --days {days}" if days else ""), done, target)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-w", "--workspace", type=Path, help="time citra report on this workspace")
    parser.add_argument("--period", help="YYYY-MM (default: the report's default month)")
    parser.add_argument("--formats", default="pdf,html,xlsx")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--target", type=float, help="seconds a report may take (marks met / MISSED)")
    parser.add_argument("--demo", action="store_true", help="time citra demo --no-serve into fresh folders")
    parser.add_argument("--demo-days", type=int, help="--days of the demo (default: the demo's own)")
    parser.add_argument("--demo-target", type=float, default=60.0)
    parser.add_argument("--json", type=Path, help="write the figures to this file")
    args = parser.parse_args(argv)
    if not args.workspace and not args.demo:
        parser.error("give -w WORKSPACE and/or --demo")
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    status = subprocess.run(["git", "status", "--short", "src"], cwd=ROOT, capture_output=True, text=True)
    body: dict[str, object] = {
        "uncommitted_src": status.stdout.splitlines(),
        "date": date.today().isoformat(),
        "nproc": os.cpu_count(),
        "commit": commit.stdout.strip(),
        "runs": args.runs,
    }
    rows: list[dict] = []
    if args.workspace:
        workspace = args.workspace.resolve()
        period = args.period or default_period(workspace)
        body["workspace"] = str(workspace)
        rows += bench_reports(workspace, period, args.formats.split(","), args.runs, args.target)
    if args.demo:
        rows.append(bench_demo(args.runs, args.demo_target, args.demo_days))
    body["results"] = rows
    dirty = len(body["uncommitted_src"])  # type: ignore[arg-type]
    print(f"\n{body['date']}, {body['nproc']} cores, commit {body['commit']} ({dirty} uncommitted changes under src/)")
    print(f"median of {args.runs} runs\n")
    print("| command | median wall s | runs (s) | CPU s | peak RSS (MB) | load at start | target |")
    print("| --- | ---: | --- | ---: | ---: | --- | --- |")
    for r in rows:
        runs = ", ".join(f"{x:.1f}" for x in r["runs_wall_s"])
        load = ", ".join(f"{x:.1f}" for x in r["load"])
        verdict = f"{r['target_s']:.0f} s: {r['verdict']}" if "target_s" in r else ""
        print(
            f"| `{r['name']}` | {r['median_wall_s']:.1f} | {runs} | {r['median_cpu_s']:.1f} | {r['peak_rss_mb']} "
            f"| {load} | {verdict} |"
        )
    if args.json:
        args.json.write_text(json.dumps(body, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
