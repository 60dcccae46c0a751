"""The weekly review's agenda, filled in from the data.

``build_agenda`` runs a fixed number of queries whatever the history: each
section is one query (or one per related table), never one per row.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any

from sqlmodel import Session, col, select

from experiments.cycles import ActionStatus, IsoWeek, is_stuck
from tracker.metrics.queries import MetricChange, latest_readings, metric_change
from tracker.models import (
    ActionItem,
    Analysis,
    Area,
    Cycle,
    Experiment,
    ExperimentStatus,
    Hypothesis,
    HypothesisStatus,
    Metric,
    Stage,
    SufficientStatistics,
    User,
)
from tracker.models.live import live
from tracker.translation import _

TREND_WEEKS = 8
NEXT_HYPOTHESES = 5


@dataclass
class MetricLine:
    change: MetricChange
    area: str
    trend: list[float]
    beyond_noise: bool | None  # None when the kind or the data cannot tell


@dataclass
class StageGroup:
    name: str
    lines: list[MetricLine]


@dataclass
class ExperimentLine:
    experiment: Experiment
    metric: str
    owner: str
    verdict: str
    warnings: list[dict[str, str]]
    progress: float
    weeks_left: float | None
    reasons: list[str] = field(default_factory=list)
    preliminary: bool = True
    # the look's verdict (tracker.experiments.verdicts.ShownVerdict), and whether
    # deciding now is early (so needs a reason)
    shown: Any = None
    early: bool = True


@dataclass
class ActionLine:
    item: ActionItem
    owner: str

    @property
    def stuck(self) -> bool:
        return is_stuck(self.item.carried_count)


@dataclass
class Agenda:
    cycle: Cycle
    focus_area: Area | None
    stages: list[StageGroup]
    needing_decision: list[ExperimentLine]
    running: list[ExperimentLine]
    actions: list[ActionLine]
    next_hypotheses: list[tuple[Hypothesis, str]]
    areas: list[Area]
    people: list[User]
    hypothesis_metric_names: dict[int, str] = field(default_factory=dict)
    # how many more the board holds than the page shows
    more_needing: int = 0
    more_running: int = 0


def build_agenda(*, session: Session, cycle: Cycle, today: date) -> Agenda:
    areas = list(
        session.exec(select(Area).where(live(Area)).order_by(col(Area.rank), col(Area.name))).all()
    )
    area_by_id = {area.id: area for area in areas}
    people = list(session.exec(select(User).where(User.active).order_by(User.display_name)).all())
    names = {person.id: person.display_name for person in people}
    attention = experiment_attention(
        session=session,
        today=today,
        names=names,
        needing_shown=MEETING_DECISIONS,
        running_shown=MEETING_RUNNING,
    )
    return Agenda(
        cycle=cycle,
        focus_area=area_by_id.get(cycle.focus_area_id),
        stages=metric_groups(session=session, area_by_id=area_by_id),
        needing_decision=attention.needing,
        running=attention.running,
        actions=action_lines(session=session, cycle=cycle, names=names),
        next_hypotheses=top_hypotheses(session=session, area_id=cycle.focus_area_id),
        areas=[area for area in areas if area.active],
        people=people,
        more_needing=attention.more_needing,
        more_running=attention.more_running,
    )


def metric_groups(*, session: Session, area_by_id: dict[int | None, Area]) -> list[StageGroup]:
    """Every metric's change since the reading before, grouped by stage."""
    metrics = session.exec(select(Metric).where(live(Metric)).order_by(Metric.name)).all()
    stages = session.exec(select(Stage).order_by(col(Stage.position))).all()
    readings = latest_readings(
        session=session, metric_ids=[m.id for m in metrics if m.id], per_metric=TREND_WEEKS
    )
    grouped: dict[int | None, list[MetricLine]] = defaultdict(list)
    for metric in metrics:
        own = readings.get(metric.id or 0, [])
        change = metric_change(metric=metric, readings=own)
        area = area_by_id.get(metric.area_id)
        grouped[metric.stage_id].append(
            MetricLine(
                change=change,
                area=area.name if area else "",
                trend=[
                    v for v in (change_value(metric, r) for r in reversed(own)) if v is not None
                ],
                beyond_noise=beyond_noise(metric, own),
            )
        )
    groups = [
        StageGroup(stage.name, grouped.pop(stage.id)) for stage in stages if stage.id in grouped
    ]
    if grouped:
        groups.append(
            StageGroup(_("No stage"), [line for lines in grouped.values() for line in lines])
        )
    return groups


