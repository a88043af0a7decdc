"""End-to-end benchmark on the city simulator, over many seeds: crisis detection delay, false alerts per 90
calm days, and how often the 95% interval of `citra impact` covers the planted true effect.

Every step runs the real pipeline (ingest -> analyze with the shipped models -> alerts scan -> impact), so the
impact figures include the sentiment classifier's errors. With ``--audit N`` each seed then draws N random
non-official posts, gives them the simulated (true) sentiment as team labels in the audit sample, and estimates
every impact again: corrected for misclassification (docs/citra-index.md). Run by hand:

    .venv/bin/python bench/simulate_bench.py --seeds 20 --days 120
    .venv/bin/python bench/simulate_bench.py --seeds 30 --days 120 --audit 200 --skip-alerts
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from citra import config, curate
from citra.alerts.scan import scan
from citra.analyze import analyze
from citra.errors import CitraError
from citra.ingest import ingest
from citra.measure import impact
from citra.nlp.pipeline import Pipeline
from citra.records import Platform, Sentiment
from citra.simulate import Scenario, generate, write_csv
from citra.simulate.rows import OFFICIAL_STREAMS
from citra.store import Store, confusion

CRISIS_SPAN = timedelta(days=14)  # the simulated crisis is over after 14 days
WARM_UP = timedelta(days=7)  # the detector needs a week of history before it may flag anything


def run_seed(seed: int, days: int, root: Path, audit: int = 0, alerts: bool = True) -> dict:
    scenario = Scenario.default(days, seed)
    sim = generate(scenario)
    ws_root = root / f"seed{seed}"
    config.init(ws_root, "x", force=True)
    (ws_root / config.CONFIG_NAME).write_text(scenario.workspace_toml(), encoding="utf-8")
    ws = config.load(ws_root)
    export = ws_root / "posts.csv"
    write_csv(sim, export)
    out: dict = {"seed": seed, "delay_hours": None, "false_per_90": 0.0}
    with Store.open(ws.database_url) as store:
        store.upgrade()
        ingest(store, ws, [export])
        analyze(store, Pipeline.for_workspace(ws))
        if alerts:
            found = scan(store, ws, notify=False).alerts
            onset = sim.truth.crises[0].onset
            near = [a for a in found if onset - timedelta(hours=6) <= a.start <= onset + timedelta(days=3)]
            # an alert starts at the beginning of its first flagged hour; the hour is complete one hour later
            first_flag = min(a.start for a in near) + timedelta(hours=1) if near else None
            out["delay_hours"] = (first_flag - onset).total_seconds() / 3600 if first_flag else None
            calm = [a for a in found if not (onset - timedelta(hours=6) <= a.start <= onset + CRISIS_SPAN)]
            calm_days = days - CRISIS_SPAN.days - WARM_UP.days
            out["false_per_90"] = len(calm) * 90 / calm_days
        items = [
            curate.add_intervention(store, "bench", t.name, t.date, t.kind, "", t.metric, t.window_days)
            for t in sim.truth.interventions
        ]
        out["impacts"] = _impacts(store, ws, sim, items)
        if audit:
            out["audit"] = _audit(store, sim, audit, seed)
            out["corrected"] = _impacts(store, ws, sim, items)
    return out


def _impacts(store: Store, ws: config.Workspace, sim: object, items: list) -> list[dict]:
    found = []
    for truth, item in zip(sim.truth.interventions, items, strict=True):
        try:
            result, _ = impact(store, ws, item, truth.metric, days=truth.window_days, pre_days=28)
        except CitraError as exc:
            found.append({"name": truth.name, "error": str(exc)})
            continue
        found.append(
            {
                "name": truth.name,
                "metric": truth.metric,
                "true": truth.true_effect,
                "effect": result.effect,
                "low": result.ci_low,
                "high": result.ci_high,
                "covered": result.ci_low <= truth.true_effect <= result.ci_high,
            }
        )
    return found


def _audit(store: Store, sim: object, n: int, seed: int) -> dict:
    """Team labels (the simulated sentiment) on ``n`` non-official posts drawn at random, in the audit sample."""
    rows = [r for r in sim.rows() if r.stream not in OFFICIAL_STREAMS]
    chosen = random.Random(seed).sample(rows, n)
    ids = []
    for row in chosen:
        (stored,) = store.lookup(row.id, Platform.X)
        store.set_human(stored.id, "bench", sentiment=Sentiment(row.sentiment))
        ids.append(stored.id)
    confusion.draw(store, ids, "bench")
    table = confusion.counts(store)
    return {"labels": int(table.sum()), "accuracy": float(table.trace() / table.sum())}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=20)
    parser.add_argument("--days", type=int, default=120)
    parser.add_argument("--first-seed", type=int, default=0)
    parser.add_argument("--audit", type=int, default=0, help="Random audit labels per seed (0: none).")
    parser.add_argument("--skip-alerts", action="store_true", help="Measure impact coverage only.")
    args = parser.parse_args()
    results = []
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        for seed in range(args.first_seed, args.first_seed + args.seeds):
            t0 = time.perf_counter()
            r = run_seed(seed, args.days, Path(tmp), args.audit, not args.skip_alerts)
            results.append(r)
            covered = [i.get("covered") for i in r["impacts"]]
            fixed = [i.get("covered") for i in r.get("corrected", [])]
            took = time.perf_counter() - t0
            print(
                f"seed {seed}: delay {r['delay_hours']} h, false/90d {r['false_per_90']:.2f}, "
                f"covered {covered}, corrected {fixed} {r.get('audit', '')} ({took:.0f} s)",
                flush=True,
            )
    delays = [r["delay_hours"] for r in results if r["delay_hours"] is not None]
    missed = sum(r["delay_hours"] is None for r in results)
    print("\n| measure | value |\n| --- | --- |")
    print(f"| seeds | {len(results)} ({args.days} days each) |")
    if delays:
        print(f"| crisis detected | {len(delays)} of {len(results)} (missed {missed}) |")
        median, worst = statistics.median(delays), max(delays)
        print(
            "| detection delay from onset to the end of the first flagged hour, median / max | "
            f"{median:.1f} h / {worst:.1f} h |"
        )
        print(f"| detected within the first day | {sum(d <= 24 for d in delays)} of {len(results)} |")
    print(f"| false alerts per 90 calm days, mean | {statistics.fmean(r['false_per_90'] for r in results):.2f} |")
    for key, title in (("impacts", ""), ("corrected", ", corrected with the audit")):
        if not any(key in r for r in results):
            continue
        by_metric: dict[str, list[dict]] = {}
        for r in results:
            for i in r[key]:
                if "covered" in i:
                    by_metric.setdefault(i["metric"], []).append(i)
        for metric, found in sorted(by_metric.items()):
            hits = sum(i["covered"] for i in found)
            width = statistics.fmean(i["high"] - i["low"] for i in found)
            bias = statistics.fmean(i["effect"] - i["true"] for i in found)
            print(
                f"| impact interval covers the truth{title} ({metric}) | {hits} of {len(found)} "
                f"({hits / len(found):.0%}); mean width {width:.4f}, mean error {bias:+.4f} |"
            )
        everything = [i["covered"] for found in by_metric.values() for i in found]
        if everything:
            print(f"| impact coverage{title}, all | {sum(everything) / len(everything):.0%} |")
        errors = [i for r in results for i in r[key] if "error" in i]
        print(f"| impact refusals{title} | {len(errors)} |")
    audits = [r["audit"] for r in results if "audit" in r]
    if audits:
        accuracy = statistics.fmean(a["accuracy"] for a in audits)
        print(f"| audit labels per seed / model accuracy on them, mean | {audits[0]['labels']} / {accuracy:.3f} |")
    print(f"\n{time.perf_counter() - started:.0f} s in all")


if __name__ == "__main__":
    main()
