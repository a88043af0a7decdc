"""Retraining the workspace's sentiment model on the team's labels, with figures that can be trusted and a way back.

A fixed, deterministic part of the team's labels (one text in ``HELD_APART_EVERY``, chosen by a hash of the
text, so duplicates fall together and the choice never changes) is held apart: never trained on, it scores the
model in use before and the new model after. Labels of the random audit sample are never trained on either (the
corrected index measures the model's errors on them) and score both models a second time, without selection bias.
The new model goes to ``models/sentiment`` of the workspace; the one it replaces (the workspace's own, or a copy of
the shipped one) to ``models/sentiment.previous``, and ``rollback`` swaps the two. ``citra.toml`` ``[nlp]
sentiment_model`` points at ``models/sentiment`` from the first retrain on. Posts annotated by the old model are
re-analysed when there are at most ``REANALYSE_MAX`` of them, else left marked stale for ``citra analyze``.
``citra train sentiment`` (in a workspace) and the retrain button of the "Beri label" page both call ``retrain``."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import time
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from citra import config
from citra.errors import CitraError
from citra.records import HumanLabel, Sentiment

MODEL_DIR = "models/sentiment"
PREVIOUS_DIR = "models/sentiment.previous"
NEW_DIR = "models/sentiment.new"
RECORD = "models/retrain.json"
HELD_APART_EVERY = 5  # one text in five
REANALYSE_MAX = 200_000
FIGURES = ("n", "macro_f1", "accuracy", "ece")


def held_apart(text: str) -> bool:
    """Whether a labelled text belongs to the held-apart evaluation part (a fixed function of the text)."""
    key = " ".join(text.casefold().split()).encode("utf-8")
    return hashlib.sha256(key).digest()[0] % HELD_APART_EVERY == 0


Pairs = list[tuple[str, Sentiment]]


def split_labels(labels: Iterable[HumanLabel], audit: Collection[int] = ()) -> tuple[Pairs, Pairs, Pairs]:
    """(training part, held-apart part, audit part) of the team's sentiment labels. Labels of posts in the random
    audit sample (``audit``: their ids) are never trained on either: the corrected index estimates the model's
    errors on them, which training on them would hide."""
    train: Pairs = []
    held: Pairs = []
    audited: Pairs = []
    for h in labels:
        if not h.text or not h.text.strip():
            continue
        if h.post_id is not None and h.post_id in audit:
            audited.append((h.text, h.label))
        else:
            (held if held_apart(h.text) else train).append((h.text, h.label))
    return train, held, audited


@dataclass
class RetrainResult:
    """What a retrain did: model versions, the figures of the model before and after on the held-apart labels and
    on the audit sample's labels (None without such labels; the audit figures estimate accuracy on all citizens'
    posts without bias), how much it learnt from, how many team labels fitted the domain's temperature, and what
    happened to the annotations."""

    started_at: str
    finished_at: str
    seconds: float
    version_before: str
    version_after: str
    held_apart: int
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    examples: int
    team_labels_trained: int
    base_data: bool
    audit: int = 0
    calibration_labels: int = 0
    audit_before: dict[str, Any] | None = None
    audit_after: dict[str, Any] | None = None
    data: list[dict[str, Any]] = field(default_factory=list)
    reanalysed: int = 0
    stale: int = 0
    model_dir: str = MODEL_DIR
    deep_version: str = ""  # the deep tier's head saved in models/sentiment/deep ("" when not trained)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _figures(result: dict[str, Any]) -> dict[str, Any]:
    return {k: result[k] for k in (*FIGURES, "per_class") if k in result}


def _current_model_dir(ws: config.Workspace) -> Path:
    from citra.nlp.sentiment import SHIPPED

    setting = ws.settings.nlp.sentiment_model
    return ws.path(setting) if setting else SHIPPED


def retrain(
    ws: config.Workspace,
    store: Any,
    *,
    base: bool | None = None,
    shared: Path | None = None,
    labels_weight: float = 3.0,
    extra: Sequence[tuple[str, Sentiment, float]] = (),
    extra_notes: Sequence[dict[str, Any]] = (),
    reanalyse: bool = True,
    train_config: Any = None,
    progress: Callable[[str], None] | None = None,
    deep: bool = True,
) -> RetrainResult:
    """Train on the shipped data (``base`` True; None: when the shared data folder exists), ``extra`` examples
    and the training part of the team's labels; score before/after on the held-apart part; install the new
    model keeping the previous one; re-analyse (bounded) or mark stale. Raises CitraError without training data."""
    from citra.nlp import train as training
    from citra.nlp.normalize import Normalizer
    from citra.nlp.sentiment import SentimentModel

    say = progress or (lambda _message: None)
    started, clock = datetime.now(UTC), time.perf_counter()
    ws = config.load(ws.root)  # citra.toml may have changed since the caller loaded it
    audit_ids = set(store.labelling.audit_members("sentiment", limit=10_000_000))
    train_pairs, held, audited = split_labels(store.labels(), audit_ids)
    # a quarter of the training labels fits the domain's temperature when that is >= 40 labels (else none)
    train_pairs, calibration = training.domain_calibration_split(train_pairs)
    examples: list[tuple[str, Sentiment, float]] = list(extra)
    notes: list[dict[str, Any]] = list(extra_notes)
    folder = shared or training.default_shared_data()
    use_base = folder.is_dir() if base is None else base
    if use_base:
        say("reading the shipped training data")
        rows, about = training.default_training_set(folder)
        examples += rows
        notes += about
    if train_pairs:
        rows, note = training.human_labels(train_pairs, labels_weight)
        examples += rows
        notes.append({**note, "held_apart": len(held), "audit_sample": len(audited), "calibration": len(calibration)})
    if not examples:
        raise CitraError("no training data: label posts first (or give the shipped data with --shared-data)")
    normalizer = Normalizer.with_lexicons([ws.path(p) for p in ws.settings.nlp.lexicons])
    current = SentimentModel.load(_current_model_dir(ws))
    staging = ws.root / NEW_DIR
    shutil.rmtree(staging, ignore_errors=True)
    say(f"training on {len(examples):,} texts")
    model = training.train_sentiment(
        examples, staging, data_notes=notes, normalizer=normalizer, config=train_config, calibration=calibration
    )
    deep_version = (
        _train_deep(
            staging, [*extra, *((t, la, labels_weight) for t, la in train_pairs + calibration)], use_base, notes, say
        )
        if deep
        else ""
    )
    before = after = None
    if held:
        say(f"scoring on {len(held):,} held-apart team labels")
        before = _figures(training.evaluate_model(current, normalizer, held))
        after = _figures(training.evaluate_model(model, normalizer, held))
    audit_before = audit_after = None
    if audited:
        say(f"scoring on {len(audited):,} audit-sample labels")
        audit_before = _figures(training.evaluate_model(current, normalizer, audited))
        audit_after = _figures(training.evaluate_model(model, normalizer, audited))
    _install(ws, staging)
    result = RetrainResult(
        started_at=started.isoformat(),
        finished_at="",
        seconds=0.0,
        version_before=f"{current.name}@{current.version}",
        version_after=f"{model.name}@{model.version}",
        held_apart=len(held),
        before=before,
        after=after,
        examples=len(examples),
        team_labels_trained=len(train_pairs),
        calibration_labels=len(calibration),
        base_data=use_base,
        audit=len(audited),
        audit_before=audit_before,
        audit_after=audit_after,
        data=notes,
        deep_version=deep_version,
    )
    if reanalyse:
        result.reanalysed, result.stale = _reanalyse(ws, store, say)
    result.finished_at = datetime.now(UTC).isoformat()
    result.seconds = round(time.perf_counter() - clock, 2)
    _write_record(ws.root, {"last": result.as_dict(), "rolled_back_at": None})
    return result


def _train_deep(
    staging: Path, examples: list[tuple[str, Sentiment, float]], base: bool, notes: list[dict[str, Any]], say: Any
) -> str:
    """The deep tier's head in ``staging/deep``: the shipped head adapted to the workspace's own examples (the
    team's training labels and extra files; never the held-apart or audit labels), or without the shipped data a
    head trained on them alone. Returns its name@version."""
    from citra.nlp.deep_sentiment import DEEP_DIR
    from citra.nlp.deep_train import train_deep_head
    from citra.nlp.train import SHIPPABLE

    own = [n for n in notes if n.get("name") not in SHIPPABLE]
    say(f"deep tier: embedding {len(examples):,} texts and fitting its head")
    head = train_deep_head(examples, base=base, data_notes=own)
    head.save(staging / DEEP_DIR)
    return f"{head.name}@{head.version}"


def _install(ws: config.Workspace, staging: Path) -> None:
    """models/sentiment.new becomes models/sentiment; what the workspace used goes to models/sentiment.previous."""
    target, previous = ws.root / MODEL_DIR, ws.root / PREVIOUS_DIR
    in_use = _current_model_dir(ws).resolve()
    shutil.rmtree(previous, ignore_errors=True)
    if in_use == target.resolve() and target.is_dir():
        target.rename(previous)
    else:
        shutil.copytree(in_use, previous)
        shutil.rmtree(target, ignore_errors=True)
    staging.rename(target)
    point_at_workspace_model(ws.root)


def rollback(ws: config.Workspace, store: Any = None, *, reanalyse: bool = True) -> dict[str, Any]:
    """Swap models/sentiment and models/sentiment.previous (a second rollback undoes the first); re-analyse
    (bounded) when a store is given. Returns the versions now in use and before."""
    from citra.nlp.sentiment import SentimentModel

    target, previous = ws.root / MODEL_DIR, ws.root / PREVIOUS_DIR
    if not previous.is_dir() or not target.is_dir():
        raise CitraError(f"no previous model to return to in {previous}: retrain first")
    swap = ws.root / (MODEL_DIR + ".swap")
    shutil.rmtree(swap, ignore_errors=True)
    target.rename(swap)
    previous.rename(target)
    swap.rename(previous)
    point_at_workspace_model(ws.root)
    now, was = SentimentModel.load(target), SentimentModel.load(previous)
    done = {"version": f"{now.name}@{now.version}", "replaced": f"{was.name}@{was.version}", "reanalysed": 0}
    done["stale"] = 0
    if store is not None and reanalyse:
        done["reanalysed"], done["stale"] = _reanalyse(config.load(ws.root), store, lambda _m: None)
    record = last_record(ws.root) or {}
    _write_record(ws.root, {**record, "rolled_back_at": datetime.now(UTC).isoformat(), "rollback": done})
    return done


def _reanalyse(ws: config.Workspace, store: Any, say: Callable[[str], None]) -> tuple[int, int]:
    """(posts re-analysed, posts left stale): everything when at most REANALYSE_MAX posts are pending."""
    from citra.analyze import analyze
    from citra.nlp.pipeline import Pipeline

    pipeline = Pipeline.for_workspace(config.load(ws.root))
    pending = store.count_to_annotate(pipeline.version)
    if pending > REANALYSE_MAX:
        return 0, pending
    say(f"re-analysing {pending:,} posts")
    return analyze(store, pipeline).annotated, 0


def stale_posts(ws: config.Workspace, store: Any) -> int:
    """Posts whose annotation is not of the workspace's current pipeline (re-run ``citra analyze``)."""
    from citra.nlp.pipeline import Pipeline

    return int(store.count_to_annotate(Pipeline.for_workspace(config.load(ws.root)).version))


def last_record(root: Path) -> dict[str, Any] | None:
    """The last retrain's result (``last``) and rollback, as written to models/retrain.json (None before any)."""
    path = root / RECORD
    try:
        return dict(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError):
        return None


def _write_record(root: Path, data: dict[str, Any]) -> None:
    path = root / RECORD
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1, default=str), encoding="utf-8")
    tmp.replace(path)


_NLP = re.compile(r"^\s*\[nlp\]\s*(#.*)?$")
_SECTION = re.compile(r"^\s*\[")
_SETTING = re.compile(r"^(\s*)sentiment_model\s*=.*$")


def point_at_workspace_model(root: Path) -> None:
    """Set ``[nlp] sentiment_model = "models/sentiment"`` in citra.toml, editing that one line (comments and
    everything else stay), and check the file still loads."""
    path = root / config.CONFIG_NAME
    lines = path.read_text(encoding="utf-8").splitlines()
    wanted = f'sentiment_model = "{MODEL_DIR}"    # set by retraining (citra train sentiment, Beri label)'
    section = next((i for i, line in enumerate(lines) if _NLP.match(line)), None)
    if section is None:
        lines += ["", "[nlp]", wanted]
    else:
        end = next((i for i in range(section + 1, len(lines)) if _SECTION.match(lines[i])), len(lines))
        found = next((i for i in range(section + 1, end) if _SETTING.match(lines[i])), None)
        if found is not None:
            if config.load(root).settings.nlp.sentiment_model.rstrip("/") == MODEL_DIR:
                return
            lines[found] = wanted
        else:
            lines.insert(section + 1, wanted)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    config.load(root)
