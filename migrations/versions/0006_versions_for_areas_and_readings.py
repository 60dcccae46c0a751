"""Areas and readings carry a version, checked by the database on every update.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-29 20:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("area", "reading")


def upgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            # existing rows, and rows inserted without the model, start at 1
            batch_op.add_column(
                sa.Column("version", sa.Integer(), nullable=False, server_default="1")
            )


def downgrade() -> None:
    # a plain DROP COLUMN (SQLite 3.35+): a batch copy would drop the area table,
    # which the foreign keys of the other tables refuse
    for table in TABLES:
        op.drop_column(table, "version")
