"""citra commands: sentiment."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import orjson
import typer
from rich.console import Console

from citra import config
from citra.cli.common import WorkspaceOpt, _echo_json, _open, app, err, per_class_table
from citra.errors import CitraError

eval_app = typer.Typer(no_args_is_help=True, help="Measure models on labelled files.")
app.add_typer(eval_app, name="eval")
train_app = typer.Typer(no_args_is_help=True, help="Train models.")
app.add_typer(train_app, name="train")

LabelMapOpt = Annotated[
    list[str] | None, typer.Option("--label-map", help="RAW=LABEL, e.g. -1.0=negative (repeat for each value).")
]
TextColOpt = Annotated[str | None, typer.Option("--text-col", help="Column of the text (files with a header).")]
LabelColOpt = Annotated[str | None, typer.Option("--label-col", help="Column of the label (files with a header).")]
ModelOpt = Annotated[
    Path | None,
    typer.Option("--model", help="Model folder (default: the workspace's [nlp] model, else the shipped one)."),
]


class Tier(StrEnum):
    fast = "fast"
    deep = "deep"


TierOpt = Annotated[
    Tier,
    typer.Option(
        "--tier", help="fast: the n-gram model; deep: the head on e5 sentence vectors (slower: tens of texts/s a core)."
    ),
]


def _sentiment_stage(model: Path | None, workspace: Path | None) -> tuple[Any, Any]:
    """The normaliser (with the workspace's lexicons) and the sentiment model: --model, else the workspace's
    ``[nlp] sentiment_model`` when there is a workspace, else the shipped model."""
    from citra.nlp.normalize import Normalizer
    from citra.nlp.sentiment import SentimentModel

    lexicons: list[Path] = []
    root = config.resolve_root(workspace)
    if (root / config.CONFIG_NAME).is_file():
        ws = config.load(root)
        lexicons = [ws.path(p) for p in ws.settings.nlp.lexicons]
        if model is None and ws.settings.nlp.sentiment_model:
            model = ws.path(ws.settings.nlp.sentiment_model)
    normalizer = Normalizer.with_lexicons(lexicons) if lexicons else Normalizer.default()
    return normalizer, SentimentModel.load(model)


def _deep_stage(model: Path | None, workspace: Path | None) -> Any:
    """The deep tier's head: in --model (or its ``deep/`` folder), else in the workspace's ``[nlp]
    sentiment_model`` folder's ``deep/`` when there is one, else the shipped head."""
    from citra.nlp.deep_sentiment import DeepSentimentModel, deep_head_folder

    root = config.resolve_root(workspace)
    if model is None and (root / config.CONFIG_NAME).is_file():
        ws = config.load(root)
        if ws.settings.nlp.sentiment_model:
            return DeepSentimentModel.load(deep_head_folder(ws.path(ws.settings.nlp.sentiment_model)))
    return DeepSentimentModel.load(deep_head_folder(model, strict=model is not None))


@app.command("sentiment")
def sentiment_cmd(
    text: Annotated[
        str | None, typer.Argument(help="Text to classify (default: one text per line from stdin).")
    ] = None,
    model: ModelOpt = None,
    tier: TierOpt = Tier.fast,
    workspace: WorkspaceOpt = None,
) -> None:
    """Classify sentiment: one JSON line {"text", "label", "score"} per text (score: the label's probability)."""
    from itertools import islice

    if tier is Tier.deep:
        deep = _deep_stage(model, workspace)
        predict, size = deep.predict, 64
    else:
        normalizer, classifier = _sentiment_stage(model, workspace)
        predict, size = (lambda batch: classifier.predict([normalizer.normalize(t) for t in batch])), 5000
    lines = iter([text]) if text is not None else (line.rstrip("\r\n") for line in sys.stdin)
    out = sys.stdout.buffer
    while batch := list(islice(lines, size)):
        for item, (label, score) in zip(batch, predict(batch), strict=True):
            out.write(orjson.dumps({"text": item, "label": label.value, "score": round(score, 4)}) + b"\n")
    out.flush()


@eval_app.command("sentiment")
def eval_sentiment(
    path: Annotated[Path, typer.Argument(help="Labelled file: SmSA TSV (text<TAB>label, no header) or CSV/TSV.")],
    text_col: TextColOpt = None,
    label_col: LabelColOpt = None,
    label_map: LabelMapOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    model: ModelOpt = None,
    tier: TierOpt = Tier.fast,
    workspace: WorkspaceOpt = None,
) -> None:
    """Macro-F1, accuracy, per-class precision/recall/F1 and the confusion matrix of the sentiment model on a file."""
    from citra.errors import SourceError
    from citra.nlp.datasets import parse_label_map, read_labelled
    from citra.nlp.train import evaluate_model

    mapping = parse_label_map(label_map or [])
    examples = read_labelled(path, text_col=text_col, label_col=label_col, label_map=mapping)
    if not examples:
        raise SourceError(f"{path}: no labelled rows")
    if tier is Tier.deep:
        from citra.nlp.deep_train import evaluate_deep
        from citra.nlp.sentiment import LABELS

        deep = _deep_stage(model, workspace)
        texts = [t for t, _ in examples]
        gold = [LABELS.index(label) for _, label in examples]
        result = {"file": str(path), "model": f"{deep.name}@{deep.version}", "tier": tier.value}
        result.update(evaluate_deep(deep, texts, gold, deep.embed(texts)))
    else:
        normalizer, classifier = _sentiment_stage(model, workspace)
        result = {"file": str(path), "model": f"{classifier.name}@{classifier.version}", "tier": tier.value}
        result.update(evaluate_model(classifier, normalizer, examples))
    if as_json:
        _echo_json(result)
    else:
        _print_eval(result)


def _print_eval(result: dict[str, Any]) -> None:
    from rich.markup import escape
    from rich.table import Table

    console = Console()
    console.print(
        f"{escape(result['file'])}: {result['n']:,} texts, model {escape(result['model'])}\n"
        f"macro-F1 {result['macro_f1']:.4f}   accuracy {result['accuracy']:.4f}   calibration error {result['ece']:.4f}"
    )
    console.print(per_class_table("per class", "label", result["per_class"]))
    labels = result["confusion"]["labels"]
    matrix = Table(title="confusion (rows: true, columns: predicted)")
    matrix.add_column("")
    for label in labels:
        matrix.add_column(label, justify="right")
    for label, row in zip(labels, result["confusion"]["matrix"], strict=True):
        matrix.add_row(label, *(f"{v:,}" for v in row))
    console.print(matrix)


@train_app.command("sentiment")
def train_sentiment_cmd(
    data: Annotated[list[Path] | None, typer.Option("--data", help="Labelled file to add (repeatable).")] = None,
    text_col: TextColOpt = None,
    label_col: LabelColOpt = None,
    label_map: LabelMapOpt = None,
    data_weight: Annotated[float, typer.Option("--data-weight", help="Weight of --data rows.", min=0.01)] = 1.0,
    shared_data: Annotated[
        Path | None,
        typer.Option(
            "--shared-data", help="Folder of the shipped training data (default: $CITRA_SHARED_DATA, ../shared/data)."
        ),
    ] = None,
    base: Annotated[
        bool,
        typer.Option(
            "--base/--no-base",
            help="Include the shipped training data (SmSA, NusaX, PRDECT-ID, news, citra's government sentences).",
        ),
    ] = True,
    labels_weight: Annotated[
        float, typer.Option("--labels-weight", help="Weight of the workspace's human labels.", min=0.01)
    ] = 3.0,
    out: Annotated[
        Path | None, typer.Option("--out", help="Model folder (default: <workspace>/models/sentiment).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON summary object.")] = False,
    workspace: WorkspaceOpt = None,
) -> None:
    """Train both tiers' sentiment models on the shipped data, --data files and the workspace's human labels: the
    fast n-gram model, and the deep tier's head in <model folder>/deep (the shipped head adapted to your labels and
    files, or with --no-base trained on them alone; embedding them takes tens of texts a second). In a workspace
    (no --out): part of the team's labels is held apart to score the model before and after, the new model goes to
    models/sentiment, the one it replaces is kept (citra train rollback), and posts are re-analysed. With --out: a
    quarter of the team's labels (when that is at least 40) is held apart to fit the temperature to your posts."""
    from citra.nlp import train as training
    from citra.nlp.normalize import Normalizer

    examples: list[Any] = []
    notes: list[dict[str, Any]] = []
    for path in data or []:
        rows, note = training.labelled_file(
            path, text_col=text_col, label_col=label_col, label_map=label_map or [], weight=data_weight
        )
        examples += rows
        notes.append(note)
    root = config.resolve_root(workspace)
    if out is None and (root / config.CONFIG_NAME).is_file():
        _retrain_workspace(root, examples, notes, base, shared_data, labels_weight, as_json)
        return
    own, own_notes = list(examples), list(notes)  # what the deep head adapts to (it knows the shipped data)
    if base:
        rows, about = training.default_training_set(shared_data or training.default_shared_data())
        examples = rows + examples
        notes = about + notes
    lexicons: list[Path] = []
    calibration: list[Any] = []
    if (root / config.CONFIG_NAME).is_file():
        ws, store = _open(root)
        with store:
            labelled = [(h.text, h.label) for h in store.labels()]
        labelled, calibration = training.domain_calibration_split(labelled)
        if labelled:
            rows, note = training.human_labels(labelled, labels_weight)
            examples += rows
            notes.append({**note, "held_apart_for_calibration": len(calibration)})
            own += rows
            own_notes.append(note)
        lexicons = [ws.path(p) for p in ws.settings.nlp.lexicons]
    elif out is None:
        raise CitraError(f"no workspace in {root}: give --out DIR (or --workspace)")
    if not examples:
        raise CitraError("no training data: use --data FILE, the shipped data (--base) or human labels")
    normalizer = Normalizer.with_lexicons(lexicons) if lexicons else Normalizer.default()
    model = training.train_sentiment(examples, out, data_notes=notes, normalizer=normalizer, calibration=calibration)
    deep = _train_deep(own + [(t, label, labels_weight) for t, label in calibration], own_notes, base, out, as_json)
    cv = model.meta["metrics"].get("cv")
    domain = model.meta["calibration"].get("domain")
    summary = {"out": str(out), "version": model.version, "examples": len(examples), "data": notes, "cv": cv}
    summary["deep"] = {"version": deep.version, "examples": len(own) + len(calibration), "out": str(out / "deep")}
    summary["calibration"] = domain
    if domain:
        before, after = domain["before"]["ece"], domain["after_cross_fitted"]["ece"]
        err.print(
            f"Temperature fitted on {domain['n']:,} held-apart team labels: calibration error {before} -> {after}"
        )
    if as_json:
        _echo_json(summary)
        return
    measured = (
        f"cross-validated macro-F1 {cv['macro_f1']:.3f}, accuracy {cv['accuracy']:.3f}"
        if cv
        else "too few examples per label to cross-validate or calibrate"
    )
    err.print(f"Trained {model.name}@{model.version} on {len(examples):,} texts: {measured}. Saved to {out}")
    if (root / config.CONFIG_NAME).is_file():
        toml = root / config.CONFIG_NAME
        err.print(f'Use it: set [nlp] sentiment_model = "{out}" in {toml}, then run citra analyze --rebuild')


def _train_deep(examples: list[Any], notes: list[dict[str, Any]], base: bool, out: Path, quiet: bool) -> Any:
    """The deep tier's head for these examples (the shipped head adapted to them, or with --no-base trained on them
    alone), saved in ``out/deep``."""
    from citra.nlp.deep_sentiment import DEEP_DIR
    from citra.nlp.deep_train import train_deep_head

    if not base and not examples:
        raise CitraError("--no-base needs labelled examples for the deep head (--data or the team's labels)")
    if examples and not quiet:
        err.print(f"Deep tier: embedding {len(examples):,} texts with e5-small (tens of texts a second) ...")
    deep = train_deep_head(examples, base=base, data_notes=notes)
    deep.save(out / DEEP_DIR)
    if not quiet:
        err.print(f"Deep tier head {deep.name}@{deep.version} saved to {out / DEEP_DIR}")
    return deep


def _retrain_workspace(
    root: Path,
    examples: list[Any],
    notes: list[dict[str, Any]],
    base: bool,
    shared_data: Path | None,
    labels_weight: float,
    as_json: bool,
) -> None:
    """In a workspace: ``citra.retrain`` (the team's labels, part held apart for before/after figures; the
    previous model kept for ``citra train rollback``)."""
    from citra.retrain import retrain

    ws, store = _open(root)
    with store:
        result = retrain(
            ws,
            store,
            base=base,
            shared=shared_data,
            labels_weight=labels_weight,
            extra=examples,
            extra_notes=notes,
            progress=None if as_json else (lambda m: err.print(m)),
        )
    from citra.nlp.sentiment import SentimentModel

    model = SentimentModel.load(ws.root / "models" / "sentiment")
    cv = model.meta["metrics"].get("cv")
    summary = {
        "out": str(ws.root / "models" / "sentiment"),
        "version": model.version,
        "examples": result.examples,
        "data": result.data,
        "cv": cv,
        "held_apart": result.held_apart,
        "before": result.before,
        "after": result.after,
        "audit": result.audit,
        "audit_before": result.audit_before,
        "audit_after": result.audit_after,
        "previous": str(ws.root / "models" / "sentiment.previous"),
        "reanalysed": result.reanalysed,
        "stale": result.stale,
    }
    if as_json:
        _echo_json(summary)
        return
    err.print(
        f"Trained {result.version_after} on {result.examples:,} texts; previous model kept (citra train rollback)"
    )
    if result.before and result.after:
        err.print(f"Held-apart team labels (n = {result.held_apart:,}, never trained on):")
        for name, figures in (("before", result.before), ("after", result.after)):
            err.print(f"  {name:6} macro-F1 {figures['macro_f1']:.3f}   accuracy {figures['accuracy']:.3f}")
    else:
        err.print("No held-apart team labels yet: label more posts for before/after figures")
    if result.audit_before and result.audit_after:
        err.print(f"Random audit sample's labels (n = {result.audit:,}, never trained on):")
        for name, figures in (("before", result.audit_before), ("after", result.audit_after)):
            err.print(f"  {name:6} macro-F1 {figures['macro_f1']:.3f}   accuracy {figures['accuracy']:.3f}")
    if result.stale:
        err.print(f"{result.stale:,} posts still carry the old model's labels: run citra analyze")
    elif result.reanalysed:
        err.print(f"Re-analysed {result.reanalysed:,} posts with the new model")
