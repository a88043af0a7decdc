"""Coordinated-behaviour detection against planted truth, over many seeds, and against a heuristic on real posts.

Each seed simulates the default city (``Scenario.default(days, seed)``, its crisis included: the crisis is when
organic template texts pile up) with three planted campaigns (``crisis_campaigns(..., hashtag=True)``: a co-post
push, a co-repost ring, a hashtag push; ``--hard``: half the bursts, 55% of the accounts joining each, twice the
spread, or any one of these with ``--bursts-scale``, ``--participation``, ``--spread-scale``), and once more without
any (calm). The rows become ``NetPost``s the way the importer would see them (repost if the text starts "RT @",
reply if it answers someone, official if one of the city's handles), ``detect`` runs with its defaults, and
accounts are scored: an account is predicted coordinated when it is in any group, truly coordinated when it took
part in a planted campaign (a ring's anchors, who only post the originals, count neither way). A false group has
no planted account at all.

Real posts: ``--real DIR`` (x-political-issues-2025: posts/*.json and accounts-heuristic.csv) are run through
``detect`` as they are, and the flagged accounts are compared with the data set's heuristic ``is_buzzer`` label
(agreement and Cohen's kappa over its 680 accounts); nothing is tuned to it. Run by hand:

    .venv/bin/python bench/coordination_bench.py --seeds 12 --days 120 --real ../shared/data/x-political-issues-2025
    .venv/bin/python bench/coordination_bench.py --seeds 12 --days 120 --hard
"""

from __future__ import annotations

import argparse
import csv
import json
import statistics
import time
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from citra.analytics.coordination import Group, detect
from citra.analytics.interactions import NetPost
from citra.simulate import Scenario, generate
from citra.simulate.scenario import CAMPAIGN_KINDS, crisis_campaigns


def netposts(rows: list, officials: frozenset[str]) -> list[NetPost]:
    out = []
    for i, r in enumerate(rows):
        kind = "repost" if r.text.startswith("RT @") else "reply" if r.reply_to else "post"
        handle = r.username.lower()
        out.append(NetPost(i, handle, r.created_at.timestamp(), kind, r.text, official=handle in officials))
    return out


def scaled(s: Scenario, k: float) -> Scenario:
    """``s`` with every daily volume (and the citizens' pool) times ``k``, as bench/build_workspace.py does."""
    if k == 1:
        return s
    c = s.crisis
    if c is not None:
        c = replace(c, leader_posts=c.leader_posts * k, institution_posts=c.institution_posts * k)
        c = replace(c, news_posts=c.news_posts * k)
    return replace(
        s,
        citizens=round(s.citizens * k),
        citizen_per_day=s.citizen_per_day * k,
        comparison_per_day=s.comparison_per_day * k,
        news_per_day=s.news_per_day * k,
        official_per_day=s.official_per_day * k,
        crisis=c,
    )


def run_seed(
    seed: int,
    days: int,
    window: int,
    bursts: float = 1.0,
    participation: float | None = None,
    spread: float = 1.0,
    scale: float = 1.0,
    calm: bool = True,
) -> dict:
    base = scaled(Scenario.default(days, seed), scale)
    assert base.crisis is not None
    planted = tuple(
        replace(
            c,
            bursts=max(3, round(c.bursts * bursts)),
            participation=participation or c.participation,
            spread_seconds=round(c.spread_seconds * spread),
        )
        for c in crisis_campaigns(base.crisis, hashtag=True)
    )
    s = replace(base, campaigns=planted)
    officials = frozenset(h.lower() for h in s.official_handles())
    result: dict = {"seed": seed, "calm_seconds": None}
    result["calm"] = {"groups": None, "flagged": None, "false_group_examples": []}  # unless run below
    for name, scenario in (("planted", s), ("calm", replace(s, campaigns=())))[: 2 if calm else 1]:
        sim = generate(scenario)
        posts = netposts(list(sim.rows()), officials)
        started = time.perf_counter()
        groups = detect(posts, window_seconds=window)
        result[f"{name}_seconds"] = time.perf_counter() - started
        result[f"{name}_posts"] = len(posts)
        truth = {c.kind: {h.lower() for h in c.accounts} for c in sim.truth.campaigns}
        anchors = {h.lower() for c in sim.truth.campaigns for h in c.anchors}
        result[name] = score(groups, truth, anchors)
    return result


