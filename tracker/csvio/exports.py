"""What each "Export CSV" link writes: a header and the rows, read with one
streaming query (``yield_per``) whatever the size of the table, so a long export
never sits whole in memory. Filters are those of the list page it comes from."""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, or_
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from tracker.csvio import readings as reading_import
from tracker.csvio import results as result_import
from tracker.figures import FIGURES
from tracker.models import (
    ActionItem,
    Analysis,
    Area,
    Arm,
    Cycle,
    Experiment,
    ExperimentStatus,
    Hypothesis,
    HypothesisStatus,
    Learning,
    LearningExperiment,
    Metric,
    Process,
    Reading,
    ResultSet,
    ResultSnapshot,
    ReviewRecord,
    User,
)
from tracker.models.live import live

YIELD_PER = 500


@dataclass(frozen=True)
class Export:
    """A CSV file to write: its name, its columns and its rows (lazily)."""

    name: str
    header: Sequence[str]
    rows: Iterator[Sequence[Any]]


def _stream(session: Session, statement: Any) -> Iterator[Any]:
    return iter(session.exec(statement.execution_options(yield_per=YIELD_PER)))


# --- the backlog ---------------------------------------------------------------------

BACKLOG_HEADER = (
    "id",
    "title",
    "change",
    "metric",
    "direction",
    "expected_effect",
    "rationale",
    "area",
    "process",
    "priority_model",
    "scores",
    "score",
    "status",
    "author",
    "created_at",
    "updated_at",
)


def backlog(
    session: Session, *, area: int | None = None, process: int | None = None, status: str = ""
) -> Export:
    author = aliased(User)
    statement = (
        select(Hypothesis, Metric.name, Area.name, Process.name, author.display_name)  # type: ignore[call-overload]
        .outerjoin(Metric, col(Metric.id) == col(Hypothesis.metric_id))
        .join(Area, col(Area.id) == col(Hypothesis.area_id))
        .outerjoin(Process, col(Process.id) == col(Hypothesis.process_id))
        .outerjoin(author, col(author.id) == col(Hypothesis.author_id))
        .where(live(Hypothesis))
        .order_by(col(Hypothesis.score).desc(), col(Hypothesis.id).desc())
    )
    if area is not None:
        statement = statement.where(Hypothesis.area_id == area)
    if process is not None:
        statement = statement.where(Hypothesis.process_id == process)
    if status in HypothesisStatus.__members__:
        statement = statement.where(Hypothesis.status == HypothesisStatus(status))

    def rows() -> Iterator[Sequence[Any]]:
        for hypothesis, metric, area_name, process_name, author_name in _stream(session, statement):
            scores = "; ".join(f"{key} {value}" for key, value in hypothesis.scores.items())
            yield (
                hypothesis.id,
                hypothesis.title,
                hypothesis.change,
                metric,
                hypothesis.direction,
                hypothesis.expected_effect,
                hypothesis.rationale,
                area_name,
                process_name,
                hypothesis.priority_model,
                scores,
                hypothesis.score,
                hypothesis.status,
                author_name,
                hypothesis.created_at,
                hypothesis.updated_at,
            )

    return Export("backlog", BACKLOG_HEADER, rows())


# --- experiments with their latest analysis -------------------------------------------

EXPERIMENT_HEADER = (
    "id",
    "title",
    "status",
    "hypothesis_id",
    "owner",
    "primary_metric",
    "started_on",
    "stopped_on",
    "planned_total",
    "observed_total",
    "results_recorded_at",
    "control",
    "variant",
    "control_estimate",
    "variant_estimate",
    "lift",
    "lift_ci_low",
    "lift_ci_high",
    "p_value",
    "adjusted_p_value",
    "significant",
    "verdict",
    "outcome",
    "action",
    "decided_at",
)


