"""issue 11 crisis workflow on alerts: acknowledged, assigned, resolved, and the team's notes

Revision ID: 0015
Revises: 0013
Create Date: 2026-12-06

The handling columns sit beside what the scan recomputes (status, severity, drivers) and are never written by it,
so a scan cannot undo a person's decision; ``alert_notes`` keeps who wrote what and when.
"""

import sqlalchemy as sa
from alembic import op

from citra.store.schema import UTCDateTime

revision = "0015"
down_revision = "0013"
branch_labels = None
depends_on = None

POST_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
COLUMNS = (
    ("acknowledged_at", UTCDateTime),
    ("acknowledged_by", sa.String(80)),
    ("assignee", sa.String(80)),
    ("resolved_at", UTCDateTime),
    ("resolved_by", sa.String(80)),
)


def upgrade() -> None:
    with op.batch_alter_table("alerts") as batch:
        for name, kind in COLUMNS:
            batch.add_column(sa.Column(name, kind))
    op.create_table(
        "alert_notes",
        sa.Column("id", POST_ID, primary_key=True, autoincrement=True),
        sa.Column("alert_id", POST_ID, sa.ForeignKey("alerts.id", ondelete="CASCADE"), nullable=False),
        sa.Column("author", sa.String(80), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("at", UTCDateTime, nullable=False),
    )
    op.create_index("ix_alert_notes_alert", "alert_notes", ["alert_id", "at"])


def downgrade() -> None:
    op.drop_index("ix_alert_notes_alert", table_name="alert_notes")
    op.drop_table("alert_notes")
    with op.batch_alter_table("alerts") as batch:
        for name, _kind in reversed(COLUMNS):
            batch.drop_column(name)
