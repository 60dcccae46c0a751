"""Forecasts, metric unit values and targets, the team's currency and health
targets, and each user's dashboard view.

Revision ID: 0010
Revises: 0008
Create Date: 2026-11-29 20:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0010"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

HEALTH_TARGETS = (
    "target_started_per_week",
    "target_decisions_per_cycle",
    "target_median_days",
    "target_on_time",
    "target_win_rate",
)


def upgrade() -> None:
    with op.batch_alter_table("hypothesis", schema=None) as batch_op:
        batch_op.add_column(sa.Column("forecast_win_probability", sa.Float(), nullable=True))
        batch_op.add_column(sa.Column("forecast_by_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            "fk_hypothesis_forecast_by_id", "user_account", ["forecast_by_id"], ["id"]
        )
        batch_op.create_check_constraint(
            "ck_hypothesis_forecast_probability",
            "forecast_win_probability IS NULL OR "
            "(forecast_win_probability >= 0 AND forecast_win_probability <= 1)",
        )
    with op.batch_alter_table("metric", schema=None) as batch_op:
        batch_op.add_column(sa.Column("unit_value", sa.Float(), nullable=True))
        batch_op.add_column(sa.Column("target", sa.Float(), nullable=True))
    with op.batch_alter_table("team_settings", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "currency",
                sqlmodel.sql.sqltypes.AutoString(length=3),
                nullable=False,
                server_default="USD",
            )
        )
        for name in HEALTH_TARGETS:
            batch_op.add_column(sa.Column(name, sa.Float(), nullable=True))
    with op.batch_alter_table("user_account", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "dashboard_view",
                sqlmodel.sql.sqltypes.AutoString(length=16),
                nullable=False,
                server_default="",
            )
        )
        batch_op.add_column(sa.Column("dashboard_area_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            "fk_user_account_dashboard_area_id", "area", ["dashboard_area_id"], ["id"]
        )


def downgrade() -> None:
    with op.batch_alter_table("user_account", schema=None) as batch_op:
        batch_op.drop_constraint("fk_user_account_dashboard_area_id", type_="foreignkey")
        batch_op.drop_column("dashboard_area_id")
        batch_op.drop_column("dashboard_view")
    with op.batch_alter_table("team_settings", schema=None) as batch_op:
        for name in reversed(HEALTH_TARGETS):
            batch_op.drop_column(name)
        batch_op.drop_column("currency")
    with op.batch_alter_table("metric", schema=None) as batch_op:
        batch_op.drop_column("target")
        batch_op.drop_column("unit_value")
    with op.batch_alter_table("hypothesis", schema=None) as batch_op:
        batch_op.drop_constraint("ck_hypothesis_forecast_probability", type_="check")
        batch_op.drop_constraint("fk_hypothesis_forecast_by_id", type_="foreignkey")
        batch_op.drop_column("forecast_by_id")
        batch_op.drop_column("forecast_win_probability")
