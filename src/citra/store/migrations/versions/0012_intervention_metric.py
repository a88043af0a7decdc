"""issue 11 report: interventions keep their metric and window

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-06

Each intervention is measured on the metric and over the window that fit what it did (a campaign on volume, a
declaration on the negative share). Rows recorded before get the default of their kind.
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

# the default metric and window of each kind (citra.records.DEFAULT_MEASURE at the time of this migration)
DEFAULTS = {
    "declaration": ("negative_share", 28),
    "campaign": ("volume", 28),
    "social-activity": ("net_sentiment", 14),
    "statement": ("negative_share", 14),
    "publication": ("volume", 14),
}


def upgrade() -> None:
    with op.batch_alter_table("interventions") as batch:
        batch.add_column(sa.Column("metric", sa.String(32), nullable=False, server_default="net_sentiment"))
        batch.add_column(sa.Column("window_days", sa.Integer, nullable=False, server_default="28"))
    table = sa.table("interventions", sa.column("kind"), sa.column("metric"), sa.column("window_days"))
    for kind, (metric, days) in DEFAULTS.items():
        op.execute(table.update().where(table.c.kind == kind).values(metric=metric, window_days=days))


def downgrade() -> None:
    with op.batch_alter_table("interventions") as batch:
        batch.drop_column("window_days")
        batch.drop_column("metric")
