"""The generated reference docs match the code, and the README names every command."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated

import pytest
import typer

from citra import docgen
from citra.cli import app

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("relative", sorted(docgen.documents(), key=str), ids=str)
def test_generated_docs_are_current(relative: Path) -> None:
    path = ROOT / relative
    assert path.is_file(), f"{relative} is missing: run make docs"
    expected = docgen.documents()[relative]()
    assert path.read_text(encoding="utf-8") == expected, f"{relative} is out of date: run make docs"


def test_readme_names_every_command_and_group() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    names = [n for n, c in typer.main.get_command(app).commands.items() if not c.hidden]
    assert len(names) > 10
    missing = [n for n in names if not re.search(rf"\bcitra {re.escape(n)}(?![\w-])", readme)]
    assert not missing, f"README.md does not name: {', '.join('citra ' + n for n in missing)}"


def test_readme_links_the_references() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for relative in docgen.documents():
        assert f"({relative.as_posix()})" in readme, f"README.md does not link {relative}"


def test_settings_doc_names_every_environment_variable() -> None:
    # a name followed by < or { is a pattern (CITRA_CHANNEL_<NAME>_<KEY>), documented as such
    pattern = r"\bCITRA_[A-Z][A-Z0-9_]*+(?![<{])"
    used = {m for p in (ROOT / "src").rglob("*.py") for m in re.findall(pattern, p.read_text())}
    assert {"CITRA_WORKSPACE", "CITRA_DATABASE_URL"} <= used
    text = docgen.settings_markdown()
    assert not [v for v in sorted(used) if f"`{v}`" not in text]


def test_settings_doc_has_every_key_with_a_description() -> None:
    from citra.config import Channel, Settings

    text = docgen.settings_markdown()
    for header in ("[retention]", "[nlp]", "[alerts]", "[[leaders]]", "[[alerts.channels]]"):
        assert f"## `{header}`" in text
    for model in (Settings, Channel):
        for name, field in model.model_fields.items():
            assert field.description, f"{model.__name__}.{name} has no description"
            assert f"| `{name}` |" in text
    assert "| `threshold` | float, > 0 | `5.0` |" in text
    assert "| `organisation` | string | required |" in text


def _toy_app() -> typer.Typer:
    toy = typer.Typer(help="The [bold]toy[/bold] app.")
    group = typer.Typer(help="A [italic]group[/].")
    toy.add_typer(group, name="grp")

    @toy.command()
    def run(
        files: Annotated[list[Path], typer.Argument(help="Files to read.")],
        out: Annotated[Path, typer.Option(help="Where to write.")] = Path.cwd() / "out",
        level: Annotated[int, typer.Option(min=1, max=9, help="How hard; see the [nlp] section.")] = 3,
        tag: Annotated[list[str] | None, typer.Option("--tag", "-t", help="A | B, repeatable.")] = None,
        loud: Annotated[bool, typer.Option("--loud/--quiet", help="Say it.")] = True,
    ) -> None:
        """Run the *toy* on FILES."""

    @group.command("sub")
    def sub(when: Annotated[str, typer.Option(default_factory=lambda: "today")]) -> None:
        """A sub-command."""

    @toy.command(hidden=True)
    def secret() -> None:
        """Not shown."""

    return toy


def test_cli_markdown_renders_commands_options_and_groups() -> None:
    text = docgen.cli_markdown(_toy_app())
    assert "## `citra run`" in text and "## `citra grp`" in text and "## `citra grp sub`" in text
    assert "secret" not in text
    assert "citra run [OPTIONS] FILES..." in text
    assert "| `FILES` | path, one or more | required | Files to read. |" in text
    assert "| `--level` | int, 1 to 9 | `3` | How hard; see the [nlp] section. |" in text
    assert "| `--tag`, `-t` | str, repeatable | — | A \\| B, repeatable. |" in text
    assert "| `--loud`, `--quiet` | flag | `--loud` |" in text
    assert "Run the \\*toy\\* on FILES." in text
    assert "The toy app." in text and "A group." in text  # Rich style tags dropped, [nlp] kept
    assert "[bold]" not in text and "[/]" not in text


def test_cli_markdown_shows_no_value_computed_from_the_machine(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    text = docgen.cli_markdown(_toy_app())
    assert str(Path.cwd()) not in text
    assert "| `--out` | path | computed when run |" in text
    assert f"| `--when` | str | {docgen.DYNAMIC} |" in text
    before = docgen.cli_markdown()
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("CITRA_WORKSPACE", str(tmp_path))
    monkeypatch.setenv("COLUMNS", "40")
    after = docgen.cli_markdown()
    assert after == before
    assert str(tmp_path) not in after and str(Path.home()) not in after


def test_main_writes_both_files(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("")
    docgen.main(tmp_path)
    for relative, render in docgen.documents().items():
        assert (tmp_path / relative).read_text(encoding="utf-8") == render()
    with pytest.raises(SystemExit):
        docgen.main(tmp_path / "elsewhere")
