"""Areas, processes, stages, metrics and readings, the backlog, experiments with their
results and analyses, learnings and the change log.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26 20:56:46.791760
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import tracker.models.types

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "area",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("description", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
        sa.Column("rank", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("deleted_at", tracker.models.types.UTCDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("name"),
    )
    with op.batch_alter_table("area", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_area_rank"), ["rank"], unique=False)

    op.create_table(
        "stage",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("name"),
    )
    op.create_table(
        "change_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("entity", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("entity_id", sa.Integer(), nullable=False),
        sa.Column("action", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("field", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
        sa.Column("old_value", sa.Text(), nullable=True),
        sa.Column("new_value", sa.Text(), nullable=True),
        sa.Column("reason", sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("at", tracker.models.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user_account.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("change_log", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_change_log_at"), ["at"], unique=False)
        batch_op.create_index("ix_change_log_record", ["entity", "entity_id"], unique=False)

    op.create_table(
        "learning",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("area_id", sa.Integer(), nullable=True),
        sa.Column("tags", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", tracker.models.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("deleted_at", tracker.models.types.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["area_id"],
            ["area.id"],
        ),
        sa.ForeignKeyConstraint(
            ["author_id"],
            ["user_account.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("learning", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_learning_area_id"), ["area_id"], unique=False)

    op.create_table(
        "metric",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.Column("area_id", sa.Integer(), nullable=False),
        sa.Column("stage_id", sa.Integer(), nullable=True),
        sa.Column(
            "kind",
            sa.Enum("proportion", "mean", "rate", name="metric_kind", native_enum=False, length=16),
            nullable=False,
        ),
        sa.Column("unit", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column(
            "direction",
            sa.Enum("higher", "lower", name="metric_direction", native_enum=False, length=16),
            nullable=False,
        ),
        sa.Column("formula", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column("description", sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", tracker.models.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("deleted_at", tracker.models.types.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["area_id"],
            ["area.id"],
        ),
        sa.ForeignKeyConstraint(
            ["stage_id"],
            ["stage.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("metric", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_metric_area_id"), ["area_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_metric_stage_id"), ["stage_id"], unique=False)

    op.create_table(
        "process",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("area_id", sa.Integer(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.ForeignKeyConstraint(
            ["area_id"],
            ["area.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("area_id", "name"),
    )
    with op.batch_alter_table("process", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_process_area_id"), ["area_id"], unique=False)

    op.create_table(
        "team_settings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "priority_model",
            sa.Enum("ice", "rice", "pie", name="priority_model", native_enum=False, length=16),
            nullable=False,
        ),
        sa.Column("focus_area_id", sa.Integer(), nullable=True),
        sa.Column("timezone", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["focus_area_id"],
            ["area.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "hypothesis",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("change", sa.Text(), nullable=False),
        sa.Column("metric_id", sa.Integer(), nullable=True),
        sa.Column(
            "direction",
            sa.Enum(
                "increase", "decrease", name="expected_direction", native_enum=False, length=16
            ),
            nullable=False,
        ),
        sa.Column("expected_effect", sa.Float(), nullable=True),
        sa.Column("rationale", sa.Text(), nullable=False),
        sa.Column("area_id", sa.Integer(), nullable=False),
        sa.Column("process_id", sa.Integer(), nullable=True),
        sa.Column(
            "priority_model",
            sa.Enum(
                "ice", "rice", "pie", name="hypothesis_priority_model", native_enum=False, length=16
            ),
            nullable=False,
        ),
        sa.Column("scores", sa.JSON(), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "backlog",
                "selected",
                "testing",
                "validated",
                "invalidated",
                "inconclusive",
                "parked",
                name="hypothesis_status",
                native_enum=False,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", tracker.models.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", tracker.models.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("deleted_at", tracker.models.types.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["area_id"],
            ["area.id"],
        ),
        sa.ForeignKeyConstraint(
            ["author_id"],
            ["user_account.id"],
        ),
        sa.ForeignKeyConstraint(
            ["metric_id"],
            ["metric.id"],
        ),
        sa.ForeignKeyConstraint(
            ["process_id"],
            ["process.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("hypothesis", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_hypothesis_area_id"), ["area_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_hypothesis_metric_id"), ["metric_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_hypothesis_process_id"), ["process_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_hypothesis_score"), ["score"], unique=False)
        batch_op.create_index(batch_op.f("ix_hypothesis_status"), ["status"], unique=False)

    op.create_table(
        "reading",
        sa.Column("successes", sa.Integer(), nullable=True),
        sa.Column("trials", sa.Integer(), nullable=True),
        sa.Column("n", sa.Integer(), nullable=True),
        sa.Column("mean", sa.Float(), nullable=True),
        sa.Column("sd", sa.Float(), nullable=True),
        sa.Column("events", sa.Integer(), nullable=True),
        sa.Column("exposure", sa.Float(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("metric_id", sa.Integer(), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("source_note", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column("entered_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", tracker.models.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["entered_by_id"],
            ["user_account.id"],
        ),
        sa.ForeignKeyConstraint(
            ["metric_id"],
            ["metric.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("reading", schema=None) as batch_op:
        batch_op.create_index(
            "ix_reading_metric_period", ["metric_id", "period_start"], unique=False
        )

    op.create_table(
        "experiment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("hypothesis_id", sa.Integer(), nullable=True),
        sa.Column("title", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=True),
        sa.Column("primary_metric_id", sa.Integer(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "draft",
                "running",
                "stopped",
                "decided",
                name="experiment_status",
                native_enum=False,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column("baseline", sa.Float(), nullable=True),
        sa.Column("baseline_sd", sa.Float(), nullable=True),
        sa.Column("mde", sa.Float(), nullable=True),
        sa.Column("mde_relative", sa.Boolean(), nullable=False),
        sa.Column("alpha", sa.Float(), nullable=False),
        sa.Column("power", sa.Float(), nullable=False),
        sa.Column(
            "alternative",
            sa.Enum(
                "two-sided", "larger", "smaller", name="alternative", native_enum=False, length=16
            ),
            nullable=False,
        ),
        sa.Column("planned_control", sa.Integer(), nullable=True),
        sa.Column("planned_variant", sa.Integer(), nullable=True),
        sa.Column("planned_total", sa.Integer(), nullable=True),
        sa.Column("weekly_volume", sa.Float(), nullable=True),
        sa.Column("started_on", sa.Date(), nullable=True),
        sa.Column("stopped_on", sa.Date(), nullable=True),
        sa.Column("observed_total", sa.Float(), nullable=False),
        sa.Column("latest_result_set_id", sa.Integer(), nullable=True),
        sa.Column(
            "outcome",
            sa.Enum(
                "won",
                "lost",
                "inconclusive",
                name="experiment_outcome",
                native_enum=False,
                length=16,
            ),
            nullable=True,
        ),
        sa.Column(
            "action",
            sa.Enum(
                "ship", "iterate", "abandon", name="decision_action", native_enum=False, length=16
            ),
            nullable=True,
        ),
        sa.Column("rationale", sa.Text(), nullable=False),
        sa.Column(
            "early_decision_reason", sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=False
        ),
        sa.Column("decided_at", tracker.models.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", tracker.models.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", tracker.models.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("deleted_at", tracker.models.types.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["decided_by_id"],
            ["user_account.id"],
        ),
        sa.ForeignKeyConstraint(
            ["hypothesis_id"],
            ["hypothesis.id"],
        ),
        sa.ForeignKeyConstraint(
            ["owner_id"],
            ["user_account.id"],
        ),
        sa.ForeignKeyConstraint(
            ["primary_metric_id"],
            ["metric.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("experiment", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_experiment_hypothesis_id"), ["hypothesis_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_experiment_owner_id"), ["owner_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_experiment_primary_metric_id"), ["primary_metric_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_experiment_status"), ["status"], unique=False)

    op.create_table(
        "arm",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("experiment_id", sa.Integer(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
        sa.Column("share", sa.Float(), nullable=False),
        sa.Column("is_control", sa.Boolean(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["experiment_id"],
            ["experiment.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("experiment_id", "name"),
    )
    with op.batch_alter_table("arm", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_arm_experiment_id"), ["experiment_id"], unique=False)

    op.create_table(
        "guardrail",
        sa.Column("experiment_id", sa.Integer(), nullable=False),
        sa.Column("metric_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["experiment_id"],
            ["experiment.id"],
        ),
        sa.ForeignKeyConstraint(
            ["metric_id"],
            ["metric.id"],
        ),
        sa.PrimaryKeyConstraint("experiment_id", "metric_id"),
    )
    op.create_table(
        "learning_experiment",
        sa.Column("learning_id", sa.Integer(), nullable=False),
        sa.Column("experiment_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["experiment_id"],
            ["experiment.id"],
        ),
        sa.ForeignKeyConstraint(
            ["learning_id"],
            ["learning.id"],
        ),
        sa.PrimaryKeyConstraint("learning_id", "experiment_id"),
    )
    op.create_table(
        "result_set",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("experiment_id", sa.Integer(), nullable=False),
        sa.Column("recorded_at", tracker.models.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("entered_by_id", sa.Integer(), nullable=True),
        sa.Column("note", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.ForeignKeyConstraint(
            ["entered_by_id"],
            ["user_account.id"],
        ),
        sa.ForeignKeyConstraint(
            ["experiment_id"],
            ["experiment.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("result_set", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_result_set_experiment_id"), ["experiment_id"], unique=False
        )

    op.create_table(
        "analysis",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("result_set_id", sa.Integer(), nullable=False),
        sa.Column("experiment_id", sa.Integer(), nullable=False),
        sa.Column("metric_id", sa.Integer(), nullable=False),
        sa.Column("is_primary", sa.Boolean(), nullable=False),
        sa.Column("preliminary", sa.Boolean(), nullable=False),
        sa.Column("comparisons", sa.JSON(), nullable=False),
        sa.Column("warnings", sa.JSON(), nullable=False),
        sa.Column("srm", sa.JSON(), nullable=True),
        sa.Column("chart_svg", sa.Text(), nullable=False),
        sa.Column("created_at", tracker.models.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["experiment_id"],
            ["experiment.id"],
        ),
        sa.ForeignKeyConstraint(
            ["metric_id"],
            ["metric.id"],
        ),
        sa.ForeignKeyConstraint(
            ["result_set_id"],
            ["result_set.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("result_set_id", "metric_id"),
    )
    with op.batch_alter_table("analysis", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_analysis_experiment_id"), ["experiment_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_analysis_result_set_id"), ["result_set_id"], unique=False
        )

    op.create_table(
        "result_snapshot",
        sa.Column("successes", sa.Integer(), nullable=True),
        sa.Column("trials", sa.Integer(), nullable=True),
        sa.Column("n", sa.Integer(), nullable=True),
        sa.Column("mean", sa.Float(), nullable=True),
        sa.Column("sd", sa.Float(), nullable=True),
        sa.Column("events", sa.Integer(), nullable=True),
        sa.Column("exposure", sa.Float(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("result_set_id", sa.Integer(), nullable=False),
        sa.Column("experiment_id", sa.Integer(), nullable=False),
        sa.Column("arm_id", sa.Integer(), nullable=False),
        sa.Column("metric_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["arm_id"],
            ["arm.id"],
        ),
        sa.ForeignKeyConstraint(
            ["experiment_id"],
            ["experiment.id"],
        ),
        sa.ForeignKeyConstraint(
            ["metric_id"],
            ["metric.id"],
        ),
        sa.ForeignKeyConstraint(
            ["result_set_id"],
            ["result_set.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("result_set_id", "arm_id", "metric_id"),
    )
    with op.batch_alter_table("result_snapshot", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_result_snapshot_experiment_id"), ["experiment_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_result_snapshot_result_set_id"), ["result_set_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("result_snapshot", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_result_snapshot_result_set_id"))
        batch_op.drop_index(batch_op.f("ix_result_snapshot_experiment_id"))

    op.drop_table("result_snapshot")
    with op.batch_alter_table("analysis", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_analysis_result_set_id"))
        batch_op.drop_index(batch_op.f("ix_analysis_experiment_id"))

    op.drop_table("analysis")
    with op.batch_alter_table("result_set", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_result_set_experiment_id"))

    op.drop_table("result_set")
    op.drop_table("learning_experiment")
    op.drop_table("guardrail")
    with op.batch_alter_table("arm", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_arm_experiment_id"))

    op.drop_table("arm")
    with op.batch_alter_table("experiment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_experiment_status"))
        batch_op.drop_index(batch_op.f("ix_experiment_primary_metric_id"))
        batch_op.drop_index(batch_op.f("ix_experiment_owner_id"))
        batch_op.drop_index(batch_op.f("ix_experiment_hypothesis_id"))

    op.drop_table("experiment")
    with op.batch_alter_table("reading", schema=None) as batch_op:
        batch_op.drop_index("ix_reading_metric_period")

    op.drop_table("reading")
    with op.batch_alter_table("hypothesis", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_hypothesis_status"))
        batch_op.drop_index(batch_op.f("ix_hypothesis_score"))
        batch_op.drop_index(batch_op.f("ix_hypothesis_process_id"))
        batch_op.drop_index(batch_op.f("ix_hypothesis_metric_id"))
        batch_op.drop_index(batch_op.f("ix_hypothesis_area_id"))

    op.drop_table("hypothesis")
    op.drop_table("team_settings")
    with op.batch_alter_table("process", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_process_area_id"))

    op.drop_table("process")
    with op.batch_alter_table("metric", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_metric_stage_id"))
        batch_op.drop_index(batch_op.f("ix_metric_area_id"))

    op.drop_table("metric")
    with op.batch_alter_table("learning", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_learning_area_id"))

    op.drop_table("learning")
    with op.batch_alter_table("change_log", schema=None) as batch_op:
        batch_op.drop_index("ix_change_log_record")
        batch_op.drop_index(batch_op.f("ix_change_log_at"))

    op.drop_table("change_log")
    op.drop_table("stage")
    with op.batch_alter_table("area", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_area_rank"))

    op.drop_table("area")
