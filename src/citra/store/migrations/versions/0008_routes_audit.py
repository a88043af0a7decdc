"""ranked OPD routes per post, the random audit sample

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06

``post_opds`` holds the OPDs a post is routed to, ranked best first with a score (rank 0 is the suggestion the
inbox shows); ``post_topics.opd`` stays the OPD of each topic. ``audit_sample`` lists the posts drawn at random
for unbiased measurement (``citra label queue --random``): labels on them estimate the classifier's confusion
matrix behind the corrected index. Existing routes are backfilled from the topics (alphabetical, score 1).
"""

import sqlalchemy as sa
from alembic import op

from citra.store.schema import UTCDateTime

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "post_opds",
        sa.Column("post_id", ID, sa.ForeignKey("posts.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("opd", sa.String(128), primary_key=True),
        sa.Column("rank", sa.SmallInteger, nullable=False),
        sa.Column("score", sa.Float, nullable=False),
    )
    op.create_index("ix_post_opds_opd", "post_opds", ["opd", "rank", "post_id"])
    op.create_table(
        "audit_sample",
        sa.Column("post_id", ID, sa.ForeignKey("posts.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("task", sa.String(16), primary_key=True),
        sa.Column("drawn_at", UTCDateTime, nullable=False),
        sa.Column("drawn_by", sa.String(80), nullable=False),
    )
    op.execute(
        "INSERT INTO post_opds (post_id, opd, rank, score) "
        "SELECT post_id, opd, CAST(row_number() OVER (PARTITION BY post_id ORDER BY opd) - 1 AS SMALLINT), 1.0 "
        "FROM (SELECT DISTINCT post_id, opd FROM post_topics WHERE opd IS NOT NULL AND opd <> '') AS t"
    )


def downgrade() -> None:
    op.drop_table("audit_sample")
    op.drop_index("ix_post_opds_opd", table_name="post_opds")
    op.drop_table("post_opds")
