"""Alert drivers in plain words: a target key (``leader:Hendra``, ``institution:Dinas PUPR``, ``entity:Kota X``)
as a name and role a Humas officer reads, and the Percakapan filter that shows a driver's posts.

Pure: the caller passes the leaders' configured roles and the words for each kind (Indonesian by default, the UI
language on the web)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from urllib.parse import urlencode

from citra.config import Workspace

KINDS_ID = {"leader": "pimpinan", "institution": "instansi", "entity": "pembanding"}


def leader_roles(ws: Workspace) -> dict[str, str]:
    """Leader name -> configured role (``Wali Kota``)."""
    return {leader.name: leader.role for leader in ws.settings.leaders if leader.role}


def target_words(key: object, roles: Mapping[str, str], kinds: Mapping[str, str] = KINDS_ID) -> str:
    """``Hendra Kusumawardana (Wali Kota)``, ``Dinas PUPR``, ``Kota Tirta Makmur (pembanding)``: a target key in
    words; a key of another shape is returned as it is."""
    text = str(key or "")
    kind, sep, name = text.partition(":")
    if not sep or not name:
        return text
    if kind == "leader":
        role = roles.get(name) or kinds.get("leader", "")
        return f"{name} ({role})" if role else name
    if kind == "entity":
        word = kinds.get("entity", "")
        return f"{name} ({word})" if word else name
    return name


def drill(field: str, value: str, since: date, until: date) -> str:
    """``/percakapan?target=...&since=YYYY-MM-DD&until=YYYY-MM-DD``: the conversation filtered by one driver over
    the alert's days (``field`` is target, topic, opd or sentiment)."""
    query = {field: value, "since": since.isoformat(), "until": until.isoformat()}
    if field != "sentiment":
        query["sentiment"] = "negative"
    return "/percakapan?" + urlencode(query)
