"""The ``citra`` command line: one Typer app; each command parses input, calls the library, formats output."""

from __future__ import annotations

import sys
from datetime import datetime, timedelta
from pathlib import Path
from typing import Annotated, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import orjson
import typer
from rich.console import Console

from citra import config
from citra.errors import CitraError, ConfigError
from citra.records import Platform
from citra.store import PostQuery, Store

app = typer.Typer(
    name="citra",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    help="citra: social listening and public-image measurement for Indonesian government Humas offices.",
)
db_app = typer.Typer(no_args_is_help=True, help="Database schema commands.")
app.add_typer(db_app, name="db")

WorkspaceOpt = Annotated[
    Path | None,
    typer.Option("--workspace", "-w", help="Workspace folder (default: $CITRA_WORKSPACE or the current folder)."),
]
err = Console(stderr=True)


def _open(workspace: Path | None) -> tuple[config.Workspace, Store]:
    ws = config.load(workspace)
    store = Store.open(ws.database_url)
    store.check_current()
    return ws, store


def _zone(name: str | None, default: ZoneInfo) -> ZoneInfo:
    if not name:
        return default
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(f"unknown time zone {name!r} (use an IANA name such as Asia/Jakarta)") from None


def _when(value: str | None, tz: ZoneInfo, option: str) -> datetime | None:
    """A --since/--until value: a date (midnight in the workspace zone) or an ISO date-time."""
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise CitraError(f"{option}: {value!r} is not a date (use YYYY-MM-DD or YYYY-MM-DDTHH:MM)") from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=tz)


def _echo_json(data: Any) -> None:
    sys.stdout.write(orjson.dumps(data, default=str).decode() + "\n")


# workspace and database -------------------------------------------------------------------------------------


@app.command()
def init(
    directory: Annotated[Path, typer.Argument(help="Folder of the new workspace.")] = Path("."),
    org: Annotated[str, typer.Option("--org", help="Organisation, e.g. 'Pemerintah Kota Bekasi'.")] = "",
    timezone: Annotated[str, typer.Option("--timezone", help="IANA time zone.")] = "Asia/Jakarta",
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing citra.toml.")] = False,
) -> None:
    """Create a workspace (citra.toml, rejects folder) and its database."""
    if not org.strip():
        raise ConfigError("--org is required, e.g. --org 'Pemerintah Kota Bekasi'")
    ws = config.init(directory, org.strip(), timezone, force=force)
    with Store.open(ws.database_url) as store:
        store.upgrade()
    err.print(f"Workspace ready: {ws.root / config.CONFIG_NAME} (database: {_safe_url(ws.database_url)})")


def _safe_url(url: str) -> str:
    """A database URL without its password, for messages."""
    from sqlalchemy.engine import make_url

    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # a malformed URL is shown as the user gave it, it carries no secret we could hide
        return url


@db_app.command("upgrade")
def db_upgrade(workspace: WorkspaceOpt = None) -> None:
    """Apply database migrations."""
    ws = config.load(workspace)
    with Store.open(ws.database_url) as store:
        store.upgrade()
        err.print(f"Database at revision {store.revision()} ({_safe_url(ws.database_url)})")


@db_app.command("prune")
def db_prune(workspace: WorkspaceOpt = None) -> None:
    """Apply the [retention] settings of citra.toml: delete old posts, raw records and rejects logs."""
    from citra import retention

    ws, store = _open(workspace)
    with store:
        done = retention.apply(store, ws)
    err.print(
        f"Deleted {done.posts:,} posts, dropped {done.raw:,} raw records, removed {done.rejects_files} rejects logs"
    )


# ingest --------------------------------------------------------------------------------------------------------


@app.command()
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="Export files (CSV, XLSX, JSON, JSONL, optionally .gz).")],
    fmt: Annotated[
        str, typer.Option("--format", help="auto, tweet-harvest, x-v2, 4cat, meta-graph, youtube, csv, jsonl or xlsx.")
    ] = "auto",
    platform: Annotated[
        str | None, typer.Option("--platform", help="Platform of the posts (x, instagram, ...).")
    ] = None,
    maps: Annotated[list[str] | None, typer.Option("--map", help="FIELD=COLUMN for generic tables.")] = None,
    tz: Annotated[str | None, typer.Option("--tz", help="Zone of timestamps without one (default: workspace).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON summary object.")] = False,
    workspace: WorkspaceOpt = None,
) -> None:
    """Import export files into the store, exactly once (re-imports update engagement)."""
    from citra.ingest import ingest as run_ingest
    from citra.sources.base import ReadOptions

    column_map = dict(_pairs(maps or [], "--map", "FIELD=COLUMN, e.g. --map text=isi"))
    ws, store = _open(workspace)
    try:
        chosen = Platform.parse(platform) if platform else None
    except ValueError as exc:
        raise CitraError(str(exc)) from None
    opts = ReadOptions(chosen, _zone(tz, ws.tz), column_map, ws.official_handles())
    with store, _progress(enabled=not as_json and err.is_terminal) as progress:
        try:
            summary = run_ingest(store, ws, paths, fmt, opts, progress=progress)
        except KeyboardInterrupt:
            err.print("Interrupted: everything committed so far is kept; run the same command again to finish.")
            raise typer.Exit(130) from None
    if as_json:
        _echo_json(summary.as_dict())
    else:
        _print_summary(summary)
    if summary.status != "done":
        raise typer.Exit(3)


