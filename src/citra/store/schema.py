"""SQLAlchemy Core tables. Alembic migrations in ``migrations/`` create and evolve them."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB


class UTCDateTime(sa.TypeDecorator[datetime]):
    """Timezone-aware datetimes stored in UTC (naive UTC text on SQLite, timestamptz on PostgreSQL)."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the store; attach a time zone first")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


JSONText: Any = sa.JSON().with_variant(JSONB(), "postgresql")

metadata = sa.MetaData()

posts = sa.Table(
    "posts",
    metadata,
    sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), primary_key=True, autoincrement=True),
    sa.Column("platform", sa.String(16), nullable=False),
    sa.Column("native_id", sa.String(128), nullable=False),
    sa.Column("url", sa.Text),
    sa.Column("author_id", sa.String(128)),
    sa.Column("author_handle", sa.String(256)),
    sa.Column("author_name", sa.Text),
    sa.Column("author_followers", sa.BigInteger),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.Column("lang", sa.String(16)),
    sa.Column("conversation_id", sa.String(128)),
    sa.Column("reply_to_id", sa.String(128)),
    sa.Column("kind", sa.String(16), nullable=False),
    sa.Column("is_official", sa.Boolean, nullable=False),
    sa.Column("likes", sa.BigInteger),
    sa.Column("reposts", sa.BigInteger),
    sa.Column("replies", sa.BigInteger),
    sa.Column("quotes", sa.BigInteger),
    sa.Column("views", sa.BigInteger),
    sa.Column("query", sa.Text),
    sa.Column("batch_id", sa.String(40)),
    sa.Column("raw", JSONText),
    sa.Column("stored_at", UTCDateTime, nullable=False),
    sa.Column("updated_at", UTCDateTime, nullable=False),
    sa.UniqueConstraint("platform", "native_id", name="uq_posts_platform_native_id"),
    sa.Index("ix_posts_created_at", "created_at"),
    sa.Index("ix_posts_reply", "reply_to_id", "platform", "is_official", "created_at"),
    sa.Index("ix_posts_conversation", "conversation_id", "platform", "is_official", "created_at"),
    sa.Index("ix_posts_platform_created_at", "platform", "created_at"),
)

imports = sa.Table(
    "imports",
    metadata,
    sa.Column("id", sa.String(40), primary_key=True),
    sa.Column("command", sa.String(32), nullable=False),
    sa.Column("files", JSONText, nullable=False),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("started_at", UTCDateTime, nullable=False),
    sa.Column("finished_at", UTCDateTime),
    sa.Column("read", sa.BigInteger, nullable=False, server_default="0"),
    sa.Column("inserted", sa.BigInteger, nullable=False, server_default="0"),
    sa.Column("updated", sa.BigInteger, nullable=False, server_default="0"),
    sa.Column("rejected", sa.BigInteger, nullable=False, server_default="0"),
)

