"""The invariants the database holds as CHECK constraints, written once for the
tables (``__table_args__``) and for migration 0007.

The same rules are checked with a message by ``experiments.stats`` when a
person enters figures; these make sure no door (nor a script writing SQL) can
store figures the statistics would refuse.
"""

from __future__ import annotations

from sqlalchemy import CheckConstraint

# name suffix -> condition, for any table holding SufficientStatistics
FIGURES = {
    "successes_not_negative": "successes IS NULL OR successes >= 0",
    "trials_not_negative": "trials IS NULL OR trials >= 0",
    "successes_within_trials": "successes IS NULL OR trials IS NULL OR successes <= trials",
    "n_at_least_two": "n IS NULL OR n >= 2",
    "sd_not_negative": "sd IS NULL OR sd >= 0",
    "events_not_negative": "events IS NULL OR events >= 0",
    "exposure_positive": "exposure IS NULL OR exposure > 0",
}
ARM = {"share_in_range": "share > 0 AND share <= 1"}
EXPERIMENT = {
    "alpha_in_range": "alpha > 0 AND alpha < 1",
    "power_in_range": "power > 0 AND power < 1",
}
# table -> its checks; the migration creates exactly these
CHECKS = {
    "reading": FIGURES,
    "result_snapshot": FIGURES,
    "arm": ARM,
    "experiment": EXPERIMENT,
}


def check_constraints(table: str) -> tuple[CheckConstraint, ...]:
    """The CHECK constraints of ``table``, named ``ck_<table>_<rule>``."""
    return tuple(
        CheckConstraint(condition, name=f"ck_{table}_{name}")
        for name, condition in CHECKS[table].items()
    )
