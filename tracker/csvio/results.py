"""Importing result snapshots from CSV, whole or not at all.

Rows with the same experiment and ``recorded_at`` form one result set (one row
per arm and metric). Every row is checked first; then each set is saved and
analysed by the experiments' own ``save_results``, exactly as the results form
does, oldest first, in one transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import IO

from sqlalchemy import func
from sqlmodel import Session, select

from tracker.csvio.reader import (
    EXTRA,
    CellError,
    CsvRows,
    ImportRefused,
    Problems,
    datetime_cell,
    number_cell,
    text_cell,
)
from tracker.csvio.readings import FIGURES, KIND_FIGURES, WHOLE
from tracker.models import Arm, Experiment, Metric, MetricKind, ResultSet
from tracker.models.types import utcnow

COLUMNS = ("experiment", "recorded_at", "arm", "metric", *FIGURES, "note")
REQUIRED = ("experiment", "arm", "metric")


@dataclass
class _Target:
    """An experiment the file names, with what its rows are checked against."""

    experiment: Experiment
    arms: list[Arm]
    metrics: list[Metric]
    latest: datetime | None

    def arm(self, name: str) -> Arm:
        for arm in self.arms:
            if arm.name.strip().lower() == name.lower():
                return arm
        known = ", ".join(arm.name for arm in self.arms)
        raise CellError(f"experiment {self.experiment.id} has no arm named “{name}” ({known}).")

    def metric(self, text: str) -> Metric:
        for metric in self.metrics:
            if metric.name.strip().lower() == text.lower() or str(metric.id) == text:
                return metric
        known = ", ".join(metric.name for metric in self.metrics)
        raise CellError(f"“{text}” is not a metric of experiment {self.experiment.id} ({known}).")


@dataclass
class _Set:
    """The rows of one result set."""

    target: _Target
    recorded_at: datetime | None
    line: int
    note: str = ""
    figures: dict[tuple[int, int], dict[str, float | int]] = field(default_factory=dict)
    lines: dict[tuple[int, int], int] = field(default_factory=dict)


@dataclass(frozen=True)
class ResultsImported:
    sets: int
    rows: int
    experiments: int


class _Targets:
    """Experiments loaded once each, as the file names them."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.loaded: dict[int, _Target | str] = {}

    def get(self, text: str) -> _Target:
        if not text:
            raise CellError("enter the experiment's id.")
        if not text.isdigit():
            raise CellError(f"“{text}” is not an experiment id (a whole number).")
        experiment_id = int(text)
        if experiment_id not in self.loaded:
            self.loaded[experiment_id] = self._load(experiment_id)
        target = self.loaded[experiment_id]
        if isinstance(target, str):
            raise CellError(target)
        return target

    def _load(self, experiment_id: int) -> _Target | str:
        from tracker.experiments.service import arms_of, check_takes_results, experiment_metrics
        from tracker.rules import RuleError

        experiment = self.session.get(Experiment, experiment_id)
        if experiment is None or experiment.deleted_at is not None:
            return f"there is no experiment {experiment_id}."
        try:
            check_takes_results(experiment)
        except RuleError as error:
            return f"experiment {experiment_id} (“{experiment.title}”): {error.message}"
        latest = self.session.exec(
            select(func.max(ResultSet.recorded_at)).where(ResultSet.experiment_id == experiment_id)
        ).one()
        if latest is not None and latest.tzinfo is None:
            latest = latest.replace(tzinfo=UTC)
        return _Target(
            experiment=experiment,
            arms=arms_of(self.session, experiment_id),
            metrics=experiment_metrics(self.session, experiment),
            latest=latest,
        )


def import_results(
    session: Session,
    stream: IO[bytes],
    *,
    user_id: int | None,
    source: str = "",
    progress: Callable[[int], None] | None = None,
) -> ResultsImported:
    """Import every result set of the CSV ``stream``, analysed, or raise
    ImportRefused with nothing kept. The caller commits."""
    from tracker.experiments.service import save_results

    rows = CsvRows(
        stream,
        required=REQUIRED,
        optional=[c for c in COLUMNS if c not in REQUIRED],
        progress=progress,
    )
    comma = rows.delimiter == ";"
    targets = _Targets(session)
    problems = Problems()
    sets: dict[tuple[int, datetime | None], _Set] = {}
    count = 0
    for line, cells in rows:
        if _add_row(line, cells, targets, sets, problems, comma=comma):
            count += 1
    for result_set in sets.values():
        _check_complete(result_set, problems)
    if not problems and not sets:
        problems.add("line 2: the file has no results under its header.")
    if problems:
        raise ImportRefused(problems)
    now = utcnow()
    ordered = sorted(sets.values(), key=lambda s: (s.recorded_at or now, s.line))
    default_note = f"Imported from {source}"[:300] if source else "Imported from a CSV file"
    try:
        for result_set in ordered:
            target = result_set.target
            save_results(
                session,
                target.experiment,
                result_set.figures,
                arms=target.arms,
                metrics=target.metrics,
                user_id=user_id,
                note=result_set.note or default_note,
                recorded_at=result_set.recorded_at,
            )
    except Exception:
        session.rollback()
        raise
    experiments = {s.target.experiment.id for s in ordered}
    return ResultsImported(sets=len(ordered), rows=count, experiments=len(experiments))


