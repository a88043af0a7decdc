"""citra commands: train routing, eval routing (the router learned from a city's routed complaints)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from citra import config
from citra.cli.common import WorkspaceOpt, _echo_json, err, per_class_table
from citra.cli.sentiment import eval_app, train_app
from citra.errors import CitraError, SourceError

TextCol = Annotated[
    str | None,
    typer.Option("--text-col", help="Column of the complaint text (default: a LAPOR! report text column or 'text')."),
]
LabelCol = Annotated[
    str | None,
    typer.Option(
        "--label-col", help="Column of the agency it was routed to (default: Instansi Terdisposisi, 'opd' or 'label')."
    ),
]


def _workspace(workspace: Path | None) -> config.Workspace | None:
    root = config.resolve_root(workspace)
    return config.load(root) if (root / config.CONFIG_NAME).is_file() else None


def _normalizer(ws: config.Workspace | None) -> Any:
    from citra.nlp.normalize import Normalizer

    lexicons = [ws.path(p) for p in ws.settings.nlp.lexicons] if ws is not None else []
    return Normalizer.with_lexicons(lexicons) if lexicons else Normalizer.default()


@train_app.command("routing")
def train_routing(
    data: Annotated[list[Path], typer.Option("--data", help="Routed complaints: CSV or XLSX, a LAPOR! export.")],
    text_col: TextCol = None,
    label_col: LabelCol = None,
    out: Annotated[
        Path | None, typer.Option("--out", help="Model folder (default: <workspace>/models/routing).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON summary object.")] = False,
    vectors: Annotated[
        bool,
        typer.Option(
            "--vectors/--no-vectors",
            help="Also learn from the texts' sentence vectors (the deep tier's encoder; about 1 minute per 2,000 "
            "complaints on one core); used for posts that have a vector.",
        ),
    ] = True,
    workspace: WorkspaceOpt = None,
) -> None:
    """Train the router on complaints the city already routed (text -> agency); in a workspace (no --out) it goes to
    models/routing, where the analysis combines it with the taxonomy, and the model it replaces to
    models/routing.previous."""
    from citra.nlp.agency import install
    from citra.nlp.routed import read_routed
    from citra.nlp.router import default_dir, train_router

    ws = _workspace(workspace)
    if out is None and ws is None:
        raise CitraError(f"no workspace in {config.resolve_root(workspace)}: give --out DIR (or --workspace)")
    texts: list[str] = []
    labels: list[str] = []
    notes = []
    for path in data:
        routed = read_routed(path, text_col=text_col, label_col=label_col)
        texts += routed.texts
        labels += routed.labels
        notes.append(routed.note())
    if not texts:
        raise SourceError("no routed complaints (rows with a text and an agency) in " + ", ".join(map(str, data)))
    normalizer = _normalizer(ws)
    matrix, encoder_version = None, ""
    if vectors:
        from citra.nlp.encoder import Encoder

        encoder = Encoder()
        matrix, encoder_version = encoder.embed(texts), encoder.version
    model = train_router(
        [normalizer.normalize(t) for t in texts],
        labels,
        normalizer_version=normalizer.version,
        data_notes=notes,
        vectors=matrix,
        vector_model=encoder_version,
    )
    replaced = None
    if out is None:
        assert ws is not None
        replaced = install(model, ws.root)
        out = default_dir(ws.root)
    else:
        model.save(out)
    cv = model.meta["metrics"].get("cv")
    outside = _outside_taxonomy(ws, model.agencies)
    summary = {
        "out": str(out),
        "previous": str(replaced) if replaced else None,
        "version": model.version,
        "examples": len(texts),
        "agencies": model.meta["training"]["per_agency"],
        "data": notes,
        "cv": cv,
        "cv_vectors": model.meta["metrics"].get("cv_vectors"),
        "vector_model": encoder_version or None,
        "not_in_taxonomy": outside,
    }
    if as_json:
        _echo_json(summary)
        return
    measured = (
        f"{cv['folds']}-fold cross-validated macro-F1 {cv['macro_f1']:.3f}, accuracy {cv['accuracy']:.3f}"
        if cv
        else "an agency has a single example: no cross-validation or calibration"
    )
    if cv_vectors := model.meta["metrics"].get("cv_vectors"):
        measured += (
            f"; with sentence vectors macro-F1 {cv_vectors['macro_f1']:.3f}, accuracy {cv_vectors['accuracy']:.3f}"
        )
    err.print(
        f"Trained {model.name}@{model.version} on {len(texts):,} complaints, {len(model.agencies)} agencies: "
        f"{measured}. Saved to {out}" + (f"; the model it replaces is in {replaced}" if replaced else ""),
        highlight=False,
        soft_wrap=True,
        markup=False,
    )
    if outside:
        err.print(
            f"{len(outside)} of its agencies are not the workspace's agency names ([opd] in citra.toml), so the "
            f"taxonomy's routes and the model's stay apart for them: {', '.join(outside)}",
            highlight=False,
            soft_wrap=True,
            markup=False,
        )


def _outside_taxonomy(ws: config.Workspace | None, agencies: tuple[str, ...]) -> list[str] | None:
    """The learned agencies that no topic of the workspace's taxonomy routes to (None without a workspace)."""
    if ws is None:
        return None
    from citra.nlp.topics import Taxonomy

    known = {t.opd for t in Taxonomy.for_settings(ws).topics if t.opd}
    return sorted(set(agencies) - known)


