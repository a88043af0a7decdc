"""interventions, alerts, and indexes for conversations

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

from citra.store.schema import UTCDateTime

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(JSONB(), "postgresql")
ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "interventions",
        sa.Column("id", ID, primary_key=True, autoincrement=True),
        sa.Column("name", sa.String(200), nullable=False, unique=True),
        sa.Column("date", sa.Date, nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("description", sa.Text, nullable=False, server_default=""),
        sa.Column("created_at", UTCDateTime, nullable=False),
    )
    op.create_table(
        "alerts",
        sa.Column("id", ID, primary_key=True, autoincrement=True),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("start", UTCDateTime, nullable=False),
        sa.Column("last_seen", UTCDateTime, nullable=False),
        sa.Column("peak_score", sa.Float, nullable=False),
        sa.Column("severity", sa.String(16), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("drivers", JSON, nullable=False),
        sa.Column("notified_severity", sa.String(16)),
        sa.Column("updated_at", UTCDateTime, nullable=False),
    )
    op.create_index("ix_alerts_start", "alerts", ["start"])
    op.create_index("ix_posts_conversation_id", "posts", ["conversation_id"])
    op.create_index("ix_posts_reply_to_id", "posts", ["reply_to_id"])
    op.create_index("ix_posts_platform_created_at", "posts", ["platform", "created_at"])


def downgrade() -> None:
    op.drop_index("ix_posts_platform_created_at", table_name="posts")
    op.drop_index("ix_posts_reply_to_id", table_name="posts")
    op.drop_index("ix_posts_conversation_id", table_name="posts")
    op.drop_index("ix_alerts_start", table_name="alerts")
    op.drop_table("alerts")
    op.drop_table("interventions")
