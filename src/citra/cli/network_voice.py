"""citra commands: ``citra network share-of-voice`` and ``citra network spillover``."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from citra.cli.common import WorkspaceOpt, _echo_json, _open, _query, err
from citra.cli.network import network_app

Since = Annotated[str | None, typer.Option(help="From this date or time (workspace zone).")]
Until = Annotated[str | None, typer.Option(help="Up to this date (inclusive) or before this time.")]
Period = Annotated[str, typer.Option("--period", help="day, week or month (local time of the workspace).")]
Json = Annotated[bool, typer.Option("--json", help="Print JSON.")]


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{value:.1%}"


@network_app.command("share-of-voice")
def share_of_voice_cmd(
    since: Since = None,
    until: Until = None,
    period: Period = "week",
    as_json: Json = False,
    workspace: WorkspaceOpt = None,
) -> None:
    """Share of voice per period: the government against each comparison entity ([[entities]] in citra.toml):
    volume, share of the summed volume (95% interval), sentiment shares and the citra index (95% interval)."""
    from citra.voice import share_of_voice

    ws, store = _open(workspace)
    query = _query(ws, since, until, None)
    with store:
        result = share_of_voice(store, ws, period, query.since, query.until)
    if as_json:
        _echo_json(result.as_dict())
        return
    names = {g.key: g.name for g in result.groups}
    table = Table(title=f"Porsi suara per {period}")
    for column in ("periode", "pihak", "volume", "porsi", "95%", "positif", "negatif", "indeks", "95% indeks"):
        table.add_column(column, justify="left" if column in ("periode", "pihak") else "right")
    for label, rows in (("", result.rows), ("semua", result.totals)):
        for r in rows:
            table.add_row(
                label or r.period.strftime("%Y-%m-%d"),
                escape(names[r.group]),
                f"{r.volume:,}",
                _pct(r.share),
                f"{r.share_low:.1%}-{r.share_high:.1%}",
                _pct(r.positive_share),
                _pct(r.negative_share),
                "-" if r.index is None else f"{r.index:.1f}",
                "-" if r.ci_low is None else f"{r.ci_low:.1f}-{r.ci_high:.1f}",
            )
    Console().print(table)
    if not result.rows:
        err.print("No analysed posts about the government or the comparison entities in this range.")
    elif len(result.groups) == 1:
        err.print("No comparison entities configured: add [[entities]] to citra.toml.")


@network_app.command("spillover")
def spillover_cmd(
    leader: Annotated[
        str | None, typer.Option("--leader", help="A configured leader (name or alias); default: the first.")
    ] = None,
    since: Since = None,
    until: Until = None,
    period: Period = "week",
    window_days: Annotated[
        int, typer.Option("--window-days", min=1, max=90, help="Days before and after each intervention compared.")
    ] = 14,
    as_json: Json = False,
    workspace: WorkspaceOpt = None,
) -> None:
    """Spillover of a leader's trouble onto the institution: per period, the share of the institution's negative
    posts that also name the leader (95% interval), and how it changes after each intervention (the
    --window-days days before its date against its date and the days after)."""
    from citra.voice import spillover

    ws, store = _open(workspace)
    query = _query(ws, since, until, None)
    with store:
        result = spillover(store, ws, period, query.since, query.until, leader=leader, window_days=window_days)
    if as_json:
        _echo_json(result.as_dict())
        return
    table = Table(title=f"Limpahan {escape(result.leader)} ke {escape(result.organisation)} per {period}")
    for column in ("periode", "negatif institusi", "menyebut pimpinan", "porsi", "95%", "negatif pimpinan"):
        table.add_column(column, justify="left" if column == "periode" else "right")
    rows = [*((r.period.strftime("%Y-%m-%d"), r) for r in result.rows)]
    rows += [("semua", result.total)] if result.total else []
    for label, r in rows:
        table.add_row(
            label, f"{r.negative:,}", f"{r.with_leader:,}", _pct(r.share), f"{r.low:.1%}-{r.high:.1%}",
            f"{r.leader_negative:,}",
        )  # fmt: skip
    Console().print(table)
    if result.changes:
        changes = Table(title=f"Sebelum dan sesudah intervensi ({result.window_days} hari)")
        for column in ("intervensi", "tanggal", "sebelum", "sesudah", "selisih", "95%"):
            changes.add_column(column, justify="left" if column in ("intervensi", "tanggal") else "right")
        for c in result.changes:
            changes.add_row(
                escape(c.name),
                c.date.isoformat(),
                f"{_pct(c.before.share)} ({c.before.k}/{c.before.n})",
                f"{_pct(c.after.share)} ({c.after.k}/{c.after.n})",
                "-" if c.difference is None else f"{c.difference:+.1%}",
                "-" if c.low is None else f"{c.low:+.1%} s.d. {c.high:+.1%}",
            )
        Console().print(changes)
    if not result.rows:
        err.print("No analysed posts about the institution or the leader in this range.")
