"""a per-user session epoch, so that logout ends every session server-side

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06

Sessions are signed cookies; ``users.session_epoch`` is copied into each session at login and checked on every
request. Logout, a password or role change and (de)activation raise it, which ends every session of that user,
including copies of the cookie.
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("session_epoch", sa.Integer, nullable=False, server_default="0"))


def downgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.drop_column("session_epoch")
