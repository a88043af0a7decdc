"""The agency a text is routed to as a workspace routes it: the taxonomy, and the router learned from the city's
history when the workspace has one (``<workspace>/models/routing``, written by ``citra train routing``).

``citra eval routing`` measures exactly this, and ``load_learned`` is what the pipeline calls to find the model.
"""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from citra.config import Workspace
from citra.nlp.router import LearnedRouter, default_dir
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
    """Top agency per text: the learned router's best agency when there is a model, else the taxonomy's first
    route; ``describe`` names the components and their versions."""

    taxonomy: Taxonomy
    learned: LearnedRouter | None = None

    @classmethod
    def for_workspace(cls, workspace: Workspace | None, model: Path | None = None) -> AgencyRouting:
        """The routing of ``workspace`` (shipped taxonomy when None); ``model`` replaces its learned router."""
        taxonomy = Taxonomy.for_settings(workspace) if workspace is not None else Taxonomy.default()
        if model is not None:
            return cls(taxonomy, LearnedRouter.load(model))
        return cls(taxonomy, load_learned(workspace) if workspace is not None else None)

    @property
    def describe(self) -> str:
        parts = [f"taxonomy@{self.taxonomy.version}"]
        if self.learned is not None:
            parts.append(f"{self.learned.name}@{self.learned.version}")
        return " + ".join(parts)

    def top(self, normalized: Sequence[str]) -> list[str | None]:
        """The agency each normalised text goes to first, None when nothing routes it."""
        if self.learned is not None:
            return list(self.learned.predict(normalized))
        out: list[str | None] = []
        for text in normalized:
            opds = self.taxonomy.opds(self.taxonomy.match(text))
            out.append(opds[0] if opds else None)
        return out