@eval_app.command("routing")
def eval_routing(
    path: Annotated[Path, typer.Argument(help="Routed complaints: CSV or XLSX, a LAPOR! export.")],
    text_col: TextCol = None,
    label_col: LabelCol = None,
    model: Annotated[
        Path | None, typer.Option("--model", help="Routing model folder (default: the workspace's, if any).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    vectors: Annotated[
        bool,
        typer.Option(
            "--vectors/--no-vectors",
            help="Embed the texts when the model reads sentence vectors, as the deep tier would (--no-vectors: "
            "measure the n-gram model alone, what a post gets before its vector).",
        ),
    ] = True,
    workspace: WorkspaceOpt = None,
) -> None:
    """Macro-F1, accuracy, coverage and per-agency precision/recall/F1 of the workspace's routing on a file."""
    from citra.nlp.agency import AgencyRouting
    from citra.nlp.routed import read_routed
    from citra.nlp.router import evaluate

    routed = read_routed(path, text_col=text_col, label_col=label_col)
    if not routed.rows:
        raise SourceError(f"{path}: no routed complaints (rows with a text and an agency)")
    ws = _workspace(workspace)
    routing = AgencyRouting.for_workspace(ws, model)
    normalizer = _normalizer(ws)
    normalized = [normalizer.normalize(t) for t in routed.texts]
    head = routing.learned.vectors if routing.learned is not None else None
    if vectors and head is not None:
        from citra.nlp.encoder import Encoder

        encoder = Encoder()
        found = routing.routes(routed.texts, normalized, list(encoder.embed(routed.texts)), encoder.version)
        predicted = [r[0].opd if r else None for r in found]
        used = encoder.version if encoder.version == head.model else None
    else:
        predicted, used = routing.top(routed.texts, normalized), None
    result = {"file": str(path), "router": routing.describe, "vectors": used, "skipped": routed.skipped}
    result.update(evaluate(routed.labels, predicted))
    if as_json:
        _echo_json(result)
    else:
        _print_eval(result)


def _print_eval(result: dict[str, Any]) -> None:
    from rich.markup import escape

    console = Console()
    console.print(
        f"{escape(result['file'])}: {result['n']:,} complaints, routing {escape(result['router'])}\n"
        f"macro-F1 {result['macro_f1']:.4f}   accuracy {result['accuracy']:.4f}   coverage {result['coverage']:.4f}"
    )
    console.print(per_class_table("per agency", "agency", result["per_agency"]))
