"""citra commands: web."""

from __future__ import annotations

import sys
from typing import Annotated

import typer
from rich.console import Console

from citra import config, curate, vocab
from citra.cli.common import WorkspaceOpt, _echo_json, _open, app, err
from citra.errors import CitraError
from citra.records import Role

user_app = typer.Typer(no_args_is_help=True, help="Dashboard users.")
app.add_typer(user_app, name="user")
token_app = typer.Typer(no_args_is_help=True, help="API tokens for scripts (Authorization: Bearer TOKEN).")
app.add_typer(token_app, name="token")


@app.command()
def serve(
    host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Port to listen on.", min=1, max=65535)] = 8000,
    secure_cookies: Annotated[
        bool, typer.Option("--secure-cookies", help="Always mark cookies Secure (when an https proxy is in front).")
    ] = False,
    workspace: WorkspaceOpt = None,
) -> None:
    """Serve the dashboard and the JSON API (/api/v1, OpenAPI at /openapi.json); the deep tier labels new posts in
    the background ([nlp] deep). SIGTERM or Ctrl-C stops it
    gracefully: no new connections, requests in flight finish (up to [web] request_timeout seconds), report builds
    are stopped, the database is closed."""
    import uvicorn

    from citra.web.app import create_app

    ws = config.load(workspace)
    web = create_app(ws, secure_cookies=secure_cookies, warm_cache=True, deep_worker=True)
    err.print(f"citra dashboard: http://{host}:{port}  (Ctrl-C stops)", highlight=False)
    # proxy headers are read by the app, from [web] trusted_proxies only (uvicorn would trust 127.0.0.1)
    uvicorn.run(
        web,
        host=host,
        port=port,
        proxy_headers=False,
        log_level="info",
        timeout_graceful_shutdown=max(1, round(ws.settings.web.request_timeout)),
    )


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
    curate.account_name(name, "user name")  # checked before asking for the password
    chosen = vocab.parse(Role, role, "--role")
    password = _new_password(password_stdin)
    _, store = _open(workspace)
    with store:
        curate.add_user(store, curate.os_actor(), name, password, chosen, opd)
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
        curate.deactivate_user(store, curate.os_actor(), name)
    err.print(f"User {name!r} deactivated", highlight=False)


@user_app.command("activate")
def user_activate(name: Annotated[str, typer.Argument(help="Login name.")], workspace: WorkspaceOpt = None) -> None:
    """Reactivate a deactivated user (they log in again; old sessions stay ended)."""
    _, store = _open(workspace)
    with store:
        curate.activate_user(store, curate.os_actor(), name)
    err.print(f"User {name!r} activated", highlight=False)


@user_app.command("passwd")
def user_passwd(
    name: Annotated[str, typer.Argument(help="Login name.")],
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from the first line of stdin.")
    ] = False,
    workspace: WorkspaceOpt = None,
) -> None:
    """Set a user's password (asked twice, hidden, unless --password-stdin); ends all their sessions."""
    _, store = _open(workspace)
    with store:
        store.accounts.user(name)  # an unknown name fails before the password is asked
        password = _new_password(password_stdin)
        curate.set_password(store, curate.os_actor(), name, password)
    err.print(f"Password of {name!r} changed; their sessions are ended", highlight=False)


@user_app.command("role")
def user_role(
    name: Annotated[str, typer.Argument(help="Login name.")],
    role: Annotated[str, typer.Argument(help="admin, analyst, opd or viewer.")],
    opd: Annotated[str | None, typer.Option("--opd", help="The OPD of a user with role opd.")] = None,
    workspace: WorkspaceOpt = None,
) -> None:
    """Change a user's role; ends all their sessions."""
    chosen = vocab.parse(Role, role, "ROLE")
    _, store = _open(workspace)
    with store:
        done = curate.set_role(store, curate.os_actor(), name, chosen, opd)
    err.print(f"User {name!r} is now {done.role.value}{', ' + done.opd if done.opd else ''}", highlight=False)


@token_app.command("create")
def token_create(
    user: Annotated[str, typer.Argument(help="The user the token acts as.")],
    name: Annotated[str, typer.Argument(help="A name for the token, e.g. the script using it.")],
    workspace: WorkspaceOpt = None,
) -> None:
    """Create an API token and print it once (only its digest is stored)."""
    _, store = _open(workspace)
    with store:
        token = curate.create_token(store, curate.os_actor(), user, name)
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
        curate.revoke_token(store, curate.os_actor(), user, name)
    err.print(f"Token {name!r} of {user!r} revoked", highlight=False)
