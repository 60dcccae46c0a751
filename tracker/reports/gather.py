"""Everything a retrospective shows: the rows (queries.py) written into plain
records (records.py), the charts drawn. ``gather`` is the one entry point."""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlmodel import Session

from experiments.cycles import ActionStatus, is_stuck
from tracker.metrics.format import change_between, format_value, reading_value, whole_percent
from tracker.models import ActionItem, ExperimentStatus, HypothesisStatus, Outcome, Reading
from tracker.reports.findings import findings
from tracker.reports.language import ENGLISH, Wording
from tracker.reports.queries import Rows, load, team_zone
from tracker.reports.ranges import ReportRange
from tracker.reports.records import (
    ActionRow,
    FocusArea,
    LearningRow,
    MetricTrend,
    NextCycle,
    OwnerRow,
    Retro,
    StageGroup,
    Summary,
    WeekRow,
)
from tracker.reports.sections import experiment_section, hypothesis_parts, user_name
from tracker.reports.wording import local_date, unbroken

BUCKET_ORDER = {"stuck": 0, "carried": 1, "open": 2, "done": 3, "dropped": 4}


def gather(
    session: Session,
    span: ReportRange,
    *,
    team: str,
    today: date | None = None,
    draw_charts: bool = True,
    check: Callable[[str], None] | None = None,
    wording: Wording = ENGLISH,
    with_loop: bool = True,
) -> Retro:
    """The retrospective of ``span`` in ``wording``'s language: queries, then texts
    and charts. ``check`` is called between the stages with the stage's name
    (render.py's deadline)."""
    w = wording
    checkpoint = check or (lambda _stage: None)
    rows = load(session, span)
    checkpoint("queries")
    zone = team_zone(rows.settings)
    today = today or datetime.now(zone).date()
    learnings = {learning_id: _learning_row(learning_id, rows, w) for learning_id in rows.learnings}
    sections = [
        experiment_section(number, experiment, rows, learnings, zone, w)
        for number, experiment in enumerate(rows.experiments, start=1)
    ]
    # decided in the range; one decided later was still open when the range ended
    last_day = span.ends_on.isoformat()
    decided = [s for s in sections if s.outcome and s.decided_iso <= last_day]
    decided.sort(key=lambda s: (s.decided_iso, s.number))
    running = [s for s in sections if s not in decided]
    ordered = decided + running
    for number, section in enumerate(ordered, start=1):
        section.number = number
    start = span.starts_on
    in_range = [
        learnings[i]
        for i, learning in rows.learnings.items()
        if start <= (local_date(learning.created_at, zone) or start) <= span.ends_on
    ]
    weeks = _week_rows(span, rows, w)
    actions = _action_rows(rows, w)
    retro = Retro(
        range=span,
        team=team,
        generated_on=w.day(today),
        generated_iso=today.isoformat(),
        weeks=weeks,
        summary=_summary(span, rows, zone, weeks),
        experiments=ordered,
        decided=decided,
        running=running,
        stages=_stage_groups(rows, w, draw_charts=draw_charts, check=checkpoint),
        actions=actions,
        owners=_owner_rows(actions),
        learnings=in_range,
        next=_next_cycle(span, rows, w),
    )
    retro.findings = findings(retro, w)
    if with_loop:
        from tracker.reports.loop import loop_chapter

        retro.loop = loop_chapter(session, span, w)
        checkpoint("calibration")
    return retro


def _week_rows(span: ReportRange, rows: Rows, w: Wording) -> list[WeekRow]:
    by_week = {cycle.iso_week: cycle for cycle in rows.cycles}
    result = []
    for week in span.weeks:
        cycle = by_week.get(str(week))
        area = rows.areas.get(cycle.focus_area_id or 0) if cycle else None
        result.append(
            WeekRow(
                week=str(week),
                dates=w.days(week.monday, week.sunday),
                focus=area.name if area else "—",
                held=cycle is not None,
            )
        )
    return result


def _focus_areas(weeks: list[WeekRow]) -> list[FocusArea]:
    """The focus areas in the order they first led a cycle, with their cycles."""
    led = Counter(row.focus for row in weeks if row.held and row.focus != "—")
    order = dict.fromkeys(row.focus for row in weeks if row.focus in led)
    return [FocusArea(area, led[area]) for area in order]