class _progress:
    """A Rich progress line per file on a terminal; a no-op otherwise."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self._bar: Any = None
        self._tasks: dict[str, Any] = {}

    def __enter__(self) -> Any:
        if not self.enabled:
            return None
        from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

        self._bar = Progress(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            TextColumn("{task.completed:,} rows"),
            TimeElapsedColumn(),
            console=err,
        )
        self._bar.__enter__()
        return self.update

    def update(self, path: str, rows: int) -> None:
        if path not in self._tasks:
            self._tasks[path] = self._bar.add_task(Path(path).name, total=None)
        self._bar.update(self._tasks[path], completed=rows)

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.__exit__(*exc)


def _print_summary(summary: Any) -> None:
    from rich.table import Table

    table = Table(title=f"Import {summary.batch}: {summary.status}")
    for column in ("file", "format", "read", "inserted", "updated", "rejected"):
        table.add_column(column, justify="right" if column not in ("file", "format") else "left")
    for f in summary.files:
        table.add_row(f.path, f.format or "-", f"{f.read:,}", f"{f.inserted:,}", f"{f.updated:,}", f"{f.rejected:,}")
    err.print(table)
    for f in summary.files:
        if f.error:
            err.print(f"[red]error[/red] {f.error}")
    if summary.rejects_path:
        err.print(f"Rejected rows and why: {summary.rejects_path}")


# collect ----------------------------------------------------------------------------------------------------


@app.command()
def collect(
    timeout: Annotated[float, typer.Option("--timeout", help="Seconds to wait for each feed.", min=1)] = 20.0,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON summary object.")] = False,
    workspace: WorkspaceOpt = None,
) -> None:
    """Fetch the news feeds of citra.toml once and store new articles (exit 3 when a feed failed)."""
    from citra.collect import collect as run_collect

    ws, store = _open(workspace)
    with store:
        summary = run_collect(store, ws, timeout=timeout)
    if as_json:
        totals = {k: summary.total(k) for k in ("inserted", "updated", "rejected")}
        extra = {"batch": summary.batch, "status": summary.status, "rejects": summary.rejects_path}
        _echo_json({"feeds": [f.as_dict() for f in summary.files], **totals, **extra})
    else:
        _print_collect(summary)
    if summary.status != "done":
        raise typer.Exit(3)


def _print_collect(summary: Any) -> None:
    from rich.markup import escape
    from rich.table import Table

    if not summary.files:
        err.print("No feeds configured: add [[feeds]] entries to citra.toml.")
        return
    table = Table(title=f"Collect {summary.batch}: {summary.status}")
    for column in ("feed", "http", "new", "updated", "rejected", "filtered"):
        table.add_column(column, justify="left" if column == "feed" else "right")
    for f in summary.files:
        http = "not modified" if f.http_status == 304 else str(f.http_status or "-")
        counts = (f"{f.inserted:,}", f"{f.updated:,}", f"{f.rejected:,}", f"{f.skipped:,}")
        table.add_row(escape(f.name), "failed" if f.error else http, *counts)
    err.print(table)
    for f in summary.files:
        if f.error:
            err.print(f"[red]error[/red] {escape(f.name)}: {escape(f.error)}", soft_wrap=True)
    if summary.rejects_path:
        err.print(f"Rejected entries and why: {summary.rejects_path}")


# reading ---------------------------------------------------------------------------------------------------------


@app.command()
def posts(
    since: Annotated[str | None, typer.Option(help="From this date or time (workspace zone).")] = None,
    until: Annotated[str | None, typer.Option(help="Before this date or time.")] = None,
    platform: Annotated[str | None, typer.Option(help="Only this platform.")] = None,
    search: Annotated[str | None, typer.Option(help="Only posts whose text contains this (any case).")] = None,
    limit: Annotated[int, typer.Option(help="At most this many (0: all).")] = 20,
    fmt: Annotated[str, typer.Option("--format", help="table, csv or jsonl.")] = "table",
    workspace: WorkspaceOpt = None,
) -> None:
    """Show stored posts, newest first."""
    from citra import export as out

    ws, store = _open(workspace)
    query = _query(ws, since, until, platform, search, limit or None)
    with store:
        if fmt == "csv":
            out.write_csv(store.posts(query), sys.stdout, ws.tz)
        elif fmt == "jsonl":
            out.write_jsonl(store.posts(query), sys.stdout.buffer, ws.tz, raw=False)
        elif fmt == "table":
            _posts_table(store, query, ws)
        else:
            raise CitraError(f"--format {fmt!r}: choose table, csv or jsonl")


def _query(
    ws: config.Workspace,
    since: str | None,
    until: str | None,
    platform: str | None,
    search: str | None,
    limit: int | None,
) -> PostQuery:
    try:
        chosen = Platform.parse(platform) if platform else None
    except ValueError as exc:
        raise CitraError(str(exc)) from None
    end = _when(until, ws.tz, "--until")
    if until and len(until) == 10 and end is not None:
        end += timedelta(days=1)  # a bare date includes that whole day
    return PostQuery(_when(since, ws.tz, "--since"), end, chosen, search, limit)


def _posts_table(store: Store, query: PostQuery, ws: config.Workspace) -> None:
    from rich.markup import escape
    from rich.table import Table

    console = Console()
    table = Table(show_lines=False)
    for column in ("waktu", "platform", "akun", "teks", "suka", "id"):
        table.add_column(column, overflow="fold")
    shown = 0
    for post in store.posts(query):
        shown += 1
        when = post.created_at.astimezone(ws.tz).strftime("%Y-%m-%d %H:%M")
        who = ("@" + post.author.handle if post.author.handle else post.author.name or "-") + (
            " ✓" if post.is_official else ""
        )
        text = post.text.replace("\n", " ")
        table.add_row(
            when,
            post.platform.value,
            escape(who),
            escape(text[:200]),
            str(post.engagement.likes if post.engagement.likes is not None else "-"),
            post.native_id,
        )
    console.print(table)
    total = store.count_posts(PostQuery(query.since, query.until, query.platform, query.search))
    err.print(f"{shown:,} shown of {total:,} matching posts")


@app.command()
def export(
    fmt: Annotated[str, typer.Option("--format", help="csv, jsonl or parquet.")],
    out: Annotated[Path, typer.Option("--out", help="File to write.")],
    since: Annotated[str | None, typer.Option(help="From this date or time.")] = None,
    until: Annotated[str | None, typer.Option(help="Before this date or time.")] = None,
    platform: Annotated[str | None, typer.Option(help="Only this platform.")] = None,
    workspace: WorkspaceOpt = None,
) -> None:
    """Export stored posts (oldest first) to CSV, JSON lines (with raw records) or Parquet."""
    from dataclasses import replace

    from citra import export as out_mod

    ws, store = _open(workspace)
    query = replace(_query(ws, since, until, platform, None, None), newest_first=False)
    with store:
        n = out_mod.export(store.posts(query), fmt, out, ws.tz)
    err.print(f"Wrote {n:,} posts to {out}")


# measure --------------------------------------------------------------------------------------------------

intervention_app = typer.Typer(no_args_is_help=True, help="Strategies whose effect is measured.")
app.add_typer(intervention_app, name="intervention")


@app.command("index")
def index_cmd(
    freq: Annotated[str, typer.Option("--freq", help="day, week or month.")] = "day",
    by: Annotated[str | None, typer.Option("--by", help="platform, topic, target or opd.")] = None,
    since: Annotated[str | None, typer.Option(help="From this date or time (workspace zone).")] = None,
    until: Annotated[str | None, typer.Option(help="Before this date or time.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    as_csv: Annotated[bool, typer.Option("--csv", help="Print CSV.")] = False,
    workspace: WorkspaceOpt = None,
) -> None:
    """The citra index (0-100, 95% interval) with volume and sentiment mix, per period and group."""
    import csv as csv_mod

    from citra.measure import index_rows

    if freq not in ("day", "week", "month"):
        raise CitraError(f"--freq {freq!r}: choose day, week or month")
    ws, store = _open(workspace)
    query = _query(ws, since, until, None, None, None)
    with store:
        rows = index_rows(store, ws, freq=freq, by=by, since=query.since, until=query.until)
    data = [r.as_dict() for r in rows]
    if as_json:
        _echo_json({"freq": freq, "by": by, "rows": data})
    elif as_csv:
        fields = list(data[0]) if data else ["period"]
        writer = csv_mod.DictWriter(sys.stdout, fieldnames=fields)
        writer.writeheader()
        writer.writerows(data)
    else:
        from rich.table import Table

        table = Table(title=f"Indeks citra per {freq}" + (f" menurut {by}" if by else ""))
        for column in ("periode", "kelompok", "volume", "positif", "netral", "negatif", "indeks", "95%"):
            table.add_column(column, justify="left" if column in ("periode", "kelompok") else "right")
        for r in rows:
            table.add_row(
                r.period.strftime("%Y-%m-%d"), r.group or "-", f"{r.volume:,}", f"{r.positive_share:.0%}",
                f"{r.neutral_share:.0%}", f"{r.negative_share:.0%}", f"{r.index:.1f}", f"{r.ci_low:.1f}-{r.ci_high:.1f}",
            )  # fmt: skip
        Console().print(table)
        if not rows:
            err.print("No analysed posts in this range: run citra ingest and citra analyze first.")


@intervention_app.command("add")
def intervention_add(
    name: Annotated[str, typer.Option("--name", help="A short unique name.")],
    on: Annotated[str, typer.Option("--date", help="First day of the intervention (YYYY-MM-DD, local).")],
    kind: Annotated[
        str, typer.Option("--kind", help="declaration, campaign, social-activity, statement or publication.")
    ],
    description: Annotated[str, typer.Option("--description", help="What was done.")] = "",
    workspace: WorkspaceOpt = None,
) -> None:
    """Record a strategy (a declaration, a campaign, ...) to measure its effect with citra impact."""
    from datetime import date as date_cls

    from citra.records import Intervention, InterventionKind

    try:
        day = date_cls.fromisoformat(on)
    except ValueError:
        raise CitraError(f"--date {on!r}: write YYYY-MM-DD") from None
    try:
        chosen = InterventionKind(kind)
    except ValueError:
        raise CitraError(f"--kind {kind!r}: choose one of {', '.join(k.value for k in InterventionKind)}") from None
    _, store = _open(workspace)
    with store:
        store.add_intervention(Intervention(name.strip(), day, chosen, description))
    err.print(f"Intervention {name!r} ({chosen.value}) on {day.isoformat()} recorded")


@intervention_app.command("list")
def intervention_list(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False, workspace: WorkspaceOpt = None
) -> None:
    """List recorded interventions."""
    _, store = _open(workspace)
    with store:
        items = store.interventions()
    if as_json:
        _echo_json([{"name": i.name, "date": i.date.isoformat(), "kind": i.kind.value, "description": i.description}
                    for i in items])  # fmt: skip
    else:
        for i in items:
            Console().print(f"{i.date.isoformat()}  {i.kind.value:<16} {i.name}  {i.description}", highlight=False)


@app.command()
def impact(
    name: Annotated[str, typer.Argument(help="Name of a recorded intervention.")],
    metric: Annotated[
        str, typer.Option("--metric", help="net_sentiment, negative_share, volume or index.")
    ] = "net_sentiment",
    days: Annotated[int, typer.Option("--days", help="Length of the post period in days.")] = 28,
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
    query = _query(ws, since, until, None, None, None)
    with store:
        result = report(store.official_posts(query.since, query.until), store.first_answers(query.since, query.until),
                        ws.tz, dt.now(UTC))  # fmt: skip
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


# alerts -----------------------------------------------------------------------------------------------------

alerts_app = typer.Typer(no_args_is_help=True, help="Crisis alerts.")
app.add_typer(alerts_app, name="alerts")


@alerts_app.command("scan")
def alerts_scan(
    no_notify: Annotated[bool, typer.Option("--no-notify", help="Store alerts but do not push them.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    workspace: WorkspaceOpt = None,
) -> None:
    """Find spikes of negative volume or share, keep one alert per crisis, and push open ones to the channels."""
    from citra.alerts.scan import scan

    ws, store = _open(workspace)
    with store:
        result = scan(store, ws, notify=not no_notify)
    if as_json:
        _echo_json(result.as_dict())
        return
    _print_alerts(result.alerts, ws)
    err.print(f"{result.new} new, {result.updated} updated; {sum(d['ok'] for d in result.deliveries)} messages sent")
    for d in result.deliveries:
        if not d["ok"]:
            err.print(f"[red]delivery failed[/red] {d['channel']}: {d['error']}", highlight=False)


@alerts_app.command("list")
def alerts_list(
    status: Annotated[str | None, typer.Option(help="open or closed.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    workspace: WorkspaceOpt = None,
) -> None:
    """Show stored alerts, newest first."""
    from citra.alerts.scan import alert_dict

    ws, store = _open(workspace)
    with store:
        found = store.alerts(status)
    if as_json:
        _echo_json({"alerts": [alert_dict(a) for a in found]})
    else:
        _print_alerts(found, ws)


def _print_alerts(found: list[Any], ws: config.Workspace) -> None:
    from rich.markup import escape
    from rich.table import Table

    table = Table(title="Peringatan krisis")
    for column in ("mulai", "tingkat", "status", "negatif", "topik", "sasaran", "kata kunci"):
        table.add_column(column)
    for a in found:
        d = a.drivers
        table.add_row(
            a.start.astimezone(ws.tz).strftime("%Y-%m-%d %H:%M"), a.severity, a.status,
            f"{d.get('volume', {}).get('negative', 0):,}", escape(", ".join(t["name"] for t in d.get("topics", [])[:3])),
            escape(", ".join(t["target"] for t in d.get("targets", [])[:3])), escape(", ".join(d.get("terms", [])[:5])),
        )  # fmt: skip
    Console().print(table)


@app.command()
def watch(
    every: Annotated[int | None, typer.Option("--every", help="Minutes between cycles (default: citra.toml).")] = None,
    once: Annotated[bool, typer.Option("--once", help="Run one cycle and exit (for cron).")] = False,
    workspace: WorkspaceOpt = None,
) -> None:
    """Collect feeds, analyse new posts and scan for crises on a schedule."""
    from citra import watch as watcher

    ws, store = _open(workspace)

    def report(done: Any) -> None:
        _echo_json({"time": datetime.now(ws.tz).isoformat(timespec="seconds")} | done.as_dict())

    with store:
        if once:
            report(watcher.cycle(store, ws))
        else:
            minutes = every or ws.settings.alerts.watch_minutes
            err.print(f"Watching every {minutes} minutes; Ctrl-C stops.")
            watcher.run(store, ws, minutes, report)


# report -----------------------------------------------------------------------------------------------------


@app.command("report")
def report_cmd(
    period: Annotated[
        str | None, typer.Option("--period", help="Month as YYYY-MM (default: the last month with data).")
    ] = None,
    fmt: Annotated[str, typer.Option("--format", help="html, pdf or xlsx.")] = "html",
    out: Annotated[
        Path | None, typer.Option("--out", help="File to write (default: <workspace>/reports/laporan-citra-YYYY-MM.*).")
    ] = None,
    workspace: WorkspaceOpt = None,
) -> None:
    """Write the monthly Laporan Citra (in Indonesian) as HTML, PDF or XLSX, and print its path."""
    from citra import reports

    if fmt not in reports.FORMATS:
        raise CitraError(f"--format {fmt!r}: choose one of {', '.join(reports.FORMATS)}")
    if period is not None:
        period = "{:04d}-{:02d}".format(*reports.parse_period(period))
    ws, store = _open(workspace)
    with store:
        period = period or reports.default_period(store, ws)
        content = reports.build(store, ws, period, fmt)
    target = out or ws.root / "reports" / f"laporan-citra-{period}.{fmt}"
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
    except OSError as exc:
        raise CitraError(f"cannot write {target}: {exc}") from None
    sys.stdout.write(f"{target}\n")


# analysis ---------------------------------------------------------------------------------------------------

label_app = typer.Typer(no_args_is_help=True, help="Human sentiment labels.")
app.add_typer(label_app, name="label")


@app.command()
def analyze(
    rebuild: Annotated[bool, typer.Option("--rebuild", help="Re-annotate every post, not only new ones.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON summary object.")] = False,
    workspace: WorkspaceOpt = None,
) -> None:
    """Annotate stored posts (language, sentiment, topics and OPD, targets, intent) with the current models."""
    from citra.analyze import analyze as run
    from citra.nlp.pipeline import Pipeline

    ws, store = _open(workspace)
    pipeline = Pipeline.for_workspace(ws)
    with store, _count_progress(not as_json and err.is_terminal, "Menganalisis") as progress:
        summary = run(store, pipeline, rebuild=rebuild, progress=progress)
    if as_json:
        _echo_json(summary.as_dict())
    else:
        data = summary.as_dict()
        err.print(
            f"Annotated {summary.annotated:,} posts in {data['seconds']} s ({data['posts_per_second']:,} posts/s)"
        )


class _count_progress:
    """A Rich bar over a known total on a terminal; a no-op otherwise."""

    def __init__(self, enabled: bool, label: str) -> None:
        self.enabled, self.label = enabled, label
        self._bar: Any = None
        self._task: Any = None

    def __enter__(self) -> Any:
        if not self.enabled:
            return None
        from rich.progress import Progress

        self._bar = Progress(console=err)
        self._bar.__enter__()
        return self.update

    def update(self, done: int, total: int) -> None:
        if self._task is None:
            self._task = self._bar.add_task(self.label, total=total)
        self._bar.update(self._task, completed=done)

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.__exit__(*exc)


@label_app.command("import")
def label_import(
    path: Annotated[Path, typer.Argument(help="CSV, XLSX or JSONL with a label and a post id and/or text.")],
    id_col: Annotated[str, typer.Option("--id-col", help="Column of the post's native id.")] = "id",
    text_col: Annotated[str, typer.Option("--text-col", help="Column of the text.")] = "text",
    label_col: Annotated[str, typer.Option("--label-col", help="Column of the label.")] = "label",
    label_map: Annotated[list[str] | None, typer.Option("--label-map", help="RAW=LABEL, e.g. 1.0=positive.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON summary object.")] = False,
    workspace: WorkspaceOpt = None,
) -> None:
    """Store human sentiment labels that `citra train sentiment` can learn from."""
    from citra.labels import import_labels

    mapping = dict(_pairs(label_map or [], "--label-map", "RAW=LABEL"))
    _, store = _open(workspace)
    with store:
        summary = import_labels(store, path, id_col=id_col, text_col=text_col, label_col=label_col, label_map=mapping)
    if as_json:
        _echo_json(summary.as_dict())
    else:
        err.print(
            f"Stored {summary.stored:,} labels ({summary.matched_posts:,} tied to stored posts, "
            f"{summary.text_only:,} as texts); {len(summary.rejected):,} rows rejected"
        )
        for problem in summary.rejected[:10]:
            err.print(f"  line {problem['line']}: {problem['reason']}")
    if summary.stored == 0 and summary.rejected:
        raise typer.Exit(3)


def _pairs(items: list[str], option: str, shape: str) -> list[tuple[str, str]]:
    out = []
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key.strip() or not value.strip():
            raise CitraError(f"{option} {item!r}: write {shape}")
        out.append((key.strip(), value.strip()))
    return out


# spikes -------------------------------------------------------------------------------------------------------


@app.command("spikes")
def spikes_cmd(
    path: Annotated[Path, typer.Argument(help="CSV file with a time column and a count column.")],
    time_col: Annotated[str, typer.Option("--time-col", help="Column of the timestamps.")] = "timestamp",
    value_col: Annotated[str, typer.Option("--value-col", help="Column of the counts.")] = "value",
    threshold: Annotated[
        float | None, typer.Option("--threshold", help="Score that flags a spike (default 5.5).", min=0.0)
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help='Print {"detections": [{"time", "score"}, ...]}.')] = False,
) -> None:
    """Find spikes in any regularly spaced count series (CSV) with the crisis detector; needs no workspace."""
    from dataclasses import replace

    from citra.analytics import spikes as sp

    times, values = _spike_series(path, time_col, value_col)
    config = sp.SpikeConfig() if threshold is None else replace(sp.SpikeConfig(), threshold=threshold)
    try:
        found = sp.detect(times, values, config=config)
    except ValueError as exc:
        raise CitraError(f"{path}: {exc}") from None
    if as_json:
        _echo_json({"detections": [{"time": d.time.isoformat(), "score": round(d.score, 3)} for d in found]})
        return
    from rich.table import Table

    table = Table(title=f"Spikes in {path.name} (threshold {config.threshold:g})")
    for column in ("time", "score", "observed", "expected"):
        table.add_column(column, justify="left" if column == "time" else "right")
    for d in found:
        table.add_row(d.time.isoformat(sep=" "), f"{d.score:.1f}", f"{d.observed:,.0f}", f"{d.expected:,.1f}")
    Console().print(table)
    err.print(f"{len(found):,} spike episodes in {len(values):,} points")


def _spike_series(path: Path, time_col: str, value_col: str) -> tuple[list[datetime], list[float]]:
    """Times (sorted) and values of a CSV series; every problem becomes a CitraError naming the file."""
    import pandas as pd

    try:
        frame = pd.read_csv(path)
    except FileNotFoundError:
        raise CitraError(f"{path}: no such file") from None
    except (OSError, ValueError, UnicodeDecodeError) as exc:  # pandas' parser and empty-data errors are ValueErrors
        raise CitraError(f"{path}: cannot read as CSV ({exc})") from None
    missing = [c for c in (time_col, value_col) if c not in frame.columns]
    if missing:
        columns = ", ".join(map(str, frame.columns)) or "none"
        names = ", ".join(map(repr, missing))
        raise CitraError(f"{path}: no column {names} (columns: {columns}); use --time-col/--value-col")
    try:
        stamps = pd.to_datetime(frame[time_col])
    except (ValueError, TypeError) as exc:
        raise CitraError(f"{path}: column {time_col!r} has values that are not timestamps ({exc})") from None
    values = pd.to_numeric(frame[value_col], errors="coerce")
    bad = frame.index[values.isna() & frame[value_col].notna()]
    if len(bad) or stamps.isna().any():
        row = int(bad[0]) if len(bad) else int(stamps.isna().to_numpy().argmax())
        raise CitraError(f"{path}: line {row + 2}: {time_col!r} or {value_col!r} is not a timestamp or a number")
    order = stamps.argsort(kind="stable").to_numpy()
    return [t.to_pydatetime() for t in stamps.iloc[order]], values.iloc[order].astype(float).tolist()


# simulate ---------------------------------------------------------------------------------------------------


@app.command()
def simulate(
    out: Annotated[Path, typer.Option("--out", help="CSV file to write (tweet-harvest layout).")],
    days: Annotated[int, typer.Option("--days", help="Days to simulate.", min=1, max=3650)] = 120,
    seed: Annotated[int, typer.Option("--seed", help="Random seed: the same seed gives the same file.")] = 0,
    truth: Annotated[Path | None, typer.Option("--truth", help="Also write the ground truth as JSON.")] = None,
    start: Annotated[str | None, typer.Option("--start", help="First day (YYYY-MM-DD, default 2024-07-01).")] = None,
) -> None:
    """Write a simulated city's tweet-harvest export (a crisis and interventions planted); no workspace needed."""
    from datetime import date

    from citra.simulate import Scenario, generate, write_csv, write_truth

    try:
        first = date.fromisoformat(start) if start else None
    except ValueError:
        raise CitraError(f"--start: {start!r} is not a date (use YYYY-MM-DD)") from None
    sim = generate(Scenario.default(days, seed, first))
    try:
        rows = write_csv(sim, out)
        if truth is not None:
            write_truth(sim, truth)
    except OSError as exc:
        raise CitraError(f"cannot write: {exc}") from None
    onset = sim.truth.crises[0].onset.strftime("%Y-%m-%dT%H:%M:%SZ") if sim.truth.crises else "none"
    err.print(f"Wrote {rows:,} rows over {days} days to {out} (crisis onset {onset})", highlight=False, soft_wrap=True)


