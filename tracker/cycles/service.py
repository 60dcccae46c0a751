"""The weekly loop's moves: find or open the current cycle, step its phases,
close it and carry the unfinished action items forward.

Functions add to the caller's session; the caller commits. ``close_week`` is
safe to run from two requests at once: the close is a conditional UPDATE, so
only one of them finds the cycle still open.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import CursorResult, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from experiments.cycles import ActionStatus, IsoWeek, Phase, carries_over, next_cycle_week
from tracker import notifications
from tracker.changelog import record_event, record_update, snapshot
from tracker.models import ActionItem, Cycle, TeamSettings
from tracker.models.types import utcnow
from tracker.rules import RuleError, invalid, not_found
from tracker.teamzone import zone_named
from tracker.translation import _, ngettext

UNFINISHED = (ActionStatus.open.value, ActionStatus.in_progress.value)
PHASE_STARTED = {
    Phase.analyse: "analyse_started_at",
    Phase.review: "review_started_at",
    Phase.respond: "respond_started_at",
    Phase.act: "act_started_at",
    Phase.closed: "closed_at",
}


ALREADY_CLOSED = "already_closed"

# session.info key: the cycle this session opened and has not committed yet
OPENED = "revloop.opened_cycle"


class CycleError(ValueError):
    """A move the cycle cannot make; the message says why."""


@dataclass(frozen=True)
class CloseResult:
    closed: str
    current: str
    carried: int


def team_settings(session: Session) -> TeamSettings:
    settings = session.get(TeamSettings, 1)
    if settings is None:
        settings = TeamSettings(id=1)
        session.add(settings)
        session.flush()
    return settings


def set_focus(*, session: Session, area_id: int, today: date, user_id: int | None) -> None:
    """Make ``area_id`` the team's focus, for the open cycle too: the focus
    area leads this week's review."""
    settings = team_settings(session)
    cycle = current_cycle(session=session, today=today)
    for record in (settings, cycle):
        before = snapshot(record, ["focus_area_id"])
        record.focus_area_id = area_id
        record_update(session, record, before, user_id=user_id)


def team_today(session: Session, now: datetime | None = None) -> date:
    """Today's date in the team's time zone."""
    zone = zone_named(team_settings(session).timezone)
    return (now or utcnow()).astimezone(zone).date()


def open_cycle(*, session: Session, today: date) -> Cycle:
    """The cycle the team is in: the latest one not closed, or else a new
    cycle for the current ISO week."""
    cycle = session.exec(
        select(Cycle).where(Cycle.phase != Phase.closed).order_by(col(Cycle.starts_on).desc())
    ).first()
    if cycle is not None:
        return cycle
    return _cycle_for_week(session, IsoWeek.containing(today), focus_area_id=None)


def current_cycle(*, session: Session, today: date) -> Cycle:
    """``open_cycle``, committed at once when it had to open a new cycle, so the
    week's cycle exists for everyone from the first visit on."""
    cycle = open_cycle(session=session, today=today)
    if session.info.pop(OPENED, None) is not None:
        session.commit()
    return cycle


def _cycle_for_week(session: Session, week: IsoWeek, *, focus_area_id: int | None) -> Cycle:
    existing = session.exec(select(Cycle).where(Cycle.iso_week == str(week))).first()
    if existing is not None:
        return existing
    focus = focus_area_id or team_settings(session).focus_area_id
    cycle = Cycle(
        iso_week=str(week),
        starts_on=week.monday,
        focus_area_id=focus,
        phase=Phase.analyse,
        analyse_started_at=utcnow(),
    )
    try:
        with session.begin_nested():
            session.add(cycle)
        session.info[OPENED] = cycle
    except IntegrityError:
        # another request opened the same week a moment ago: use theirs
        found = session.exec(select(Cycle).where(Cycle.iso_week == str(week))).one()
        return found
    return cycle


def advance_phase(*, session: Session, cycle: Cycle, user_id: int | None) -> Phase:
    """Move to the next phase; closing is ``close_cycle``'s job."""
    current = Phase(cycle.phase)
    following = current.next()
    if following is None:
        raise CycleError(
            _("This cycle is closed.")
            if current is Phase.closed
            else _("The act phase is the last one: close the cycle to start the next week.")
        )
    _set_phase(session, cycle, following, user_id=user_id, reason="")
    return following


def step_back(*, session: Session, cycle: Cycle, note: str, user_id: int | None) -> Phase:
    """Return to the previous phase; a note saying why is required."""
    if not note.strip():
        raise CycleError(_("Say why you are stepping back: the note is kept in the history."))
    previous = Phase(cycle.phase).previous()
    if previous is None:
        raise CycleError(_("There is no earlier phase to step back to."))
    _set_phase(session, cycle, previous, user_id=user_id, reason=note.strip())
    return previous


def _set_phase(
    session: Session, cycle: Cycle, phase: Phase, *, user_id: int | None, reason: str
) -> None:
    old = Phase(cycle.phase)
    cycle.phase = phase
    setattr(cycle, PHASE_STARTED[phase], utcnow())
    cycle.version += 1
    session.add(cycle)
    record_event(
        session,
        cycle,
        "update",
        user_id=user_id,
        reason=reason,
        field="phase",
        old_value=old.value,
        new_value=phase.value,
    )


