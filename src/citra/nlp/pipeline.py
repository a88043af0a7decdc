"""The analysis pipeline: composes the pure language stages into one Annotation per post.

Built once from a workspace (its lexicons, taxonomy, leaders, entities, official accounts and sentiment
model); ``version`` fingerprints every component, so a change of model or settings marks history stale."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

import regex

from citra.config import Workspace
from citra.nlp import category as categories
from citra.nlp import intent as intents
from citra.nlp.langid import LanguageIdentifier
from citra.nlp.normalize import Normalizer
from citra.nlp.sentiment import SentimentModel
from citra.nlp.targets import TargetMatcher
from citra.nlp.topics import Taxonomy
from citra.records import Annotation, Post, Sentiment

_MENTION = regex.compile(r"@(\w{1,30})")
_LABELS = tuple(Sentiment)


@dataclass(frozen=True)
class Pipeline:
    """Every language stage, ready to annotate batches of posts."""

    normalizer: Normalizer
    langid: LanguageIdentifier
    sentiment: SentimentModel
    taxonomy: Taxonomy
    targets: TargetMatcher
    official: frozenset[tuple[str, str]]
    models: dict[str, str]
    version: str

    @classmethod
    def for_workspace(cls, workspace: Workspace) -> Pipeline:
        settings = workspace.settings
        nlp = settings.nlp
        normalizer = Normalizer.with_lexicons([workspace.path(p) for p in nlp.lexicons])
        sentiment = SentimentModel.load(workspace.path(nlp.sentiment_model) if nlp.sentiment_model else None)
        taxonomy = Taxonomy.for_settings(workspace)
        targets = TargetMatcher.from_settings(settings, taxonomy)
        langid = LanguageIdentifier()
        official = workspace.official_handles()
        models = {
            "normalize": f"normalize@{normalizer.version}",
            "langid": f"langid@{langid.version}",
            "sentiment": f"{sentiment.name}@{sentiment.version}",
            "topics": f"taxonomy@{taxonomy.version}",
            "targets": f"targets@{targets.version}",
            "intent": f"rules@{intents.VERSION}",
            "category": f"rules@{categories.VERSION}",
            "official": "accounts@" + _digest(repr(sorted(official))),
        }
        version = _digest(repr(sorted(models.items())))
        return cls(normalizer, langid, sentiment, taxonomy, targets, official, models, version)

    def annotate(self, posts: Sequence[Post]) -> list[Annotation]:
        """One Annotation per post, in order."""
        if not posts:
            return []
        texts = [p.text for p in posts]
        normalized = [self.normalizer.normalize(t) for t in texts]
        languages = self.langid.detect_batch(texts)
        probabilities = self.sentiment.predict_proba(normalized)
        opd_of = {t.id: t.opd for t in self.taxonomy.topics}
        out: list[Annotation] = []
        for post, norm, (lang, lang_score), probs in zip(posts, normalized, languages, probabilities, strict=True):
            topics = self.taxonomy.match(norm)
            targets = self.targets.match(post.text, norm)
            intent = intents.classify(post.text, norm, kind=post.kind, is_official=post.is_official)
            mentions_official = any(
                (post.platform.value, handle.lower()) in self.official for handle in _MENTION.findall(post.text)
            )
            best = int(probs.argmax())
            out.append(
                Annotation(
                    lang=lang,
                    lang_score=float(lang_score),
                    sentiment=_LABELS[best],
                    probs=(float(probs[0]), float(probs[1]), float(probs[2])),
                    topics=topics,
                    opds=tuple(opd_of[t] for t in topics),
                    targets=targets,
                    intent=intent,
                    needs_response=intents.needs_response(
                        intent,
                        is_official=post.is_official,
                        targets=targets,
                        mentions_official=mentions_official,
                        service=bool(topics),
                    ),
                    category=categories.category(post.text, norm) if post.is_official else None,
                    models=self.models,
                )
            )
        return out


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:12]
