"""citra commands: analysis."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from citra.cli.common import WorkspaceOpt, _echo_json, _open, _pairs, app, err

label_app = typer.Typer(no_args_is_help=True, help="The team's labels: import them, and what to label next.")
app.add_typer(label_app, name="label")


class Tiers(StrEnum):
    """Which tiers ``citra analyze`` runs."""

    both = "both"
    fast = "fast"
    deep = "deep"


@app.command()
def analyze(
    rebuild: Annotated[
        bool, typer.Option("--rebuild", help="Re-annotate every post with the fast tier (deep labels are kept).")
    ] = False,
    tier: Annotated[
        Tiers,
        typer.Option(
            "--tier",
            help="both: the fast tier, then the deep one as [nlp] deep says; fast: the fast tier only; deep: the deep "
            "tier only.",
        ),
    ] = Tiers.both,
    deep_limit: Annotated[
        int | None, typer.Option("--deep-limit", min=0, help="Label at most this many posts with the deep tier.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON summary object.")] = False,
    workspace: WorkspaceOpt = None,
) -> None:
    """Annotate stored posts (language, sentiment, topics and OPD, targets, intent) with the current models: the
    fast tier labels every post at once, then the deep tier (a sentence encoder, tens of posts a second per core)
    relabels citizens' posts, the most urgent and newest first. Ctrl-C stops the deep tier after its batch; the
    next run continues it."""
    from citra import deep
    from citra.analyze import analyze as run
    from citra.nlp.pipeline import Pipeline

    ws, store = _open(workspace)
    out: dict[str, Any] = {}
    show = not as_json and err.is_terminal
    with store:
        if tier is not Tiers.deep:
            pipeline = Pipeline.for_workspace(ws)
            with _count_progress(show, "Menganalisis") as progress:
                summary = run(store, pipeline, rebuild=rebuild, progress=progress)
            out = summary.as_dict()
            if not as_json:
                err.print(
                    f"Annotated {summary.annotated:,} posts in {out['seconds']} s ({out['posts_per_second']:,} posts/s)"
                )
        if tier is not Tiers.fast:
            try:
                with _count_progress(show, "Model mendalam") as progress:
                    deeper = deep.run(store, ws, limit=deep_limit, progress=progress)
            except KeyboardInterrupt:
                err.print("Deep tier stopped; the posts labelled so far are kept: run citra analyze again to go on")
                raise typer.Exit(130) from None
            out["deep"] = deeper.as_dict()
            if not as_json:
                err.print(_deep_line(deeper))
    if as_json:
        _echo_json(out)


def _deep_line(summary: Any) -> str:
    if summary.mode == "off":
        return 'Deep tier off ([nlp] deep = "off")'
    data = summary.as_dict()
    return (
        f"Deep tier ({summary.mode}): labelled {summary.labelled:,} posts in {data['seconds']} s "
        f"({data['posts_per_second']:,} posts/s); {summary.remaining:,} still to label"
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
    path: Annotated[Path, typer.Argument(help="CSV, XLSX or JSONL with labels and a post id and/or text.")],
    id_col: Annotated[str, typer.Option("--id-col", help="Column of the post's native id.")] = "id",
    text_col: Annotated[str, typer.Option("--text-col", help="Column of the text.")] = "text",
    label_col: Annotated[
        str | None,
        typer.Option(
            "--label-col", help="Column of the sentiment label (default: label, unless other tasks' columns are given)."
        ),
    ] = None,
    opd_col: Annotated[str | None, typer.Option("--opd-col", help="Column of the responsible OPD.")] = None,
    needs_response_col: Annotated[
        str | None, typer.Option("--needs-response-col", help="Column of needs_response (ya/tidak, true/false, 1/0).")
    ] = None,
    platform_col: Annotated[
        str, typer.Option("--platform-col", help="Column of the platform (optional).")
    ] = "platform",
    label_map: Annotated[list[str] | None, typer.Option("--label-map", help="RAW=LABEL, e.g. 1.0=positive.")] = None,
    audit: Annotated[
        bool, typer.Option("--audit", help="The rows are a random sample: record the labelled posts as audit sample.")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON summary object.")] = False,
    workspace: WorkspaceOpt = None,
) -> None:
    """Store the team's labels (sentiment, OPD, needs_response): they override the model's and teach `citra train`."""
    from citra.curate import os_actor
    from citra.labels import import_labels

    mapping = dict(_pairs(label_map or [], "--label-map", "RAW=LABEL"))
    _, store = _open(workspace)
    with store:
        summary = import_labels(
            store,
            path,
            id_col=id_col,
            text_col=text_col,
            label_col=label_col,
            platform_col=platform_col,
            label_map=mapping,
            opd_col=opd_col,
            needs_response_col=needs_response_col,
            audit=audit,
            actor=os_actor(),
        )
    if as_json:
        _echo_json(summary.as_dict())
    else:
        tasks = ", ".join(f"{task} {count:,}" for task, count in summary.by_task.items() if count)
        err.print(
            f"Stored {summary.stored:,} labels ({tasks or 'none'}; {summary.matched_posts:,} rows tied to stored "
            f"posts, {summary.text_only:,} as texts); {len(summary.rejected):,} rows rejected"
        )
        if audit:
            err.print(f"Added {summary.audit_added:,} posts to the audit sample")
        for problem in summary.rejected[:10]:
            err.print(f"  line {problem['line']}: {problem['reason']}")
    if summary.stored == 0 and summary.rejected:
        raise typer.Exit(3)
