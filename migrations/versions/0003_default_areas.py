"""The defaults a new team starts with: Marketing, Sales and Service with their
eight processes, the buyer-journey stages and the team settings.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from tracker.defaults import insert_defaults

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    insert_defaults(op.get_bind())


def downgrade() -> None:
    for table in ("team_settings", "process", "stage", "area"):
        op.execute(sa.text(f"DELETE FROM {table}"))
