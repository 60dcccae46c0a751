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
    """Delete the defaults that nothing refers to, dependants first.

    A default the team has used (an area with metrics, a stage metrics sit in,
    a process a hypothesis names) is the team's data now and stays; the
    downgrade of 0002 drops it with its table when going further down.
    """
    from tracker.defaults import AREAS, PROCESSES, STAGES

    op.execute(sa.text("DELETE FROM team_settings"))
    _delete_unreferenced("process", [name for _, name in PROCESSES])
    _delete_unreferenced("stage", list(STAGES))
    _delete_unreferenced("area", [name for name, _ in AREAS])


def _delete_unreferenced(table: str, names: list[str]) -> None:
    """Delete the rows of ``table`` named ``names`` that no foreign key points at."""
    bind = op.get_bind()
    inspector = sa.inspect(bind)
    meta = sa.MetaData()
    target = sa.Table(table, meta, autoload_with=bind)
    condition = target.c.name.in_(names)
    for other in inspector.get_table_names():
        for fk in inspector.get_foreign_keys(other):
            if fk["referred_table"] != table:
                continue
            referring = sa.Table(other, meta, autoload_with=bind)
            for column, referred in zip(
                fk["constrained_columns"], fk["referred_columns"], strict=True
            ):
                condition &= ~sa.exists().where(referring.c[column] == target.c[referred])
    bind.execute(sa.delete(target).where(condition))
