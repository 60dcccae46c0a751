"""Loading experiments for the pages, each with a fixed number of queries."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, or_
from sqlmodel import Session, col, select

from tracker.models import (
    Analysis,
    Area,
    Change,
    Experiment,
    ExperimentStatus,
    Hypothesis,
    Learning,
    LearningExperiment,
    Metric,
    ResultSet,
    User,
)
from tracker.models.live import live

BOARD_COLUMN_LIMIT = 20
COLUMNS = (
    (ExperimentStatus.draft, _l("Draft")),
    (ExperimentStatus.running, _l("Running")),
    (ExperimentStatus.stopped, _l("Stopped")),
    (ExperimentStatus.decided, _l("Decided")),
)


@dataclass
class Card:
    experiment: Experiment
    metric_name: str
    owner_name: str | None
    verdict: str = ""
    warning_codes: list[str] = field(default_factory=list)
    stage: str = ""


def board_filter(
    statement: Any,
    *,
    area_id: int | None,
    owner_id: int | None,
    process_id: int | None = None,
    stage_id: int | None = None,
) -> Any:
    """Filter by area, owner, the hypothesis's process and the primary metric's stage;
    ``statement`` already joins Metric and (outer) Hypothesis."""
    statement = statement.where(live(Experiment))
    if process_id:
        statement = statement.where(col(Hypothesis.process_id) == process_id)
    if stage_id:
        statement = statement.where(col(Metric.stage_id) == stage_id)
    if owner_id:
        statement = statement.where(Experiment.owner_id == owner_id)
    if area_id:
        statement = statement.where(
            or_(col(Metric.area_id) == area_id, col(Hypothesis.area_id) == area_id)
        )
    return statement


def _card_statement() -> Any:
    return (
        select(Experiment, Metric.name, User.display_name)
        .join(Metric, col(Metric.id) == Experiment.primary_metric_id)
        .outerjoin(User, col(User.id) == Experiment.owner_id)
        .outerjoin(Hypothesis, col(Hypothesis.id) == Experiment.hypothesis_id)
    )


def board_columns(
    session: Session,
    *,
    area_id: int | None,
    owner_id: int | None,
    process_id: int | None = None,
    stage_id: int | None = None,
) -> tuple[dict[str, list[Card]], dict[str, int]]:
    """The newest cards of each column (one windowed query) and each column's count
    (one grouped query), then the verdicts (one IN query)."""
    ranked = board_filter(
        _card_statement().add_columns(
            func.row_number()
            .over(
                partition_by=Experiment.status,
                order_by=(
                    func.coalesce(Experiment.decided_at, Experiment.updated_at).desc(),
                    col(Experiment.id).desc(),
                ),
            )
            .label("rank")
        ),
        area_id=area_id,
        owner_id=owner_id,
        process_id=process_id,
        stage_id=stage_id,
    ).subquery()
    experiment_alias = _aliased_experiment(ranked)
    rows = session.exec(
        select(experiment_alias, ranked.c.name, ranked.c.display_name)
        .where(ranked.c.rank <= BOARD_COLUMN_LIMIT)
        .order_by(ranked.c.status, ranked.c.rank)
    ).all()
    counts_statement = board_filter(
        select(Experiment.status, func.count())
        .join(Metric, col(Metric.id) == Experiment.primary_metric_id)
        .outerjoin(Hypothesis, col(Hypothesis.id) == Experiment.hypothesis_id),
        area_id=area_id,
        owner_id=owner_id,
        process_id=process_id,
        stage_id=stage_id,
    ).group_by(Experiment.status)
    counts = {
        str(getattr(status, "value", status)): count
        for status, count in session.exec(counts_statement).all()
    }
    cards = [Card(experiment=e, metric_name=m, owner_name=o) for e, m, o in rows]
    attach_verdicts(session, cards)
    columns: dict[str, list[Card]] = {status.value: [] for status, _label in COLUMNS}
    for card in cards:
        columns[card.experiment.status.value].append(card)
    return columns, counts


def _aliased_experiment(subquery: Any) -> Any:
    from sqlalchemy.orm import aliased

    return aliased(Experiment, subquery)


def decided_statement(
    *,
    area_id: int | None,
    owner_id: int | None,
    process_id: int | None = None,
    stage_id: int | None = None,
) -> Any:
    return status_statement(
        ExperimentStatus.decided,
        area_id=area_id,
        owner_id=owner_id,
        process_id=process_id,
        stage_id=stage_id,
    )


def status_statement(
    status: ExperimentStatus,
    *,
    area_id: int | None,
    owner_id: int | None,
    process_id: int | None = None,
    stage_id: int | None = None,
) -> Any:
    """Every experiment of one status, for its paginated list: decided ones newest
    first, running and stopped ones oldest first (the longest waiting lead)."""
    order = {
        ExperimentStatus.decided: (col(Experiment.decided_at).desc(), col(Experiment.id).desc()),
        ExperimentStatus.draft: (col(Experiment.id).desc(),),
    }.get(status, (col(Experiment.started_on), col(Experiment.id)))
    return board_filter(
        _card_statement().where(Experiment.status == status),
        area_id=area_id,
        owner_id=owner_id,
        process_id=process_id,
        stage_id=stage_id,
    ).order_by(*order)


def attach_verdicts(session: Session, cards: list[Card]) -> None:
    """The primary verdict of each card's latest analysis, in one IN query, and
    the stage of each card's primary metric, in another."""
    from tracker.experiments.stages import attach_stages

    attach_stages(session, cards)
    latest = {c.experiment.latest_result_set_id for c in cards} - {None}
    if not latest:
        return
    from tracker.experiments.verdicts import page_gettext, shown_verdict

    analyses = session.exec(
        select(Analysis).where(
            col(Analysis.result_set_id).in_(latest), col(Analysis.is_primary).is_(True)
        )
    ).all()
    by_set = {analysis.result_set_id: analysis for analysis in analyses}
    gettext = page_gettext()
    for card in cards:
        found = by_set.get(card.experiment.latest_result_set_id or -1)
        if found:
            # the sentence in the reader's language, from the stored figures
            experiment = card.experiment
            shown = shown_verdict(
                found, planned_total=experiment.planned_total, alpha=experiment.alpha
            )
            stored = str((found.comparisons or {}).get("verdict", ""))
            card.verdict = shown.sentence(gettext) if shown else stored
            card.warning_codes = [w.get("code", "") for w in found.warnings or []]


