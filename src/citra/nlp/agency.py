"""The agencies a text is routed to as a workspace routes it: the taxonomy's ranked routes, combined with the router
learned from the city's history when the workspace has one (``<workspace>/models/routing``, written by
``citra train routing``; ``citra.nlp.routing.combine`` says how).

``citra eval routing`` measures exactly this; the pipeline finds the model with ``load_learned`` and passes
``learned_scores`` to ``Router.analyse``.
"""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from citra.config import Workspace
from citra.nlp.router import LearnedRouter, default_dir
from citra.nlp.routing import Route, Router
from citra.nlp.topics import Taxonomy

PREVIOUS = "routing.previous"  # next to models/routing: the model a new one replaced


def load_learned(workspace: Workspace) -> LearnedRouter | None:
    """The workspace's learned router, or None when it has none (a broken model folder is a CitraError)."""
    folder = default_dir(workspace.root)
    return LearnedRouter.load(folder) if (folder / "model.json").is_file() else None


def install(model: LearnedRouter, root: Path) -> Path | None:
    """Save ``model`` as the workspace's router (``models/routing``); the one it replaces is moved to
    ``models/routing.previous`` (returned; None when there was none)."""
    target = default_dir(root)
    staging = target.with_name("routing.new")
    shutil.rmtree(staging, ignore_errors=True)
    model.save(staging)
    previous = target.with_name(PREVIOUS)
    replaced = None
    if (target / "model.json").is_file():
        shutil.rmtree(previous, ignore_errors=True)
        target.rename(previous)
        replaced = previous
    else:
        shutil.rmtree(target, ignore_errors=True)
    staging.rename(target)
    return replaced


@dataclass(frozen=True)
class AgencyRouting:
    """The workspace's ranked routes per text: the taxonomy's (``citra.nlp.routing.Router``) combined with the
    learned router's probabilities when there is a model; ``describe`` names the components and their versions."""

    router: Router
    learned: LearnedRouter | None = None

    @classmethod
    def for_workspace(cls, workspace: Workspace | None, model: Path | None = None) -> AgencyRouting:
        """The routing of ``workspace`` (shipped taxonomy when None); ``model`` replaces its learned router."""
        taxonomy = Taxonomy.for_settings(workspace) if workspace is not None else Taxonomy.default()
        if model is not None:
            learned: LearnedRouter | None = LearnedRouter.load(model)
        else:
            learned = load_learned(workspace) if workspace is not None else None
        return cls(Router(taxonomy), learned)

    @property
    def describe(self) -> str:
        parts = [self.router.version]  # ranking version @ taxonomy version
        if self.learned is not None:
            parts.append(f"{self.learned.name}@{self.learned.version}")
        return " + ".join(parts)

    def routes(
        self,
        texts: Sequence[str],
        normalized: Sequence[str],
        vectors: Sequence[np.ndarray | None] | None = None,
        vector_model: str | None = None,
    ) -> list[tuple[Route, ...]]:
        """Ranked routes of each text (raw and normalised), best first; ``vectors`` as in ``learned_scores``."""
        learned = learned_scores(self.learned, normalized, vectors, vector_model)
        return [self.router.route(t, n, learned=s) for t, n, s in zip(texts, normalized, learned, strict=True)]

    def top(self, texts: Sequence[str], normalized: Sequence[str]) -> list[str | None]:
        """The agency each text goes to first, None when nothing routes it."""
        return [r[0].opd if r else None for r in self.routes(texts, normalized)]


def learned_scores(
    learned: LearnedRouter | None,
    normalized: Sequence[str],
    vectors: Sequence[np.ndarray | None] | None = None,
    vector_model: str | None = None,
) -> list[dict[str, float] | None]:
    """The learned router's probabilities per text for ``Router.route(..., learned=...)``; None each without one.
    ``vectors`` (None where a text has none) of encoder ``vector_model`` are used when the model has a vector head
    of that encoder (vectors of another encoder would not fit its weights)."""
    if learned is None:
        return [None] * len(normalized)
    usable = learned.vectors is not None and vector_model == learned.vectors.model
    return list(learned.scores(normalized, vectors if usable else None))
