"""Adding a topic to a workspace's taxonomy file (``[nlp] topics``), keeping the file's comments (tomlkit).

A workspace without its own file gets ``topics.toml`` beside citra.toml, extending the shipped taxonomy, and
citra.toml's ``[nlp] topics`` names it. The new file is checked by compiling the whole taxonomy as the pipeline
would (``Taxonomy.for_settings``) before anything is written; both files are written atomically and put back as
they were when the workspace would not load. Changes go through ``citra.curate.add_topic`` (validated, audited)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import regex
import tomlkit

from citra import config
from citra.config_edit import _LOCK, write_atomic
from citra.errors import ConfigError
from citra.nlp.taxonomy_file import parse_file
from citra.nlp.topics import Taxonomy

FILE_NAME = "topics.toml"
_HEADER = (
    "Topik tambahan workspace ini (extends the shipped taxonomy; syntax: citra/nlp/data/topics.toml).\n"
    'Topik dari "Isu baru" (Isu & OPD) ditambahkan di sini; sunting polanya sesuai kebutuhan.'
)


def slug(words: Sequence[str]) -> str:
    """A snake_case topic id from the first words of a name (``isu_jembatan_ditutup``)."""
    parts = regex.findall(r"[a-z0-9]+", " ".join(words).lower())[:3]
    return "_".join(["isu", *parts]) if parts else "isu_baru"


def add_topic(
    ws: config.Workspace, name: str, patterns: Sequence[str], service: str = ""
) -> tuple[config.Workspace, str]:
    """Append a ``[[topic]]`` (a fresh id from ``name``, its name and patterns, optional service key) to the
    workspace's taxonomy file; return the reloaded workspace and the topic's id. ConfigError when the result
    would not compile or load (nothing is then written)."""
    with _LOCK:
        current = Taxonomy.for_settings(ws)
        taken = {t.id for t in current.topics}
        base = slug(name.split())
        tid, n = base, 2
        while tid in taken:
            tid, n = f"{base}_{n}", n + 1
        configured = ws.settings.nlp.topics
        path = ws.path(configured) if configured else ws.root / FILE_NAME
        if not configured and path.exists():
            raise ConfigError(f"{path} exists but citra.toml does not name it in [nlp] topics; add it there first")
        old = path.read_text(encoding="utf-8") if path.exists() else None
        doc = tomlkit.parse(old) if old is not None else _new_doc()
        table = tomlkit.table()
        table.add("id", tid)
        table.add("name", name)
        if service:
            table.add("service", service)
        table.add("patterns", list(dict.fromkeys(patterns)))
        topics = doc.get("topic")
        if topics is None:
            doc.append("topic", tomlkit.aot())
            topics = doc["topic"]
        topics.append(table)
        text = tomlkit.dumps(doc)
        known = {t.id: t for t in Taxonomy.default().raw} if ws.settings.nlp.topics_mode == "extend" else {}
        parse_file(text, str(path), known)  # a bad pattern or field: ConfigError before writing
        toml_path = ws.root / config.CONFIG_NAME
        toml_old = toml_path.read_text(encoding="utf-8")
        toml_new = toml_old if configured else _naming(toml_old)
        write_atomic(path, text)
        if toml_new != toml_old:
            write_atomic(toml_path, toml_new)
        try:
            fresh = config.load(ws.root)
            Taxonomy.for_settings(fresh)
        except ConfigError:
            _restore(path, old)
            write_atomic(toml_path, toml_old)
            raise
        return fresh, tid


def _new_doc() -> tomlkit.TOMLDocument:
    doc = tomlkit.document()
    for line in _HEADER.splitlines():
        doc.add(tomlkit.comment(line))
    doc.add(tomlkit.nl())
    return doc


def _naming(toml_text: str) -> str:
    """citra.toml with ``[nlp] topics = "topics.toml"`` (mode extend unless it says otherwise)."""
    doc = tomlkit.parse(toml_text)
    nlp = doc.get("nlp")
    if nlp is None:
        nlp = tomlkit.table()
        doc.append("nlp", nlp)
    nlp["topics"] = FILE_NAME
    return tomlkit.dumps(doc)


def _restore(path: Path, old: str | None) -> None:
    if old is None:
        path.unlink(missing_ok=True)
    else:
        write_atomic(path, old)
