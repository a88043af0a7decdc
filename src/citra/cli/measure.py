"""citra commands: measure."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from citra import csvsafe
from citra.cli.common import WorkspaceOpt, _echo_json, _open, _query, app, err
from citra.errors import CitraError

intervention_app = typer.Typer(no_args_is_help=True, help="Strategies whose effect is measured.")
app.add_typer(intervention_app, name="intervention")


@app.command("index")
def index_cmd(
    freq: Annotated[str, typer.Option("--freq", help="day, week, month or total (one row for the range).")] = "day",
    by: Annotated[str | None, typer.Option("--by", help="platform, topic, target or opd.")] = None,
    since: Annotated[str | None, typer.Option(help="From this date or time (workspace zone).")] = None,
    until: Annotated[str | None, typer.Option(help="Before this date or time.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    as_csv: Annotated[bool, typer.Option("--csv", help="Print CSV.")] = False,
    workspace: WorkspaceOpt = None,
) -> None:
    """The citra index (0-100, 95% interval) with volume and sentiment mix, per period and group; corrected for
    the sentiment model's errors once the random audit sample has enough team labels."""
    from citra.measure import correction, index_rows

    if freq not in ("day", "week", "month", "total"):
        raise CitraError(f"--freq {freq!r}: choose day, week, month or total")
    ws, store = _open(workspace)
    query = _query(ws, since, until, None)
    with store:
        audit = correction(store, ws)
        rows = index_rows(store, ws, freq=freq, by=by, since=query.since, until=query.until, audit=audit)
    data = [r.as_dict() for r in rows]
    if as_json:
        _echo_json({"freq": freq, "by": by, "rows": data})
    elif as_csv:
        fields = list(data[0]) if data else ["period"]
        writer = csvsafe.DictWriter(sys.stdout, fieldnames=fields)
        writer.writeheader()
        writer.writerows(data)
    else:
        from rich.table import Table

        table = Table(title=f"Indeks citra per {freq}" + (f" menurut {by}" if by else ""))
        for column in ("periode", "kelompok", "volume", "positif", "netral", "negatif", "indeks", "95%"):
            table.add_column(column, justify="left" if column in ("periode", "kelompok") else "right")
        for r in rows:
            table.add_row(
                r.period.strftime("%Y-%m-%d"),
                r.group or "-",
                f"{r.volume:,}",
                f"{r.positive_share:.0%}",
                f"{r.neutral_share:.0%}",
                f"{r.negative_share:.0%}",
                f"{r.index:.1f}",
                f"{r.ci_low:.1f}-{r.ci_high:.1f}",
            )
        Console().print(table)
        if not rows:
            err.print("No analysed posts in this range: run citra ingest and citra analyze first.")
        elif audit.corrected:
            err.print(f"Dikoreksi dengan {audit.labels_used} label audit.", highlight=False)
        else:
            err.print(f"Belum dikoreksi: {audit.labels_used} dari {audit.minimum} label audit.", highlight=False)


@intervention_app.command("add")
def intervention_add(
    name: Annotated[str, typer.Option("--name", help="A short unique name.")],
    on: Annotated[str, typer.Option("--date", help="First day of the intervention (YYYY-MM-DD, local).")],
    kind: Annotated[
        str, typer.Option("--kind", help="declaration, campaign, social-activity, statement or publication.")
    ],
    description: Annotated[str, typer.Option("--description", help="What was done.")] = "",
    metric: Annotated[
        str | None,
        typer.Option(
            "--metric",
            help="What it should change: net_sentiment, negative_share, volume or index (default: by kind).",
        ),
    ] = None,
    window_days: Annotated[
        int | None, typer.Option("--window-days", help="Days its effect is measured over, 7-56 (default: by kind).")
    ] = None,
    workspace: WorkspaceOpt = None,
) -> None:
    """Record a strategy (a declaration, a campaign, ...) with the metric and window its effect is measured on
    (by citra impact and the monthly report)."""
    from citra import curate

    _, store = _open(workspace)
    with store:
        item = curate.add_intervention(store, curate.os_actor(), name, on, kind, description, metric, window_days)
    err.print(
        f"Intervention {item.name!r} ({item.kind.value}) on {item.date.isoformat()} recorded, measured on "
        f"{item.metric} over {item.window_days} days",
        highlight=False,
    )


