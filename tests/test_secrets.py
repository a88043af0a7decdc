"""Secrets kept out of citra.toml: a 0600 secrets file and CITRA_CHANNEL_<NAME>_<KEY> environment variables; a
secrets file others may read is refused; `citra init` writes no secret into citra.toml. The database URL from the
secrets file is the one commands use, on SQLite and PostgreSQL."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from citra import config, credentials
from citra.errors import ConfigError
from citra.store import Store

from .test_cli import citra

CHANNELS = """
[[alerts.channels]]
kind = "telegram"
chat_id = "-100123"
bot_token = "dari-citra-toml"

[[alerts.channels]]
kind = "email"
name = "humas-kota"
smtp_host = "smtp.example.go.id"
sender = "citra@example.go.id"
to = ["humas@example.go.id"]

[[alerts.channels]]
kind = "webhook"
url = "https://example.go.id/hook"
"""


@pytest.fixture
def root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for key in [k for k in os.environ if k.startswith("CITRA_")]:
        monkeypatch.delenv(key)
    ws = config.init(tmp_path / "ws", "Pemerintah Kota Bekasi")
    with (ws.root / config.CONFIG_NAME).open("a", encoding="utf-8") as f:
        f.write(CHANNELS)
    return ws.root


def _secrets(root: Path, text: str, mode: int = 0o600) -> Path:
    path = root / "secrets.toml"
    path.write_text(text, encoding="utf-8")
    os.chmod(path, mode)
    return path


def _channels(root: Path) -> dict[str, config.Channel]:
    return {c.name or c.kind: c for c in config.load(root).settings.alerts.channels}


def test_init_writes_no_secret_and_an_owner_only_secrets_file(root: Path) -> None:
    path = root / "secrets.toml"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert "[channels.telegram]" in path.read_text(encoding="utf-8")  # commented examples
    text = (root / config.CONFIG_NAME).read_text(encoding="utf-8").replace(CHANNELS, "")
    assert 'secrets_file = "secrets.toml"' in text
    for line in text.splitlines():  # every secret key of the template is commented out or empty
        key = line.split("=", 1)[0].strip()
        if key in (*credentials.CHANNEL_SECRETS, *credentials.TOP_SECRETS):
            assert line.split("=", 1)[1].strip() == '""', line
    assert _channels(root)["telegram"].bot_token == "dari-citra-toml", "an all-commented secrets file changes nothing"


def test_secrets_file_and_environment(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _secrets(
        root,
        """
database_url = "sqlite:////tmp/lain.db"
[channels.telegram]
bot_token = "123:dari-berkas"
[channels.humas-kota]
smtp_user = "citra"
smtp_password = "sandi-smtp"
[channels.webhook]
secret = "kunci-hmac"
url = "https://example.go.id/hook/TOKEN"
""",
    )
    ws = config.load(root)
    found = _channels(root)
    assert ws.database_url == "sqlite:////tmp/lain.db"
    assert found["telegram"].bot_token == "123:dari-berkas" and found["telegram"].chat_id == "-100123"
    assert (found["humas-kota"].smtp_user, found["humas-kota"].smtp_password) == ("citra", "sandi-smtp")
    assert (found["webhook"].secret, found["webhook"].url) == ("kunci-hmac", "https://example.go.id/hook/TOKEN")
    monkeypatch.setenv("CITRA_CHANNEL_TELEGRAM_BOT_TOKEN", "456:dari-env")
    monkeypatch.setenv("CITRA_CHANNEL_HUMAS_KOTA_SMTP_PASSWORD", "sandi-env")
    monkeypatch.setenv("CITRA_DATABASE_URL", "sqlite:////tmp/env.db")
    found = _channels(root)
    assert found["telegram"].bot_token == "456:dari-env", "the environment wins over the file"
    assert found["humas-kota"].smtp_password == "sandi-env" and found["humas-kota"].smtp_user == "citra"
    assert config.load(root).database_url == "sqlite:////tmp/env.db"


def test_environment_without_a_secrets_file(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (root / "secrets.toml").unlink()  # the default file may be missing
    monkeypatch.setenv("CITRA_CHANNEL_WEBHOOK_SECRET", "kunci-env")
    assert _channels(root)["webhook"].secret == "kunci-env"
    assert _channels(root)["telegram"].bot_token == "dari-citra-toml"


@pytest.mark.parametrize("mode", [0o640, 0o604, 0o644, 0o660])
def test_a_secrets_file_others_may_read_is_refused(root: Path, mode: int) -> None:
    path = _secrets(root, '[channels.telegram]\nbot_token = "x"\n', mode)
    with pytest.raises(ConfigError, match="chmod 600"):
        config.load(root)
    os.chmod(path, 0o600)
    assert _channels(root)["telegram"].bot_token == "x"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[channels.sms]\nbot_token = "x"\n', "no alert channel named 'sms'"),
        ('[channels.telegram]\nchat_id = "x"\n', "may hold only"),
        ('organisation = "x"\n', "unknown keys organisation"),
        ("[channels\n", "not valid TOML"),
    ],
)
def test_bad_secrets_files_are_named(root: Path, text: str, message: str) -> None:
    _secrets(root, text)
    with pytest.raises(ConfigError, match=message):
        config.load(root)


def test_a_configured_secrets_file_must_exist(root: Path) -> None:
    path = root / config.CONFIG_NAME
    path.write_text(path.read_text().replace('secrets_file = "secrets.toml"', 'secrets_file = "rahasia.toml"'))
    with pytest.raises(ConfigError, match=r"rahasia\.toml does not exist"):
        config.load(root)


def test_commands_use_the_database_of_the_secrets_file(backend: str, tmp_path: Path) -> None:
    url = os.environ.pop("CITRA_DATABASE_URL", None) if backend == "postgres" else None
    try:
        root = tmp_path / "ws"
        citra("init", root, "--org", "Pemerintah Kota Bekasi")
        target = url or config.sqlite_url(tmp_path / "rahasia.db")
        _secrets(root, f"database_url = {target!r}\n".replace("'", '"'))
        citra("db", "upgrade", ws=root)
        args = [sys.executable, "-m", "citra", "user", "add", "rina", "--password-stdin", "--workspace", str(root)]
        subprocess.run(args, input="sandi-panjang-1\n", text=True, check=True, capture_output=True, timeout=120)
        assert '"rina"' in citra("user", "list", "--json", ws=root).stdout
        with Store.open(target) as store:  # the user is in the secrets file's database
            assert [u.name for u in store.accounts.users()] == ["rina"]
        os.chmod(root / "secrets.toml", 0o644)
        refused = citra("user", "list", ws=root, check=False)
        assert refused.returncode != 0 and "chmod 600" in refused.stderr and "Traceback" not in refused.stderr
    finally:
        if url:
            os.environ["CITRA_DATABASE_URL"] = url


def test_secrets_in_a_readable_citra_toml_are_warned_about(root: Path, caplog: pytest.LogCaptureFixture) -> None:
    path = root / config.CONFIG_NAME
    path.write_text(path.read_text().replace('database_url = ""', 'database_url = "postgresql://citra:rahasia@db/c"'))
    with caplog.at_level("WARNING", logger="citra.credentials"):
        config.load(root)  # 0600 as citra init wrote it: nobody else reads it
        assert not caplog.records
        os.chmod(path, 0o644)
        config.load(root)
    assert len(caplog.records) == 1
    message = caplog.records[0].getMessage()
    assert "database_url, telegram.bot_token" in message and "chmod 600" in message and "rahasia" not in message
