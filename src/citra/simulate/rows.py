"""One simulated post: the tweet-harvest values plus what the simulator intended (stream, sentiment, topic)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

COLUMNS = (
    "conversation_id_str",
    "created_at",
    "favorite_count",
    "full_text",
    "id_str",
    "image_url",
    "in_reply_to_screen_name",
    "lang",
    "location",
    "quote_count",
    "reply_count",
    "retweet_count",
    "tweet_url",
    "user_id_str",
    "username",
)

OFFICIAL_STREAMS = frozenset({"official", "official_reply"})


@dataclass(frozen=True, slots=True)
class Row:
    """A simulated post. ``stream`` is citizen, news, crisis_leader, crisis_institution, crisis_news, official
    or official_reply; ``sentiment``, ``topic`` and ``intent`` are what the template was written to say."""

    id: str
    created_at: datetime  # aware, UTC
    text: str
    username: str
    user_id: str
    stream: str
    conversation_id: str = ""
    reply_to: str = ""
    location: str = ""
    likes: int = 0
    reposts: int = 0
    replies: int = 0
    quotes: int = 0
    image_url: str = ""
    lang: str = "in"
    sentiment: str = ""
    topic: str = ""
    intent: str = ""

    @property
    def official(self) -> bool:
        return self.stream in OFFICIAL_STREAMS

    def values(self) -> tuple[str, ...]:
        """The row in ``COLUMNS`` order, as tweet-harvest writes it."""
        when = self.created_at.strftime("%Y-%m-%dT%H:%M:%S.000Z")
        url = f"https://x.com/{self.username}/status/{self.id}"
        return (
            self.conversation_id or self.id,
            when,
            str(self.likes),
            self.text,
            self.id,
            self.image_url,
            self.reply_to,
            self.lang,
            self.location,
            str(self.quotes),
            str(self.replies),
            str(self.reposts),
            url,
            self.user_id,
            self.username,
        )