def change_value(metric: Metric, reading: Any) -> float | None:
    from tracker.metrics.format import reading_value

    return reading_value(kind=metric.kind, unit=metric.unit, stats=reading)


def beyond_noise(metric: Metric, readings: list[Any]) -> bool | None:
    """Whether the latest reading differs from the one before by more than
    chance would explain (the engine's test at alpha 0.05)."""
    if len(readings) < 2:
        return None
    return _significant_change(metric.kind, _figures(readings[1]), _figures(readings[0]))


def _figures(reading: Any) -> tuple[Any, ...]:
    return tuple(getattr(reading, name) for name in SufficientStatistics.model_fields)


@lru_cache(maxsize=4096)
def _significant_change(
    kind: str, previous: tuple[Any, ...], latest: tuple[Any, ...]
) -> bool | None:
    """Cached on the figures themselves: the review page and the dashboard ask
    about the same two readings on every view until a new week comes in."""
    from experiments.stats import compare
    from tracker.experiments.analysis import to_stats

    names = list(SufficientStatistics.model_fields)
    try:
        return bool(
            compare(
                to_stats(kind, SufficientStatistics(**dict(zip(names, previous, strict=True)))),
                to_stats(kind, SufficientStatistics(**dict(zip(names, latest, strict=True)))),
            ).significant
        )
    except (ValueError, TypeError):
        return None


NEEDING_SHOWN = 10
RUNNING_SHOWN = 10
# The meeting's decision cards each carry a form: a meeting decides a few, the
# board holds the rest (and the page stays quick with hundreds running).
MEETING_DECISIONS = 5
MEETING_RUNNING = 5


@dataclass(frozen=True)
class Attention:
    """The running and stopped experiments a page shows, and how many it leaves out.

    Attributes:
        needing: those needing a decision, most urgent first (a verdict that calls
            for one, then stopped or overdue, then the oldest), at most the limit.
        running: the others, oldest first, at most the limit.
        needing_total, running_total: how many there are in all.
    """

    needing: list[ExperimentLine]
    running: list[ExperimentLine]
    needing_total: int
    running_total: int

    @property
    def more_needing(self) -> int:
        return self.needing_total - len(self.needing)

    @property
    def more_running(self) -> int:
        return self.running_total - len(self.running)


def experiment_attention(
    *,
    session: Session,
    today: date,
    names: dict[int | None, str],
    owner_id: int | None = None,
    metric_ids: list[int] | None = None,
    needing_shown: int | None = NEEDING_SHOWN,
    running_shown: int | None = RUNNING_SHOWN,
) -> Attention:
    """The few running and stopped experiments a page shows first.

    With hundreds running, building every line is what made the dashboard and the
    meeting slow: so each experiment is sorted from a few light columns (its stored
    verdict, sizes and dates), and full lines are built only for those shown. A
    fixed number of queries, whatever the number of experiments.
    """
    from sqlalchemy import select as columns

    statement = columns(
        col(Experiment.id),
        col(Experiment.status),
        col(Experiment.planned_total),
        col(Experiment.observed_total),
        col(Experiment.started_on),
        col(Experiment.weekly_volume),
        col(Experiment.latest_result_set_id),
        col(Experiment.latest_verdict),
    ).where(
        live(Experiment),
        col(Experiment.status).in_([ExperimentStatus.running, ExperimentStatus.stopped]),
    )
    if owner_id is not None:
        statement = statement.where(col(Experiment.owner_id) == owner_id)
    if metric_ids is not None:
        statement = statement.where(col(Experiment.primary_metric_id).in_(metric_ids))
    light = (
        session.connection()
        .execute(statement.order_by(col(Experiment.started_on), col(Experiment.id)))
        .all()
    )
    # a result set analysed before verdicts were stored: read its analysis
    unread = {row[6]: row[2] for row in light if row[6] and row[7] is None}
    codes = _verdict_codes(session, unread)
    from experiments.planning import is_preliminary
    from experiments.verdict import CALLS_FOR_DECISION

    needing: list[tuple[int, int]] = []
    running: list[int] = []
    for position, row in enumerate(light):
        experiment_id, status, planned, observed, started, volume, set_id, code = row
        urgency = _urgency(
            ExperimentStatus(status),
            planned,
            observed or 0.0,
            started,
            volume,
            code or codes.get(set_id or 0),
            today,
            CALLS_FOR_DECISION,
            is_preliminary,
        )
        if urgency is None:
            running.append(experiment_id or 0)
        else:
            needing.append((urgency, position))
    needing.sort()
    needing_ids = [light[position][0] or 0 for _, position in needing][:needing_shown]
    running_ids = running[:running_shown]
    lines = _full_lines(session, needing_ids + running_ids, names=names, today=today)
    return Attention(
        needing=[lines[i] for i in needing_ids if i in lines],
        running=[lines[i] for i in running_ids if i in lines],
        needing_total=len(needing),
        running_total=len(running),
    )


