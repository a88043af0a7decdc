"""issue 11 inbox workflow: reply drafts, automatic answers, hand-backs, OPD notifications, notes

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-06

``assignments`` keeps a reply draft, who (which official account) answered and when, the OPD that handed an item
back and why, and which notifications went out (so each is sent once). ``inbox_notes`` keeps the team's notes on
an item, each with its author and time.
"""

import sqlalchemy as sa
from alembic import op

from citra.store.schema import UTCDateTime

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None

POST_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
COLUMNS = (
    ("draft", lambda: sa.Column("draft", sa.Text, nullable=False, server_default="")),
    ("answered_at", lambda: sa.Column("answered_at", UTCDateTime)),
    ("answered_by", lambda: sa.Column("answered_by", sa.String(256))),
    ("returned_opd", lambda: sa.Column("returned_opd", sa.String(128))),
    ("returned_by", lambda: sa.Column("returned_by", sa.String(80))),
    ("returned_reason", lambda: sa.Column("returned_reason", sa.Text)),
    ("notified_opd", lambda: sa.Column("notified_opd", sa.String(128))),
    ("warned_at", lambda: sa.Column("warned_at", UTCDateTime)),
)


def upgrade() -> None:
    with op.batch_alter_table("assignments") as batch:
        for _, column in COLUMNS:
            batch.add_column(column())
    op.create_table(
        "inbox_notes",
        sa.Column("id", POST_ID, primary_key=True, autoincrement=True),
        sa.Column("post_id", POST_ID, sa.ForeignKey("posts.id", ondelete="CASCADE"), nullable=False),
        sa.Column("author", sa.String(80), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("created_at", UTCDateTime, nullable=False),
    )
    op.create_index("ix_inbox_notes_post_id", "inbox_notes", ["post_id", "created_at"])


def downgrade() -> None:
    op.drop_index("ix_inbox_notes_post_id", table_name="inbox_notes")
    op.drop_table("inbox_notes")
    with op.batch_alter_table("assignments") as batch:
        for name, _ in reversed(COLUMNS):
            batch.drop_column(name)
