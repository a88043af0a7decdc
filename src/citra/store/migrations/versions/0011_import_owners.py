"""the process running an import and its last beat, so that a killed import is marked interrupted

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-06

An import killed with ``kill -9`` (or by the out-of-memory killer) used to stay ``running`` forever.
``import_owners`` records its process id and host and when it last committed a chunk.
"""

import sqlalchemy as sa
from alembic import op

from citra.store.schema import UTCDateTime

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "import_owners",
        sa.Column("run_id", sa.String(40), sa.ForeignKey("imports.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("pid", sa.Integer, nullable=False),
        sa.Column("host", sa.String(255), nullable=False),
        sa.Column("beat_at", UTCDateTime, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("import_owners")