# web ---------------------------------------------------------------------------------------------------------

user_app = typer.Typer(no_args_is_help=True, help="Dashboard users.")
app.add_typer(user_app, name="user")
token_app = typer.Typer(no_args_is_help=True, help="API tokens for scripts (Authorization: Bearer TOKEN).")
app.add_typer(token_app, name="token")
_USER_NAME = r"[A-Za-z0-9_.@-]{1,80}"


@app.command()
def serve(
    host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Port to listen on.", min=1, max=65535)] = 8000,
    secure_cookies: Annotated[
        bool, typer.Option("--secure-cookies", help="Always mark cookies Secure (when an https proxy is in front).")
    ] = False,
    workspace: WorkspaceOpt = None,
) -> None:
    """Serve the dashboard and the JSON API (/api/v1, OpenAPI at /openapi.json)."""
    import uvicorn

    from citra.web.app import create_app

    ws = config.load(workspace)
    web = create_app(ws, secure_cookies=secure_cookies, warm_cache=True)
    err.print(f"citra dashboard: http://{host}:{port}  (Ctrl-C stops)", highlight=False)
    uvicorn.run(web, host=host, port=port, proxy_headers=True, log_level="info")


def _new_password(from_stdin: bool) -> str:
    from citra.web.auth import MIN_PASSWORD

    if from_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True, err=True)
    if len(password) < MIN_PASSWORD:
        raise CitraError(f"the password must have at least {MIN_PASSWORD} characters")
    return password


