"""issue 11 scheduled reports and their history (reserved: filled in by that change)

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-06

``report_history`` records every monthly report built from the dashboard, by ``citra watch``'s schedule or by
``citra report``, and to whom it was sent, so the schedule sends each month once.
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

from citra.store.schema import UTCDateTime

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
JSON = sa.JSON().with_variant(JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table(
        "report_history",
        sa.Column("id", ID, primary_key=True, autoincrement=True),
        sa.Column("month", sa.String(7), nullable=False),
        sa.Column("format", sa.String(8), nullable=False),
        sa.Column("file", sa.String(255), nullable=False, server_default=""),
        sa.Column("generated_at", UTCDateTime, nullable=False),
        sa.Column("via", sa.String(16), nullable=False),
        sa.Column("by", sa.String(80), nullable=False, server_default=""),
        sa.Column("sent_to", JSON, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("detail", sa.Text, nullable=False, server_default=""),
    )
    op.create_index("ix_report_history_month", "report_history", ["month", "via"])


def downgrade() -> None:
    op.drop_index("ix_report_history_month", "report_history")
    op.drop_table("report_history")