def experiments(
    session: Session,
    *,
    area: int | None = None,
    owner: int | None = None,
    status: str = "",
) -> Export:
    """One row per experiment and variant of its primary metric's latest analysis
    (one row, analysis cells empty, for an experiment without results)."""
    from tracker.experiments.queries import board_filter

    statement = (
        select(  # type: ignore[call-overload]
            Experiment, Metric.name, User.display_name, Analysis.comparisons, ResultSet.recorded_at
        )
        .join(Metric, col(Metric.id) == Experiment.primary_metric_id)
        .outerjoin(User, col(User.id) == Experiment.owner_id)
        .outerjoin(Hypothesis, col(Hypothesis.id) == Experiment.hypothesis_id)
        .outerjoin(
            Analysis,
            (col(Analysis.result_set_id) == col(Experiment.latest_result_set_id))
            & col(Analysis.is_primary),
        )
        .outerjoin(ResultSet, col(ResultSet.id) == col(Experiment.latest_result_set_id))
        .order_by(col(Experiment.id))
    )
    statement = board_filter(statement, area_id=area, owner_id=owner)
    if status in ExperimentStatus.__members__:
        statement = statement.where(Experiment.status == ExperimentStatus(status))

    def rows() -> Iterator[Sequence[Any]]:
        for experiment, metric, owner_name, comparisons, recorded_at in _stream(session, statement):
            head = (
                experiment.id,
                experiment.title,
                experiment.status,
                experiment.hypothesis_id,
                owner_name,
                metric,
                experiment.started_on,
                experiment.stopped_on,
                experiment.planned_total,
                experiment.observed_total,
                recorded_at,
            )
            tail = (experiment.outcome, experiment.action, experiment.decided_at)
            comparisons = comparisons or {}
            variants = comparisons.get("variants") or []
            if not variants:
                verdict = comparisons.get("verdict", "")
                yield (*head, comparisons.get("control"), *(None,) * 9, verdict, *tail)
                continue
            for variant in variants:
                low, high = variant.get("lift_ci") or (None, None)
                yield (
                    *head,
                    comparisons.get("control"),
                    variant.get("name"),
                    variant.get("control_estimate"),
                    variant.get("variant_estimate"),
                    variant.get("lift"),
                    low,
                    high,
                    variant.get("p_value"),
                    variant.get("adjusted_p_value"),
                    variant.get("significant"),
                    variant.get("summary") or comparisons.get("verdict", ""),
                    *tail,
                )

    return Export("experiments", EXPERIMENT_HEADER, rows())


# --- action items ------------------------------------------------------------------

ACTION_HEADER = (
    "id",
    "title",
    "details",
    "owner",
    "owner_email",
    "status",
    "cycle",
    "first_cycle",
    "due_week",
    "carried_count",
    "source_kind",
    "source_id",
    "created_at",
    "finished_at",
)


def actions(
    session: Session,
    *,
    cycle: str = "",
    owner: int | None = None,
    statuses: Sequence[str] = (),
) -> Export:
    from experiments.cycles import ActionStatus

    current = aliased(Cycle)
    first = aliased(Cycle)
    statement = (
        select(ActionItem, User.display_name, User.email, current.iso_week, first.iso_week)  # type: ignore[call-overload]
        .outerjoin(User, col(User.id) == col(ActionItem.owner_id))
        .join(current, col(current.id) == col(ActionItem.cycle_id))
        .join(first, col(first.id) == col(ActionItem.first_cycle_id))
        .order_by(col(current.starts_on).desc(), col(ActionItem.id))
    )
    if cycle:
        statement = statement.where(current.iso_week == cycle)
    if owner is not None:
        statement = statement.where(ActionItem.owner_id == owner)
    wanted = [ActionStatus(s) for s in statuses if s in ActionStatus.__members__]
    if wanted:
        statement = statement.where(col(ActionItem.status).in_(wanted))

    def rows() -> Iterator[Sequence[Any]]:
        for item, owner_name, email, week, first_week in _stream(session, statement):
            yield (
                item.id,
                item.title,
                item.details,
                owner_name,
                email,
                item.status,
                week,
                first_week,
                item.due_week,
                item.carried_count,
                item.source_kind,
                item.source_id,
                item.created_at,
                item.finished_at,
            )

    return Export("actions", ACTION_HEADER, rows())


# --- readings and result snapshots (in the import format) ----------------------------


def readings(session: Session, *, metric: Metric | None = None) -> Export:
    """Readings in the columns ``tracker import readings`` takes back."""
    figures = [getattr(Reading, name) for name in FIGURES]
    statement = select(  # type: ignore[call-overload]  # plain columns: no ORM object per row
        Metric.name, Reading.period_start, Reading.period_end, *figures, Reading.source_note
    ).join(Metric, col(Metric.id) == Reading.metric_id)
    if metric is not None:
        statement = statement.where(Reading.metric_id == metric.id)
    else:
        statement = statement.where(live(Metric))
    statement = statement.order_by(
        func.lower(Metric.name), col(Reading.period_start), col(Reading.id)
    )

    def rows() -> Iterator[Sequence[Any]]:
        yield from _stream(session, statement)

    name = f"readings-{_slug(metric.name)}" if metric is not None else "readings"
    return Export(name, reading_import.COLUMNS, rows())


