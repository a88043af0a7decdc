"""citra commands: analysis."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from citra.cli.common import WorkspaceOpt, _echo_json, _open, _pairs, app, err

label_app = typer.Typer(no_args_is_help=True, help="Human sentiment labels.")
app.add_typer(label_app, name="label")


@app.command()
def analyze(
    rebuild: Annotated[bool, typer.Option("--rebuild", help="Re-annotate every post, not only new ones.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON summary object.")] = False,
    workspace: WorkspaceOpt = None,
) -> None:
    """Annotate stored posts (language, sentiment, topics and OPD, targets, intent) with the current models."""
    from citra.analyze import analyze as run
    from citra.nlp.pipeline import Pipeline

    ws, store = _open(workspace)
    pipeline = Pipeline.for_workspace(ws)
    with store, _count_progress(not as_json and err.is_terminal, "Menganalisis") as progress:
        summary = run(store, pipeline, rebuild=rebuild, progress=progress)
    if as_json:
        _echo_json(summary.as_dict())
    else:
        data = summary.as_dict()
        err.print(
            f"Annotated {summary.annotated:,} posts in {data['seconds']} s ({data['posts_per_second']:,} posts/s)"
        )


class _count_progress:
    """A Rich bar over a known total on a terminal; a no-op otherwise."""

    def __init__(self, enabled: bool, label: str) -> None:
        self.enabled, self.label = enabled, label
        self._bar: Any = None
        self._task: Any = None

    def __enter__(self) -> Any:
        if not self.enabled:
            return None
        from rich.progress import Progress

        self._bar = Progress(console=err)
        self._bar.__enter__()
        return self.update

    def update(self, done: int, total: int) -> None:
        if self._task is None:
            self._task = self._bar.add_task(self.label, total=total)
        self._bar.update(self._task, completed=done)

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.__exit__(*exc)


@label_app.command("import")
def label_import(
    path: Annotated[Path, typer.Argument(help="CSV, XLSX or JSONL with a label and a post id and/or text.")],
    id_col: Annotated[str, typer.Option("--id-col", help="Column of the post's native id.")] = "id",
    text_col: Annotated[str, typer.Option("--text-col", help="Column of the text.")] = "text",
    label_col: Annotated[str, typer.Option("--label-col", help="Column of the label.")] = "label",
    label_map: Annotated[list[str] | None, typer.Option("--label-map", help="RAW=LABEL, e.g. 1.0=positive.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON summary object.")] = False,
    workspace: WorkspaceOpt = None,
) -> None:
    """Store human sentiment labels that `citra train sentiment` can learn from."""
    from citra.labels import import_labels

    mapping = dict(_pairs(label_map or [], "--label-map", "RAW=LABEL"))
    _, store = _open(workspace)
    with store:
        summary = import_labels(store, path, id_col=id_col, text_col=text_col, label_col=label_col, label_map=mapping)
    if as_json:
        _echo_json(summary.as_dict())
    else:
        err.print(
            f"Stored {summary.stored:,} labels ({summary.matched_posts:,} tied to stored posts, "
            f"{summary.text_only:,} as texts); {len(summary.rejected):,} rows rejected"
        )
        for problem in summary.rejected[:10]:
            err.print(f"  line {problem['line']}: {problem['reason']}")
    if summary.stored == 0 and summary.rejected:
        raise typer.Exit(3)
