"""issue 11 drill-down: saved searches (a name, the query and filters, shared by the team)

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-06

``params`` holds the URL parameters of ``citra.filters.PARAMS`` (topic, opd, target, sentiment, platform, who,
since, until, q) as JSON, so a saved search opens the same Percakapan slice as the link it was saved from.
"""

import sqlalchemy as sa
from alembic import op

from citra.store.schema import POST_ID, JSONText, UTCDateTime

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "saved_searches",
        sa.Column("id", POST_ID, primary_key=True, autoincrement=True),
        sa.Column("name", sa.String(80), nullable=False),
        sa.Column("params", JSONText, nullable=False),
        sa.Column("created_by", sa.String(80), nullable=False),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.Column("updated_at", UTCDateTime, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("saved_searches")
