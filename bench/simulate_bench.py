"""End-to-end benchmark on the city simulator, over many seeds: crisis detection delay, false alerts per 90
calm days, and how often the 95% interval of `citra impact` covers the planted true effect.

Every step runs the real pipeline (ingest -> analyze with the shipped models -> alerts scan -> impact), so the
impact figures include the sentiment classifier's errors. Run by hand:

    .venv/bin/python bench/simulate_bench.py --seeds 20 --days 120
"""

from __future__ import annotations

import argparse
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
from citra.simulate import Scenario, generate, write_csv
from citra.store import Store

CRISIS_SPAN = timedelta(days=14)  # the simulated crisis is over after 14 days
WARM_UP = timedelta(days=7)  # the detector needs a week of history before it may flag anything


def run_seed(seed: int, days: int, root: Path) -> dict:
    scenario = Scenario.default(days, seed)
    sim = generate(scenario)
    ws_root = root / f"seed{seed}"
    config.init(ws_root, "x", force=True)
    (ws_root / config.CONFIG_NAME).write_text(scenario.workspace_toml(), encoding="utf-8")
    ws = config.load(ws_root)
    export = ws_root / "posts.csv"
    write_csv(sim, export)
    out: dict = {"seed": seed}
    with Store.open(ws.database_url) as store:
        store.upgrade()
        ingest(store, ws, [export])
        analyze(store, Pipeline.for_workspace(ws))
        alerts = scan(store, ws, notify=False).alerts
        onset = sim.truth.crises[0].onset
        near = [a for a in alerts if onset - timedelta(hours=6) <= a.start <= onset + timedelta(days=3)]
        # an alert starts at the beginning of its first flagged hour; the hour is complete one hour later
        first_flag = min(a.start for a in near) + timedelta(hours=1) if near else None
        out["delay_hours"] = (first_flag - onset).total_seconds() / 3600 if first_flag else None
        calm = [a for a in alerts if not (onset - timedelta(hours=6) <= a.start <= onset + CRISIS_SPAN)]
        calm_days = days - CRISIS_SPAN.days - WARM_UP.days
        out["false_per_90"] = len(calm) * 90 / calm_days
        out["impacts"] = []
        for truth in sim.truth.interventions:
            item = curate.add_intervention(store, "bench", truth.name, truth.date, truth.kind)
            try:
                result, _ = impact(store, ws, item, truth.metric, days=truth.window_days, pre_days=28)
            except CitraError as exc:
                out["impacts"].append({"name": truth.name, "error": str(exc)})
                continue
            covered = result.ci_low <= truth.true_effect <= result.ci_high
            out["impacts"].append(
                {
                    "name": truth.name,
                    "metric": truth.metric,
                    "true": truth.true_effect,
                    "effect": result.effect,
                    "low": result.ci_low,
                    "high": result.ci_high,
                    "covered": covered,
                }
            )
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=20)
    parser.add_argument("--days", type=int, default=120)
    args = parser.parse_args()
    results = []
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        for seed in range(args.seeds):
            t0 = time.perf_counter()
            r = run_seed(seed, args.days, Path(tmp))
            results.append(r)
            covered = [i.get("covered") for i in r["impacts"]]
            took = time.perf_counter() - t0
            print(
                f"seed {seed}: delay {r['delay_hours']} h, false/90d {r['false_per_90']:.2f}, "
                f"covered {covered} ({took:.0f} s)"
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
    by_metric: dict[str, list[bool]] = {}
    for r in results:
        for i in r["impacts"]:
            if "covered" in i:
                by_metric.setdefault(i["metric"], []).append(i["covered"])
    for metric, hits in sorted(by_metric.items()):
        share = sum(hits) / len(hits)
        print(f"| impact interval covers the truth ({metric}) | {sum(hits)} of {len(hits)} ({share:.0%}) |")
    everything = [h for hits in by_metric.values() for h in hits]
    if everything:
        print(f"| impact coverage, all | {sum(everything) / len(everything):.0%} |")
    errors = [i for r in results for i in r["impacts"] if "error" in i]
    print(f"| impact refusals | {len(errors)} |")
    print(f"\n{time.perf_counter() - started:.0f} s in all")


if __name__ == "__main__":
    main()
