"""The filters a number carries to the posts behind it: one typed record, one set of URL parameter names.

Every drill-down link (``citra.web.links``), Percakapan, its CSV download, saved searches and alert scopes use
these names, so a link built anywhere opens the same slice: topic, opd, target, sentiment, platform, who, since,
until, q, category (an official post's content category) and saved, a saved search's id."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from citra import vocab
from citra.errors import CitraError
from citra.records import Platform, Sentiment, Target
from citra.store.query import PostQuery

if TYPE_CHECKING:
    from citra.store import Store

PARAMS = ("topic", "opd", "target", "sentiment", "platform", "who", "since", "until", "q", "category", "saved")
FILTER_PARAMS = ("topic", "opd", "target", "sentiment", "platform", "who", "q", "category")  # without the period
WHO = {"official": True, "citizen": False}
TEXT_MAX, KEY_MAX = 500, 160


@dataclass(frozen=True, slots=True)
class Filters:
    """The filters a person sets on a list of posts; every one runs in the database (``Store.search``).

    ``opd`` follows the team's OPD label where there is one, else the routing (as the per-OPD counts do);
    ``target`` is a subject such as ``leader:Hendra``; ``official`` True for official accounts, False for
    citizens."""

    text: str | None = None
    platform: Platform | None = None
    sentiment: Sentiment | None = None
    topic: str | None = None
    official: bool | None = None
    opd: str | None = None
    target: Target | None = None
    category: str | None = None  # an official post's content category (Publikasi's rows)

    def query(self, since: datetime | None, until: datetime | None) -> PostQuery:
        """The PostQuery of these filters over [since, until)."""
        return PostQuery(
            since=since,
            until=until,
            platform=self.platform,
            official=self.official,
            sentiment=self.sentiment,
            topic=self.topic,
            opd=self.opd,
            target=self.target,
            text=self.text,
            category=self.category,
        )

    def params(self) -> dict[str, str]:
        """The URL parameters of these filters (the period is the caller's), in ``PARAMS`` order."""
        who = {True: "official", False: "citizen"}.get(self.official) if self.official is not None else None
        target = f"{self.target.kind.value}:{self.target.name}" if self.target else None
        values = {
            "topic": self.topic,
            "opd": self.opd,
            "target": target,
            "sentiment": self.sentiment.value if self.sentiment else None,
            "platform": self.platform.value if self.platform else None,
            "who": who,
            "q": self.text,
            "category": self.category,
        }
        return {k: v for k, v in values.items() if v}

    @property
    def active(self) -> bool:
        return bool(self.params())


def _word(value: str | None, limit: int) -> str | None:
    """A stripped, bounded value; blank gives None."""
    if value is None:
        return None
    value = value.strip()[:limit]
    return value or None


def parse(params: Mapping[str, str | None]) -> Filters:
    """Filters from URL parameters (``FILTER_PARAMS``); a bad platform, sentiment, target or who is a
    CitraError naming the field."""
    who = _word(params.get("who"), 16)
    if who is not None and who not in WHO:
        raise CitraError(f"who: choose one of {', '.join(WHO)}")
    return Filters(
        text=_word(params.get("q"), TEXT_MAX),
        platform=vocab.optional(Platform, params.get("platform"), "platform"),
        sentiment=vocab.optional(Sentiment, params.get("sentiment"), "sentiment"),
        topic=_word(params.get("topic"), KEY_MAX),
        official=WHO.get(who) if who else None,
        opd=_word(params.get("opd"), KEY_MAX),
        target=vocab.target(_word(params.get("target"), KEY_MAX)),
        category=_word(params.get("category"), KEY_MAX),
    )


def from_saved(store: Store, saved_id: int) -> Filters:
    """The filters of saved search ``saved_id`` (NotFound when there is none); its period, if it keeps one, is
    ``store.saved.get(saved_id).since/.until``. For alert scopes and dashboards."""
    return parse(store.saved.get(saved_id).params)
