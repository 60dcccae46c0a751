"""The weekly loop: cycles, action items and review records.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-26 21:02:45.143834
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import tracker.models.types

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "cycle",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("iso_week", sa.String(length=8), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("focus_area_id", sa.Integer(), nullable=True),
        sa.Column("next_focus_area_id", sa.Integer(), nullable=True),
        sa.Column(
            "phase",
            sa.Enum(
                "analyse",
                "review",
                "respond",
                "act",
                "closed",
                name="cycle_phase",
                native_enum=False,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column(
            "analyse_started_at", tracker.models.types.UTCDateTime(timezone=True), nullable=True
        ),
        sa.Column(
            "review_started_at", tracker.models.types.UTCDateTime(timezone=True), nullable=True
        ),
        sa.Column(
            "respond_started_at", tracker.models.types.UTCDateTime(timezone=True), nullable=True
        ),
        sa.Column("act_started_at", tracker.models.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("closed_at", tracker.models.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("meeting_date", sa.Date(), nullable=True),
        sa.Column("attendees", sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["focus_area_id"],
            ["area.id"],
        ),
        sa.ForeignKeyConstraint(
            ["next_focus_area_id"],
            ["area.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("iso_week"),
    )
    with op.batch_alter_table("cycle", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_cycle_phase"), ["phase"], unique=False)
        batch_op.create_index(batch_op.f("ix_cycle_starts_on"), ["starts_on"], unique=False)

    op.create_table(
        "action_item",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("details", sa.Text(), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=True),
        sa.Column(
            "source_kind",
            sa.Enum(
                "meeting",
                "experiment",
                "learning",
                "metric",
                name="action_source",
                native_enum=False,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column("source_id", sa.Integer(), nullable=True),
        sa.Column("cycle_id", sa.Integer(), nullable=False),
        sa.Column("first_cycle_id", sa.Integer(), nullable=False),
        sa.Column("due_week", sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "open",
                "in_progress",
                "done",
                "dropped",
                name="action_status",
                native_enum=False,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column("carried_count", sa.Integer(), nullable=False),
        sa.Column("finished_at", tracker.models.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("finished_week", sqlmodel.sql.sqltypes.AutoString(length=8), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", tracker.models.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", tracker.models.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["cycle_id"],
            ["cycle.id"],
        ),
        sa.ForeignKeyConstraint(
            ["first_cycle_id"],
            ["cycle.id"],
        ),
        sa.ForeignKeyConstraint(
            ["owner_id"],
            ["user_account.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("action_item", schema=None) as batch_op:
        batch_op.create_index("ix_action_item_cycle_status", ["cycle_id", "status"], unique=False)
        batch_op.create_index(batch_op.f("ix_action_item_due_week"), ["due_week"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_action_item_first_cycle_id"), ["first_cycle_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_action_item_owner_id"), ["owner_id"], unique=False)

    op.create_table(
        "review_record",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("cycle_id", sa.Integer(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=24), nullable=False),
        sa.Column("experiment_id", sa.Integer(), nullable=True),
        sa.Column("learning_id", sa.Integer(), nullable=True),
        sa.Column("action_item_id", sa.Integer(), nullable=True),
        sa.Column("hypothesis_id", sa.Integer(), nullable=True),
        sa.Column("summary", sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("created_at", tracker.models.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["action_item_id"],
            ["action_item.id"],
        ),
        sa.ForeignKeyConstraint(
            ["cycle_id"],
            ["cycle.id"],
        ),
        sa.ForeignKeyConstraint(
            ["experiment_id"],
            ["experiment.id"],
        ),
        sa.ForeignKeyConstraint(
            ["hypothesis_id"],
            ["hypothesis.id"],
        ),
        sa.ForeignKeyConstraint(
            ["learning_id"],
            ["learning.id"],
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user_account.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("review_record", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_review_record_cycle_id"), ["cycle_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("review_record", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_review_record_cycle_id"))

    op.drop_table("review_record")
    with op.batch_alter_table("action_item", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_action_item_owner_id"))
        batch_op.drop_index(batch_op.f("ix_action_item_first_cycle_id"))
        batch_op.drop_index(batch_op.f("ix_action_item_due_week"))
        batch_op.drop_index("ix_action_item_cycle_status")

    op.drop_table("action_item")
    with op.batch_alter_table("cycle", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_cycle_starts_on"))
        batch_op.drop_index(batch_op.f("ix_cycle_phase"))

    op.drop_table("cycle")
