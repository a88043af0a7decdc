"""``citra user passwd|role|activate`` and unique token names, through the library and the CLI, audited
(SQLite and PostgreSQL)."""

from __future__ import annotations

import pytest

from citra import curate
from citra.errors import CitraError, NotFound
from citra.records import Role
from citra.store import Store
from citra.web.auth import verify_password
from tests.web.test_cli import run

PASSWORD = "kata-sandi-panjang"


def _epoch(store: Store, name: str) -> int:
    state = store.accounts.session_state(name)
    assert state is not None
    return state[2]


def test_passwd_role_activate_are_audited_and_end_sessions(store: Store) -> None:
    curate.add_user(store, "admin", "sari", PASSWORD, Role.OPD, "Dinas PUPR")
    start = _epoch(store, "sari")
    curate.set_password(store, "admin", "sari", "kata-sandi-baru-1")
    assert verify_password(store.accounts.password_hash("sari"), "kata-sandi-baru-1")
    assert _epoch(store, "sari") == start + 1
    with pytest.raises(CitraError, match="at least"):
        curate.set_password(store, "admin", "sari", "pendek")
    with pytest.raises(NotFound):
        curate.set_password(store, "admin", "nobody", "kata-sandi-baru-1")
    done = curate.set_role(store, "admin", "sari", "analyst")
    assert (done.role, done.opd) == (Role.ANALYST, None) and _epoch(store, "sari") == start + 2
    with pytest.raises(CitraError, match="needs the name of its OPD"):
        curate.set_role(store, "admin", "sari", "opd")
    assert curate.set_role(store, "admin", "sari", "opd", "Dinas Kesehatan").opd == "Dinas Kesehatan"
    with pytest.raises(CitraError, match="your own role"):
        curate.set_role(store, "sari", "sari", "admin")
    with pytest.raises(CitraError, match="role"):
        curate.set_role(store, "admin", "sari", "boss")
    curate.deactivate_user(store, "admin", "sari")
    assert store.accounts.session_state("sari") is None
    curate.activate_user(store, "admin", "sari")
    assert store.accounts.user("sari").active and _epoch(store, "sari") == start + 5
    entries = [(e["actor"], e["action"], e["target"]) for e in store.accounts.audit_log()][::-1]
    assert entries[1:] == [
        ("admin", "user.passwd", "sari"),
        ("admin", "user.role", "sari"),
        ("admin", "user.role", "sari"),
        ("admin", "user.deactivate", "sari"),
        ("admin", "user.activate", "sari"),
    ]
    assert "kata-sandi" not in str(list(store.accounts.audit_log()))


def test_token_names_are_unique_per_user(store: Store) -> None:
    curate.add_user(store, "admin", "sari", PASSWORD, Role.VIEWER)
    curate.add_user(store, "admin", "budi", PASSWORD, Role.VIEWER)
    token = curate.create_token(store, "admin", "sari", "skrip")
    with pytest.raises(CitraError, match="already has a token named 'skrip'"):
        curate.create_token(store, "admin", "sari", "skrip")
    curate.create_token(store, "admin", "budi", "skrip")  # another user may use the name
    curate.revoke_token(store, "admin", "sari", "skrip")
    with pytest.raises(CitraError, match="already has a token named"):
        curate.create_token(store, "admin", "sari", "skrip")  # a revoked token keeps its name
    assert store.accounts.user_for_token(token) is None
    assert [e["action"] for e in store.accounts.audit_log()].count("token.create") == 2


