"""Stages and processes where people look for them: the buyer-journey stage
of each experiment's primary metric, and the process and stage filters of
the board."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlmodel import Session, col, select

from tracker.models import Metric, Process, Stage
from tracker.models.live import live


@dataclass(frozen=True)
class Facets:
    """The process and stage filters' choices and what is chosen."""

    processes: list[Process]
    stages: list[Stage]
    process_id: int | None
    stage_id: int | None


def facet_options(session: Session, *, process_id: int | None, stage_id: int | None) -> Facets:
    processes = list(
        session.exec(select(Process).order_by(col(Process.area_id), Process.name)).all()
    )
    stages = list(session.exec(select(Stage).order_by(col(Stage.position))).all())
    return Facets(processes=processes, stages=stages, process_id=process_id, stage_id=stage_id)


def stage_names(session: Session, metric_ids: set[int]) -> dict[int, str]:
    """Each metric's stage name, in one query (metrics without a stage left out)."""
    if not metric_ids:
        return {}
    rows = session.exec(
        select(Metric.id, Stage.name)
        .join(Stage, col(Stage.id) == Metric.stage_id)
        .where(col(Metric.id).in_(list(metric_ids)))
    ).all()
    return {metric_id: name for metric_id, name in rows if metric_id is not None}


def attach_stages(session: Session, cards: list[Any]) -> None:
    """Set ``card.stage`` to its experiment's primary metric's stage."""
    names = stage_names(session, {c.experiment.primary_metric_id for c in cards})
    for card in cards:
        card.stage = names.get(card.experiment.primary_metric_id, "")


def stage_of(metric_id: int | None) -> str:
    """The stage name of one metric, for a page about one hypothesis or experiment
    (one query; "" without a metric or a stage)."""
    if metric_id is None:
        return ""
    from tracker.database import get_session

    return stage_names(get_session(), {metric_id}).get(metric_id, "")


def learned_from(statement: Any, *, process_id: int | None, stage_id: int | None) -> Any:
    """Keep the learnings behind an experiment of this process (its hypothesis's)
    or on a primary metric of this stage; ``statement`` selects Learning."""
    from tracker.models import Experiment, Hypothesis, Learning, LearningExperiment

    if process_id is None and stage_id is None:
        return statement
    linked = (
        select(LearningExperiment.learning_id)
        .join(Experiment, col(Experiment.id) == LearningExperiment.experiment_id)
        .join(Metric, col(Metric.id) == Experiment.primary_metric_id)
        .join(Hypothesis, col(Hypothesis.id) == Experiment.hypothesis_id, isouter=True)
        .where(live(Experiment))
    )
    if process_id is not None:
        linked = linked.where(Hypothesis.process_id == process_id)
    if stage_id is not None:
        linked = linked.where(Metric.stage_id == stage_id)
    return statement.where(col(Learning.id).in_(linked))
