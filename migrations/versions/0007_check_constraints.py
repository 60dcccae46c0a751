"""CHECK constraints for the figures, arm shares, alpha and power.

The rows that break a rule are reported before anything changes, so an upgrade
never fails half way on data an older version let in.

Revision ID: 0007
Revises: 0009
Create Date: 2026-11-29 20:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# As in tracker/models/checks.py when this revision was written (a migration
# is a snapshot: later changes to the models get their own revision).
FIGURES = {
    "successes_not_negative": "successes IS NULL OR successes >= 0",
    "trials_not_negative": "trials IS NULL OR trials >= 0",
    "successes_within_trials": "successes IS NULL OR trials IS NULL OR successes <= trials",
    "n_at_least_two": "n IS NULL OR n >= 2",
    "sd_not_negative": "sd IS NULL OR sd >= 0",
    "events_not_negative": "events IS NULL OR events >= 0",
    "exposure_positive": "exposure IS NULL OR exposure > 0",
}
CHECKS = {
    "reading": FIGURES,
    "result_snapshot": FIGURES,
    "arm": {"share_in_range": "share > 0 AND share <= 1"},
    "experiment": {
        "alpha_in_range": "alpha > 0 AND alpha < 1",
        "power_in_range": "power > 0 AND power < 1",
    },
}

revision: str = "0007"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _refuse_breaking_rows() -> None:
    connection = op.get_bind()
    broken = []
    for table, rules in CHECKS.items():
        for name, condition in rules.items():
            count = connection.execute(
                sa.text(f"SELECT count(*) FROM {table} WHERE NOT ({condition})")
            ).scalar_one()
            if count:
                broken.append(f"{count} row(s) of {table} break {name} ({condition})")
    if broken:
        raise RuntimeError(
            "Fix these rows before upgrading (nothing was changed): " + "; ".join(broken)
        )


def upgrade() -> None:
    _refuse_breaking_rows()
    for table, rules in CHECKS.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            for name, condition in rules.items():
                batch_op.create_check_constraint(f"ck_{table}_{name}", condition)


def downgrade() -> None:
    for table, rules in CHECKS.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            for name in rules:
                batch_op.drop_constraint(f"ck_{table}_{name}", type_="check")
