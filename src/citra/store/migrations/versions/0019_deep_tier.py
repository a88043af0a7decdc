"""issue 12 the deep tier: sentence vectors of posts and the deep model's sentiment labels

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-06

``post_vectors`` keeps one encoder vector per post (float16 bytes, with the encoder's version) for the deep label,
routing by nearest labelled complaints, new-issue clusters and near-duplicate search. ``deep_labels`` keeps what the
deep sentiment model said of a citizen's post and which model said it: the annotation row carries the best model
label (deep over fast), and this table lets a re-run of the fast tier put the deep label back instead of losing it.
"""

import sqlalchemy as sa
from alembic import op

from citra.store.schema import UTCDateTime

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "post_vectors",
        sa.Column("post_id", ID, sa.ForeignKey("posts.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("model", sa.String(128), nullable=False),
        sa.Column("vector", sa.LargeBinary, nullable=False),
        sa.Column("created_at", UTCDateTime, nullable=False),
    )
    op.create_table(
        "deep_labels",
        sa.Column("post_id", ID, sa.ForeignKey("posts.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("model", sa.String(128), nullable=False),
        sa.Column("sentiment", sa.String(8), nullable=False),
        sa.Column("p_negative", sa.Float, nullable=False),
        sa.Column("p_neutral", sa.Float, nullable=False),
        sa.Column("p_positive", sa.Float, nullable=False),
        sa.Column("labelled_at", UTCDateTime, nullable=False),
    )
    op.create_index("ix_deep_labels_model", "deep_labels", ["model"])


def downgrade() -> None:
    op.drop_index("ix_deep_labels_model", "deep_labels")
    op.drop_table("deep_labels")
    op.drop_table("post_vectors")
