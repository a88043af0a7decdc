"""``citra user`` and ``citra token`` (SQLite and PostgreSQL)."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from citra.cli import app
from citra.records import Role
from citra.store import Store
from citra.web.auth import verify_password

runner = CliRunner()


def run(workspace, *args: str, stdin: str | None = None):  # type: ignore[no-untyped-def]
    return runner.invoke(app, [*args, "--workspace", str(workspace.root)], input=stdin)


def test_user_add_list_deactivate(workspace) -> None:
    done = run(
        workspace,
        "user",
        "add",
        "sari",
        "--role",
        "opd",
        "--opd",
        "Dinas PUPR",
        "--password-stdin",
        stdin="kata-sandi-panjang\n",
    )
    assert done.exit_code == 0, done.output
    assert "kata-sandi-panjang" not in done.output
    with Store.open(workspace.database_url) as store:
        user = store.accounts.user("sari")
        assert (user.role, user.opd) == (Role.OPD, "Dinas PUPR")
        assert verify_password(store.accounts.password_hash("sari"), "kata-sandi-panjang")
        assert next(store.accounts.audit_log())["action"] == "user.add"
    listed = run(workspace, "user", "list", "--json")
    assert json.loads(listed.stdout) == [{"name": "sari", "role": "opd", "opd": "Dinas PUPR", "active": True}]
    assert run(workspace, "user", "deactivate", "sari").exit_code == 0
    with Store.open(workspace.database_url) as store:
        assert not store.accounts.user("sari").active


def test_user_add_refuses_bad_input(workspace) -> None:
    assert run(workspace, "user", "add", "budi", "--password-stdin", stdin="pendek\n").exit_code != 0
    assert run(workspace, "user", "add", "bu di", "--password-stdin", stdin="x" * 12 + "\n").exit_code != 0
    assert run(workspace, "user", "add", "budi", "--role", "boss", "--password-stdin", stdin="x" * 12).exit_code != 0
    assert run(workspace, "user", "add", "budi", "--role", "opd", "--password-stdin", stdin="x" * 12).exit_code != 0


def test_user_add_prompts_twice(workspace) -> None:
    done = run(workspace, "user", "add", "rina", "--role", "analyst", stdin="rahasia-sekali\nrahasia-sekali\n")
    assert done.exit_code == 0, done.output
    assert "rahasia-sekali" not in done.output
    mismatch = run(workspace, "user", "add", "rudi", stdin="rahasia-sekali\nlain-sekali-ya\n")
    assert mismatch.exit_code != 0


def test_token_create_and_revoke(workspace) -> None:
    run(workspace, "user", "add", "bot", "--role", "viewer", "--password-stdin", stdin="x" * 12 + "\n")
    created = run(workspace, "token", "create", "bot", "laporan-mingguan")
    assert created.exit_code == 0
    token = created.stdout.strip()
    assert token.startswith("citra_") and len(token) > 40
    with Store.open(workspace.database_url) as store:
        assert store.accounts.user_for_token(token).name == "bot"
    assert run(workspace, "token", "revoke", "bot", "laporan-mingguan").exit_code == 0
    with Store.open(workspace.database_url) as store:
        assert store.accounts.user_for_token(token) is None
    assert run(workspace, "token", "revoke", "bot", "tidak-ada").exit_code != 0