def close_cycle(
    *, session: Session, cycle_id: int, today: date, user_id: int | None
) -> CloseResult | None:
    """Close the cycle ``cycle_id`` (the page posts it); None when it was closed
    already. ``close_week`` does the work."""
    cycle = session.get(Cycle, cycle_id)
    if cycle is None:
        raise not_found("cycle", "cycle_id")
    try:
        return close_week(session=session, iso_week=cycle.iso_week, today=today, user_id=user_id)
    except RuleError as error:
        if error.reason == ALREADY_CLOSED:
            return None
        raise


def close_week(*, session: Session, iso_week: str, today: date, user_id: int | None) -> CloseResult:
    """Close the cycle of ``iso_week`` if it is still open, open the next and carry
    every unfinished item into it, once.

    Every door names the week it means to close, so a repeated or concurrent
    close of the same week does nothing: the row is locked (SELECT ... FOR UPDATE
    on PostgreSQL) and the close is an UPDATE ... WHERE the week is still open,
    which only one request can match. The others get RuleError ``conflict``
    (reason ``already_closed``) carrying the cycle that is open now.

    This is where a cycle closes: whatever must follow a close (a recap, a
    webhook) belongs after the carry below.
    """
    try:
        week = str(IsoWeek.parse(iso_week.strip()))
    except (ValueError, AttributeError):
        raise invalid(
            {"iso_week": _("Write the week like %(example)s.", example="2026-W48")}
        ) from None
    cycle = session.exec(
        select(Cycle)
        .where(Cycle.iso_week == week)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).first()
    if cycle is None:
        raise not_found_week(week)
    old_phase = Phase(cycle.phase).value
    now = utcnow()
    closed: CursorResult[Any] = session.execute(  # type: ignore[assignment]
        update(Cycle)
        .where(
            col(Cycle.id) == cycle.id,
            col(Cycle.iso_week) == week,
            col(Cycle.phase) != Phase.closed.value,
        )
        .values(phase=Phase.closed.value, closed_at=now, version=Cycle.version + 1)
        .execution_options(synchronize_session=False)
    )
    if _rows_touched(closed) != 1:
        raise _already_closed(session, week)
    session.refresh(cycle)
    following_week = next_cycle_week(IsoWeek.parse(week), today=IsoWeek.containing(today))
    focus = cycle.next_focus_area_id or cycle.focus_area_id
    following = _cycle_for_week(session, following_week, focus_area_id=focus)
    session.flush()
    unfinished = session.execute(
        select(ActionItem.id, ActionItem.due_week).where(
            col(ActionItem.cycle_id) == cycle.id, col(ActionItem.status).in_(UNFINISHED)
        )
    ).all()
    overdue = [i for i, due in unfinished if carries_over(due, week)]
    not_yet_due = [i for i, due in unfinished if not carries_over(due, week)]
    for ids, added in ((overdue, 1), (not_yet_due, 0)):
        if ids:
            session.execute(
                update(ActionItem)
                .where(col(ActionItem.id).in_(ids))
                .values(
                    cycle_id=following.id,
                    carried_count=ActionItem.carried_count + added,
                    version=ActionItem.version + 1,
                    updated_at=now,
                )
                .execution_options(synchronize_session=False)
            )
    carried = len(unfinished)
    if focus is not None:
        team_settings(session).focus_area_id = focus
    record_event(
        session,
        cycle,
        "update",
        user_id=user_id,
        field="phase",
        old_value=old_phase,
        new_value="closed",
        reason=ngettext(
            "Closed; %(num)d action item carried to %(week)s",
            "Closed; %(num)d action items carried to %(week)s",
            carried,
            week=str(following_week),
        ),
    )
    notifications.cycle_closed(session, cycle=cycle, next_week=str(following_week), carried=carried)
    session.expire_all()
    return CloseResult(closed=week, current=str(following_week), carried=carried)


def not_found_week(week: str) -> RuleError:
    return RuleError(
        "not_found",
        _("There is no cycle for %(week)s.", week=week),
        fields={"iso_week": _("No cycle for %(week)s.", week=week)},
    )


def _already_closed(session: Session, week: str) -> RuleError:
    current = session.exec(
        select(Cycle).where(Cycle.phase != Phase.closed).order_by(col(Cycle.starts_on).desc())
    ).first()
    message = _(
        "That cycle was already closed: %(week)s is not open, so nothing was closed or carried.",
        week=week,
    )
    if current is not None:
        message += " " + _("%(week)s is the current cycle.", week=current.iso_week)
    return RuleError(
        "conflict",
        message,
        fields={"iso_week": _("%(week)s is not the open cycle.", week=week)},
        reason=ALREADY_CLOSED,
        current=current,
    )


def _rows_touched(result: Any) -> int:
    """How many rows an UPDATE changed (its CursorResult's rowcount)."""
    count: int = result.rowcount
    return count
