"""Results entered for an experiment: one result set, a snapshot per arm and metric,
and their analyses, kept only while the experiment takes results."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlmodel import Session, col, select

from tracker import notifications
from tracker.changelog import record_event
from tracker.experiments.guards import check_takes_results
from tracker.models import Analysis, Arm, Experiment, Guardrail, Metric, ResultSet, ResultSnapshot
from tracker.models.types import utcnow


def experiment_metrics(session: Session, experiment: Experiment) -> list[Metric]:
    """The primary metric, then the guardrails, in one query."""
    guarded = select(Guardrail.metric_id).where(Guardrail.experiment_id == experiment.id)
    metrics = session.exec(
        select(Metric).where(
            (col(Metric.id) == experiment.primary_metric_id) | col(Metric.id).in_(guarded)
        )
    ).all()
    return sorted(metrics, key=lambda m: (m.id != experiment.primary_metric_id, m.name.lower()))


def save_results(
    session: Session,
    experiment: Experiment,
    figures: Mapping[tuple[int, int], Mapping[str, float | int]],
    *,
    arms: Sequence[Arm],
    metrics: Sequence[Metric],
    user_id: int | None,
    note: str = "",
    recorded_at: Any = None,
    draw_chart: bool = True,
) -> tuple[ResultSet, list[Analysis]]:
    """Keep one result set (a snapshot per arm and metric) and its analyses."""
    from tracker.experiments.analysis import analyse_result_set

    check_takes_results(experiment)

    result_set = ResultSet(experiment_id=experiment.id or 0, entered_by_id=user_id, note=note)
    if recorded_at is not None:
        result_set.recorded_at = recorded_at
    session.add(result_set)
    session.flush()
    snapshots = [
        ResultSnapshot(
            result_set_id=result_set.id or 0,
            experiment_id=experiment.id or 0,
            arm_id=arm_id,
            metric_id=metric_id,
            **dict[str, Any](values),
        )
        for (arm_id, metric_id), values in figures.items()
    ]
    session.add_all(snapshots)
    analyses = analyse_result_set(
        session,
        experiment=experiment,
        result_set=result_set,
        arms=arms,
        metrics=[m for m in metrics if any(key[1] == m.id for key in figures)],
        snapshots=snapshots,
        draw_chart=draw_chart,
    )
    experiment.version += 1
    experiment.updated_at = utcnow()
    planned = f" of {experiment.planned_total:,}" if experiment.planned_total else ""
    record_event(
        session,
        experiment,
        "update",
        user_id=user_id,
        field="results",
        new_value=f"{experiment.observed_total:,.0f}{planned} observed",
        reason=note,
    )
    notifications.results_saved(session, experiment, analyses)
    return result_set, analyses
