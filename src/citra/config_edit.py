"""Changes to a workspace's settings written back to ``citra.toml``, keeping its comments and layout (tomlkit).

One table at a time: the file is loaded with tomlkit, the one table or key is replaced (tables edited in place, so
the comments inside them stay), the result is validated by parsing it as ``citra.config`` would (with the secrets
it is about to write) and only then written atomically (a temporary file beside it, then ``os.replace``, with the
old file's mode). A refused change leaves both files as they were. Secrets of alert channels (``bot_token``,
``smtp_user``, ``smtp_password``, ``secret``, ``url``) go to the secrets file, never to citra.toml; one that
citra.toml still holds (an older workspace) is moved there on the next change of the channels.
"""

from __future__ import annotations

import os
import tempfile
import threading
import tomllib
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import tomlkit
from pydantic import ValidationError
from tomlkit.items import Table

from citra import config, credentials, private
from citra.errors import ConfigError

SECTIONS = (
    "keywords", "accounts", "leaders", "entities", "feeds", "opd", "thresholds", "channels", "reports", "inbox",
    "opd_contacts", "deep",
)  # fmt: skip
_LOCK = threading.Lock()  # one change at a time within this process


class Refused(ConfigError):
    """The changed settings would not load; ``problems`` maps a setting's dotted path to citra.config's reason."""

    def __init__(self, problems: dict[str, str]) -> None:
        self.problems = problems
        super().__init__("; ".join(f"{k}: {v}" for k, v in problems.items()))


def channel_secrets(channel: Mapping[str, Any]) -> dict[str, str]:
    """The secret fields of a channel (what goes to the secrets file), without empty ones."""
    return {k: str(channel[k]) for k in credentials.CHANNEL_SECRETS if channel.get(k)}


def mask(value: str) -> str:
    """A secret as the page may show it: its last four characters when it is long enough to spare them."""
    if not value:
        return ""
    return "••••" + value[-4:] if len(value) >= 12 else "••••"


def stored_channel_secrets(root: Path) -> dict[str, dict[str, str]]:
    """Per channel name, the secrets kept for it in the secrets file and (an older workspace) in citra.toml;
    environment variables are not included (they are not the file's to keep)."""
    data = tomllib.loads((root / config.CONFIG_NAME).read_text(encoding="utf-8"))
    found: dict[str, dict[str, str]] = {}
    for channel in data.get("alerts", {}).get("channels", []):
        if isinstance(channel, dict) and channel_secrets(channel):
            found.setdefault(credentials.channel_name(channel), {}).update(channel_secrets(channel))
    path = credentials.file_path(root, data)
    if path is not None and path.is_file():
        for name, values in credentials.read_file(path).get("channels", {}).items():
            found.setdefault(name, {}).update({k: str(v) for k, v in values.items()})
    return found


def change(root: Path, section: str, value: Any, secrets: Mapping[str, Mapping[str, str]] | None = None) -> dict:
    """Replace ``section`` of the workspace's citra.toml with ``value`` (its TOML shape: a list of keywords, a dict
    of platform -> handles, a list of leader tables, ..., for ``thresholds`` and ``inbox`` a dict of the keys the
    form edits in ``[alerts]`` / ``[inbox]``, for ``reports`` the ``[reports]`` table, for ``opd_contacts`` OPD ->
    its contact table, for ``deep`` the word of ``[nlp] deep``) and return
    what was there before. ``channels``: ``value`` the channels without secrets, ``secrets`` the secrets per channel
    name (the whole ``[channels]`` table of the secrets file). Raises Refused when the result would not load."""
    if section not in SECTIONS:
        raise ConfigError(f"unknown settings section {section!r}; expected one of {', '.join(SECTIONS)}")
    path = root / config.CONFIG_NAME
    with _LOCK:
        old_text = path.read_text(encoding="utf-8")
        doc = tomlkit.parse(old_text)
        before = doc.unwrap()
        secrets_path = credentials.file_path(root, before)
        old_secrets_text = secrets_path.read_text(encoding="utf-8") if secrets_path and secrets_path.is_file() else None
        new_secrets_text = old_secrets_text
        _EDITORS[section](doc, value)
        if section == "channels":
            if secrets_path is None:
                if any(secrets.values() if secrets else ()):
                    raise Refused({"secrets_file": "no secrets file is configured; set secrets_file in citra.toml"})
            else:
                new_secrets_text = _secrets_text(old_secrets_text, secrets or {})
        text = tomlkit.dumps(doc)
        _validate(root, text, new_secrets_text)
        if secrets_path is not None and new_secrets_text != old_secrets_text:
            write_atomic(secrets_path, new_secrets_text or "", mode=private.FILE_MODE)
        write_atomic(path, text)
        try:
            config.load(root)
        except ConfigError:  # the environment disagrees with what was checked: put the old files back
            write_atomic(path, old_text)
            if secrets_path is not None and new_secrets_text != old_secrets_text:
                write_atomic(secrets_path, old_secrets_text or "", mode=private.FILE_MODE)
            raise
        return before


