"""The loop's own health over the last twelve cycles: is the team running
experiments, deciding them, and doing what it planned?"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, time
from typing import Any

from sqlmodel import Session, col, or_, select

from experiments.cycles import ActionStatus, IsoWeek
from tracker.models import ActionItem, Analysis, Experiment, Outcome, ResultSet
from tracker.models.live import live

WINDOW = 12


@dataclass(frozen=True)
class LoopHealth:
    """Attributes:
    weeks: the ISO weeks covered, oldest first.
    started: experiments started in each week.
    decided: experiments decided in each week.
    median_days_to_decision: median days from reaching the planned sample size
        to the decision, over the experiments decided in the window (None if none).
    on_time: share of the action items due in the window's past weeks that were
        done within their due week (None if none were due).
    win_rate: won over decided in the window (None if none were decided); a
        win flagged with a sample-ratio mismatch does not count as won.
    """

    weeks: list[str]
    started: list[int]
    decided: list[int]
    median_days_to_decision: float | None
    on_time: float | None
    due_items: int
    win_rate: float | None
    decided_total: int
    won: int

    @property
    def started_per_week(self) -> float:
        """Experiments started per week, averaged over the window."""
        return sum(self.started) / len(self.weeks) if self.weeks else 0.0

    @property
    def decided_per_cycle(self) -> float:
        """Decisions per weekly cycle, averaged over the window."""
        return sum(self.decided) / len(self.weeks) if self.weeks else 0.0


def loop_health(*, session: Session, current_week: IsoWeek) -> LoopHealth:
    weeks = [current_week]
    while len(weeks) < WINDOW:
        weeks.insert(0, weeks[0].previous())
    names = [str(w) for w in weeks]
    start = weeks[0].monday
    experiments = session.exec(
        select(Experiment).where(
            live(Experiment),
            or_(
                col(Experiment.started_on) >= start,
                col(Experiment.decided_at) >= datetime.combine(start, time(0), tzinfo=UTC),
            ),
        )
    ).all()
    started = Counter(
        str(IsoWeek.containing(e.started_on))
        for e in experiments
        if e.started_on and e.started_on >= start
    )
    decided = [e for e in experiments if e.decided_at and e.decided_at.date() >= start]
    decided_weeks = Counter(
        str(IsoWeek.containing(e.decided_at.date())) for e in decided if e.decided_at
    )
    won = _trusted_wins(session, [e for e in decided if e.outcome == Outcome.won])
    return LoopHealth(
        weeks=names,
        started=[started.get(w, 0) for w in names],
        decided=[decided_weeks.get(w, 0) for w in names],
        median_days_to_decision=_median_days(session, decided),
        win_rate=won / len(decided) if decided else None,
        decided_total=len(decided),
        won=won,
        **_on_time(session, names[:-1]),
    )


def _trusted_wins(session: Session, won: list[Experiment]) -> int:
    """Wins whose primary analysis shows no sample-ratio mismatch (one query)."""
    from tracker.insights.queries import counts_as_win

    set_ids = [e.latest_result_set_id for e in won if e.latest_result_set_id]
    warnings: dict[int, list[dict[str, str]]] = (
        dict(
            session.exec(  # type: ignore[arg-type]
                select(Analysis.result_set_id, Analysis.warnings).where(
                    col(Analysis.result_set_id).in_(set_ids), Analysis.is_primary
                )
            ).all()
        )
        if set_ids
        else {}
    )
    return len(
        [e for e in won if counts_as_win(e.outcome, warnings.get(e.latest_result_set_id or 0))]
    )


def _median_days(session: Session, decided: list[Experiment]) -> float | None:
    """Days from the first result set at or past the planned size to the decision."""
    planned = {e.id: e for e in decided if e.planned_total}
    if not planned:
        return None
    rows = session.exec(
        select(Analysis.experiment_id, ResultSet.recorded_at, Analysis.comparisons)
        .join(ResultSet, col(ResultSet.id) == Analysis.result_set_id)
        .where(col(Analysis.experiment_id).in_(list(planned)), Analysis.is_primary)
        .order_by(col(ResultSet.recorded_at))
    ).all()
    reached: dict[int, datetime] = {}
    for experiment_id, recorded_at, comparisons in rows:
        if experiment_id in reached:
            continue
        if _total(comparisons) >= (planned[experiment_id].planned_total or 0):
            reached[experiment_id] = recorded_at
    days = [
        max(0.0, (planned[i].decided_at - when).total_seconds() / 86400)  # type: ignore[operator]
        for i, when in reached.items()
    ]
    return statistics.median(days) if days else None


def _total(comparisons: Mapping[str, Any]) -> float:
    estimates = comparisons.get("estimates", {}) if isinstance(comparisons, dict) else {}
    return sum(float(arm.get("size") or 0) for arm in estimates.values())


def _on_time(session: Session, past_weeks: list[str]) -> dict[str, Any]:
    items = (
        session.exec(
            select(ActionItem.status, ActionItem.due_week, ActionItem.finished_week).where(
                col(ActionItem.due_week).in_(past_weeks)
            )
        ).all()
        if past_weeks
        else []
    )
    relevant = [row for row in items if row[0] != ActionStatus.dropped]
    on_time = sum(
        1
        for status, due, finished in relevant
        if status == ActionStatus.done and finished and finished <= due
    )
    return {"on_time": on_time / len(relevant) if relevant else None, "due_items": len(relevant)}
