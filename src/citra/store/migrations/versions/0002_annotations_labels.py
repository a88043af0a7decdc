"""annotations, post topics and targets, human labels

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

from citra.store.schema import UTCDateTime

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(JSONB(), "postgresql")
ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def _post_fk(ondelete: str = "CASCADE") -> sa.ForeignKey:
    return sa.ForeignKey("posts.id", ondelete=ondelete)


def upgrade() -> None:
    op.create_table(
        "annotations",
        sa.Column("post_id", ID, _post_fk(), primary_key=True),
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
        sa.Column("models", JSON, nullable=False),
        sa.Column("annotated_at", UTCDateTime, nullable=False),
    )
    op.create_index("ix_annotations_version", "annotations", ["version"])
    op.create_table(
        "post_topics",
        sa.Column("post_id", ID, _post_fk(), primary_key=True),
        sa.Column("topic", sa.String(48), primary_key=True),
        sa.Column("opd", sa.String(128)),
    )
    op.create_table(
        "post_targets",
        sa.Column("post_id", ID, _post_fk(), primary_key=True),
        sa.Column("kind", sa.String(16), primary_key=True),
        sa.Column("name", sa.String(256), primary_key=True),
    )
    op.create_table(
        "labels",
        sa.Column("id", ID, primary_key=True, autoincrement=True),
        sa.Column("post_id", ID, _post_fk("SET NULL")),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("label", sa.String(8), nullable=False),
        sa.Column("source", sa.String(64), nullable=False),
        sa.Column("created_at", UTCDateTime, nullable=False),
    )
    op.create_index("ix_labels_post_id", "labels", ["post_id"])


def downgrade() -> None:
    op.drop_index("ix_labels_post_id", table_name="labels")
    op.drop_table("labels")
    op.drop_table("post_targets")
    op.drop_table("post_topics")
    op.drop_index("ix_annotations_version", table_name="annotations")
    op.drop_table("annotations")