@user_app.command("add")
def user_add(
    name: Annotated[str, typer.Argument(help="Login name (letters, digits, _ . @ -).")],
    role: Annotated[str, typer.Option("--role", help="admin, analyst, opd or viewer.")] = "viewer",
    opd: Annotated[str | None, typer.Option("--opd", help="The OPD of a user with role opd.")] = None,
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from the first line of stdin.")
    ] = False,
    workspace: WorkspaceOpt = None,
) -> None:
    """Add a dashboard user (the password is asked twice, hidden, unless --password-stdin)."""
    import re

    from citra.records import Role
    from citra.web.auth import hash_password

    if not re.fullmatch(_USER_NAME, name):
        raise CitraError(f"user name {name!r}: use 1-80 letters, digits, _ . @ or -")
    try:
        chosen = Role(role)
    except ValueError:
        raise CitraError(f"--role {role!r}: choose one of {', '.join(r.value for r in Role)}") from None
    password = _new_password(password_stdin)
    _, store = _open(workspace)
    with store:
        user = store.accounts.add_user(name, hash_password(password), chosen, opd)
        store.accounts.audit("cli", "user.add", user.name, role=chosen.value, opd=user.opd)
    err.print(f"User {name!r} added ({chosen.value}{', ' + opd if opd else ''})", highlight=False)


