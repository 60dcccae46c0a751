"""Everything a retrospective shows, gathered in a fixed number of queries
whatever the number of cycles, experiments, readings or action items.

``gather`` returns plain records (``Retro`` and its parts) with the texts already
written, so the one template that renders both the HTML preview and the PDF only
lays them out.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from functools import cached_property
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import and_, or_
from sqlmodel import Session, col, select

from experiments.cycles import ActionStatus, is_stuck
from tracker.backlog.statement import statement
from tracker.metrics.format import change_between, format_value, rate_scale, reading_value
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
    MetricKind,
    Outcome,
    Reading,
    Stage,
    TeamSettings,
    User,
)
from tracker.models.live import live
from tracker.reports.ranges import ReportRange
from tracker.teamzone import zone_named


@dataclass(frozen=True)
class WeekRow:
    week: str
    dates: str
    focus: str
    held: bool  # a cycle was recorded for this week


@dataclass(frozen=True)
class Summary:
    weeks: int
    cycles: int
    started: int
    decided: int
    won: int
    lost: int
    inconclusive: int
    running: int
    win_rate: str
    per_week: str
    median_days: str
    actions_created: int
    actions_done: int
    actions_carried: int
    actions_stuck: int


@dataclass(frozen=True)
class ResultRow:
    arm: str
    is_control: bool
    size: str
    value: str
    lift: str = ""
    interval: str = ""
    p_value: str = ""
    chance: str = ""
    tone: str = ""  # good, bad or flat


@dataclass(frozen=True)
class LearningRow:
    text: str
    area: str
    tags: list[str]
    created_on: str
    experiments: list[str] = field(default_factory=list)


@dataclass
class ExperimentSection:
    number: int
    anchor: str
    title: str
    status: str
    owner: str
    area: str
    metric: str
    direction: str
    hypothesis_title: str
    hypothesis_parts: list[tuple[str, bool]]  # (text, typed by a person)
    design: list[tuple[str, str]]
    progress: float | None
    started_on: str
    decided_on: str
    days: int | None
    results: list[ResultRow]
    results_note: str
    verdict: str
    warnings: list[str]
    preliminary: bool
    chart_svg: str
    outcome: str
    action: str
    rationale: str
    early_reason: str
    learnings: list[LearningRow]
    decided_iso: str = ""  # sorts the decided experiments
    # for the all-decided chart
    lift: float | None = None
    lift_low: float | None = None
    lift_high: float | None = None


@dataclass(frozen=True)
class MetricTrend:
    name: str
    area: str
    direction: str
    first: str
    first_period: str
    last: str
    last_period: str
    change: str
    tone: str
    readings: int
    chart_svg: str


@dataclass(frozen=True)
class StageGroup:
    name: str
    metrics: list[MetricTrend]


@dataclass(frozen=True)
class ActionRow:
    title: str
    owner: str
    bucket: str  # done, open, carried, stuck, dropped
    due_week: str
    first_week: str
    carried: int
    finished_week: str


@dataclass(frozen=True)
class OwnerRow:
    owner: str
    done: int
    open: int
    carried: int
    stuck: int


@dataclass(frozen=True)
class NextCycle:
    week: str
    dates: str
    focus: str
    hypotheses: list[dict[str, Any]]


@dataclass
class Retro:
    range: ReportRange
    team: str
    generated_on: str
    weeks: list[WeekRow]
    summary: Summary
    experiments: list[ExperimentSection]
    decided: list[ExperimentSection]
    running: list[ExperimentSection]
    stages: list[StageGroup]
    actions: list[ActionRow]
    owners: list[OwnerRow]
    learnings: list[LearningRow]
    next: NextCycle
    generated_iso: str = ""

    @cached_property
    def decided_chart_svg(self) -> str:
        """The decided experiments' lifts in one chart, drawn when first asked for:
        matplotlib's import and the drawing then happen while the layout workers
        start on the chapters (render.py) rather than before they can."""
        if not self.decided:
            return ""
        from tracker.charts.retro import decided_chart

        return decided_chart(self.decided)

    @property
    def empty(self) -> bool:
        return not self.experiments


def team_zone(settings: TeamSettings | None) -> ZoneInfo:
    return zone_named(settings.timezone if settings else None)


def _local_date(moment: datetime | None, zone: ZoneInfo) -> date | None:
    return moment.astimezone(zone).date() if moment else None


def _percent(value: float | None, *, sign: bool = True) -> str:
    if value is None:
        return "—"
    return f"{value * 100:+.1f}%" if sign else f"{value * 100:.0f}%"


def _short_date(day: date | None) -> str:
    return f"{day.day} {day:%b %Y}" if day else ""


def _count(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


# ---------------------------------------------------------------- queries


@dataclass
class _Rows:
    settings: TeamSettings | None
    cycles: list[Cycle]
    areas: dict[int, Area]
    stages: list[Stage]
    metrics: dict[int, Metric]
    experiments: list[Experiment]
    hypotheses: dict[int, Hypothesis]
    arms: dict[int, list[Arm]]
    analyses: dict[int, Analysis]
    links: dict[int, list[int]]
    learnings: dict[int, Learning]
    readings: dict[int, list[Reading]]
    actions: list[ActionItem]
    users: dict[int, User]


def _load(session: Session, span: ReportRange) -> _Rows:
    """The rows of the range, in fourteen queries whatever their number."""
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
                live(Experiment),
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
            select(Metric).where(or_(live(Metric), col(Metric.id).in_(metric_ids)))
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
                        live(Hypothesis),
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
    analyses = {
        analysis.experiment_id: analysis
        for analysis in session.exec(
            select(Analysis).where(
                col(Analysis.result_set_id).in_(latest_sets), col(Analysis.is_primary)
            )
        ).all()
    }
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
                live(Learning),
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
    return _Rows(
        settings=settings,
        cycles=list(cycles),
        areas=areas,
        stages=stages,
        metrics=metrics,
        experiments=experiments,
        hypotheses=hypotheses,
        arms=arms,
        analyses=analyses,
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


# ---------------------------------------------------------------- building


def gather(
    session: Session,
    span: ReportRange,
    *,
    team: str,
    today: date | None = None,
    draw_charts: bool = True,
) -> Retro:
    """The retrospective of ``span``: queries, then texts and charts."""
    rows = _load(session, span)
    zone = team_zone(rows.settings)
    today = today or datetime.now(zone).date()
    learnings = {
        learning_id: _learning_row(learning, rows)
        for learning_id, learning in rows.learnings.items()
    }
    sections = [
        _experiment_section(number, experiment, rows, learnings, zone)
        for number, experiment in enumerate(rows.experiments, start=1)
    ]
    decided = [s for s in sections if s.outcome]
    decided.sort(key=lambda s: (s.decided_iso, s.number))
    running = [s for s in sections if not s.outcome]
    ordered = decided + running
    for number, section in enumerate(ordered, start=1):
        section.number = number
    start = span.starts_on
    in_range = [
        learnings[i]
        for i, learning in rows.learnings.items()
        if start <= (_local_date(learning.created_at, zone) or start) <= span.ends_on
    ]
    retro = Retro(
        range=span,
        team=team,
        generated_on=_short_date(today),
        generated_iso=today.isoformat(),
        weeks=_week_rows(span, rows),
        summary=_summary(span, rows, zone),
        experiments=ordered,
        decided=decided,
        running=running,
        stages=_stage_groups(rows, draw_charts=draw_charts),
        actions=_action_rows(rows),
        owners=[],
        learnings=in_range,
        next=_next_cycle(span, rows),
    )
    retro.owners = _owner_rows(retro.actions)
    return retro


def _week_rows(span: ReportRange, rows: _Rows) -> list[WeekRow]:
    by_week = {cycle.iso_week: cycle for cycle in rows.cycles}
    result = []
    for week in span.weeks:
        cycle = by_week.get(str(week))
        area = rows.areas.get(cycle.focus_area_id or 0) if cycle else None
        result.append(
            WeekRow(
                week=str(week),
                dates=f"{week.monday.day} {week.monday:%b} – {week.sunday.day} {week.sunday:%b}",
                focus=area.name if area else "—",
                held=cycle is not None,
            )
        )
    return result


def _summary(span: ReportRange, rows: _Rows, zone: ZoneInfo) -> Summary:
    start, end = span.starts_on, span.ends_on
    started = [e for e in rows.experiments if e.started_on and start <= e.started_on <= end]
    decided = [
        e
        for e in rows.experiments
        if e.outcome and start <= (_local_date(e.decided_at, zone) or date.min) <= end
    ]
    outcomes = [Outcome(e.outcome) for e in decided if e.outcome]
    won = outcomes.count(Outcome.won)
    days = [
        ((_local_date(e.decided_at, zone) or e.started_on) - e.started_on).days
        for e in decided
        if e.started_on
    ]
    weeks = len(span.weeks)
    range_cycles = {c.id for c in rows.cycles if c.iso_week <= str(span.last)}
    week_names = {str(week) for week in span.weeks}
    created = [a for a in rows.actions if a.first_cycle_id in range_cycles]
    done = [
        a
        for a in rows.actions
        if ActionStatus(a.status) is ActionStatus.done and a.finished_week in week_names
    ]
    unfinished = [a for a in rows.actions if not ActionStatus(a.status).finished]
    return Summary(
        weeks=weeks,
        cycles=len(range_cycles),
        started=len(started),
        decided=len(decided),
        won=won,
        lost=outcomes.count(Outcome.lost),
        inconclusive=outcomes.count(Outcome.inconclusive),
        running=sum(1 for e in rows.experiments if e.status == ExperimentStatus.running),
        win_rate=f"{won / len(decided):.0%}" if decided else "—",
        per_week=f"{len(started) / weeks:.1f}",
        median_days=f"{statistics.median(days):g}" if days else "—",
        actions_created=len(created),
        actions_done=len(done),
        actions_carried=sum(1 for a in unfinished if a.carried_count >= 1),
        actions_stuck=sum(1 for a in unfinished if is_stuck(a.carried_count)),
    )


def _user(rows: _Rows, user_id: int | None, default: str = "Unassigned") -> str:
    user = rows.users.get(user_id or 0)
    return user.display_name if user else default


def _learning_row(learning: Learning, rows: _Rows) -> LearningRow:
    area = rows.areas.get(learning.area_id or 0)
    return LearningRow(
        text=learning.text,
        area=area.name if area else "",
        tags=[tag.strip() for tag in learning.tags.split(",") if tag.strip()],
        created_on=_short_date(learning.created_at.date() if learning.created_at else None),
    )


def _hypothesis_parts(hypothesis: Hypothesis | None, metric: str) -> list[tuple[str, bool]]:
    """The backlog statement (as the backlog words it), with the parts a person
    typed marked: they get their own text direction. A hypothesis written in a
    right-to-left script is shown in its own words, without the English
    connectives around it."""
    if hypothesis is None:
        return []
    said = statement(hypothesis, metric)
    if said.own_words:
        parts: list[tuple[str, bool]] = [(said.change, True)]
        if said.rationale:
            parts += [(" — ", False), (said.rationale, True)]
        return [*parts, (f" ({said.outcome})", False)]
    parts = [("If we ", False), (said.change, True), (f", then {said.outcome}", False)]
    if said.rationale:
        parts += [(", because ", False), (said.rationale, True)]
    return [*parts, (".", False)]


def _design(experiment: Experiment, metric: Metric | None) -> list[tuple[str, str]]:
    kind = metric.kind if metric else MetricKind.proportion
    unit = metric.unit if metric else ""
    baseline = experiment.baseline
    if baseline is not None and kind == MetricKind.rate:
        baseline *= rate_scale(unit=unit)
    if experiment.mde is None:
        mde = "—"
    elif experiment.mde_relative:
        mde = f"{experiment.mde * 100:g}% relative"
    elif kind == MetricKind.proportion:
        mde = f"{experiment.mde * 100:g} pp"
    else:
        mde = format_value(kind=kind, unit=unit, value=experiment.mde)
    planned = experiment.planned_total
    actual = _count(experiment.observed_total)
    if planned:
        share = experiment.observed_total / planned
        actual = f"{actual} of {_count(planned)} planned ({share:.0%})"
    return [
        ("Baseline", format_value(kind=kind, unit=unit, value=baseline)),
        ("Minimum detectable effect", mde),
        ("Alpha · power", f"{experiment.alpha:g} · {experiment.power:.0%}"),
        ("Sample", actual),
    ]


def _results(
    analysis: Analysis | None, arms: Sequence[Arm], metric: Metric | None
) -> tuple[list[ResultRow], str]:
    if analysis is None:
        return [], "No results were recorded."
    stored = analysis.comparisons or {}
    kind = stored.get("kind") or (metric.kind if metric else "proportion")
    unit = metric.unit if metric else ""
    scale = rate_scale(unit=unit) if kind == "rate" else 1.0
    estimates = stored.get("estimates") or {}
    variants = {v.get("name"): v for v in stored.get("variants") or []}
    names = [arm.name for arm in sorted(arms, key=lambda a: (not a.is_control, a.position))]
    names += [name for name in estimates if name not in names]
    rows = []
    for name in names:
        if name not in estimates:
            continue
        estimate = estimates[name].get("estimate")
        value = format_value(
            kind=kind, unit=unit, value=None if estimate is None else estimate * scale
        )
        variant = variants.get(name)
        if variant is None:
            rows.append(
                ResultRow(name, True, _count(estimates[name].get("size")), value, tone="flat")
            )
            continue
        low, high = (variant.get("lift_ci") or [None, None])[:2]
        tone = "flat"
        if variant.get("significant"):
            tone = "good" if variant.get("good_direction") else "bad"
        chance = variant.get("chance_to_beat_control")
        p_value = variant.get("adjusted_p_value") or variant.get("p_value")
        rows.append(
            ResultRow(
                arm=name,
                is_control=False,
                size=_count(estimates[name].get("size")),
                value=value,
                lift=_percent(variant.get("lift")),
                interval=f"{_bound(low, '−∞')} to {_bound(high, '+∞')}",
                p_value="—" if p_value is None else _p(p_value),
                chance="—" if chance is None else f"{chance:.0%}",
                tone=tone,
            )
        )
    return rows, ""


def _bound(value: float | None, infinite: str) -> str:
    return infinite if value is None else _percent(value)


def _p(value: float) -> str:
    return "< 0.001" if value < 0.001 else f"{value:.3f}"


def _best_variant(analysis: Analysis | None) -> dict[str, Any] | None:
    """The variant the verdict speaks of (the one with the best chance)."""
    if analysis is None:
        return None
    variants = (analysis.comparisons or {}).get("variants") or []
    if not variants:
        return None
    verdict = (analysis.comparisons or {}).get("verdict")
    for variant in variants:
        if variant.get("summary") == verdict:
            return dict(variant)
    return dict(max(variants, key=lambda v: v.get("chance_to_beat_control") or 0))


def _experiment_section(
    number: int,
    experiment: Experiment,
    rows: _Rows,
    learnings: dict[int, LearningRow],
    zone: ZoneInfo,
) -> ExperimentSection:
    metric = rows.metrics.get(experiment.primary_metric_id)
    hypothesis = rows.hypotheses.get(experiment.hypothesis_id or 0)
    analysis = rows.analyses.get(experiment.id or 0)
    arms = rows.arms.get(experiment.id or 0, [])
    results, note = _results(analysis, arms, metric)
    decided_on = _local_date(experiment.decided_at, zone)
    area = rows.areas.get(hypothesis.area_id if hypothesis else metric.area_id if metric else 0)
    best = _best_variant(analysis)
    planned = experiment.planned_total
    lift_ci = (best or {}).get("lift_ci") or [None, None]
    section = ExperimentSection(
        number=number,
        anchor=f"experiment-{experiment.id}",
        title=experiment.title,
        status=ExperimentStatus(experiment.status).value,
        owner=_user(rows, experiment.owner_id),
        area=area.name if area else "",
        metric=metric.name if metric else "—",
        direction=("higher" if metric is None or metric.direction == "higher" else "lower"),
        hypothesis_title=hypothesis.title if hypothesis else "",
        hypothesis_parts=_hypothesis_parts(hypothesis, metric.name if metric else "the metric"),
        design=_design(experiment, metric),
        progress=(min(experiment.observed_total / planned, 1.0) if planned else None),
        started_on=_short_date(experiment.started_on),
        decided_on=_short_date(decided_on),
        days=(decided_on - experiment.started_on).days
        if decided_on and experiment.started_on
        else None,
        results=results,
        results_note=note,
        verdict=((analysis.comparisons or {}).get("verdict") or "") if analysis else "",
        warnings=[w.get("message", "") for w in (analysis.warnings if analysis else [])],
        preliminary=bool(analysis and analysis.preliminary),
        chart_svg=analysis.chart_svg if analysis else "",
        outcome=Outcome(experiment.outcome).value if experiment.outcome else "",
        action=experiment.action.value if experiment.action else "",
        rationale=experiment.rationale,
        early_reason=experiment.early_decision_reason,
        learnings=[learnings[i] for i in rows.links.get(experiment.id or 0, []) if i in learnings],
        decided_iso=decided_on.isoformat() if decided_on else "",
        lift=(best or {}).get("lift"),
        lift_low=lift_ci[0],
        lift_high=lift_ci[1],
    )
    for row in section.learnings:
        row.experiments.append(experiment.title)
    return section


def _stage_groups(rows: _Rows, *, draw_charts: bool) -> list[StageGroup]:
    by_stage: dict[int | None, list[MetricTrend]] = defaultdict(list)
    for metric in sorted(rows.metrics.values(), key=lambda m: (m.name.lower(), m.id or 0)):
        readings = rows.readings.get(metric.id or 0, [])
        values = [
            (reading, reading_value(kind=metric.kind, unit=metric.unit, stats=reading))
            for reading in readings
        ]
        values = [(reading, value) for reading, value in values if value is not None]
        if metric.deleted_at is not None or not values:
            continue
        (first, first_value), (last, last_value) = values[0], values[-1]
        change = change_between(
            kind=metric.kind,
            unit=metric.unit,
            direction=metric.direction,
            latest=last_value,
            previous=first_value,
        )
        area = rows.areas.get(metric.area_id)
        chart = ""
        if draw_charts:
            from tracker.charts.sparkline import sparkline

            points = [float(value) for _, value in values if value is not None]
            higher = metric.direction == "higher"
            moved = points[-1] - points[0] if points else 0.0
            chart = str(
                sparkline(
                    points,
                    alt=f"{metric.name}: {len(values)} weekly readings in the range",
                    tone="neutral" if not moved else ("good" if (moved > 0) == higher else "bad"),
                )
            )
        by_stage[metric.stage_id].append(
            MetricTrend(
                name=metric.name,
                area=area.name if area else "",
                direction="higher" if metric.direction == "higher" else "lower",
                first=format_value(kind=metric.kind, unit=metric.unit, value=first_value),
                first_period=_short_date(first.period_start),
                last=format_value(kind=metric.kind, unit=metric.unit, value=last_value),
                last_period=_short_date(last.period_start),
                change=change.text if change and len(values) > 1 else "one reading",
                tone=change.tone if change and len(values) > 1 else "flat",
                readings=len(values),
                chart_svg=chart,
            )
        )
    groups = [
        StageGroup(stage.name, by_stage[stage.id]) for stage in rows.stages if by_stage[stage.id]
    ]
    if by_stage[None]:
        groups.append(StageGroup("No stage", by_stage[None]))
    return groups


def _bucket(item: ActionItem) -> str:
    status = ActionStatus(item.status)
    if status is ActionStatus.done:
        return "done"
    if status is ActionStatus.dropped:
        return "dropped"
    if is_stuck(item.carried_count):
        return "stuck"
    return "carried" if item.carried_count else "open"


BUCKET_ORDER = {"stuck": 0, "carried": 1, "open": 2, "done": 3, "dropped": 4}


def _action_rows(rows: _Rows) -> list[ActionRow]:
    weeks = {cycle.id: cycle.iso_week for cycle in rows.cycles}
    result = [
        ActionRow(
            title=item.title,
            owner=_user(rows, item.owner_id),
            bucket=_bucket(item),
            due_week=item.due_week,
            first_week=weeks.get(item.first_cycle_id, "earlier"),
            carried=item.carried_count,
            finished_week=item.finished_week or "",
        )
        for item in rows.actions
    ]
    result.sort(key=lambda row: (BUCKET_ORDER[row.bucket], row.owner.lower(), row.due_week))
    return result


def _owner_rows(actions: Iterable[ActionRow]) -> list[OwnerRow]:
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for row in actions:
        counts[row.owner][row.bucket] += 1
    return [
        OwnerRow(owner, c["done"], c["open"], c["carried"], c["stuck"])
        for owner, c in sorted(counts.items(), key=lambda item: item[0].lower())
    ]


def _next_cycle(span: ReportRange, rows: _Rows) -> NextCycle:
    week = span.last.next()
    by_week = {cycle.iso_week: cycle for cycle in rows.cycles}
    upcoming, last = by_week.get(str(week)), by_week.get(str(span.last))
    focus_id = (
        (upcoming.focus_area_id if upcoming else None)
        or (last.next_focus_area_id if last else None)
        or (rows.settings.focus_area_id if rows.settings else None)
    )
    area = rows.areas.get(focus_id or 0)
    selected = sorted(
        (h for h in rows.hypotheses.values() if h.status == HypothesisStatus.selected),
        key=lambda h: (-h.score, h.id or 0),
    )
    return NextCycle(
        week=str(week),
        dates=f"{week.monday.day} {week.monday:%b} – {week.sunday.day} {week.sunday:%b %Y}",
        focus=area.name if area else "",
        hypotheses=[
            {
                "title": h.title,
                "area": rows.areas[h.area_id].name if h.area_id in rows.areas else "",
                "score": f"{h.score:.1f}",
                "parts": _hypothesis_parts(h, _metric_name(rows, h.metric_id)),
            }
            for h in selected
        ],
    )


def _metric_name(rows: _Rows, metric_id: int | None) -> str:
    metric = rows.metrics.get(metric_id or 0)
    return metric.name if metric else "the metric"
