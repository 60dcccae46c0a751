"""Past cycles and each person's actions: read-only views, a fixed number of
queries each."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta

from sqlalchemy import func
from sqlmodel import Session, col, select

from experiments.cycles import ActionStatus, IsoWeek, is_stuck
from tracker.models import (
    ActionItem,
    Area,
    Cycle,
    Experiment,
    Learning,
    ReviewRecord,
    User,
)
from tracker.models.live import live
from tracker.pagination import Page, paginate
from tracker.translation import _


@dataclass
class CycleRow:
    cycle: Cycle
    focus: str
    counts: dict[str, int]


def cycles_page(*, session: Session, page: int) -> Page[CycleRow]:
    """Cycles newest first, with what each meeting did, counted per kind."""
    statement = (
        select(Cycle, Area.name)
        .join(Area, col(Area.id) == Cycle.focus_area_id, isouter=True)
        .order_by(col(Cycle.starts_on).desc())
    )
    found = paginate(session, statement, page=page, scalars=False)
    ids = [cycle.id for cycle, _ in found.items]
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    if ids:
        for cycle_id, kind, number in session.exec(
            select(ReviewRecord.cycle_id, ReviewRecord.kind, func.count())
            .where(col(ReviewRecord.cycle_id).in_(ids))
            .group_by(col(ReviewRecord.cycle_id), col(ReviewRecord.kind))
        ).all():
            counts[cycle_id][kind] = number
    for cycle_id, number in learnings_by_cycle(session, [c for c, _row in found.items]).items():
        counts[cycle_id]["learning"] = number
    rows = [
        CycleRow(cycle, focus or "—", counts.get(cycle.id or 0, {})) for cycle, focus in found.items
    ]
    return Page(items=rows, page=found.page, per_page=found.per_page, total=found.total)


def learnings_by_cycle(session: Session, cycles: list[Cycle]) -> dict[int, int]:
    """How many learnings each cycle kept: those recorded during its week, from
    the meeting page or the learnings page alike. One query."""
    if not cycles:
        return {}
    by_week = {cycle.iso_week: cycle.id or 0 for cycle in cycles}
    first = min(cycle.starts_on for cycle in cycles)
    last = max(cycle.starts_on for cycle in cycles) + timedelta(days=7)
    counted: dict[int, int] = defaultdict(int)
    for (created,) in session.execute(
        select(Learning.created_at).where(
            live(Learning),
            col(Learning.created_at) >= datetime.combine(first, time(), tzinfo=UTC),
            col(Learning.created_at) < datetime.combine(last, time(), tzinfo=UTC),
        )
    ).all():
        cycle_id = by_week.get(str(IsoWeek.containing(created.date())))
        if cycle_id:
            counted[cycle_id] += 1
    return dict(counted)


@dataclass
class CycleRecord:
    cycle: Cycle
    focus: str
    next_focus: str
    decisions: list[tuple[ReviewRecord, Experiment | None]] = field(default_factory=list)
    learnings: list[Learning] = field(default_factory=list)
    planned: list[tuple[ActionItem, str]] = field(default_factory=list)
    updates: list[ReviewRecord] = field(default_factory=list)
    selections: list[ReviewRecord] = field(default_factory=list)


def cycle_record(*, session: Session, cycle: Cycle) -> CycleRecord:
    """What one closed cycle's meeting decided, learned and planned."""
    areas = dict(session.exec(select(Area.id, Area.name)).all())
    records = session.exec(
        select(ReviewRecord).where(ReviewRecord.cycle_id == cycle.id).order_by(col(ReviewRecord.id))
    ).all()
    experiment_ids = [r.experiment_id for r in records if r.kind == "decision" and r.experiment_id]
    experiments = (
        {
            e.id: e
            for e in session.exec(
                select(Experiment).where(col(Experiment.id).in_(experiment_ids))
            ).all()
        }
        if experiment_ids
        else {}
    )
    learning_ids = [r.learning_id for r in records if r.learning_id]
    week_start = datetime.combine(cycle.starts_on, time(), tzinfo=UTC)
    in_the_week = (col(Learning.created_at) >= week_start) & (
        col(Learning.created_at) < week_start + timedelta(days=7)
    )
    learnings = list(
        session.exec(
            select(Learning)
            .where(live(Learning))
            .where(col(Learning.id).in_(learning_ids) | in_the_week)
            .order_by(col(Learning.id))
        ).all()
    )
    planned = session.exec(
        select(ActionItem, User.display_name)
        .join(User, col(User.id) == ActionItem.owner_id, isouter=True)
        .where(ActionItem.first_cycle_id == cycle.id)
        .order_by(col(ActionItem.id))
    ).all()
    return CycleRecord(
        cycle=cycle,
        focus=areas.get(cycle.focus_area_id, "—"),
        next_focus=areas.get(cycle.next_focus_area_id, "—"),
        decisions=[(r, experiments.get(r.experiment_id)) for r in records if r.kind == "decision"],
        learnings=learnings,
        planned=[(item, name or _("Unassigned")) for item, name in planned],
        updates=[r for r in records if r.kind == "action_status"],
        selections=[r for r in records if r.kind == "selection"],
    )


@dataclass
class MyAction:
    item: ActionItem
    cycle_week: str
    first_week: str

    @property
    def stuck(self) -> bool:
        return is_stuck(self.item.carried_count)


def my_actions(*, session: Session, user_id: int, include_finished: bool) -> list[MyAction]:
    """A person's action items across cycles: stuck first, then by due week."""
    weeks = dict(session.exec(select(Cycle.id, Cycle.iso_week)).all())
    statement = select(ActionItem).where(ActionItem.owner_id == user_id)
    if not include_finished:
        statement = statement.where(
            col(ActionItem.status).in_([ActionStatus.open, ActionStatus.in_progress])
        )
    items = session.exec(statement.order_by(col(ActionItem.due_week), col(ActionItem.id))).all()
    lines = [
        MyAction(item, weeks.get(item.cycle_id, ""), weeks.get(item.first_cycle_id, ""))
        for item in items
    ]
    return sorted(
        lines,
        key=lambda line: (
            not line.stuck,
            ActionStatus(line.item.status).finished,
            line.item.due_week,
        ),
    )