def _add_row(
    line: int,
    cells: Mapping[str, str],
    targets: _Targets,
    sets: dict[tuple[int, datetime | None], _Set],
    problems: Problems,
    *,
    comma: bool,
) -> bool:
    if EXTRA in cells:
        problems.at(line, None, cells[EXTRA])
        return False
    try:
        target = targets.get(cells["experiment"])
    except CellError as exc:
        problems.at(line, "experiment", str(exc))
        return False
    recorded_at = None
    if cells.get("recorded_at"):
        try:
            recorded_at = datetime_cell(cells["recorded_at"])
        except CellError as exc:
            problems.at(line, "recorded_at", str(exc))
            return False
        if target.latest is not None and recorded_at <= target.latest:
            problems.at(
                line,
                "recorded_at",
                f"experiment {target.experiment.id} already has results recorded"
                f" {target.latest:%Y-%m-%d %H:%M}; import only later results.",
            )
            return False
        if recorded_at > utcnow():
            problems.at(line, "recorded_at", f"{recorded_at:%Y-%m-%d %H:%M} is in the future.")
            return False
    arm = metric = None
    try:
        arm = target.arm(text_cell(cells["arm"]))
    except CellError as exc:
        problems.at(line, "arm", str(exc))
    try:
        metric = target.metric(text_cell(cells["metric"]))
    except CellError as exc:
        problems.at(line, "metric", str(exc))
    if arm is None or metric is None:
        return False
    figures = _figures(MetricKind(metric.kind), cells, problems, line, comma=comma)
    if figures is None:
        return False
    key = (target.experiment.id or 0, recorded_at)
    result_set = sets.setdefault(key, _Set(target=target, recorded_at=recorded_at, line=line))
    cell_key = (arm.id or 0, metric.id or 0)
    if cell_key in result_set.figures:
        problems.at(
            line,
            "arm",
            f"{arm.name} on {metric.name} appears twice in this result set"
            f" (line {result_set.lines[cell_key]}).",
        )
        return False
    result_set.figures[cell_key] = figures
    result_set.lines[cell_key] = line
    note = text_cell(cells.get("note", ""))
    if note and not result_set.note:
        result_set.note = note[:300]
    return True


def _figures(
    kind: MetricKind, cells: Mapping[str, str], problems: Problems, line: int, *, comma: bool
) -> dict[str, float | int] | None:
    """The kind's figures, checked as the results form checks one arm's."""
    from tracker.experiments.analysis import figures_problem

    wanted = KIND_FIGURES[kind]
    figures: dict[str, float | int] = {}
    for name in FIGURES:
        value = cells.get(name, "")
        if name not in wanted:
            if value:
                problems.at(
                    line,
                    name,
                    f"a {kind.value} metric takes {' and '.join(wanted)}; leave {name} empty.",
                )
                return None
            continue
        if not value:
            problems.at(line, name, f"enter the {name} (a {kind.value} metric needs it).")
            return None
        try:
            figures[name] = number_cell(value, whole=name in WHOLE, decimal_comma=comma)
        except CellError as exc:
            problems.at(line, name, str(exc))
            return None
    broken = figures_problem(kind.value, figures)
    if broken:
        column, message = next(iter(broken.items()))
        if column == "successes" and "more than trials" in message:
            column = "trials"
            message = (
                f"successes ({figures['successes']}) is more than trials ({figures['trials']})."
            )
        problems.at(line, column, message[:1].lower() + message[1:])
        return None
    return figures


def _check_complete(result_set: _Set, problems: Problems) -> None:
    """Each metric in the set has a row for every arm, and the primary metric is there."""
    target = result_set.target
    experiment = target.experiment
    present = {metric_id for _arm, metric_id in result_set.figures}
    when = f" recorded {result_set.recorded_at:%Y-%m-%d %H:%M}" if result_set.recorded_at else ""
    for metric in target.metrics:
        if metric.id not in present and metric.id != experiment.primary_metric_id:
            continue
        for arm in target.arms:
            if (arm.id, metric.id) not in result_set.figures:
                problems.at(
                    result_set.line,
                    "arm",
                    f"the results of experiment {experiment.id}{when} have no row for"
                    f" {arm.name} on {metric.name}.",
                )