def _summary(span: ReportRange, rows: Rows, zone: ZoneInfo, weeks: list[WeekRow]) -> Summary:
    start, end = span.starts_on, span.ends_on
    started = [e for e in rows.experiments if e.started_on and start <= e.started_on <= end]
    decided = [
        e
        for e in rows.experiments
        if e.outcome and start <= (local_date(e.decided_at, zone) or date.min) <= end
    ]

    def trusted(experiment_id: int | None) -> bool:
        analysis = rows.analyses.get(experiment_id or 0)
        return not ((analysis.srm if analysis else None) or {}).get("mismatch")

    outcomes = [Outcome(e.outcome) for e in decided if e.outcome]
    won = sum(1 for e in decided if e.outcome == Outcome.won and trusted(e.id))
    days = [
        ((local_date(e.decided_at, zone) or e.started_on) - e.started_on).days
        for e in decided
        if e.started_on
    ]
    count = len(span.weeks)
    range_cycles = {c.id for c in rows.cycles if c.iso_week <= str(span.last)}
    week_names = {str(week) for week in span.weeks}
    created = [a for a in rows.actions if a.first_cycle_id in range_cycles]
    done = [
        a
        for a in rows.actions
        if ActionStatus(a.status) is ActionStatus.done and a.finished_week in week_names
    ]
    due = [a for a in rows.actions if a.due_week in week_names]
    on_time = [a for a in due if _on_time(a)]
    unfinished = [a for a in rows.actions if not ActionStatus(a.status).finished]
    return Summary(
        weeks=count,
        cycles=len(range_cycles),
        started=len(started),
        decided=len(decided),
        won=won,
        lost=outcomes.count(Outcome.lost),
        inconclusive=outcomes.count(Outcome.inconclusive),
        untrustworthy=sum(1 for e in decided if not trusted(e.id)),
        running=sum(1 for e in rows.experiments if e.status == ExperimentStatus.running),
        win_rate=whole_percent(won / len(decided)) if decided else "—",
        per_week=f"{len(started) / count:.1f}",
        median_days=f"{statistics.median(days):g}" if days else "—",
        actions_created=len(created),
        actions_done=len(done),
        actions_carried=sum(1 for a in unfinished if a.carried_count >= 1),
        actions_stuck=sum(1 for a in unfinished if is_stuck(a.carried_count)),
        actions_due=len(due),
        actions_on_time=len(on_time),
        on_time_rate=whole_percent(len(on_time) / len(due)) if due else "—",
        focus_areas=_focus_areas(weeks),
    )


def _on_time(item: ActionItem) -> bool:
    """Done in its due week or before (ISO week names sort as the weeks do)."""
    return (
        ActionStatus(item.status) is ActionStatus.done
        and item.finished_week is not None
        and item.finished_week <= item.due_week
    )


def _learning_row(learning_id: int, rows: Rows, w: Wording) -> LearningRow:
    learning = rows.learnings[learning_id]
    area = rows.areas.get(learning.area_id or 0)
    return LearningRow(
        text=learning.text,
        area=area.name if area else "",
        tags=[tag.strip() for tag in learning.tags.split(",") if tag.strip()],
        created_on=w.day(learning.created_at.date() if learning.created_at else None),
    )


def _stage_groups(
    rows: Rows, w: Wording, *, draw_charts: bool, check: Callable[[str], None]
) -> list[StageGroup]:
    by_stage: dict[int | None, list[MetricTrend]] = defaultdict(list)
    for metric in sorted(rows.metrics.values(), key=lambda m: (m.name.lower(), m.id or 0)):
        readings = rows.readings.get(metric.id or 0, [])
        values: list[tuple[Reading, float]] = []
        for reading in readings:
            value = reading_value(kind=metric.kind, unit=metric.unit, stats=reading)
            if value is not None:
                values.append((reading, value))
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

            points = [value for _, value in values]
            higher = metric.direction == "higher"
            moved = points[-1] - points[0] if points else 0.0
            chart = str(
                sparkline(
                    points,
                    alt=f"{metric.name}: {len(values)} weekly readings in the range",
                    tone="neutral" if not moved else ("good" if (moved > 0) == higher else "bad"),
                )
            )
            check("charts")
        by_stage[metric.stage_id].append(
            MetricTrend(
                name=metric.name,
                area=area.name if area else "",
                direction="higher" if metric.direction == "higher" else "lower",
                first=unbroken(format_value(kind=metric.kind, unit=metric.unit, value=first_value)),
                first_period=w.day(first.period_start),
                last=unbroken(format_value(kind=metric.kind, unit=metric.unit, value=last_value)),
                last_period=w.day(last.period_start),
                change=unbroken(change.text)
                if change and len(values) > 1
                else w.gettext("one reading"),
                tone=change.tone if change and len(values) > 1 else "flat",
                readings=len(values),
                chart_svg=chart,
            )
        )
    groups = [
        StageGroup(stage.name, by_stage[stage.id]) for stage in rows.stages if by_stage[stage.id]
    ]
    if by_stage[None]:
        groups.append(StageGroup(w.gettext("No stage"), by_stage[None]))
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


def _action_rows(rows: Rows, w: Wording) -> list[ActionRow]:
    weeks = {cycle.id: cycle.iso_week for cycle in rows.cycles}
    result = [
        ActionRow(
            title=item.title,
            owner=user_name(rows, item.owner_id, w),
            bucket=_bucket(item),
            due_week=item.due_week,
            first_week=weeks.get(item.first_cycle_id, w.gettext("earlier")),
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


def _next_cycle(span: ReportRange, rows: Rows, w: Wording) -> NextCycle:
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
        dates=w.days(week.monday, week.sunday, year=True),
        focus=area.name if area else "",
        hypotheses=[
            {
                "title": h.title,
                "area": rows.areas[h.area_id].name if h.area_id in rows.areas else "",
                "score": f"{h.score:.1f}",
                "parts": hypothesis_parts(h, _metric_name(rows, h.metric_id), w),
            }
            for h in selected
        ],
    )


def _metric_name(rows: Rows, metric_id: int | None) -> str:
    metric = rows.metrics.get(metric_id or 0)
    return metric.name if metric else ""
