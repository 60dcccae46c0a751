"""Twelve past weekly cycles and the current one: meetings, focus areas,
decisions and action items, some done on time, some carried, one stuck."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta

from sqlmodel import Session, col, select

from experiments.cycles import ActionStatus, IsoWeek, Phase
from tracker.cycles.service import team_settings
from tracker.defaults import by_default_name
from tracker.models import (
    ActionItem,
    Area,
    Cycle,
    Experiment,
    ExperimentStatus,
    ReviewRecord,
    SourceKind,
    User,
)

PAST_WEEKS = 12
# The focus moves: Marketing first, then Sales, then Service (one area very
# well, then the next), and back to Sales for the current week.
FOCUS = ["Marketing"] * 4 + ["Sales"] * 4 + ["Service"] * 4

# title, details, area; the plan items a RevOps team writes week after week
ACTIONS = (
    (
        "Clean up the lead-source field in the CRM",
        "Merge the 14 free-text variants into 6 picklist values.",
        "Marketing",
    ),
    ("Add UTM checks to the campaign launch list", "", "Marketing"),
    ("Brief SDRs on the new MQL definition", "Fifteen minutes in Monday's stand-up.", "Marketing"),
    ("Retire the gated e-book with the lowest SQL rate", "", "Marketing"),
    (
        "Set up the weekly MQL to SQL export",
        "Scheduled report to the RevOps inbox every Monday 7:00.",
        "Marketing",
    ),
    (
        "Rewrite the second nurture e-mail",
        "Lead with the customer story from the retail segment.",
        "Marketing",
    ),
    (
        "Define stage exit criteria for Discovery",
        "Agree with the AEs in the pipeline review.",
        "Sales",
    ),
    ("Add a close-reason picklist to lost deals", "", "Sales"),
    ("Share the win-rate dashboard with the AEs", "", "Sales"),
    ("Pilot same-day callbacks with two SDRs", "", "Sales"),
    ("Audit deals stuck in Proposal for over 30 days", "", "Sales"),
    ("Train the team on mutual action plans", "", "Sales"),
    ("Tag escalations by root cause in the help desk", "", "Service"),
    ("Publish the top five macros for first-contact resolution", "", "Service"),
    ("Send the CSAT survey after every closed ticket", "", "Service"),
    ("Book onboarding calls for the March cohort", "", "Service"),
    ("Review the churn-risk list with account managers", "", "Service"),
    ("Map the renewal playbook to the CRM stages", "", "Service"),
)
STUCK = (
    "Connect the billing system to the CRM for expansion revenue",
    "Blocked on an API key from finance; raised in three meetings.",
    "Sales",
)
ATTENDEES = "Maya Chen, Omar Haddad, Lena Fischer, Demo Admin"


def load_cycles(
    session: Session,
    *,
    rng: random.Random,
    today: date,
    users: list[User],
    experiments: list[Experiment],
) -> list[Cycle]:
    """The past twelve cycles (closed) and the current one (in review), once."""
    current_week = IsoWeek.containing(today)
    weeks = [current_week]
    for _ in range(PAST_WEEKS):
        weeks.insert(0, weeks[0].previous())
    existing = session.exec(select(Cycle).where(Cycle.iso_week == str(weeks[0]))).first()
    if existing is not None:
        return list(session.exec(select(Cycle).order_by(col(Cycle.starts_on))).all())
    areas = by_default_name(session.exec(select(Area)).all())
    cycles = _make_cycles(session, weeks, areas)
    owners = {
        area: user for area, user in zip(("Marketing", "Sales", "Service"), users, strict=False)
    }
    _make_actions(session, rng=rng, cycles=cycles, owners=owners, lead=users[-1])
    _record_decisions(session, cycles=cycles[:-1], experiments=experiments, rng=rng)
    team_settings(session).focus_area_id = cycles[-1].focus_area_id
    session.flush()
    return cycles


def _make_cycles(session: Session, weeks: list[IsoWeek], areas: dict[str, Area]) -> list[Cycle]:
    cycles = []
    for index, week in enumerate(weeks):
        current = index == len(weeks) - 1
        focus = areas["Sales"] if current else areas[FOCUS[index]]
        following = areas[FOCUS[index + 1]] if index + 1 < len(FOCUS) else areas["Sales"]
        monday = datetime.combine(week.monday, time(8, 0), tzinfo=UTC)
        cycle = Cycle(
            iso_week=str(week),
            starts_on=week.monday,
            focus_area_id=focus.id,
            next_focus_area_id=None if current else following.id,
            phase=Phase.review if current else Phase.closed,
            analyse_started_at=monday,
            review_started_at=monday + timedelta(days=1, hours=2),
            respond_started_at=None if current else monday + timedelta(days=1, hours=3),
            act_started_at=None if current else monday + timedelta(days=1, hours=4),
            closed_at=None if current else monday + timedelta(days=6, hours=9),
            meeting_date=None if current else week.monday + timedelta(days=1),
            attendees="" if current else ATTENDEES,
            notes="" if current else f"Weekly review of {week}; focus on {focus.name}.",
        )
        session.add(cycle)
        cycles.append(cycle)
    session.flush()
    return cycles


def _make_actions(
    session: Session,
    *,
    rng: random.Random,
    cycles: list[Cycle],
    owners: dict[str, User],
    lead: User,
) -> None:
    """Each past cycle plans two items; most finish in their week, some are
    carried once or twice, a few are dropped; one is stuck. The area's
    operations lead owns most; the RevOps lead (the demo admin) every third
    item and the stuck one."""
    current = cycles[-1]
    plan = list(ACTIONS)
    rng.shuffle(plan)
    last = len(cycles) - 1
    for index in range(last):
        for title, details, area in (
            plan[(2 * index) % len(plan)],
            plan[(2 * index + 1) % len(plan)],
        ):
            weeks_to_finish = rng.choices([0, 0, 0, 1, 1, 2, None], k=1)[0]
            if weeks_to_finish is None and index < last - 2:
                weeks_to_finish = 1  # only the planted item may be stuck
            if index >= last - 2 and title == plan[(2 * index) % len(plan)][0]:
                weeks_to_finish = None  # last weeks' work still open on this agenda
            dropped = weeks_to_finish == 2 and rng.random() < 0.3
            _add_item(
                session,
                title=title,
                details=details,
                owner=lead if index % 3 == 2 else owners.get(area, lead),
                cycles=cycles,
                start=index,
                finish_after=weeks_to_finish,
                dropped=dropped,
                current=current,
            )
    title, details, area = STUCK
    _add_item(
        session,
        title=title,
        details=details,
        owner=lead,
        cycles=cycles,
        start=len(cycles) - 5,
        finish_after=None,
        dropped=False,
        current=current,
    )


def _add_item(
    session: Session,
    *,
    title: str,
    details: str,
    owner: User,
    cycles: list[Cycle],
    start: int,
    finish_after: int | None,
    dropped: bool,
    current: Cycle,
) -> None:
    first = cycles[start]
    last_index = len(cycles) - 1
    if finish_after is None or start + finish_after >= last_index:
        lives_in, status, finished = current, ActionStatus.open, None
        carried = last_index - start
    else:
        lives_in = cycles[start + finish_after]
        status = ActionStatus.dropped if dropped else ActionStatus.done
        finished = lives_in
        carried = finish_after
    if status == ActionStatus.open and carried == 1:
        status = ActionStatus.in_progress
    finished_at = (
        datetime.combine(finished.starts_on + timedelta(days=3), time(15, 0), tzinfo=UTC)
        if finished
        else None
    )
    session.add(
        ActionItem(
            title=title,
            details=details,
            owner_id=owner.id,
            source_kind=SourceKind.meeting,
            cycle_id=lives_in.id or 0,
            first_cycle_id=first.id or 0,
            due_week=first.iso_week,
            status=status,
            carried_count=carried,
            finished_at=finished_at,
            finished_week=finished.iso_week if finished else None,
            created_at=datetime.combine(
                first.starts_on + timedelta(days=1), time(11, 0), tzinfo=UTC
            ),
        )
    )
    session.flush()
    session.add(
        ReviewRecord(cycle_id=first.id or 0, kind="action", summary=title, user_id=owner.id)
    )


def _record_decisions(
    session: Session, *, cycles: list[Cycle], experiments: list[Experiment], rng: random.Random
) -> None:
    """File each decided experiment under the meeting of the week it was decided."""
    by_week = {c.iso_week: c for c in cycles}
    for experiment in experiments:
        if experiment.status != ExperimentStatus.decided or experiment.decided_at is None:
            continue
        cycle = by_week.get(str(IsoWeek.containing(experiment.decided_at.date())))
        if cycle is None:
            cycle = cycles[rng.randrange(len(cycles) // 2, len(cycles))]
        outcome = experiment.outcome.value if experiment.outcome else "decided"
        action = experiment.action.value if experiment.action else ""
        session.add(
            ReviewRecord(
                cycle_id=cycle.id or 0,
                kind="decision",
                experiment_id=experiment.id,
                summary=f"{experiment.title}: {outcome}, {action}",
                user_id=experiment.decided_by_id,
            )
        )
