"""Results are cumulative: each result set holds the figures so far, so counts
only grow. A count lower than the last set's is usually a typo or a report
over a shorter range, and is saved only once someone confirms it."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from sqlmodel import Session, select

from tracker.models import Experiment, ResultSnapshot

# the counts that add up over time; means and standard deviations may move either way
COUNTS = ("trials", "successes", "n", "events", "exposure")


@dataclass(frozen=True)
class Shrink:
    """One count lower than in the last result set.

    Attributes:
        arm_id, metric_id: whose figure it is.
        stat: which count (``trials``, ``n``...).
        before: the last set's value; after: the value entered now.
    """

    arm_id: int
    metric_id: int
    stat: str
    before: float
    after: float

    def message(self) -> str:
        return (
            f"Lower than {self.before:,.0f} in the last result set. Results are cumulative, "
            "so counts only grow: check for a typo or a shorter date range."
        )


def latest_figures(session: Session, experiment: Experiment) -> list[ResultSnapshot]:
    if not experiment.latest_result_set_id:
        return []
    return list(
        session.exec(
            select(ResultSnapshot).where(
                ResultSnapshot.result_set_id == experiment.latest_result_set_id
            )
        ).all()
    )


def shrinking(
    previous: Iterable[ResultSnapshot],
    figures: Mapping[tuple[int, int], Mapping[str, float | int | None]],
) -> list[Shrink]:
    """Every count in ``figures`` lower than the same arm's and metric's last one."""
    found = []
    for snapshot in previous:
        entered = figures.get((snapshot.arm_id, snapshot.metric_id))
        if not entered:
            continue
        for stat in COUNTS:
            before, after = getattr(snapshot, stat, None), entered.get(stat)
            if before is not None and after is not None and after < before:
                found.append(Shrink(snapshot.arm_id, snapshot.metric_id, stat, before, after))
    return found