def score(groups: list[Group], truth: dict[str, set[str]], anchors: set[str]) -> dict:
    planted = set().union(*truth.values()) if truth else set()
    flagged = {a for g in groups for a in g.accounts} - anchors
    by_kind = {k: {a for g in groups if g.kind == k for a in g.accounts} - anchors for k in CAMPAIGN_KINDS}
    out: dict = {
        "groups": len(groups),
        "false_groups": sum(1 for g in groups if not set(g.accounts) & (planted | anchors)),
        "flagged": len(flagged),
        "false_accounts": len(flagged - planted),
        "precision": len(flagged & planted) / len(flagged) if flagged else None,
        "recall": len(flagged & planted) / len(planted) if planted else None,
        "false_group_examples": [
            (g.kind, len(g.accounts), g.score, g.keys) for g in groups if not set(g.accounts) & (planted | anchors)
        ][:3],
    }
    for k in CAMPAIGN_KINDS:
        true_k = truth.get(k, set())
        out[f"recall_any_{k}"] = len(flagged & true_k) / len(true_k) if true_k else None
        out[f"recall_same_{k}"] = len(by_kind[k] & true_k) / len(true_k) if true_k else None
        out[f"precision_{k}"] = len(by_kind[k] & planted) / len(by_kind[k]) if by_kind[k] else None
        out[f"groups_{k}"] = sum(1 for g in groups if g.kind == k)
    return out


def summary(values: list) -> str:
    xs = [v for v in values if v is not None]
    if not xs:
        return "n/a"
    return f"{statistics.median(xs):.3f} [{min(xs):.3f}, {max(xs):.3f}] (n={len(xs)})"


def network_agreement(posts: list[NetPost], upstream: dict[str, tuple[float, str]]) -> dict:
    """Our PageRank and communities against the data set's own (computed upstream on its reply/mention graph):
    Spearman correlation of PageRank and adjusted Rand index of the communities, over the accounts in both."""
    from scipy.stats import spearmanr
    from sklearn.metrics import adjusted_rand_score

    from citra.analytics.network import analyse

    found = analyse(posts)
    g = found.graph
    both = sorted(a for a in upstream if a in g)
    rho = spearmanr([g.nodes[a]["pagerank"] for a in both], [upstream[a][0] for a in both]).statistic
    ours = [g.nodes[a]["community"] or -1 for a in both]
    ari = adjusted_rand_score([upstream[a][1] for a in both], ours)
    top = {i.handle for i in found.influencers[:10]}
    their_top = set(sorted(upstream, key=lambda a: -upstream[a][0])[:10])
    return {
        "accounts_compared": len(both),
        "links": g.number_of_edges(),
        "pagerank_spearman": round(float(rho), 3),
        "community_ari": round(float(ari), 3),
        "top10_overlap": len(top & their_top),
    }