def filter_options(session: Session) -> tuple[list[Area], list[User]]:
    areas = list(
        session.exec(select(Area).where(live(Area)).order_by(col(Area.rank), Area.name)).all()
    )
    users = list(session.exec(select(User).order_by(User.display_name)).all())
    return areas, users


# --- the status page ------------------------------------------------------------------


def change_log(session: Session, experiment_id: int) -> list[tuple[Change, str | None]]:
    """The experiment's change log, newest first, with who made each change."""
    return list(
        session.exec(
            select(Change, User.display_name)
            .outerjoin(User, col(User.id) == Change.user_id)
            .where(Change.entity == "experiment", Change.entity_id == experiment_id)
            .order_by(col(Change.at).desc(), col(Change.id).desc())
        ).all()
    )


def primary_history(session: Session, experiment_id: int) -> list[tuple[Any, Mapping[str, Any]]]:
    """(recorded at, stored comparisons) of the primary metric at each result set."""
    return [
        (recorded_at, comparisons)
        for recorded_at, comparisons in session.exec(
            select(ResultSet.recorded_at, Analysis.comparisons)
            .join(Analysis, col(Analysis.result_set_id) == ResultSet.id)
            .where(ResultSet.experiment_id == experiment_id, col(Analysis.is_primary).is_(True))
            .order_by(col(ResultSet.recorded_at), col(ResultSet.id))
        ).all()
    ]


def learnings_of(session: Session, experiment_id: int) -> list[Learning]:
    """The learnings recorded from an experiment, oldest first."""
    return list(
        session.exec(
            select(Learning)
            .join(LearningExperiment, col(LearningExperiment.learning_id) == Learning.id)
            .where(
                LearningExperiment.experiment_id == experiment_id,
                live(Learning),
            )
            .order_by(col(Learning.created_at), col(Learning.id))
        ).all()
    )
