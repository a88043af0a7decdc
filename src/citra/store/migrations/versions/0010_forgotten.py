"""posts forgotten at a data subject's request, so that importing an overlapping export again does not bring them back

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06

``forgotten`` holds the SHA-256 of ``platform:native_id`` of each post removed or pseudonymised by
``citra privacy forget``, never the id itself; ``Store.add_posts`` leaves such posts out.
"""

import sqlalchemy as sa
from alembic import op

from citra.store.schema import UTCDateTime

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "forgotten",
        sa.Column("digest", sa.String(64), primary_key=True),
        sa.Column("forgotten_at", UTCDateTime, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("forgotten")
