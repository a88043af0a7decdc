"""Build a large simulator workspace (about 1,000,000 posts with real conversations) for the speed benchmarks.

    .venv/bin/python bench/build_workspace.py /tmp/citra-1m                      # SQLite and PostgreSQL
    .venv/bin/python bench/build_workspace.py /tmp/citra-1m --backends sqlite    # SQLite only
    nohup nice -n 10 .venv/bin/python bench/build_workspace.py /tmp/citra-1m > /tmp/citra-1m.log 2>&1 &

Data: the city simulator behind ``citra simulate`` (Kota Harapan Jaya: citizens' complaints and questions, replies to
official posts, official answers to citizens, threads, news, a planted crisis and interventions). ``citra simulate``
has no volume option, so with ``--scale K`` the script calls the same ``generate(Scenario.default(days, seed))`` with
every stream's daily volume (citizens, comparison city, news, official accounts, the crisis) and the citizens'
account pool multiplied by K; ``--scale 1`` writes exactly what ``citra simulate --days D --seed S`` writes. The
default, 365 days at K = 6.05, gives a busy city: about 2,700 posts a day, 1,000,000 in the year.

Steps (each the real command, as its own process, timed with ``/usr/bin/time``): simulate -> ``citra init`` ->
``citra.toml`` of the scenario (its official accounts and leaders) -> ``citra ingest`` -> ``citra analyze`` ->
``citra intervention add`` for each planted intervention -> ``citra alerts scan --no-notify`` -> ``citra user add``
(user ``bench``, password ``bench-password-123``, role admin). Into ``OUT/sqlite`` (the embedded database) and
``OUT/postgres`` (database ``--pg-db`` on ``--pg-url``; it is dropped and created again, and ANALYZEd at the end:
a bulk load leaves PostgreSQL without planner statistics until autovacuum runs). Timings go to
``OUT/build.json`` and are printed as a markdown table.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CITRA = ROOT / ".venv" / "bin" / "citra"
USER = "bench"
PASSWORD = "bench-password-123"


def scenario(days: int, seed: int, scale: float):  # -> citra.simulate.Scenario
    """``Scenario.default(days, seed)`` with every daily volume multiplied by ``scale``."""
    from citra.simulate import Scenario

    s = Scenario.default(days, seed)
    if scale == 1:
        return s
    crisis = s.crisis
    if crisis is not None:
        crisis = dataclasses.replace(
            crisis,
            leader_posts=crisis.leader_posts * scale,
            institution_posts=crisis.institution_posts * scale,
            news_posts=crisis.news_posts * scale,
        )
    return dataclasses.replace(
        s,
        citizens=round(s.citizens * scale),
        citizen_per_day=s.citizen_per_day * scale,
        comparison_per_day=s.comparison_per_day * scale,
        news_per_day=s.news_per_day * scale,
        official_per_day=s.official_per_day * scale,
        crisis=crisis,
    )


def simulate(csv: Path, days: int, seed: int, scale: float) -> dict[str, object]:
    from citra.simulate import generate, write_csv, write_truth

    began = time.perf_counter()
    sim = generate(scenario(days, seed, scale))
    rows = write_csv(sim, csv)
    write_truth(sim, csv.with_suffix(".truth.json"))
    return {"step": "simulate", "wall_s": round(time.perf_counter() - began, 1), "rows": rows}


def conversations(csv: Path, official: set[str]) -> dict[str, int]:
    """How many rows are replies, replies to official accounts, official answers to citizens, and threads."""
    import csv as csvmod

    by_id: dict[str, str] = {}
    replies = to_official = answers = 0
    threads: set[str] = set()
    with csv.open(encoding="utf-8", newline="") as fh:
        for row in csvmod.DictReader(fh):
            user = row["username"].lower()
            by_id[row["id_str"]] = user
            target = row["in_reply_to_screen_name"].lower()
            if not target:
                continue
            replies += 1
            threads.add(row["conversation_id_str"])
            if user in official and target not in official:
                answers += 1
            elif target in official:
                to_official += 1
    return {
        "rows": len(by_id),
        "replies": replies,
        "citizen_replies_to_official": to_official,
        "official_answers_to_citizens": answers,
        "conversations_with_replies": len(threads),
    }


def run(
    step: str, args: list[str], stdin: str | None = None, env: dict[str, str] | None = None, ok: tuple[int, ...] = (0,)
) -> dict[str, object]:
    """One command as its own process, timed by /usr/bin/time -v (wall clock, CPU, peak RSS)."""
    cmd = ["/usr/bin/time", "-v", str(CITRA), *args]
    load = os.getloadavg()[0]
    began = time.perf_counter()
    done = subprocess.run(cmd, input=stdin, capture_output=True, text=True, env=env, check=False)
    wall = time.perf_counter() - began
    if done.returncode not in ok:
        sys.exit(f"{step} failed ({done.returncode}):\n{done.stdout[-2000:]}\n{done.stderr[-4000:]}")
    grab = lambda name: re.search(rf"{name}: ([\d.:]+)", done.stderr)  # noqa: E731
    user, system, rss = (
        grab("User time \\(seconds\\)"),
        grab("System time \\(seconds\\)"),
        grab("Maximum resident set size \\(kbytes\\)"),
    )
    out: dict[str, object] = {
        "step": step,
        "wall_s": round(wall, 1),
        "cpu_s": round(float(user[1]) + float(system[1]), 1) if user and system else None,
        "peak_rss_mb": round(int(rss[1]) / 1024) if rss else None,
        "load": round(load, 2),
    }
    if "--json" in args:
        with contextlib.suppress(ValueError, IndexError):
            out["summary"] = json.loads(done.stdout.strip().splitlines()[-1])
    print(f"  {step}: {out['wall_s']} s wall, {out['cpu_s']} s CPU, {out['peak_rss_mb']} MB", file=sys.stderr)
    return out


STEPS = ("init", "ingest", "analyze", "upgrade", "finish")


def build(
    ws: Path, csv: Path, toml: str, truth: dict, database_url: str, start: str, stop: str = "finish"
) -> list[dict[str, object]]:
    """Fill the workspace at ``ws`` from ``csv`` (fresh unless ``start`` is a later step); returns the timed steps."""
    env = {**os.environ, "CITRA_DATABASE_URL": database_url} if database_url else dict(os.environ)
    env.pop("CITRA_WORKSPACE", None)
    if not database_url:
        env.pop("CITRA_DATABASE_URL", None)
    todo = STEPS[STEPS.index(start) : STEPS.index(stop) + 1]
    w = ["-w", str(ws)]
    steps = []
    if "init" in todo:
        ws.mkdir(parents=True, exist_ok=True)
        for name in ("citra.db", "citra.db-wal", "citra.db-shm"):
            (ws / name).unlink(missing_ok=True)
        steps.append(run("init", ["init", str(ws), "--org", "placeholder", "--force"], env=env))
        url = json.dumps(database_url)  # a JSON string is a valid TOML string
        text = toml.replace('database_url = ""', f"database_url = {url}", 1)
        (ws / "citra.toml").write_text(text, encoding="utf-8")
    if "ingest" in todo:
        steps.append(run("ingest", ["ingest", str(csv), "--json", *w], env=env))
    if "analyze" in todo:
        # the fast tier only: the deep tier would take hours on a million posts (its speed is benchmarked apart)
        steps.append(run("analyze", ["analyze", "--json", "--tier", "fast", *w], env=env))
    if "upgrade" in todo:  # a no-op unless the code gained a migration since init (schema work in progress)
        steps.append(run("db upgrade", ["db", "upgrade", *w], env=env))
    if "finish" not in todo:
        return steps
    for item in truth["interventions"]:
        args = ["intervention", "add", "--name", item["name"], "--date", item["date"], "--kind", item["kind"], *w]
        run("intervention add", args, env=env, ok=(0, 1))  # 1: already recorded (a resumed build)
    steps.append(run("alerts scan", ["alerts", "scan", "--no-notify", *w], env=env))
    user = ["user", "add", USER, "--role", "admin", "--password-stdin", *w]
    run("user add", user, stdin=PASSWORD + "\n", env=env, ok=(0, 1))
    return steps


def _recreate_pg(server: str, db: str) -> None:
    import sqlalchemy as sa

    engine = sa.create_engine(f"{server}/postgres", isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)'))
        conn.execute(sa.text(f'CREATE DATABASE "{db}"'))
    engine.dispose()


def _analyze_pg(url: str) -> dict[str, object]:
    """ANALYZE the new database: a bulk load leaves PostgreSQL without planner statistics until autovacuum gets to
    it (never, on a server with autovacuum off); citra itself does not run ANALYZE."""
    import sqlalchemy as sa

    engine = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    began = time.perf_counter()
    with engine.connect() as conn:
        autovacuum = conn.execute(sa.text("SHOW autovacuum")).scalar()
        conn.execute(sa.text("ANALYZE"))
    engine.dispose()
    wall = round(time.perf_counter() - began, 1)
    print(f"  ANALYZE: {wall} s (autovacuum {autovacuum})", file=sys.stderr)
    return {"step": f"ANALYZE (autovacuum {autovacuum})", "wall_s": wall, "cpu_s": None, "peak_rss_mb": None}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="folder for the CSV and the workspaces (e.g. /tmp/citra-1m)")
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--scale", type=float, default=6.05, help="daily volume multiplier (1: as citra simulate)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--backends", default="sqlite,postgres")
    parser.add_argument("--pg-url", default="postgresql+psycopg://postgres@127.0.0.1:5432")
    parser.add_argument("--pg-db", default="citra_bench_1m")
    parser.add_argument("--start-at", choices=STEPS, default="init", help="resume an interrupted build at this step")
    parser.add_argument("--stop-after", choices=STEPS, default="finish", help="e.g. ingest: time the import only")
    parser.add_argument("--resimulate", action="store_true", help="write the CSV again even if it exists")
    args = parser.parse_args(argv)
    out = args.out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    csv = out / "simulasi.csv"
    report: dict[str, object] = {"days": args.days, "scale": args.scale, "seed": args.seed}
    saved = out / "build.json"
    if args.start_at != "init" and saved.exists():  # a resumed build keeps the figures of the steps already done
        report = {**json.loads(saved.read_text(encoding="utf-8")), **report}
    if args.resimulate or not csv.exists():
        print(f"simulating {args.days} days x {args.scale} ...", file=sys.stderr)
        report["simulate"] = simulate(csv, args.days, args.seed, args.scale)
        print(f"  {report['simulate']}", file=sys.stderr)
    s = scenario(args.days, args.seed, args.scale)
    report["conversations"] = conversations(csv, {h.lower() for h in s.official_handles()})
    print(f"  {report['conversations']}", file=sys.stderr)
    truth = json.loads(csv.with_suffix(".truth.json").read_text(encoding="utf-8"))
    for backend in args.backends.split(","):
        print(f"{backend}:", file=sys.stderr)
        url = ""
        if backend == "postgres" and args.start_at == "init":
            _recreate_pg(args.pg_url, args.pg_db)
        if backend == "postgres":
            url = f"{args.pg_url}/{args.pg_db}"
        done = build(out / backend, csv, s.workspace_toml(), truth, url, args.start_at, args.stop_after)
        if backend == "postgres" and args.stop_after == "finish":
            done.append(_analyze_pg(f"{args.pg_url}/{args.pg_db}"))
        report[backend] = [*(report.get(backend) or [] if args.start_at != "init" else []), *done]  # type: ignore[misc]
        saved.write_text(json.dumps(report, indent=2), encoding="utf-8")
    print("\n| backend | step | wall s | CPU s | peak RSS (MB) | load |")
    print("| --- | --- | ---: | ---: | ---: | ---: |")
    for backend in args.backends.split(","):
        for step in report[backend]:  # type: ignore[union-attr]
            cells = (backend, step["step"], step["wall_s"], step["cpu_s"], step["peak_rss_mb"], step.get("load"))
            print("| " + " | ".join(str(c) for c in cells) + " |")


if __name__ == "__main__":
    main()
