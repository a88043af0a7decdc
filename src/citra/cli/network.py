"""citra commands: ``citra network ...`` (who is speaking: interactions, coordinated groups, share of voice)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from citra.cli.common import WorkspaceOpt, _echo_json, _open, _query, app, err

network_app = typer.Typer(
    no_args_is_help=True,
    help="Who is speaking: the interaction network, coordinated groups, share of voice and spillover.",
)
app.add_typer(network_app, name="network")


def _scope(ws: Any, since: str | None, until: str | None, query: str | None, platform: str | None) -> Any:
    from dataclasses import replace

    from citra.store.query import Order

    return replace(_query(ws, since, until, platform, query), order=Order.OLDEST)


@network_app.command("coordination")
def coordination_cmd(
    since: Annotated[str | None, typer.Option(help="From this date or time (workspace zone).")] = None,
    until: Annotated[str | None, typer.Option(help="Before this date or time (a bare date includes it).")] = None,
    query: Annotated[str | None, typer.Option("--query", "-q", help="Only posts matching this search.")] = None,
    platform: Annotated[str | None, typer.Option(help="Only this platform.")] = None,
    window_seconds: Annotated[
        int, typer.Option("--window-seconds", help="Posts at most this many seconds apart coincide.", min=1)
    ] = 60,
    as_json: Annotated[
        bool,
        typer.Option(
            "--json",
            help='Print {"groups": [{"accounts", "kind", "posts", "score", "bursts", ...}], "posts", "accounts"}.',
        ),
    ] = False,
    workspace: WorkspaceOpt = None,
) -> None:
    """Groups of accounts that posted the same text, reposted the same posts or pushed the same hashtag within
    seconds of each other more often than chance allows (co-post, co-repost, hashtag), with the evidence."""
    from citra import network

    ws, store = _open(workspace)
    with store:
        found = network.coordination(store, _scope(ws, since, until, query, platform), window_seconds=window_seconds)
    if as_json:
        _echo_json(
            {
                "groups": [network.group_json(g, ws.tz) for g in found.groups],
                "posts": found.posts,
                "accounts": found.accounts,
                "window_seconds": found.window_seconds,
            }
        )
        return
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    table = Table(title=f"Coordinated groups ({found.posts:,} posts, window {window_seconds} s)")
    for column in ("kind", "accounts", "posts", "bursts", "score", "shared", "members"):
        table.add_column(column, justify="right" if column in {"accounts", "posts", "bursts", "score"} else "left")
    for g in found.groups:
        members = ", ".join("@" + a for a in g.accounts[:6]) + (" ..." if len(g.accounts) > 6 else "")
        shared = ", ".join(g.keys[:3])
        row = (g.kind, f"{len(g.accounts)}", f"{len(g.posts):,}", f"{len(g.bursts)}", f"{g.score:.1f}")
        table.add_row(*row, escape(shared), escape(members))
    Console().print(table)
    err.print(
        f"{len(found.groups)} groups among {found.accounts:,} accounts; score = -log10 of the chance p-value "
        "(Bonferroni), 2 = one in a hundred"
    )


@network_app.command("show")
def show_cmd(
    since: Annotated[str | None, typer.Option(help="From this date or time (workspace zone).")] = None,
    until: Annotated[str | None, typer.Option(help="Before this date or time (a bare date includes it).")] = None,
    query: Annotated[str | None, typer.Option("--query", "-q", help="Only posts matching this search.")] = None,
    platform: Annotated[str | None, typer.Option(help="Only this platform.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print communities and influencers as JSON.")] = False,
    workspace: WorkspaceOpt = None,
) -> None:
    """The interaction network: its communities (Louvain) with their terms, sentiment and targets, and the
    influencers (PageRank, links in, followers)."""
    from citra import network

    ws, store = _open(workspace)
    with store:
        found = network.analyse(store, _scope(ws, since, until, query, platform))
    data = network.network_json(found)
    if as_json:
        _echo_json(data)
        return
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    console = Console()
    g = found.graph
    console.print(f"{found.posts:,} posts, {g.number_of_nodes():,} accounts, {g.number_of_edges():,} links")
    table = Table(title="Communities (largest first)")
    for column in ("#", "accounts", "share", "negative", "terms", "central"):
        table.add_column(column, justify="left" if column in {"terms", "central"} else "right")
    for c in found.communities:
        neg = f"{c.sentiment[0]:.0%}" if c.sentiment else "-"
        central = ", ".join("@" + h for h in c.top[:3])
        table.add_row(
            f"{c.number}", f"{c.accounts:,}", f"{c.share:.1%}", neg, escape(", ".join(c.terms)), escape(central)
        )
    console.print(table)
    table = Table(title="Influencers (PageRank)")
    for column in ("account", "pagerank", "links in", "followers", "community"):
        table.add_column(column, justify="left" if column == "account" else "right")
    for i in found.influencers:
        community = str(i.community) if i.community else "-"
        table.add_row(escape("@" + i.handle), f"{i.pagerank:.4f}", f"{i.links_in:,}", f"{i.followers:,}", community)
    console.print(table)


@network_app.command("export")
def export_cmd(
    fmt: Annotated[str, typer.Option("--format", help="gexf or graphml (both open in Gephi).")],
    out: Annotated[Path, typer.Option("--out", help="File to write.")],
    since: Annotated[str | None, typer.Option(help="From this date or time (workspace zone).")] = None,
    until: Annotated[str | None, typer.Option(help="Before this date or time (a bare date includes it).")] = None,
    query: Annotated[str | None, typer.Option("--query", "-q", help="Only posts matching this search.")] = None,
    platform: Annotated[str | None, typer.Option(help="Only this platform.")] = None,
    window_seconds: Annotated[int, typer.Option("--window-seconds", help="Coordination window.", min=1)] = 60,
    workspace: WorkspaceOpt = None,
) -> None:
    """Write the interaction network for Gephi: accounts with posts, followers, PageRank, community and the
    coordinated groups they are in; links with their weight per kind (repost, quote, reply, mention)."""
    from citra import network

    ws, store = _open(workspace)
    with store:
        g = network.export(store, _scope(ws, since, until, query, platform), fmt, out, window_seconds=window_seconds)
    err.print(f"Wrote {g.number_of_nodes():,} accounts and {g.number_of_edges():,} links to {out}")