def results(session: Session, *, experiment_id: int | None = None) -> Export:
    """Result snapshots in the columns ``tracker import results`` takes back."""
    figures = [getattr(ResultSnapshot, name) for name in FIGURES]
    statement = (
        select(  # type: ignore[call-overload]
            ResultSnapshot.experiment_id,
            ResultSet.recorded_at,
            Arm.name,
            Metric.name,
            *figures,
            ResultSet.note,
        )
        .join(ResultSet, col(ResultSet.id) == ResultSnapshot.result_set_id)
        .join(Arm, col(Arm.id) == ResultSnapshot.arm_id)
        .join(Metric, col(Metric.id) == ResultSnapshot.metric_id)
        .join(Experiment, col(Experiment.id) == ResultSnapshot.experiment_id)
        .where(live(Experiment))
        .order_by(
            col(ResultSnapshot.experiment_id),
            col(ResultSet.recorded_at),
            col(ResultSet.id),
            col(Metric.id),
            col(Arm.position),
        )
    )
    if experiment_id is not None:
        statement = statement.where(ResultSnapshot.experiment_id == experiment_id)

    def rows() -> Iterator[Sequence[Any]]:
        yield from _stream(session, statement)

    name = f"results-experiment-{experiment_id}" if experiment_id is not None else "results"
    return Export(name, result_import.COLUMNS, rows())


# --- learnings and cycles ------------------------------------------------------------

LEARNING_HEADER = (
    "id",
    "text",
    "tags",
    "area",
    "author",
    "experiment_ids",
    "experiments",
    "created_at",
)


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def learnings(session: Session, *, q: str = "", area: int | None = None) -> Export:
    """One row per learning; its experiments come from the same ordered query,
    joined, and are gathered while streaming."""
    statement = (
        select(Learning, Area.name, User.display_name, Experiment.id, Experiment.title)  # type: ignore[call-overload]
        .outerjoin(Area, col(Area.id) == col(Learning.area_id))
        .outerjoin(User, col(User.id) == col(Learning.author_id))
        .outerjoin(LearningExperiment, col(LearningExperiment.learning_id) == col(Learning.id))
        .outerjoin(
            Experiment,
            (col(Experiment.id) == col(LearningExperiment.experiment_id)) & live(Experiment),
        )
        .where(live(Learning))
        .order_by(col(Learning.created_at).desc(), col(Learning.id).desc(), col(Experiment.id))
    )
    q = " ".join(q.split())[:200]
    if q:
        statement = statement.where(
            or_(
                col(Learning.text).ilike(_like(q), escape="\\"),
                col(Learning.tags).ilike(_like(q), escape="\\"),
            )
        )
    if area is not None:
        statement = statement.where(Learning.area_id == area)

    def rows() -> Iterator[Sequence[Any]]:
        joined = _stream(session, statement)
        for _id, group in itertools.groupby(joined, key=lambda row: row[0].id):
            lines = list(group)
            learning, area_name, author = lines[0][0], lines[0][1], lines[0][2]
            linked = [(eid, title) for _l, _a, _u, eid, title in lines if eid is not None]
            yield (
                learning.id,
                learning.text,
                learning.tags,
                area_name,
                author,
                " ".join(str(eid) for eid, _title in linked),
                "; ".join(title for _eid, title in linked),
                learning.created_at,
            )

    return Export("learnings", LEARNING_HEADER, rows())


CYCLE_HEADER = (
    "iso_week",
    "starts_on",
    "phase",
    "focus_area",
    "next_focus_area",
    "meeting_date",
    "attendees",
    "notes",
    "decisions",
    "new_actions",
    "learnings",
    "closed_at",
)


def cycles(session: Session) -> Export:
    focus = aliased(Area)
    next_focus = aliased(Area)

    def counted(kind: str) -> Any:
        return (
            select(func.count())
            .where(ReviewRecord.cycle_id == Cycle.id, ReviewRecord.kind == kind)
            .correlate(Cycle)
            .scalar_subquery()
        )

    statement = (
        select(  # type: ignore[call-overload]
            Cycle,
            focus.name,
            next_focus.name,
            counted("decision"),
            counted("action"),
        )
        .outerjoin(focus, col(focus.id) == col(Cycle.focus_area_id))
        .outerjoin(next_focus, col(next_focus.id) == col(Cycle.next_focus_area_id))
        .order_by(col(Cycle.starts_on).desc())
    )

    def rows() -> Iterator[Sequence[Any]]:
        from tracker.cycles.history import learnings_by_cycle

        learned = learnings_by_cycle(session, list(session.exec(select(Cycle)).all()))
        for cycle, focus_name, next_name, decisions, new_actions in _stream(session, statement):
            kept = learned.get(cycle.id or 0, 0)
            yield (
                cycle.iso_week,
                cycle.starts_on,
                cycle.phase,
                focus_name,
                next_name,
                cycle.meeting_date,
                cycle.attendees,
                cycle.notes,
                decisions,
                new_actions,
                kept,
                cycle.closed_at,
            )

    return Export("cycles", CYCLE_HEADER, rows())


def _slug(text: str) -> str:
    """A file-name-safe form of a name (letters of any script kept)."""
    slug = "-".join("".join(c if c.isalnum() else " " for c in text.lower()).split())
    return slug[:60] or "metric"
