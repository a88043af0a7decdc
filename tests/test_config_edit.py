"""Settings written back to citra.toml (config_edit, curate.change_settings): comments and layout kept, a change
that would not load refused with both files unchanged, secrets only in the secrets file."""

from __future__ import annotations

import stat
import tomllib

import pytest

from citra import config, config_edit, curate
from citra.store import Store


def _toml(ws: config.Workspace) -> str:
    return (ws.root / config.CONFIG_NAME).read_text(encoding="utf-8")


def test_keywords_change_keeps_comments_and_loads(workspace: config.Workspace) -> None:
    path = workspace.root / config.CONFIG_NAME
    path.write_text(_toml(workspace).replace("keywords = []", "keywords = []  # kata kunci kota"), encoding="utf-8")
    path.chmod(0o640)
    before = _toml(workspace)
    comments = [line for line in before.splitlines() if line.lstrip().startswith("#")]
    with Store.open(workspace.database_url) as store:
        ws = curate.change_settings(store, "admin", workspace.root, "keywords", ["bekasi", "pemkot bekasi"])
        (entry,) = [e for e in store.accounts.audit_log(limit=10) if e["action"] == "settings.keywords"]
    after = _toml(workspace)
    assert ws.settings.keywords == ["bekasi", "pemkot bekasi"]
    assert config.load(workspace.root).settings.keywords == ["bekasi", "pemkot bekasi"]
    assert [line for line in after.splitlines() if line.lstrip().startswith("#")] == comments
    assert 'keywords = ["bekasi", "pemkot bekasi"]  # kata kunci kota' in after
    assert stat.S_IMODE(path.stat().st_mode) == 0o640  # the old file's mode
    assert entry["actor"] == "admin" and entry["detail"]["value"] == ["bekasi", "pemkot bekasi"]
    # only the changed line differs
    changed = [(a, b) for a, b in zip(before.splitlines(), after.splitlines(), strict=True) if a != b]
    assert len(changed) == 1


def test_tables_edited_in_place(workspace: config.Workspace) -> None:
    root = workspace.root
    config_edit.change(root, "opd", {"jalan": "Dinas Bina Marga", "air_minum": "Perumda Tirta"})
    config_edit.change(root, "leaders", [{"name": "Budi", "role": "Wali Kota", "aliases": ["pak budi"]}])
    config_edit.change(root, "thresholds", {"threshold": 3.5, "watch_minutes": 15})
    config_edit.change(root, "accounts", {"x": ["humaskota"], "instagram": []})
    text = _toml(workspace)
    assert '# jalan = "Dinas PUPR"' in text  # the commented example inside [opd] stays
    assert "threshold = 3.5         # spike score" in text  # the value's own comment stays
    settings = config.load(root).settings
    assert settings.opd == {"jalan": "Dinas Bina Marga", "air_minum": "Perumda Tirta"}
    assert settings.leaders[0].aliases == ["pak budi"] and settings.alerts.watch_minutes == 15
    assert settings.accounts == {"x": ["humaskota"], "instagram": []}
    config_edit.change(root, "leaders", [])
    assert config.load(root).settings.leaders == []
    assert '# name = "Budi Santoso"' in _toml(workspace)


def test_invalid_change_refused_and_file_unchanged(workspace: config.Workspace) -> None:
    before = _toml(workspace)
    with pytest.raises(config_edit.Refused) as refused:
        config_edit.change(workspace.root, "thresholds", {"threshold": -1.0})
    assert "alerts.threshold" in refused.value.problems
    with pytest.raises(config_edit.Refused):
        config_edit.change(workspace.root, "accounts", {"friendster": ["a"]})
    with pytest.raises(config_edit.Refused):
        config_edit.change(workspace.root, "channels", [{"kind": "telegram"}, {"kind": "telegram"}], {})
    assert _toml(workspace) == before
    with Store.open(workspace.database_url) as store:
        with pytest.raises(config_edit.Refused):
            curate.change_settings(store, "admin", workspace.root, "feeds", [{"name": "x"}])  # no url
        assert not [e for e in store.accounts.audit_log(limit=10) if e["action"].startswith("settings.")]
    assert _toml(workspace) == before


def test_channel_secrets_go_to_the_secrets_file(workspace: config.Workspace) -> None:
    root = workspace.root
    channels = [
        {"kind": "telegram", "name": "humas", "chat_id": "-100123", "bot_token": "123456:SECRET-TOKEN"},
        {"kind": "email", "smtp_host": "smtp.kota.go.id", "sender": "c@kota.go.id", "to": ["h@kota.go.id"]},
    ]
    secrets = {"humas": {"bot_token": "123456:SECRET-TOKEN"}, "email": {"smtp_password": "rahasia-sekali"}}
    config_edit.change(root, "channels", channels, secrets)
    text = _toml(workspace)
    assert "SECRET-TOKEN" not in text and "rahasia" not in text and 'chat_id = "-100123"' in text
    secrets_file = root / "secrets.toml"
    assert stat.S_IMODE(secrets_file.stat().st_mode) == 0o600
    assert tomllib.loads(secrets_file.read_text())["channels"]["humas"] == {"bot_token": "123456:SECRET-TOKEN"}
    assert "# citra secrets" in secrets_file.read_text()  # the file's comments stay
    loaded = config.load(root).settings.alerts.channels
    assert loaded[0].bot_token == "123456:SECRET-TOKEN" and loaded[1].smtp_password == "rahasia-sekali"
    assert config_edit.stored_channel_secrets(root)["email"] == {"smtp_password": "rahasia-sekali"}
    assert config_edit.mask("123456:SECRET-TOKEN") == "••••OKEN" and config_edit.mask("short") == "••••"
    config_edit.change(root, "channels", channels[1:], {"email": secrets["email"]})
    assert "humas" not in tomllib.loads(secrets_file.read_text())["channels"]


def test_watch_takes_the_changed_settings_at_its_next_cycle(workspace: config.Workspace) -> None:
    from citra import watch

    config_edit.change(workspace.root, "keywords", ["banjir"])
    assert watch.current(workspace).settings.keywords == ["banjir"]
    (workspace.root / config.CONFIG_NAME).write_text("organisation = [", encoding="utf-8")  # broken by hand
    assert watch.current(workspace) is workspace