def test_cli_passwd_role_activate(workspace) -> None:
    assert run(workspace, "user", "add", "sari", "--password-stdin", stdin=PASSWORD + "\n").exit_code == 0
    changed = run(workspace, "user", "passwd", "sari", "--password-stdin", stdin="kata-sandi-baru-1\n")
    assert changed.exit_code == 0, changed.output
    assert "kata-sandi-baru-1" not in changed.output
    prompted = run(workspace, "user", "passwd", "sari", stdin="kata-sandi-baru-2\nkata-sandi-baru-2\n")
    assert prompted.exit_code == 0, prompted.output
    assert run(workspace, "user", "passwd", "sari", stdin="kata-sandi-baru-3\nlain-sekali-ya\n").exit_code != 0
    assert run(workspace, "user", "passwd", "nobody", "--password-stdin", stdin="x" * 12 + "\n").exit_code != 0
    assert run(workspace, "user", "passwd", "sari", "--password-stdin", stdin="pendek\n").exit_code != 0
    role = run(workspace, "user", "role", "sari", "opd", "--opd", "Dinas PUPR")
    assert role.exit_code == 0, role.output
    assert run(workspace, "user", "role", "sari", "boss").exit_code != 0
    assert run(workspace, "user", "deactivate", "sari").exit_code == 0
    assert run(workspace, "user", "activate", "sari").exit_code == 0
    assert run(workspace, "user", "activate", "nobody").exit_code != 0
    assert run(workspace, "token", "create", "sari", "skrip").exit_code == 0
    duplicate = run(workspace, "token", "create", "sari", "skrip")
    assert duplicate.exit_code != 0 and "already has a token" in str(duplicate.exception)
    with Store.open(workspace.database_url) as store:
        user = store.accounts.user("sari")
        assert (user.role, user.opd, user.active) == (Role.OPD, "Dinas PUPR", True)
        assert verify_password(store.accounts.password_hash("sari"), "kata-sandi-baru-2")
        actions = [e["action"] for e in store.accounts.audit_log()][::-1]
    assert actions == [
        "user.add",
        "user.passwd",
        "user.passwd",
        "user.role",
        "user.deactivate",
        "user.activate",
        "token.create",
    ]


def test_settings_page_role_password_activate(as_user, filled) -> None:
    """Pengaturan does the same as the CLI: each change ends the user's sessions and is audited."""
    admin, token = as_user("admin")
    viewer, _ = as_user("pemirsa")
    page = admin.get("/pengaturan").text
    assert "/pengaturan/users/role" in page and "/pengaturan/users/password" in page
    role = {"name": "pemirsa", "role": "analyst", "opd": "", "csrf_token": token}
    assert admin.post("/pengaturan/users/role", data=role, follow_redirects=False).status_code == 303
    assert viewer.get("/keterlibatan", follow_redirects=False).status_code == 303
    assert admin.post("/pengaturan/users/role", data=role | {"role": "opd"}).status_code == 400
    assert admin.post("/pengaturan/users/role", data=role | {"name": "admin"}).status_code == 400
    analyst, _ = as_user("pemirsa")
    password = {"name": "pemirsa", "password": "kata-sandi-baru-1", "csrf_token": token}
    assert admin.post("/pengaturan/users/password", data=password, follow_redirects=False).status_code == 303
    assert analyst.get("/keterlibatan", follow_redirects=False).status_code == 303
    assert admin.post("/pengaturan/users/password", data=password | {"password": "pendek"}).status_code == 400
    gone = {"name": "pemirsa", "csrf_token": token}
    assert admin.post("/pengaturan/users/deactivate", data=gone, follow_redirects=False).status_code == 303
    assert 'action="/pengaturan/users/activate"' in admin.get("/pengaturan").text
    assert admin.post("/pengaturan/users/activate", data=gone, follow_redirects=False).status_code == 303
    no_csrf = admin.post("/pengaturan/users/activate", data={"name": "pemirsa"}, follow_redirects=False)
    assert no_csrf.status_code == 403
    assert analyst.post("/pengaturan/users/activate", data=gone, follow_redirects=False).status_code in (303, 403)
    with Store.open(filled.ws.database_url) as store:
        user = store.accounts.user("pemirsa")
        assert (user.role, user.active) == (Role.ANALYST, True)
        assert verify_password(store.accounts.password_hash("pemirsa"), "kata-sandi-baru-1")
        log = store.accounts.audit_log()
        actions = [(e["actor"], e["action"]) for e in log if e["action"].startswith("user.")][::-1]
    assert actions == [
        ("admin", "user.role"),
        ("admin", "user.passwd"),
        ("admin", "user.deactivate"),
        ("admin", "user.activate"),
    ]