@user_app.command("list")
def user_list(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False, workspace: WorkspaceOpt = None
) -> None:
    """List dashboard users."""
    _, store = _open(workspace)
    with store:
        found = store.accounts.users()
    if as_json:
        _echo_json([{"name": u.name, "role": u.role.value, "opd": u.opd, "active": u.active} for u in found])
        return
    from rich.markup import escape
    from rich.table import Table

    table = Table(title="Pengguna")
    for column in ("nama", "peran", "OPD", "aktif"):
        table.add_column(column)
    for u in found:
        table.add_row(escape(u.name), u.role.value, escape(u.opd or "-"), "ya" if u.active else "tidak")
    Console().print(table)


@user_app.command("deactivate")
def user_deactivate(name: Annotated[str, typer.Argument(help="Login name.")], workspace: WorkspaceOpt = None) -> None:
    """Deactivate a user: their sessions and API tokens stop working."""
    _, store = _open(workspace)
    with store:
        store.accounts.update_user(name, active=False)
        store.accounts.audit("cli", "user.deactivate", name)
    err.print(f"User {name!r} deactivated", highlight=False)


@token_app.command("create")
def token_create(
    user: Annotated[str, typer.Argument(help="The user the token acts as.")],
    name: Annotated[str, typer.Argument(help="A name for the token, e.g. the script using it.")],
    workspace: WorkspaceOpt = None,
) -> None:
    """Create an API token and print it once (only its digest is stored)."""
    from citra.web.auth import new_token

    token = new_token()
    _, store = _open(workspace)
    with store:
        store.accounts.add_token(user, name, token)
        store.accounts.audit("cli", "token.create", f"{user}/{name}")
    sys.stdout.write(token + "\n")
    err.print("Copy the token now: it is not shown again.")


