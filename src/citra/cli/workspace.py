"""citra commands: workspace and database."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from citra import config
from citra.cli.common import WorkspaceOpt, _open, app, db_app, err
from citra.errors import ConfigError
from citra.store import Store


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
    """Apply the [retention] settings of citra.toml to every table (docs/privacy.md): old posts with everything
    derived from them, raw records, labelled texts, audit entries, revoked tokens, rejects logs, report files."""
    from citra import retention

    ws, store = _open(workspace)
    with store:
        done = retention.apply(store, ws)
    rows = ", ".join(f"{n:,} {kind}" for kind, n in done.rows.items()) or "no rows (nothing is set to expire)"
    err.print(f"Deleted {rows}; removed {done.rejects_files} rejects logs and {done.report_files} report files")