@intervention_app.command("list")
def intervention_list(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False, workspace: WorkspaceOpt = None
) -> None:
    """List recorded interventions."""
    _, store = _open(workspace)
    with store:
        items = store.interventions()
    if as_json:
        _echo_json(
            [
                {
                    "name": i.name,
                    "date": i.date.isoformat(),
                    "kind": i.kind.value,
                    "description": i.description,
                    "metric": i.metric,
                    "window_days": i.window_days,
                }
                for i in items
            ]
        )
    else:
        for i in items:
            Console().print(
                f"{i.date.isoformat()}  {i.kind.value:<16} {i.metric:<14} {i.window_days:>2}d  "
                f"{i.name}  {i.description}",
                highlight=False,
            )


@app.command()
def impact(
    name: Annotated[str, typer.Argument(help="Name of a recorded intervention.")],
    metric: Annotated[
        str | None,
        typer.Option("--metric", help="net_sentiment, negative_share, volume or index (default: the recorded one)."),
    ] = None,
    days: Annotated[
        int | None, typer.Option("--days", help="Length of the post period in days (default: the recorded window).")
    ] = None,
    chart: Annotated[Path | None, typer.Option("--chart", help="Write the chart to this HTML file.")] = None,
    no_controls: Annotated[bool, typer.Option("--no-controls", help="Do not use comparison entities.")] = False,
    pre_days: Annotated[
        int | None, typer.Option("--pre-days", help="Use at most this many days before the intervention.", min=14)
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    workspace: WorkspaceOpt = None,
) -> None:
    """Estimate the effect of an intervention on a daily metric, with a 95% interval and p-value."""
    from citra.analytics import impact as stats
    from citra.measure import impact as measure_impact

    ws, store = _open(workspace)
    with store:
        item = store.intervention(name)
        metric, days = metric or item.metric, days or item.window_days
        result, used = measure_impact(store, ws, item, metric, days=days, controls=not no_controls, pre_days=pre_days)
    data = result.as_dict() | {"intervention": name, "date": item.date.isoformat(), "metric": metric, "controls": used}
    if chart is not None:
        stats.write_chart(stats.chart(result, f"{name}: {metric}"), chart)
        data["chart"] = str(chart)
    if as_json:
        _echo_json(data)
    else:
        err.print(
            f"{name} ({item.kind.value}, {item.date.isoformat()}), {metric}: effect {result.effect:+.4f} per day, "
            f"95% interval [{result.ci_low:+.4f}, {result.ci_high:+.4f}], p = {result.p_value:.3f} "
            f"({result.pre_days} days before, {result.post_days} after)"
        )
        if chart is not None:
            err.print(f"Chart: {chart}")


@app.command()
def engagement(
    since: Annotated[str | None, typer.Option(help="From this date or time (workspace zone).")] = None,
    until: Annotated[str | None, typer.Option(help="Before this date or time.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    workspace: WorkspaceOpt = None,
) -> None:
    """Engagement of official posts by category and hour, and how citizens who need an answer get one."""
    from datetime import UTC
    from datetime import datetime as dt

    from citra.analytics.engagement import DAYS_ID, report

    ws, store = _open(workspace)
    query = _query(ws, since, until, None)
    with store:
        result = report(
            store.official_posts(query.since, query.until),
            store.first_answers(query.since, query.until),
            ws.tz,
            dt.now(UTC),
        )
    if as_json:
        _echo_json(result.as_dict())
        return
    from rich.table import Table

    console = Console()
    table = Table(title="Publikasi: keterlibatan per kategori konten")
    for column in ("kategori", "unggahan", "rata-rata", "median", "rasio"):
        table.add_column(column, justify="left" if column == "kategori" else "right")
    for c in result.categories:
        rate = f"{c.rate:.2%}" if c.rate is not None else "-"
        table.add_row(c.category, f"{c.posts:,}", f"{c.engagement_mean:,.1f}", f"{c.engagement_median:,.0f}", rate)
    console.print(table)
    best = sorted(result.hours, key=lambda h: -h.engagement_mean)[:3]
    if best:
        slots = ", ".join(f"{DAYS_ID[h.weekday]} {h.hour:02d}.00 ({h.engagement_mean:,.0f})" for h in best)
        console.print(f"Jam dengan keterlibatan tertinggi: {slots}")
    r = result.responses
    median = f"{r.median_minutes:,.0f} menit" if r.median_minutes is not None else "-"
    console.print(
        f"Keterlibatan warga: {r.answered:,} dari {r.needing:,} unggahan yang perlu jawaban dijawab "
        f"({r.answered_share:.0%}); median waktu jawab {median}; antrean terbuka {r.open:,}"
    )