def real(root: Path, window: int) -> dict:
    posts: list[NetPost] = []
    for path in sorted((root / "posts").glob("*.json")):
        for item in json.loads(path.read_text(encoding="utf-8")):
            if not item.get("createdAt") or not item.get("userName"):
                continue
            at = datetime.strptime(item["createdAt"], "%B %d, %Y at %I:%M %p").replace(tzinfo=UTC).timestamp()
            text = item.get("content") or ""
            kind = "repost" if text.startswith("RT @") else "reply" if text.lstrip().startswith("@") else "post"
            posts.append(NetPost(len(posts), item["userName"].lower(), at, kind, text))
    started = time.perf_counter()
    groups = detect(posts, window_seconds=window)
    seconds = time.perf_counter() - started
    flagged = {a for g in groups for a in g.accounts}
    with (root / "accounts-heuristic.csv").open(encoding="utf-8") as f:
        label = {r["username"].lower(): r["is_buzzer"] == "1" for r in csv.DictReader(f)}
    n = len(label)
    both = sum(1 for a, b in label.items() if b and a in flagged)
    only_h = sum(1 for a, b in label.items() if b and a not in flagged)
    only_d = sum(1 for a, b in label.items() if not b and a in flagged)
    neither = n - both - only_h - only_d
    po = (both + neither) / n
    pe = ((both + only_h) * (both + only_d) + (neither + only_d) * (neither + only_h)) / n**2
    kappa = (po - pe) / (1 - pe) if pe < 1 else float("nan")
    with (root / "accounts-heuristic.csv").open(encoding="utf-8") as f:
        upstream = {r["username"].lower(): (float(r["pagerank"]), r["community"]) for r in csv.DictReader(f)}
    return {
        "network": network_agreement(posts, upstream),
        "posts": len(posts),
        "accounts": len({p.handle for p in posts}),
        "seconds": seconds,
        "groups": [(g.kind, len(g.accounts), g.score, g.keys, len(g.posts)) for g in groups],
        "flagged": len(flagged),
        "flagged_in_csv": len(flagged & set(label)),
        "heuristic_buzzers": sum(label.values()),
        "both": both,
        "only_heuristic": only_h,
        "only_detect": only_d,
        "kappa": kappa,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seeds", type=int, default=12)
    parser.add_argument("--first-seed", type=int, default=0)
    parser.add_argument("--days", type=int, default=45)
    parser.add_argument("--window-seconds", type=int, default=60)
    parser.add_argument("--real", type=Path, default=None)
    parser.add_argument(
        "--hard", action="store_true", help="= --bursts-scale 0.5 --participation 0.55 --spread-scale 2"
    )
    parser.add_argument("--bursts-scale", type=float, default=1.0, help="campaigns' bursts times this (at least 3)")
    parser.add_argument("--participation", type=float, default=None, help="share of accounts joining a burst")
    parser.add_argument("--spread-scale", type=float, default=1.0, help="campaigns' burst spread times this")
    parser.add_argument("--scale", type=float, default=1.0, help="every daily volume times this (timing runs)")
    parser.add_argument("--no-calm", action="store_true", help="skip the calm run of each seed")
    args = parser.parse_args()
    if args.hard:
        args.bursts_scale, args.participation, args.spread_scale = 0.5, 0.55, 2.0
    runs = []
    for seed in range(args.first_seed, args.first_seed + args.seeds):
        r = run_seed(
            seed,
            args.days,
            args.window_seconds,
            args.bursts_scale,
            args.participation,
            args.spread_scale,
            args.scale,
            not args.no_calm,
        )
        p, c = r["planted"], r["calm"]
        print(
            f"seed {seed}: {r['planted_posts']:,} posts, detect {r['planted_seconds']:.2f} s; "
            f"P {p['precision']:.3f} R {p['recall']:.3f}; groups {p['groups']} (false {p['false_groups']}); "
            f"recall co-post {p['recall_any_co-post']:.2f} co-repost {p['recall_any_co-repost']:.2f} "
            f"hashtag {p['recall_any_hashtag']:.2f}; calm: {c['groups']} groups, {c['flagged']} accounts "
            f"{c['false_group_examples']} {p['false_group_examples']}",
            flush=True,
        )
        runs.append(r)
    p = [r["planted"] for r in runs]
    c = [r["calm"] for r in runs]
    profile = (
        f"bursts x{args.bursts_scale}, participation {args.participation or 'default'}, spread x{args.spread_scale}"
    )
    print(
        f"\n{len(runs)} seeds x {args.days} days, {profile} campaigns, window {args.window_seconds} s"
        " (median [min, max])"
    )
    print(f"posts per seed: {summary([r['planted_posts'] for r in runs])}")
    print(f"detect seconds (planted): {summary([r['planted_seconds'] for r in runs])}")
    print(f"detect seconds (calm): {summary([r['calm_seconds'] for r in runs])}")
    print(f"accounts precision: {summary([x['precision'] for x in p])}")
    print(f"accounts recall: {summary([x['recall'] for x in p])}")
    for k in CAMPAIGN_KINDS:
        print(f"  {k}: recall by any group {summary([x[f'recall_any_{k}'] for x in p])}")
        print(f"  {k}: recall by a {k} group {summary([x[f'recall_same_{k}'] for x in p])}")
        print(f"  {k}: precision of {k} groups {summary([x[f'precision_{k}'] for x in p])}")
        print(f"  {k}: groups per seed {summary([x[f'groups_{k}'] for x in p])}")
    print(f"false groups per seed (planted): {summary([x['false_groups'] for x in p])}")
    print(f"false accounts per seed (planted): {summary([x['false_accounts'] for x in p])}")
    print(f"groups per calm scenario (all false): {summary([x['groups'] for x in c])}")
    print(f"accounts flagged per calm scenario: {summary([x['flagged'] for x in c])}")
    if args.real is not None:
        r = real(args.real, args.window_seconds)
        print(f"\nreal posts ({args.real.name}): {json.dumps(r, ensure_ascii=False, default=str)}")


if __name__ == "__main__":
    main()
