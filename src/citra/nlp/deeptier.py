"""The deep tier as one pure stage: raw post texts in, sentence vectors and calibrated sentiment out.

It pairs the e5 encoder (``citra.nlp.encoder``) with the deep sentiment head (``citra.nlp.deep_sentiment``); the
vectors are returned too, so the caller stores them once for every feature that reads them (routing by nearest
labelled complaints, new-issue clusters, near-duplicates). ``version`` names both parts: a new head or a new
encoder marks every deep label stale."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from citra.config import Workspace
from citra.nlp.deep_sentiment import DeepSentimentModel, deep_head_folder
from citra.nlp.encoder import Encoder


@dataclass
class DeepTier:
    """The encoder and the deep sentiment head, loaded once (about 100 MB of weights, a second to load)."""

    encoder: Encoder
    model: DeepSentimentModel

    @classmethod
    def for_workspace(cls, workspace: Workspace, encoder: Encoder | None = None) -> DeepTier:
        """The head that goes with the workspace's sentiment model (``[nlp] sentiment_model``: its ``deep/`` folder),
        else the shipped one; ``encoder`` an already loaded one to share."""
        folder = workspace.settings.nlp.sentiment_model
        encoder = encoder or Encoder()
        model = DeepSentimentModel.load(deep_head_folder(workspace.path(folder) if folder else None))
        model.encoder = encoder
        return cls(encoder, model)

    @property
    def version(self) -> str:
        """``name@version+encoder``: what a deep label records."""
        return f"{self.model.name}@{self.model.version}+{self.encoder.version}"

    def label(self, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """(vectors (n, 384) float32, probabilities (n, 3) in ``Sentiment`` order) of raw post texts."""
        vecs = self.encoder.embed(list(texts))
        return vecs, self.model.predict_proba_vectors(vecs, texts)
