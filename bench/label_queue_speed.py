"""How long the label queue takes on a large workspace (e.g. the 1M-post one of bench/build_workspace.py): the queue
of each task (20 posts of the last 90 days, what "Beri label" shows; 20 and 200 of the whole history, the CLI), a
random audit draw of 50, and the label counts; the median of ``--repeats`` runs after one warm-up. The draws are
removed again afterwards.

    .venv/bin/python bench/label_queue_speed.py /tmp/citra-1m/sqlite [/tmp/citra-1m/postgres ...] [--repeats 3]
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

from citra import config, labelqueue
from citra.store import PostQuery, Store
from citra.store.schema import audit_sample


def timed(work: Callable[[], Any], repeats: int) -> float:
    work()
    runs = []
    for _ in range(repeats):
        start = time.perf_counter()
        work()
        runs.append(time.perf_counter() - start)
    return round(statistics.median(runs), 3)


def measure(root: Path, repeats: int) -> dict[str, Any]:
    ws = config.load(root)
    with Store.open(ws.database_url) as store:
        out: dict[str, Any] = {"workspace": str(root), "backend": store.dialect, "posts": store.count()}
        newest = next(iter(store.search(PostQuery(official=False, annotated=True), limit=1).items)).post.created_at
        since = newest - timedelta(days=90)  # the page's default window
        for task in labelqueue.Task:
            out[f"queue {task.value} n=20, 90 days"] = timed(
                lambda t=task: labelqueue.queue(store, t, 20, since=since), repeats
            )
            for n in (20, 200):
                out[f"queue {task.value} n={n}, all"] = timed(
                    lambda t=task, k=n: labelqueue.queue(store, t, k), repeats
                )
        out["counts"] = timed(lambda: labelqueue.counts(store), repeats)
        out["draw 50 (random audit)"] = timed(lambda: store.labelling.draw("sentiment", 50, "bench"), repeats)
        with store.engine.begin() as conn:
            conn.execute(audit_sample.delete().where(audit_sample.c.drawn_by == "bench"))
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("workspaces", nargs="+", type=Path)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    for root in args.workspaces:
        print(json.dumps(measure(root, args.repeats)), flush=True)


if __name__ == "__main__":
    main()