@token_app.command("revoke")
def token_revoke(
    user: Annotated[str, typer.Argument(help="The user of the token.")],
    name: Annotated[str, typer.Argument(help="The token's name.")],
    workspace: WorkspaceOpt = None,
) -> None:
    """Revoke an API token."""
    _, store = _open(workspace)
    with store:
        store.accounts.revoke_token(user, name)
        store.accounts.audit("cli", "token.revoke", f"{user}/{name}")
    err.print(f"Token {name!r} of {user!r} revoked", highlight=False)


# demo -------------------------------------------------------------------------------------------------------


@app.command()
def demo(
    workspace: Annotated[Path, typer.Option("--workspace", "-w", help="Folder of the demo workspace.")] = Path("demo"),
    no_serve: Annotated[bool, typer.Option("--no-serve", help="Set up only; do not start the dashboard.")] = False,
    days: Annotated[int, typer.Option("--days", help="Days of simulated posts.", min=30, max=730)] = 120,
    seed: Annotated[int, typer.Option("--seed", help="Seed of the simulated city.")] = 7,
    host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Port to listen on.", min=1, max=65535)] = 8000,
) -> None:
    """The whole of citra on a fictional city: simulate, ingest, analyse, scan, report, and serve the dashboard."""
    from citra.demo import ADMIN, build

    result = build(workspace, days=days, seed=seed, say=lambda line: err.print(line, highlight=False))
    err.print(
        f"\nDemo ready in {result.steps[-1][1]:.0f} s: {result.rows:,} posts, {result.alerts} alerts, "
        f"{result.interventions} interventions" + (f", report {result.report}" if result.report else ""),
        highlight=False,
    )
    sys.stdout.write(f"user: {ADMIN}\npassword: {result.password}\n")
    sys.stdout.flush()
    if no_serve:
        err.print(f"Start the dashboard with: citra serve --workspace {workspace}", highlight=False)
        return
    serve(host=host, port=port, secure_cookies=False, workspace=workspace)