def _urgency(
    status: ExperimentStatus,
    planned_total: int | None,
    observed_total: float,
    started_on: date | None,
    weekly_volume: float | None,
    verdict_code: str | None,
    today: date,
    calls_for_decision: frozenset[str],
    is_preliminary: Callable[[float, int | None], bool],
) -> int | None:
    """How soon an experiment needs a decision (0 first), or ``None`` when it does
    not: the same rules as ``decision_reasons``, read from light columns (called
    once per running experiment, so positional and without imports)."""
    if verdict_code in calls_for_decision:
        return 0
    if status == ExperimentStatus.stopped:
        return 1
    if overdue_by(
        status=status,
        started_on=started_on,
        planned_total=planned_total,
        weekly_volume=weekly_volume,
        today=today,
    ):
        return 1
    if verdict_code is None and not is_preliminary(observed_total, planned_total):
        return 2
    return None


def _verdict_codes(session: Session, planned: dict[int, int | None]) -> dict[int, str]:
    """The verdict code of each result set's primary analysis (charts not loaded),
    given each set's planned total."""
    from sqlalchemy.orm import defer

    from tracker.experiments.verdicts import shown_verdict

    if not planned:
        return {}
    analyses = session.exec(
        select(Analysis)
        .options(defer(Analysis.chart_svg))  # type: ignore[arg-type]
        .where(col(Analysis.result_set_id).in_(list(planned)), Analysis.is_primary)
    ).all()
    codes = {}
    for analysis in analyses:
        shown = shown_verdict(analysis, planned_total=planned.get(analysis.result_set_id))
        if shown is not None:
            codes[analysis.result_set_id] = shown.code
    return codes


def _full_lines(
    session: Session, ids: list[int], *, names: dict[int | None, str], today: date
) -> dict[int, ExperimentLine]:
    """The lines of the experiments shown, with their verdicts: three queries."""
    from experiments.planning import progress, weeks_to_reach
    from tracker.experiments.caveats import shown_caveats
    from tracker.experiments.verdicts import decided_early, page_gettext, shown_verdict

    if not ids:
        return {}
    rows = session.exec(
        select(Experiment, Metric.name)
        .join(Metric, col(Metric.id) == Experiment.primary_metric_id)
        .where(col(Experiment.id).in_(ids))
    ).all()
    set_ids = [e.latest_result_set_id for e, _ in rows if e.latest_result_set_id]
    analyses = (
        {
            a.result_set_id: a
            for a in session.exec(
                select(Analysis).where(
                    col(Analysis.result_set_id).in_(set_ids), Analysis.is_primary
                )
            ).all()
        }
        if set_ids
        else {}
    )
    lines: dict[int, ExperimentLine] = {}
    for experiment, metric_name in rows:
        analysis = analyses.get(experiment.latest_result_set_id or 0)
        shown = (
            shown_verdict(analysis, planned_total=experiment.planned_total, alpha=experiment.alpha)
            if analysis
            else None
        )
        line = ExperimentLine(
            experiment=experiment,
            metric=metric_name,
            owner=names.get(experiment.owner_id, _("Unassigned")),
            verdict=shown.sentence(page_gettext()) if shown else "",
            warnings=shown_caveats(analysis.warnings) if analysis else [],
            progress=progress(experiment.observed_total, experiment.planned_total),
            weeks_left=(
                weeks_to_reach(
                    experiment.planned_total,
                    observed=experiment.observed_total,
                    weekly_volume=experiment.weekly_volume,
                )
                if experiment.planned_total
                else None
            ),
            preliminary=analysis.preliminary if analysis else True,
            shown=shown,
            early=decided_early(experiment),
        )
        line.reasons = decision_reasons(line, today=today)
        lines[experiment.id or 0] = line
    return lines


