"""issue 11 alert scopes: a saved search the team watches ("Pantau") gets its own spike alerts

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-06

``saved_searches.watched`` marks the searches ``citra alerts scan`` also scans; ``alerts.scope_id`` and
``scope_name`` say which search an alert belongs to (both null for a whole-city alert). The name is kept with the
alert so it still reads after the search is renamed or deleted; there is no foreign key for the same reason.
"""

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None

POST_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    with op.batch_alter_table("saved_searches") as batch:
        batch.add_column(sa.Column("watched", sa.Boolean, nullable=False, server_default=sa.false()))
    with op.batch_alter_table("alerts") as batch:
        batch.add_column(sa.Column("scope_id", POST_ID))
        batch.add_column(sa.Column("scope_name", sa.String(80)))
    op.create_index("ix_alerts_scope", "alerts", ["scope_id"])


def downgrade() -> None:
    op.drop_index("ix_alerts_scope", table_name="alerts")
    with op.batch_alter_table("alerts") as batch:
        batch.drop_column("scope_name")
        batch.drop_column("scope_id")
    with op.batch_alter_table("saved_searches") as batch:
        batch.drop_column("watched")
