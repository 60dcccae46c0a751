"""Sequential designs: how an experiment is looked at, and the look each analysis is.

Existing experiments keep today's fixed design; new ones default to weekly looks
(set by the application, not by the column).

Revision ID: 0009
Revises: 0011
Create Date: 2026-11-29 20:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0009"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("experiment", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "design_kind",
                sa.Enum(
                    "group_sequential",
                    "fixed",
                    "always_valid",
                    name="design_kind",
                    native_enum=False,
                    length=16,
                ),
                nullable=False,
                server_default="fixed",
            )
        )
        batch_op.add_column(
            sa.Column(
                "design_spending",
                sa.Enum(
                    "obrien-fleming", "pocock", name="design_spending", native_enum=False, length=16
                ),
                nullable=False,
                server_default="obrien-fleming",
            )
        )
        batch_op.add_column(
            sa.Column("design_looks", sa.Integer(), nullable=False, server_default="1")
        )
        batch_op.add_column(sa.Column("fixed_total", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("latest_verdict", sqlmodel.sql.sqltypes.AutoString(length=24), nullable=True)
        )
    # An existing experiment's planned size was the fixed size.
    op.execute("UPDATE experiment SET fixed_total = planned_total")
    with op.batch_alter_table("analysis", schema=None) as batch_op:
        batch_op.add_column(sa.Column("look", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("analysis", schema=None) as batch_op:
        batch_op.drop_column("look")
    with op.batch_alter_table("experiment", schema=None) as batch_op:
        batch_op.drop_column("latest_verdict")
        batch_op.drop_column("fixed_total")
        batch_op.drop_column("design_looks")
        batch_op.drop_column("design_spending")
        batch_op.drop_column("design_kind")