def write_atomic(path: Path, text: str, mode: int | None = None) -> None:
    """Write ``path`` through a temporary file in its folder and ``os.replace``: a reader sees the old file or the
    new one, never half of it. The new file keeps the old one's mode (``mode`` when given, 0600 when new)."""
    if mode is None:
        mode = path.stat().st_mode & 0o777 if path.exists() else private.FILE_MODE
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        os.fchmod(fd, mode)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def _validate(root: Path, text: str, secrets_text: str | None) -> None:
    try:
        data = tomllib.loads(text)
        secrets = tomllib.loads(secrets_text) if secrets_text is not None else None
    except tomllib.TOMLDecodeError as exc:  # only a bug here could make tomlkit write bad TOML
        raise Refused({"citra.toml": str(exc)}) from None
    try:
        settings = config.Settings.model_validate(credentials.apply(root, data, secrets=secrets))
    except ValidationError as exc:
        raise Refused({".".join(map(str, e["loc"])): e["msg"] for e in exc.errors()}) from None
    names = [credentials.channel_name(c.model_dump()) for c in settings.alerts.channels]
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:  # two channels of one name would share their secrets
        raise Refused({"alerts.channels": f"two channels are named {twice[0]!r}; give each a different name"})


def _secrets_text(old: str | None, channels: Mapping[str, Mapping[str, str]]) -> str:
    doc = tomlkit.parse(old if old is not None else credentials.TEMPLATE)
    table = tomlkit.table(is_super_table=True)
    for name, values in channels.items():
        kept = {k: v for k, v in values.items() if v}
        if kept:
            inner = tomlkit.table()
            for key in credentials.CHANNEL_SECRETS:
                if key in kept:
                    inner[key] = kept[key]
            table[name] = inner
    if "channels" in doc:
        del doc["channels"]
    if table:
        doc["channels"] = table
    return tomlkit.dumps(doc)


def _table(doc: tomlkit.TOMLDocument, key: str) -> Table:
    if key not in doc:
        doc[key] = tomlkit.table()
    found = doc[key]
    if not isinstance(found, Table):
        raise ConfigError(f"citra.toml: {key} is not a table")
    return found


def _replace_in(table: Table, values: Mapping[str, Any]) -> None:
    """Set the keys of ``table`` to ``values`` in place (comments inside it stay), dropping the keys not given."""
    for key in [k for k in table if k not in values]:
        del table[key]
    for key, value in values.items():
        table[key] = value


def _array_of_tables(rows: Sequence[Mapping[str, Any]]) -> Any:
    aot = tomlkit.aot()
    for row in rows:
        item = tomlkit.table()
        for key, value in row.items():
            if value is not None:
                item[key] = value
        aot.append(item)
    return aot


def _set_list(key: str) -> Any:
    """An editor of a top-level list: keywords (strings) or an array of tables (leaders, entities, feeds); an
    empty array of tables removes the key, leaving the commented examples alone."""

    def edit(doc: tomlkit.TOMLDocument, value: Sequence[Any]) -> None:
        if key == "keywords":
            doc[key] = list(value)
        elif value:
            doc[key] = _array_of_tables(value)
        elif key in doc:
            del doc[key]

    return edit


def _edit_thresholds(doc: tomlkit.TOMLDocument, value: Mapping[str, Any]) -> None:
    alerts = _table(doc, "alerts")
    for key, item in value.items():
        alerts[key] = item


def _edit_channels(doc: tomlkit.TOMLDocument, value: Sequence[Mapping[str, Any]]) -> None:
    alerts = _table(doc, "alerts")
    rows = [{k: v for k, v in c.items() if k not in credentials.CHANNEL_SECRETS} for c in value]
    if rows:
        alerts["channels"] = _array_of_tables(rows)
    elif "channels" in alerts:
        del alerts["channels"]


def _edit_inbox(doc: tomlkit.TOMLDocument, value: Mapping[str, Any]) -> None:
    """The form's keys of ``[inbox]`` (others, e.g. reach_followers, stay); no per-OPD deadline drops the key."""
    inbox = _table(doc, "inbox")
    for key, item in value.items():
        if key != "deadlines":
            inbox[key] = item
        elif item:
            table = tomlkit.inline_table()
            table.update(item)
            inbox[key] = table
        elif key in inbox:
            del inbox[key]


def _edit_opd_contacts(doc: tomlkit.TOMLDocument, value: Mapping[str, Mapping[str, Any]]) -> None:
    """``[opd_contacts."NAME"]`` tables: each OPD's table edited in place (its comments stay), a cleared one
    removed."""
    contacts = doc.get("opd_contacts")
    if contacts is None:
        if not value:
            return
        contacts = doc["opd_contacts"] = tomlkit.table(is_super_table=True)
    if not isinstance(contacts, Table):
        raise ConfigError("citra.toml: opd_contacts is not a table")
    for name in [n for n in contacts if n not in value]:
        del contacts[name]
    for name, fields in value.items():
        if name not in contacts:
            contacts[name] = tomlkit.table()
        _replace_in(contacts[name], fields)
    if not value:
        del doc["opd_contacts"]


def _edit_deep(doc: tomlkit.TOMLDocument, value: str) -> None:
    """``[nlp] deep`` alone: the other language settings and the comments stay."""
    _table(doc, "nlp")["deep"] = value


_EDITORS: dict[str, Any] = {
    "keywords": _set_list("keywords"),
    "leaders": _set_list("leaders"),
    "entities": _set_list("entities"),
    "feeds": _set_list("feeds"),
    "accounts": lambda doc, value: _replace_in(_table(doc, "accounts"), value),
    "opd": lambda doc, value: _replace_in(_table(doc, "opd"), value),
    "thresholds": _edit_thresholds,
    "channels": _edit_channels,
    "reports": lambda doc, value: _replace_in(_table(doc, "reports"), value),
    "inbox": _edit_inbox,
    "opd_contacts": _edit_opd_contacts,
    "deep": _edit_deep,
}
