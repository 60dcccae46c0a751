"""Sign-ins that the server can end, and no more per-account lockout (failed
sign-ins are now throttled per address and account, outside the database).

Revision ID: 0008
Revises: 0006
Create Date: 2026-11-29 20:05:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import tracker.models.types

revision: str = "0008"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

LOCKOUT_COLUMNS = ("failed_sign_ins", "failed_window_start", "locked_until")


def upgrade() -> None:
    op.create_table(
        "sign_in",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("session_hash", sa.String(length=64), nullable=False),
        sa.Column("remember_hash", sa.String(length=64), nullable=True),
        sa.Column("created_at", tracker.models.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("expires_at", tracker.models.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["user_account.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("remember_hash"),
        sa.UniqueConstraint("session_hash"),
    )
    op.create_index(op.f("ix_sign_in_user_id"), "sign_in", ["user_id"], unique=False)
    # Plain ALTER TABLE ... DROP COLUMN (SQLite 3.35+), not a batch copy of the
    # table: copying user_account would trip the foreign keys that point at it.
    for column in LOCKOUT_COLUMNS:
        op.drop_column("user_account", column)


def downgrade() -> None:
    op.add_column(
        "user_account",
        sa.Column("failed_sign_ins", sa.Integer(), nullable=False, server_default="0"),
    )
    for column in LOCKOUT_COLUMNS[1:]:
        op.add_column(
            "user_account",
            sa.Column(column, tracker.models.types.UTCDateTime(timezone=True), nullable=True),
        )
    op.drop_index(op.f("ix_sign_in_user_id"), table_name="sign_in")
    op.drop_table("sign_in")
