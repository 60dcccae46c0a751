"""The rows a retrospective reads, in a fixed number of queries whatever the
number of cycles, experiments, readings or action items."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import and_, or_
from sqlmodel import Session, col, select

from tracker.models import (
    ActionItem,
    Analysis,
    Area,
    Arm,
    Cycle,
    Experiment,
    ExperimentStatus,
    Guardrail,
    Hypothesis,
    HypothesisStatus,
    Learning,
    LearningExperiment,
    Metric,
    Reading,
    Stage,
    TeamSettings,
    User,
)
from tracker.reports.ranges import ReportRange


def team_zone(settings: TeamSettings | None) -> ZoneInfo:
    try:
        return ZoneInfo(settings.timezone if settings else "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


@dataclass
class Rows:
    settings: TeamSettings | None
    cycles: list[Cycle]
    areas: dict[int, Area]
    stages: list[Stage]
    metrics: dict[int, Metric]
    experiments: list[Experiment]
    hypotheses: dict[int, Hypothesis]
    arms: dict[int, list[Arm]]
    analyses: dict[int, Analysis]  # the primary metric's, by experiment
    guardrails: dict[int, list[int]]  # guardrail metric ids, by experiment
    guardrail_analyses: dict[tuple[int, int], Analysis]  # by (experiment, metric)
    links: dict[int, list[int]]
    learnings: dict[int, Learning]
    readings: dict[int, list[Reading]]
    actions: list[ActionItem]
    users: dict[int, User]


def load(session: Session, span: ReportRange) -> Rows:
    """The rows of the range, in fifteen queries whatever their number."""
    settings = session.get(TeamSettings, 1)
    zone = team_zone(settings)
    start = datetime.combine(span.starts_on, time.min, zone)
    end = datetime.combine(span.ends_on, time.max, zone)
    next_week = str(span.last.next())
    cycles = session.exec(
        select(Cycle)
        .where(col(Cycle.iso_week) >= str(span.first), col(Cycle.iso_week) <= next_week)
        .order_by(col(Cycle.iso_week))
    ).all()
    areas = {area.id or 0: area for area in session.exec(select(Area)).all()}
    stages = list(session.exec(select(Stage).order_by(col(Stage.position))).all())
    experiments = [
        experiment
        for experiment in session.exec(
            select(Experiment)
            .where(
                col(Experiment.deleted_at).is_(None),
                col(Experiment.status) != ExperimentStatus.draft,
                or_(
                    col(Experiment.started_on) <= span.ends_on,
                    col(Experiment.decided_at) <= end,
                ),
                or_(col(Experiment.decided_at).is_(None), col(Experiment.decided_at) >= start),
            )
            .order_by(col(Experiment.started_on), col(Experiment.id))
        ).all()
        if not _ended_before(experiment, span.starts_on)
    ]
    ids = [experiment.id or 0 for experiment in experiments]
    metric_ids = {experiment.primary_metric_id for experiment in experiments}
    metrics = {
        metric.id or 0: metric
        for metric in session.exec(
            select(Metric).where(
                or_(col(Metric.deleted_at).is_(None), col(Metric.id).in_(metric_ids))
            )
        ).all()
    }
    hypothesis_ids = [e.hypothesis_id for e in experiments if e.hypothesis_id]
    hypotheses = {
        hypothesis.id or 0: hypothesis
        for hypothesis in session.exec(
            select(Hypothesis).where(
                or_(
                    col(Hypothesis.id).in_(hypothesis_ids),
                    and_(
                        col(Hypothesis.status) == HypothesisStatus.selected,
                        col(Hypothesis.deleted_at).is_(None),
                    ),
                )
            )
        ).all()
    }
    arms: dict[int, list[Arm]] = defaultdict(list)
    for arm in session.exec(
        select(Arm).where(col(Arm.experiment_id).in_(ids)).order_by(col(Arm.position))
    ).all():
        arms[arm.experiment_id].append(arm)
    latest_sets = [e.latest_result_set_id for e in experiments if e.latest_result_set_id]
    analyses: dict[int, Analysis] = {}
    guardrail_analyses: dict[tuple[int, int], Analysis] = {}
    for analysis in session.exec(
        select(Analysis).where(col(Analysis.result_set_id).in_(latest_sets))
    ).all():
        if analysis.is_primary:
            analyses[analysis.experiment_id] = analysis
        else:
            guardrail_analyses[analysis.experiment_id, analysis.metric_id] = analysis
    guardrails: dict[int, list[int]] = defaultdict(list)
    for guard in session.exec(
        select(Guardrail)
        .where(col(Guardrail.experiment_id).in_(ids))
        .order_by(col(Guardrail.experiment_id), col(Guardrail.metric_id))
    ).all():
        guardrails[guard.experiment_id].append(guard.metric_id)
    links: dict[int, list[int]] = defaultdict(list)
    for link in session.exec(
        select(LearningExperiment).where(col(LearningExperiment.experiment_id).in_(ids))
    ).all():
        links[link.experiment_id].append(link.learning_id)
    linked = {learning_id for found in links.values() for learning_id in found}
    learnings = {
        learning.id or 0: learning
        for learning in session.exec(
            select(Learning)
            .where(
                col(Learning.deleted_at).is_(None),
                or_(
                    col(Learning.id).in_(linked),
                    and_(col(Learning.created_at) >= start, col(Learning.created_at) <= end),
                ),
            )
            .order_by(col(Learning.created_at), col(Learning.id))
        ).all()
    }
    readings: dict[int, list[Reading]] = defaultdict(list)
    for reading in session.exec(
        select(Reading)
        .where(
            col(Reading.period_start) >= span.starts_on,
            col(Reading.period_start) <= span.ends_on,
        )
        .order_by(col(Reading.metric_id), col(Reading.period_start), col(Reading.id))
    ).all():
        readings[reading.metric_id].append(reading)
    range_cycle_ids = [c.id for c in cycles if c.iso_week <= str(span.last)]
    weeks = [str(week) for week in span.weeks]
    actions = list(
        session.exec(
            select(ActionItem)
            .where(
                or_(
                    col(ActionItem.first_cycle_id).in_(range_cycle_ids),
                    col(ActionItem.cycle_id).in_(range_cycle_ids),
                    col(ActionItem.finished_week).in_(weeks),
                )
            )
            .order_by(col(ActionItem.id))
        ).all()
    )
    owner_ids = {e.owner_id for e in experiments} | {a.owner_id for a in actions}
    owner_ids |= {learning.author_id for learning in learnings.values()}
    users = {
        user.id or 0: user
        for user in session.exec(
            select(User).where(col(User.id).in_([i for i in owner_ids if i]))
        ).all()
    }
    return Rows(
        settings=settings,
        cycles=list(cycles),
        areas=areas,
        stages=stages,
        metrics=metrics,
        experiments=experiments,
        hypotheses=hypotheses,
        arms=arms,
        analyses=analyses,
        guardrails=guardrails,
        guardrail_analyses=guardrail_analyses,
        links=links,
        learnings=learnings,
        readings=readings,
        actions=actions,
        users=users,
    )


def _ended_before(experiment: Experiment, start: date) -> bool:
    """Stopped before the range and never decided: not part of it."""
    return (
        experiment.decided_at is None
        and experiment.stopped_on is not None
        and experiment.stopped_on < start
    )
