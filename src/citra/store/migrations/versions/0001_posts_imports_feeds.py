"""posts, imports and feed state

Revision ID: 0001
Revises:
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

from citra.store.schema import UTCDateTime

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table(
        "posts",
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
        sa.Column("raw", JSON),
        sa.Column("stored_at", UTCDateTime, nullable=False),
        sa.Column("updated_at", UTCDateTime, nullable=False),
        sa.UniqueConstraint("platform", "native_id", name="uq_posts_platform_native_id"),
    )
    op.create_index("ix_posts_created_at", "posts", ["created_at"])
    op.create_table(
        "imports",
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column("command", sa.String(32), nullable=False),
        sa.Column("files", JSON, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("started_at", UTCDateTime, nullable=False),
        sa.Column("finished_at", UTCDateTime),
        sa.Column("read", sa.BigInteger, nullable=False, server_default="0"),
        sa.Column("inserted", sa.BigInteger, nullable=False, server_default="0"),
        sa.Column("updated", sa.BigInteger, nullable=False, server_default="0"),
        sa.Column("rejected", sa.BigInteger, nullable=False, server_default="0"),
    )
    op.create_table(
        "feed_state",
        sa.Column("url", sa.Text, primary_key=True),
        sa.Column("etag", sa.Text),
        sa.Column("last_modified", sa.Text),
        sa.Column("fetched_at", UTCDateTime),
        sa.Column("status", sa.Integer),
        sa.Column("error", sa.Text),
    )


def downgrade() -> None:
    op.drop_table("feed_state")
    op.drop_table("imports")
    op.drop_index("ix_posts_created_at", table_name="posts")
    op.drop_table("posts")