# sentiment ------------------------------------------------------------------------------------------------------

eval_app = typer.Typer(no_args_is_help=True, help="Measure models on labelled files.")
app.add_typer(eval_app, name="eval")
train_app = typer.Typer(no_args_is_help=True, help="Train models.")
app.add_typer(train_app, name="train")

LabelMapOpt = Annotated[
    list[str] | None, typer.Option("--label-map", help="RAW=LABEL, e.g. -1.0=negative (repeat for each value).")
]
TextColOpt = Annotated[str | None, typer.Option("--text-col", help="Column of the text (files with a header).")]
LabelColOpt = Annotated[str | None, typer.Option("--label-col", help="Column of the label (files with a header).")]
ModelOpt = Annotated[
    Path | None,
    typer.Option("--model", help="Model folder (default: the workspace's [nlp] model, else the shipped one)."),
]


def _sentiment_stage(model: Path | None, workspace: Path | None) -> tuple[Any, Any]:
    """The normaliser (with the workspace's lexicons) and the sentiment model: --model, else the workspace's
    ``[nlp] sentiment_model`` when there is a workspace, else the shipped model."""
    from citra.nlp.normalize import Normalizer
    from citra.nlp.sentiment import SentimentModel

    lexicons: list[Path] = []
    root = config.resolve_root(workspace)
    if (root / config.CONFIG_NAME).is_file():
        ws = config.load(root)
        lexicons = [ws.path(p) for p in ws.settings.nlp.lexicons]
        if model is None and ws.settings.nlp.sentiment_model:
            model = ws.path(ws.settings.nlp.sentiment_model)
    normalizer = Normalizer.with_lexicons(lexicons) if lexicons else Normalizer.default()
    return normalizer, SentimentModel.load(model)


@app.command("sentiment")
def sentiment_cmd(
    text: Annotated[
        str | None, typer.Argument(help="Text to classify (default: one text per line from stdin).")
    ] = None,
    model: ModelOpt = None,
    workspace: WorkspaceOpt = None,
) -> None:
    """Classify sentiment: one JSON line {"text", "label", "score"} per text (score: the label's probability)."""
    from itertools import islice

    normalizer, classifier = _sentiment_stage(model, workspace)
    lines = iter([text]) if text is not None else (line.rstrip("\r\n") for line in sys.stdin)
    out = sys.stdout.buffer
    while batch := list(islice(lines, 5000)):
        for item, (label, score) in zip(
            batch, classifier.predict([normalizer.normalize(t) for t in batch]), strict=True
        ):
            out.write(orjson.dumps({"text": item, "label": label.value, "score": round(score, 4)}) + b"\n")
    out.flush()


