"""answer indexes, the team's current labels per post, labelled tasks

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-06

The single-column reply/conversation indexes let the planner prefer (platform, created_at) for "the first official
answer" and scan a whole platform per question; the composite indexes below answer it with one index probe.
``post_labels`` holds the current human labels of each post (the ``labels`` table stays the history and the
training set), so that filters and counts can join it by primary key.
"""

import sqlalchemy as sa
from alembic import op

from citra.store.schema import UTCDateTime

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.drop_index("ix_posts_reply_to_id", table_name="posts")
    op.drop_index("ix_posts_conversation_id", table_name="posts")
    op.create_index("ix_posts_reply", "posts", ["reply_to_id", "platform", "is_official", "created_at"])
    op.create_index("ix_posts_conversation", "posts", ["conversation_id", "platform", "is_official", "created_at"])
    op.create_table(
        "post_labels",
        sa.Column("post_id", ID, sa.ForeignKey("posts.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("sentiment", sa.String(8)),
        sa.Column("opd", sa.String(128)),
        sa.Column("needs_response", sa.Boolean),
        sa.Column("updated_at", UTCDateTime, nullable=False),
        sa.Column("updated_by", sa.String(80), nullable=False),
    )
    with op.batch_alter_table("labels") as batch:
        batch.add_column(sa.Column("task", sa.String(16), nullable=False, server_default="sentiment"))
        batch.alter_column("label", type_=sa.String(128), existing_nullable=False)
    op.execute(
        "INSERT INTO post_labels (post_id, sentiment, updated_at, updated_by) "
        "SELECT post_id, label, created_at, substr(source, 1, 80) FROM labels "
        "WHERE id IN (SELECT max(id) FROM labels WHERE post_id IS NOT NULL GROUP BY post_id)"
    )


def downgrade() -> None:
    op.execute("DELETE FROM labels WHERE task <> 'sentiment'")
    with op.batch_alter_table("labels") as batch:
        batch.drop_column("task")
        batch.alter_column("label", type_=sa.String(8), existing_nullable=False)
    op.drop_table("post_labels")
    op.drop_index("ix_posts_conversation", table_name="posts")
    op.drop_index("ix_posts_reply", table_name="posts")
    op.create_index("ix_posts_conversation_id", "posts", ["conversation_id"])
    op.create_index("ix_posts_reply_to_id", "posts", ["reply_to_id"])
