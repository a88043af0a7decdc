"""Time the network, its communities and the coordination detector on a workspace (issue 13: 1,000,000 posts
within 5 minutes on the 2-core machine).

    .venv/bin/python bench/network_bench.py -w /tmp/citra-1m/sqlite                 # every post
    .venv/bin/python bench/network_bench.py -w /tmp/citra-1m/sqlite --days 30        # the last 30 days

Each step is timed on its own (read the posts, build the graph with communities and PageRank, detect the
coordinated groups), in one process; peak memory is the process' maximum resident size. Prints a markdown row.
"""

from __future__ import annotations

import argparse
import platform
import resource
import time
from datetime import timedelta
from pathlib import Path

from citra import config, network
from citra.analytics import coordination as coord
from citra.analytics import network as net
from citra.store import PostQuery, Store
from citra.store.query import Order


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("-w", "--workspace", type=Path, required=True)
    ap.add_argument("--days", type=int, default=0, help="Only the last N days (0: every post).")
    ap.add_argument("--window-seconds", type=int, default=coord.WINDOW)
    args = ap.parse_args()
    ws = config.load(args.workspace)
    with Store.open(ws.database_url) as store:
        query = PostQuery(order=Order.OLDEST)
        if args.days:
            last = store.search(PostQuery(), limit=1).items[0].post.created_at
            query = PostQuery(since=last - timedelta(days=args.days), order=Order.OLDEST)
        t0 = time.perf_counter()
        posts = network.load(store, query)
        t1 = time.perf_counter()
        found = net.analyse(posts)
        t2 = time.perf_counter()
        groups = coord.detect(posts, window_seconds=args.window_seconds)
        t3 = time.perf_counter()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    g = found.graph
    print(
        f"| {len(posts):,} posts | {g.number_of_nodes():,} accounts | {g.number_of_edges():,} links | "
        f"{len(found.communities)} communities shown | {len(groups)} groups | read {t1 - t0:.1f} s | "
        f"network {t2 - t1:.1f} s | coordination {t3 - t2:.1f} s | total {t3 - t0:.1f} s | peak {peak:,.0f} MB | "
        f"{ws.database_url.split(':')[0]} | {platform.node()} |"
    )
    for grp in groups[:10]:
        print(f"  {grp.kind:9} accounts={len(grp.accounts):3} posts={len(grp.posts):4} score={grp.score:6.1f}")


if __name__ == "__main__":
    main()