def decision_reasons(line: ExperimentLine, *, today: date) -> list[str]:
    """Why an experiment is on the agenda for a decision (empty: it is not)."""
    from experiments.planning import is_preliminary

    experiment = line.experiment
    reasons = []
    if experiment.status == ExperimentStatus.stopped:
        reasons.append(_("Stopped, waiting for a decision"))
    if line.shown is not None:
        if line.shown.calls_for_decision:
            reasons.append(verdict_reason(line.shown))
    elif not is_preliminary(experiment.observed_total, experiment.planned_total):
        reasons.append(_("Reached its planned sample size"))
    if overdue(experiment, today=today):
        reasons.append(_("Running past its expected duration"))
    return reasons


def verdict_reason(shown: Any) -> str:
    """Why a verdict calls for a decision, in the agenda's words."""
    code, design, look = shown.code, shown.verdict.design, shown.verdict.look
    if code == "untrustworthy":
        return _("Sample-ratio mismatch: untrustworthy")
    if code == "guardrail_worse":
        return _("A guardrail metric is worse")
    if code == "final_no_difference" or design.kind == "fixed":
        return _("Reached its planned sample size")
    if code == "stop_better":
        return _("Crossed its boundary at look %(look)s: better", look=look.number)
    return _("Crossed its boundary at look %(look)s: worse", look=look.number)


def overdue(experiment: Experiment, *, today: date) -> bool:
    """Running longer than the planned size needs at the design's weekly volume."""
    return overdue_by(
        status=ExperimentStatus(experiment.status),
        started_on=experiment.started_on,
        planned_total=experiment.planned_total,
        weekly_volume=experiment.weekly_volume,
        today=today,
    )


def overdue_by(
    *,
    status: ExperimentStatus,
    started_on: date | None,
    planned_total: int | None,
    weekly_volume: float | None,
    today: date,
) -> bool:
    if (
        status != ExperimentStatus.running
        or not started_on
        or not planned_total
        or not weekly_volume
    ):
        return False
    weeks_needed = math.ceil(planned_total / weekly_volume)
    return (today - started_on).days > 7 * weeks_needed


def action_lines(
    *, session: Session, cycle: Cycle, names: dict[int | None, str]
) -> list[ActionLine]:
    """The cycle's action items: stuck ones first, then unfinished, then finished."""
    items = session.exec(
        select(ActionItem).where(ActionItem.cycle_id == cycle.id).order_by(col(ActionItem.id))
    ).all()
    lines = [ActionLine(item, names.get(item.owner_id, _("Unassigned"))) for item in items]
    return sorted(
        lines,
        key=lambda line: (
            not line.stuck,
            ActionStatus(line.item.status).finished,
            -line.item.carried_count,
            line.item.due_week,
            line.item.id or 0,
        ),
    )


def top_hypotheses(*, session: Session, area_id: int | None) -> list[tuple[Hypothesis, str]]:
    """The focus area's best-scored hypotheses still in the backlog or selected, by
    the team's current priority model (those scored with another come after)."""
    from tracker.backlog.ranking import by_priority, team_model

    statement = (
        select(Hypothesis, Metric.name)
        .join(Metric, col(Metric.id) == Hypothesis.metric_id, isouter=True)
        .where(
            live(Hypothesis),
            col(Hypothesis.status).in_([HypothesisStatus.backlog, HypothesisStatus.selected]),
        )
        .order_by(*by_priority(team_model(session)), col(Hypothesis.id))
        .limit(NEXT_HYPOTHESES)
    )
    if area_id is not None:
        statement = statement.where(Hypothesis.area_id == area_id)
    return [(hypothesis, name or "") for hypothesis, name in session.exec(statement).all()]


def upcoming_weeks(cycle: Cycle, count: int = 6) -> list[str]:
    """The weeks an action item can be due in: this cycle's and the next few."""
    week = IsoWeek.parse(cycle.iso_week)
    weeks = [week]
    for _step in range(count - 1):
        weeks.append(weeks[-1].next())
    return [str(w) for w in weeks]