import_owners = sa.Table(
    "import_owners",
    metadata,
    sa.Column("run_id", sa.String(40), sa.ForeignKey("imports.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("pid", sa.Integer, nullable=False),
    sa.Column("host", sa.String(255), nullable=False),
    sa.Column("beat_at", UTCDateTime, nullable=False),
)
"""The process running an import and when it last committed, so a killed run can be told from a live one."""

feed_state = sa.Table(
    "feed_state",
    metadata,
    sa.Column("url", sa.Text, primary_key=True),
    sa.Column("etag", sa.Text),
    sa.Column("last_modified", sa.Text),
    sa.Column("fetched_at", UTCDateTime),
    sa.Column("status", sa.Integer),
    sa.Column("error", sa.Text),
)

POST_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")

annotations = sa.Table(
    "annotations",
    metadata,
    sa.Column("post_id", POST_ID, sa.ForeignKey("posts.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("version", sa.String(64), nullable=False),
    sa.Column("lang", sa.String(8), nullable=False),
    sa.Column("lang_score", sa.Float, nullable=False),
    sa.Column("sentiment", sa.String(8), nullable=False),
    sa.Column("p_negative", sa.Float, nullable=False),
    sa.Column("p_neutral", sa.Float, nullable=False),
    sa.Column("p_positive", sa.Float, nullable=False),
    sa.Column("intent", sa.String(16), nullable=False),
    sa.Column("needs_response", sa.Boolean, nullable=False),
    sa.Column("category", sa.String(32)),
    sa.Column("models", JSONText, nullable=False),
    sa.Column("annotated_at", UTCDateTime, nullable=False),
    sa.Index("ix_annotations_version", "version"),
)

post_vectors = sa.Table(
    "post_vectors",
    metadata,
    sa.Column("post_id", POST_ID, sa.ForeignKey("posts.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("model", sa.String(128), nullable=False),  # the encoder's version: vectors of two models never mix
    sa.Column("vector", sa.LargeBinary, nullable=False),  # little-endian float16, 384 numbers for e5-small
    sa.Column("created_at", UTCDateTime, nullable=False),
)
"""One sentence vector per post (migration 0019), written by the deep tier (``citra.deep``); read through
``Store.vectors`` and ``Store.recent_vectors``."""

deep_labels = sa.Table(
    "deep_labels",
    metadata,
    sa.Column("post_id", POST_ID, sa.ForeignKey("posts.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("model", sa.String(128), nullable=False),  # name@version of the deep model
    sa.Column("sentiment", sa.String(8), nullable=False),
    sa.Column("p_negative", sa.Float, nullable=False),
    sa.Column("p_neutral", sa.Float, nullable=False),
    sa.Column("p_positive", sa.Float, nullable=False),
    sa.Column("labelled_at", UTCDateTime, nullable=False),
    sa.Index("ix_deep_labels_model", "model"),
)
"""The deep tier's sentiment of a citizen's post (migration 0019). The annotation row carries the best model label
(deep over fast); saving a fast annotation puts the deep label back on it (``annotated.save``)."""

post_topics = sa.Table(
    "post_topics",
    metadata,
    sa.Column("post_id", POST_ID, sa.ForeignKey("posts.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("topic", sa.String(48), primary_key=True),
    sa.Column("opd", sa.String(128)),
)

post_targets = sa.Table(
    "post_targets",
    metadata,
    sa.Column("post_id", POST_ID, sa.ForeignKey("posts.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("kind", sa.String(16), primary_key=True),
    sa.Column("name", sa.String(256), primary_key=True),
)

post_opds = sa.Table(
    "post_opds",
    metadata,
    sa.Column("post_id", POST_ID, sa.ForeignKey("posts.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("opd", sa.String(128), primary_key=True),
    sa.Column("rank", sa.SmallInteger, nullable=False),
    sa.Column("score", sa.Float, nullable=False),
    sa.Index("ix_post_opds_opd", "opd", "rank", "post_id"),
)
"""The OPDs a post is routed to, ranked best first (rank 0: the inbox's suggestion), with the routing score."""

labels = sa.Table(
    "labels",
    metadata,
    sa.Column("id", POST_ID, primary_key=True, autoincrement=True),
    sa.Column("post_id", POST_ID, sa.ForeignKey("posts.id", ondelete="SET NULL")),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("label", sa.String(128), nullable=False),
    sa.Column("task", sa.String(16), nullable=False, server_default="sentiment"),
    sa.Column("source", sa.String(64), nullable=False),
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.Index("ix_labels_post_id", "post_id"),
)

post_labels = sa.Table(
    "post_labels",
    metadata,
    sa.Column("post_id", POST_ID, sa.ForeignKey("posts.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("sentiment", sa.String(8)),
    sa.Column("opd", sa.String(128)),
    sa.Column("needs_response", sa.Boolean),
    sa.Column("updated_at", UTCDateTime, nullable=False),
    sa.Column("updated_by", sa.String(80), nullable=False),
)

audit_sample = sa.Table(
    "audit_sample",
    metadata,
    sa.Column("post_id", POST_ID, sa.ForeignKey("posts.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("task", sa.String(16), primary_key=True),
    sa.Column("drawn_at", UTCDateTime, nullable=False),
    sa.Column("drawn_by", sa.String(80), nullable=False),
)
"""Posts drawn at random for a task (``citra label queue --random``): their labels are an unbiased audit sample."""

interventions = sa.Table(
    "interventions",
    metadata,
    sa.Column("id", POST_ID, primary_key=True, autoincrement=True),
    sa.Column("name", sa.String(200), nullable=False, unique=True),
    sa.Column("date", sa.Date, nullable=False),
    sa.Column("kind", sa.String(32), nullable=False),
    sa.Column("description", sa.Text, nullable=False, server_default=""),
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.Column("metric", sa.String(32), nullable=False, server_default="net_sentiment"),
    sa.Column("window_days", sa.Integer, nullable=False, server_default="28"),
)

alerts = sa.Table(
    "alerts",
    metadata,
    sa.Column("id", POST_ID, primary_key=True, autoincrement=True),
    sa.Column("kind", sa.String(32), nullable=False),
    sa.Column("start", UTCDateTime, nullable=False),
    sa.Column("last_seen", UTCDateTime, nullable=False),
    sa.Column("peak_score", sa.Float, nullable=False),
    sa.Column("severity", sa.String(16), nullable=False),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("drivers", JSONText, nullable=False),
    sa.Column("notified_severity", sa.String(16)),
    sa.Column("updated_at", UTCDateTime, nullable=False),
    # the team's handling (migration 0015): the scan never writes these, so it cannot undo a person's decision
    sa.Column("acknowledged_at", UTCDateTime),
    sa.Column("acknowledged_by", sa.String(80)),
    sa.Column("assignee", sa.String(80)),
    sa.Column("resolved_at", UTCDateTime),
    sa.Column("resolved_by", sa.String(80)),
    # the saved search an alert belongs to (migration 0018); both null for a whole-city alert
    sa.Column("scope_id", POST_ID),
    sa.Column("scope_name", sa.String(80)),
    sa.Index("ix_alerts_start", "start"),
    sa.Index("ix_alerts_scope", "scope_id"),
)

alert_notes = sa.Table(
    "alert_notes",
    metadata,
    sa.Column("id", POST_ID, primary_key=True, autoincrement=True),
    sa.Column("alert_id", POST_ID, sa.ForeignKey("alerts.id", ondelete="CASCADE"), nullable=False),
    sa.Column("author", sa.String(80), nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("at", UTCDateTime, nullable=False),
    sa.Index("ix_alert_notes_alert", "alert_id", "at"),
)
"""The team's notes on an alert (who, when, what), kept with the alert."""

users = sa.Table(
    "users",
    metadata,
    sa.Column("id", POST_ID, primary_key=True, autoincrement=True),
    sa.Column("name", sa.String(80), nullable=False, unique=True),
    sa.Column("password_hash", sa.Text, nullable=False),
    sa.Column("role", sa.String(16), nullable=False),
    sa.Column("opd", sa.String(128)),
    sa.Column("active", sa.Boolean, nullable=False, server_default=sa.true()),
    sa.Column("created_at", UTCDateTime, nullable=False),
    # raised by logout, a password or role change and (de)activation: sessions carrying an older value are ended
    sa.Column("session_epoch", sa.Integer, nullable=False, server_default="0"),
)

api_tokens = sa.Table(
    "api_tokens",
    metadata,
    sa.Column("id", POST_ID, primary_key=True, autoincrement=True),
    sa.Column("user_id", POST_ID, sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    sa.Column("name", sa.String(80), nullable=False),
    sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.Column("last_used_at", UTCDateTime),
    sa.Column("revoked", sa.Boolean, nullable=False, server_default=sa.false()),
)

audit_log = sa.Table(
    "audit_log",
    metadata,
    sa.Column("id", POST_ID, primary_key=True, autoincrement=True),
    sa.Column("at", UTCDateTime, nullable=False),
    sa.Column("actor", sa.String(80), nullable=False),
    sa.Column("action", sa.String(64), nullable=False),
    sa.Column("target", sa.String(256), nullable=False, server_default=""),
    sa.Column("detail", JSONText, nullable=False),
    sa.Index("ix_audit_log_at", "at"),
)

assignments = sa.Table(
    "assignments",
    metadata,
    sa.Column("post_id", POST_ID, sa.ForeignKey("posts.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("opd", sa.String(128)),
    sa.Column("assignee", sa.String(80)),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("note", sa.Text, nullable=False, server_default=""),
    sa.Column("updated_at", UTCDateTime, nullable=False),
    sa.Column("updated_by", sa.String(80), nullable=False),
    # migration 0016: the reply draft, the official answer seen, a hand-back, the notifications sent
    sa.Column("draft", sa.Text, nullable=False, server_default=""),
    sa.Column("answered_at", UTCDateTime),
    sa.Column("answered_by", sa.String(256)),
    sa.Column("returned_opd", sa.String(128)),
    sa.Column("returned_by", sa.String(80)),
    sa.Column("returned_reason", sa.Text),
    sa.Column("notified_opd", sa.String(128)),
    sa.Column("warned_at", UTCDateTime),
    sa.Index("ix_assignments_opd_status", "opd", "status"),
)

inbox_notes = sa.Table(
    "inbox_notes",
    metadata,
    sa.Column("id", POST_ID, primary_key=True, autoincrement=True),
    sa.Column("post_id", POST_ID, sa.ForeignKey("posts.id", ondelete="CASCADE"), nullable=False),
    sa.Column("author", sa.String(80), nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.Index("ix_inbox_notes_post_id", "post_id", "created_at"),
)
"""The team's notes on an inbox item, each with its author and time (personal data: they go with the post)."""

forgotten = sa.Table(
    "forgotten",
    metadata,
    sa.Column("digest", sa.String(64), primary_key=True),
    sa.Column("forgotten_at", UTCDateTime, nullable=False),
)
"""SHA-256 of ``platform:native_id`` of posts forgotten at a data subject's request (``citra privacy forget``):
``Store.add_posts`` leaves them out, so an overlapping export imported again does not bring them back."""

report_history = sa.Table(
    "report_history",
    metadata,
    sa.Column("id", POST_ID, primary_key=True, autoincrement=True),
    sa.Column("month", sa.String(7), nullable=False),
    sa.Column("format", sa.String(8), nullable=False),
    sa.Column("file", sa.String(255), nullable=False, server_default=""),
    sa.Column("generated_at", UTCDateTime, nullable=False),
    sa.Column("via", sa.String(16), nullable=False),
    sa.Column("by", sa.String(80), nullable=False, server_default=""),
    sa.Column("sent_to", JSONText, nullable=False),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("detail", sa.Text, nullable=False, server_default=""),
    sa.Index("ix_report_history_month", "month", "via"),
)
"""Every report built (``via`` web, schedule or cli, ``by`` whom) and where it was sent: the Laporan page lists it,
and ``citra watch`` sends a month's report once (a ``schedule`` row for the month means it was sent)."""

saved_searches = sa.Table(
    "saved_searches",
    metadata,
    sa.Column("id", POST_ID, primary_key=True, autoincrement=True),
    sa.Column("name", sa.String(80), nullable=False),
    sa.Column("params", JSONText, nullable=False),  # URL parameters of citra.filters.PARAMS (no "saved")
    sa.Column("created_by", sa.String(80), nullable=False),
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.Column("updated_at", UTCDateTime, nullable=False),
    sa.Column("watched", sa.Boolean, nullable=False, server_default=sa.false()),  # 0018: "Pantau", an alert scope
)
"""Searches the team named and shares (Percakapan "Simpan pencarian"): dashboard filters and alert scopes."""
