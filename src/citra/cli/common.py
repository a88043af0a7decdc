"""What every command shares: the app, the workspace option, the error console, time and JSON helpers."""

from __future__ import annotations

import sys
from datetime import datetime, timedelta
from pathlib import Path
from typing import Annotated, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import orjson
import typer
from rich.console import Console

from citra import config, vocab
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


def _query(
    ws: config.Workspace,
    since: str | None,
    until: str | None,
    platform: str | None,
    text: str | None = None,
    **filters: Any,
) -> PostQuery:
    """A PostQuery from command-line words: dates in the workspace zone (a bare ``--until`` date includes that
    day), vocabularies parsed once (``citra.vocab``)."""
    end = _when(until, ws.tz, "--until")
    if until and len(until) == 10 and end is not None:
        end += timedelta(days=1)  # a bare date includes that whole day
    return PostQuery(
        since=_when(since, ws.tz, "--since"),
        until=end,
        platform=vocab.optional(Platform, platform, "--platform"),
        text=text.strip() if text and text.strip() else None,
        **filters,
    )


def _pairs(items: list[str], option: str, shape: str) -> list[tuple[str, str]]:
    out = []
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key.strip() or not value.strip():
            raise CitraError(f"{option} {item!r}: write {shape}")
        out.append((key.strip(), value.strip()))
    return out


def per_class_table(title: str, first: str, rows: dict[str, dict[str, Any]]) -> Any:
    """A rich table of precision, recall, F1 and support per class (``citra eval`` of each model)."""
    from rich.markup import escape
    from rich.table import Table

    table = Table(title=title)
    for column in (first, "precision", "recall", "F1", "support"):
        table.add_column(column, justify="left" if column == first else "right")
    for name, m in rows.items():
        figures = (f"{m['precision']:.3f}", f"{m['recall']:.3f}", f"{m['f1']:.3f}", f"{m['support']:,}")
        table.add_row(escape(name), *figures)
    return table