@eval_app.command("sentiment")
def eval_sentiment(
    path: Annotated[Path, typer.Argument(help="Labelled file: SmSA TSV (text<TAB>label, no header) or CSV/TSV.")],
    text_col: TextColOpt = None,
    label_col: LabelColOpt = None,
    label_map: LabelMapOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    model: ModelOpt = None,
    workspace: WorkspaceOpt = None,
) -> None:
    """Macro-F1, accuracy, per-class precision/recall/F1 and the confusion matrix of the sentiment model on a file."""
    from citra.errors import SourceError
    from citra.nlp.datasets import parse_label_map, read_labelled
    from citra.nlp.train import evaluate_model

    mapping = parse_label_map(label_map or [])
    examples = read_labelled(path, text_col=text_col, label_col=label_col, label_map=mapping)
    if not examples:
        raise SourceError(f"{path}: no labelled rows")
    normalizer, classifier = _sentiment_stage(model, workspace)
    result = {"file": str(path), "model": f"{classifier.name}@{classifier.version}"}
    result.update(evaluate_model(classifier, normalizer, examples))
    if as_json:
        _echo_json(result)
    else:
        _print_eval(result)


def _print_eval(result: dict[str, Any]) -> None:
    from rich.markup import escape
    from rich.table import Table

    console = Console()
    console.print(
        f"{escape(result['file'])}: {result['n']:,} texts, model {escape(result['model'])}\n"
        f"macro-F1 {result['macro_f1']:.4f}   accuracy {result['accuracy']:.4f}   calibration error {result['ece']:.4f}"
    )
    table = Table(title="per class")
    for column in ("label", "precision", "recall", "F1", "support"):
        table.add_column(column, justify="left" if column == "label" else "right")
    for label, m in result["per_class"].items():
        table.add_row(label, f"{m['precision']:.3f}", f"{m['recall']:.3f}", f"{m['f1']:.3f}", f"{m['support']:,}")
    console.print(table)
    labels = result["confusion"]["labels"]
    matrix = Table(title="confusion (rows: true, columns: predicted)")
    matrix.add_column("")
    for label in labels:
        matrix.add_column(label, justify="right")
    for label, row in zip(labels, result["confusion"]["matrix"], strict=True):
        matrix.add_row(label, *(f"{v:,}" for v in row))
    console.print(matrix)


@train_app.command("sentiment")
def train_sentiment_cmd(
    data: Annotated[list[Path] | None, typer.Option("--data", help="Labelled file to add (repeatable).")] = None,
    text_col: TextColOpt = None,
    label_col: LabelColOpt = None,
    label_map: LabelMapOpt = None,
    data_weight: Annotated[float, typer.Option("--data-weight", help="Weight of --data rows.", min=0.01)] = 1.0,
    shared_data: Annotated[
        Path | None,
        typer.Option(
            "--shared-data", help="Folder of the shipped training data (default: $CITRA_SHARED_DATA, ../shared/data)."
        ),
    ] = None,
    base: Annotated[
        bool, typer.Option("--base/--no-base", help="Include the shipped data (SmSA, NusaX, PRDECT-ID).")
    ] = True,
    labels_weight: Annotated[
        float, typer.Option("--labels-weight", help="Weight of the workspace's human labels.", min=0.01)
    ] = 3.0,
    out: Annotated[
        Path | None, typer.Option("--out", help="Model folder (default: <workspace>/models/sentiment).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON summary object.")] = False,
    workspace: WorkspaceOpt = None,
) -> None:
    """Train a sentiment model on the shipped data, --data files and the workspace's human labels."""
    from citra.nlp import train as training
    from citra.nlp.normalize import Normalizer

    examples: list[Any] = []
    notes: list[dict[str, Any]] = []
    if base:
        rows, about = training.default_training_set(shared_data or training.default_shared_data())
        examples += rows
        notes += about
    for path in data or []:
        rows, note = training.labelled_file(
            path, text_col=text_col, label_col=label_col, label_map=label_map or [], weight=data_weight
        )
        examples += rows
        notes.append(note)
    root = config.resolve_root(workspace)
    lexicons: list[Path] = []
    if (root / config.CONFIG_NAME).is_file():
        ws, store = _open(root)
        with store:
            labelled = [(h.text, h.label) for h in store.labels()]
        if labelled:
            rows, note = training.human_labels(labelled, labels_weight)
            examples += rows
            notes.append(note)
        lexicons = [ws.path(p) for p in ws.settings.nlp.lexicons]
        out = out or ws.root / "models" / "sentiment"
    elif out is None:
        raise CitraError(f"no workspace in {root}: give --out DIR (or --workspace)")
    if not examples:
        raise CitraError("no training data: use --data FILE, the shipped data (--base) or human labels")
    normalizer = Normalizer.with_lexicons(lexicons) if lexicons else Normalizer.default()
    model = training.train_sentiment(examples, out, data_notes=notes, normalizer=normalizer)
    cv = model.meta["metrics"].get("cv")
    summary = {"out": str(out), "version": model.version, "examples": len(examples), "data": notes, "cv": cv}
    if as_json:
        _echo_json(summary)
        return
    measured = (
        f"cross-validated macro-F1 {cv['macro_f1']:.3f}, accuracy {cv['accuracy']:.3f}"
        if cv
        else "too few examples per label to cross-validate or calibrate"
    )
    err.print(f"Trained {model.name}@{model.version} on {len(examples):,} texts: {measured}. Saved to {out}")
    if (root / config.CONFIG_NAME).is_file():
        toml = root / config.CONFIG_NAME
        err.print(f'Use it: set [nlp] sentiment_model = "{out}" in {toml}, then run citra analyze --rebuild')


def main() -> None:
    """Entry point: domain errors become one line on stderr and a non-zero exit."""
    try:
        app()
    except CitraError as exc:
        err.print(f"[red]error:[/red] {exc}", highlight=False, soft_wrap=True)
        sys.exit(exc.exit_code)
