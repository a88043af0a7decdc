"""Secrets kept out of ``citra.toml``: a secrets file beside it (0600, refused when others may read it) and
environment variables, so that citra.toml can be shared, reviewed or kept in version control.

Which settings are secrets: ``database_url`` (it may hold a password) and, per alert channel, ``bot_token``,
``smtp_user``, ``smtp_password``, ``secret`` and ``url`` (a webhook address often embeds a token). A channel is
named by its ``name``, or by its ``kind`` when it has none. What wins: an environment variable over the secrets file
over citra.toml.

    # secrets.toml (chmod 600)
    database_url = "postgresql+psycopg://citra:KATA-SANDI@10.0.0.5/citra"
    [channels.telegram]
    bot_token = "123456:ABC..."

    CITRA_CHANNEL_TELEGRAM_BOT_TOKEN=123456:ABC...     # CITRA_CHANNEL_<NAME>_<KEY>, NAME upper-cased, - and . as _
    CITRA_DATABASE_URL=postgresql+psycopg://...
"""

from __future__ import annotations

import logging
import os
import re
import stat
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from citra.errors import ConfigError

DEFAULT_FILE = "secrets.toml"
CHANNEL_SECRETS = ("bot_token", "smtp_user", "smtp_password", "secret", "url")
TOP_SECRETS = ("database_url",)
PASSWORDS = ("bot_token", "smtp_password", "secret")  # what a readable citra.toml must not hold
log = logging.getLogger(__name__)

TEMPLATE = """# citra secrets, kept out of citra.toml; owner-only (chmod 600: citra refuses it otherwise).
# Environment variables win over this file: CITRA_DATABASE_URL, CITRA_CHANNEL_<NAME>_<KEY>.

# database_url = "postgresql+psycopg://citra:KATA-SANDI@127.0.0.1:5432/citra"

# Per alert channel of citra.toml, by its name (or its kind when it has no name):
# [channels.telegram]
# bot_token = "123456:ABC..."
# [channels.email]
# smtp_user = "citra@example.go.id"
# smtp_password = "..."
# [channels.webhook]
# secret = "..."
"""


def channel_name(channel: Mapping[str, Any]) -> str:
    return str(channel.get("name") or channel.get("kind") or "")


def env_name(channel: str, key: str) -> str:
    """``CITRA_CHANNEL_<NAME>_<KEY>`` of a channel's secret."""
    slug = re.sub(r"[^A-Z0-9]+", "_", channel.upper()).strip("_")
    return f"CITRA_CHANNEL_{slug}_{key.upper()}"


def read_file(path: Path) -> dict[str, Any]:
    """The secrets file's content, refused when group or others may read or write it."""
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        raise ConfigError(f"{path} may be read by other users (mode {mode:04o}); run: chmod 600 {path}")
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    unknown = set(data) - {*TOP_SECRETS, "channels"}
    if unknown:
        raise ConfigError(f"{path}: unknown keys {', '.join(sorted(unknown))} (allowed: database_url, [channels.NAME])")
    for name, values in data.get("channels", {}).items():
        if not isinstance(values, dict) or set(values) - set(CHANNEL_SECRETS):
            allowed = ", ".join(CHANNEL_SECRETS)
            raise ConfigError(f"{path}: [channels.{name}] may hold only {allowed}")
    return data


def warn_exposed(path: Path, data: Mapping[str, Any]) -> list[str]:
    """Warn (and return the keys) when citra.toml itself holds secrets and others may read it: an older workspace,
    or a file copied with the usual 0644."""
    if not stat.S_IMODE(path.stat().st_mode) & 0o077:
        return []
    found = []
    url = data.get("database_url")
    if isinstance(url, str) and url and _has_password(url):
        found.append("database_url")
    for channel in data.get("alerts", {}).get("channels", []):
        if isinstance(channel, dict):
            found += [f"{channel_name(channel)}.{key}" for key in PASSWORDS if channel.get(key)]
    if found:
        log.warning(
            "%s holds secrets (%s) and may be read by other users: move them to %s (chmod 600) or run: chmod 600 %s",
            path,
            ", ".join(found),
            DEFAULT_FILE,
            path,
        )
    return found


def _has_password(url: str) -> bool:
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        return bool(make_url(url).password)
    except (ArgumentError, ValueError):
        return False


def file_path(root: Path, data: Mapping[str, Any]) -> Path | None:
    """The secrets file that citra.toml (as read into ``data``) names, or None when it names none."""
    configured = data.get("secrets_file", DEFAULT_FILE)
    if not configured:
        return None
    path = Path(str(configured)).expanduser()
    return path if path.is_absolute() else root / path


def apply(
    root: Path,
    data: dict[str, Any],
    environ: Mapping[str, str] | None = None,
    secrets: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """``data`` (citra.toml as read) with the secrets of the secrets file and the environment put in. ``secrets``
    stands in for the file's content (a settings change checks the files it is about to write)."""
    environ = os.environ if environ is None else environ
    configured = data.get("secrets_file", DEFAULT_FILE)
    channels = [c for c in data.get("alerts", {}).get("channels", []) if isinstance(c, dict)]
    if configured:
        path = file_path(root, data)
        assert path is not None
        if secrets is not None or path.is_file():
            secrets = read_file(path) if secrets is None else secrets
            for key in TOP_SECRETS:
                if key in secrets:
                    data[key] = secrets[key]
            for name, values in secrets.get("channels", {}).items():
                matching = [c for c in channels if channel_name(c) == name]
                if not matching:
                    raise ConfigError(f"{path}: [channels.{name}]: no alert channel named {name!r} in citra.toml")
                for channel in matching:
                    channel.update(values)
        elif configured != DEFAULT_FILE:
            raise ConfigError(f"secrets_file: {path} does not exist")
    for channel in channels:
        for key in CHANNEL_SECRETS:
            value = environ.get(env_name(channel_name(channel), key))
            if value:
                channel[key] = value
    return data


def create(path: Path) -> bool:
    """Write the commented secrets file (0600) unless one exists; returns whether it was written."""
    from citra import private

    if not private.touch(path):
        return False
    path.write_text(TEMPLATE, encoding="utf-8")
    return True
