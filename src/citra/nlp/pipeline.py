"""The analysis pipeline: composes the pure language stages into one Annotation per post.

Built once from a workspace (its lexicons, taxonomy, leaders, entities, official accounts, sentiment model and
the router learned from its routed complaints, if any); ``version`` fingerprints every component, so a change of
model or settings marks history stale."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from citra.config import Workspace
from citra.nlp import category as categories
from citra.nlp import intent as intents
from citra.nlp.agency import learned_scores, load_learned
from citra.nlp.langid import LanguageIdentifier
from citra.nlp.normalize import Normalizer
from citra.nlp.router import LearnedRouter
from citra.nlp.routing import Router
from citra.nlp.sentiment import SentimentModel
from citra.nlp.targets import TargetMatcher
from citra.nlp.topics import Taxonomy
from citra.records import Annotation, Post, Sentiment

_LABELS = tuple(Sentiment)


@dataclass(frozen=True)
class Pipeline:
    """Every language stage, ready to annotate batches of posts."""

    normalizer: Normalizer
    langid: LanguageIdentifier
    sentiment: SentimentModel
    taxonomy: Taxonomy
    router: Router
    targets: TargetMatcher
    official: frozenset[tuple[str, str]]
    models: dict[str, str]
    version: str
    learned: LearnedRouter | None = None  # the workspace's router learned from its routed complaints

    @classmethod
    def for_workspace(cls, workspace: Workspace) -> Pipeline:
        settings = workspace.settings
        nlp = settings.nlp
        normalizer = Normalizer.with_lexicons([workspace.path(p) for p in nlp.lexicons])
        sentiment = SentimentModel.load(workspace.path(nlp.sentiment_model) if nlp.sentiment_model else None)
        taxonomy = Taxonomy.for_settings(workspace)
        router = Router(taxonomy)
        learned = load_learned(workspace)
        targets = TargetMatcher.from_settings(settings, taxonomy)
        langid = LanguageIdentifier()
        official = workspace.official_handles()
        models = {
            "normalize": f"normalize@{normalizer.version}",
            "langid": f"langid@{langid.version}",
            "sentiment": f"{sentiment.name}@{sentiment.version}",
            "topics": f"taxonomy@{taxonomy.version}",
            "routing": router.version + (f"+{learned.name}@{learned.version}" if learned else ""),
            "targets": f"targets@{targets.version}",
            "intent": f"rules@{intents.VERSION}",
            "category": f"rules@{categories.VERSION}",
            "official": "accounts@" + _digest(repr(sorted(official))),
        }
        version = _digest(repr(sorted(models.items())))
        return cls(normalizer, langid, sentiment, taxonomy, router, targets, official, models, version, learned)

    @property
    def vector_model(self) -> str | None:
        """The encoder whose sentence vectors the learned router reads (None: it reads none)."""
        return self.learned.vectors.model if self.learned is not None and self.learned.vectors is not None else None

    def annotate(self, posts: Sequence[Post], vectors: Sequence[np.ndarray | None] | None = None) -> list[Annotation]:
        """One Annotation per post, in order. ``vectors``: each post's sentence vector of encoder
        ``vector_model`` (None where it has none), for the learned router's vector head."""
        if not posts:
            return []
        texts = [p.text for p in posts]
        normalized = [self.normalizer.normalize(t) for t in texts]
        languages = self.langid.detect_batch(texts)
        probabilities = self.sentiment.predict_proba(normalized)
        learned = learned_scores(self.learned, normalized, vectors, self.vector_model)
        out: list[Annotation] = []
        rows = zip(posts, normalized, languages, probabilities, learned, strict=True)
        for post, norm, (lang, lang_score), probs, scores in rows:
            topics, routes = self.router.analyse(post.text, norm, learned=scores)
            targets = self.targets.match(post.text, norm)
            intent, needs = intents.assess(post, norm, official=self.official, targets=targets, service=bool(topics))
            best = int(probs.argmax())
            out.append(
                Annotation(
                    lang=lang,
                    lang_score=float(lang_score),
                    sentiment=_LABELS[best],
                    probs=(float(probs[0]), float(probs[1]), float(probs[2])),
                    topics=topics,
                    opds=tuple(r.opd for r in routes),
                    opd_scores=tuple(round(r.score, 4) for r in routes),
                    targets=targets,
                    intent=intent,
                    needs_response=needs,
                    category=categories.category(post.text, norm) if post.is_official else None,
                    models=self.models,
                )
            )
        return out


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:12]
