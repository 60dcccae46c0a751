"""This week (the review meeting), the phase buttons, closing, the history of
past cycles and each person's actions."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from sqlalchemy.orm.exc import StaleDataError
from sqlmodel import select

from experiments.cycles import ActionStatus, IsoWeek, Phase, meeting_day
from tracker.access import role_required
from tracker.actions import service as actions
from tracker.backlog.ranking import team_model
from tracker.bidi import ltr
from tracker.cycles.agenda import Agenda, build_agenda, upcoming_weeks
from tracker.cycles.forms import (
    STATUSES,
    ActionStatusForm,
    CloseForm,
    MeetingForm,
    PhaseForm,
    StepBackForm,
)
from tracker.cycles.history import cycle_record, cycles_page, my_actions
from tracker.cycles.meeting import CONFLICT, check_meeting, save_meeting
from tracker.cycles.scorecard import scorecard_rows
from tracker.cycles.service import (
    CloseResult,
    CycleError,
    advance_phase,
    close_cycle,
    current_cycle,
    step_back,
    team_today,
)
from tracker.cycles.words import TEMPLATE_GLOBALS, phase_label, stat_label, status_sentence
from tracker.database import get_session
from tracker.models import ActionItem, Cycle, Role
from tracker.pagination import requested_page
from tracker.parsing import parse_id
from tracker.rules import RuleError, stale_from
from tracker.translation import _, ngettext

bp = Blueprint("cycles", __name__)
for _name, _function in TEMPLATE_GLOBALS.items():
    bp.add_app_template_global(_function, _name)
bp.add_app_template_filter(stat_label, "stat_label")


def _current() -> Cycle:
    session = get_session()
    return current_cycle(session=session, today=team_today(session))


@bp.route("/week", methods=["GET", "POST"])
def this_week() -> ResponseReturnValue:
    session = get_session()
    cycle = _current()
    today = team_today(session)
    agenda = build_agenda(session=session, cycle=cycle, today=today)
    form = MeetingForm()
    if request.method == "GET":
        fill_from_agenda(form, agenda, today=today)
    form.set_choices(
        people=agenda.people,
        areas=agenda.areas,
        experiments=[
            (line.experiment.id or 0, line.experiment.title)
            for line in agenda.needing_decision + agenda.running
        ],
    )
    status = 200
    if request.method == "POST":
        if not current_user.can(Role.editor):
            abort(403)
        if form.add_action.data or form.add_learning.data:
            grow(form, agenda)
        elif form.validate_on_submit() and check_meeting(form, session=session, cycle=cycle):
            try:
                saved = save_meeting(
                    form, session=session, cycle=cycle, user_id=current_user.id, today=today
                )
                # "Close the cycle" on the page: the save above, then the close, one commit
                closed = (
                    close_cycle(
                        session=session,
                        cycle_id=cycle.id or 0,
                        today=today,
                        user_id=current_user.id,
                    )
                    if form.close_cycle.data
                    else None
                )
                session.commit()
            except (RuleError, StaleDataError) as exc:
                session.rollback()
                status = 409 if isinstance(exc, StaleDataError) else exc.status
                form.form_errors.append(
                    CONFLICT if isinstance(exc, StaleDataError) else exc.first_message()
                )
            else:
                flash(saved.sentence(), "success")
                if closed is not None:
                    flash(closed_sentence(closed), "success")
                return redirect(url_for("cycles.this_week"))
        else:
            status = 422
            form.form_errors.append(
                _("Nothing was saved: see the messages beside the fields.")
            ) if not form.form_errors else None
    return render_template(
        "cycles/this_week.html",
        agenda=agenda,
        scorecard=scorecard_rows(agenda.stages),
        form=form,
        today=today,
        weeks=upcoming_weeks(cycle),
        phase_form=PhaseForm(),
        back_form=StepBackForm(),
        phases=[p for p in Phase if p != Phase.closed],
        week_end=IsoWeek.parse(cycle.iso_week).sunday,
        status_choices=[(choice.value, choice.label) for choice in STATUSES],
        decision_lines={line.experiment.id: line for line in agenda.needing_decision},
        action_lines={line.item.id: line for line in agenda.actions},
        hypothesis_rows={h.id: (h, metric) for h, metric in agenda.next_hypotheses},
        team_model=team_model(session).value,
    ), status


def fill_from_agenda(form: MeetingForm, agenda: Agenda, *, today: Any) -> None:
    """Start the form from the data: one row per agenda item, spare rows empty."""
    cycle = agenda.cycle
    form.version.data = str(cycle.version)
    form.cycle_id.data = str(cycle.id)
    form.meeting_date.data = cycle.meeting_date or meeting_day(cycle.iso_week, today)
    form.attendees.data = cycle.attendees
    form.notes.data = cycle.notes
    for decision in agenda.needing_decision:
        form.decisions.append_entry({"experiment_id": str(decision.experiment.id)})
    for action in agenda.actions:
        form.actions.append_entry(
            {
                "item_id": str(action.item.id),
                "version": str(action.item.version),
                "status": ActionStatus(action.item.status).value,
            }
        )
    for hypothesis, _metric in agenda.next_hypotheses:
        form.selections.append_entry(
            {"hypothesis_id": str(hypothesis.id), "selected": hypothesis.status == "selected"}
        )
    focus = cycle.next_focus_area_id or cycle.focus_area_id
    form.next_focus_area_id.data = str(focus) if focus else ""
    # the plan is carried out in this cycle's act phase, so items are due this week
    for row in form.new_actions:
        row.form.due_week.data = cycle.iso_week


def grow(form: MeetingForm, agenda: Agenda) -> None:
    """The no-JavaScript way to add a row: re-render with one more, nothing saved."""
    if form.add_action.data:
        form.new_actions.append_entry({"due_week": agenda.cycle.iso_week})
    else:
        form.new_learnings.append_entry()
    form.set_choices(
        people=agenda.people,
        areas=agenda.areas,
        experiments=[
            (line.experiment.id or 0, line.experiment.title)
            for line in agenda.needing_decision + agenda.running
        ],
    )


@bp.post("/week/phase")
@role_required(Role.editor)
def advance() -> ResponseReturnValue:
    session = get_session()
    cycle = _current()
    if PhaseForm().validate_on_submit():
        try:
            phase = advance_phase(session=session, cycle=cycle, user_id=current_user.id)
            session.commit()
            flash(
                _(
                    "%(week)s is now in the %(phase)s phase.",
                    week=ltr(cycle.iso_week),
                    phase=phase_label(phase),
                ),
                "success",
            )
        except CycleError as error:
            flash(str(error), "error")
    return redirect(url_for("cycles.this_week"))


@bp.post("/week/back")
@role_required(Role.editor)
def back() -> ResponseReturnValue:
    session = get_session()
    cycle = _current()
    form = StepBackForm()
    try:
        if not form.validate_on_submit():
            raise CycleError(
                " ".join(map(str, form.note.errors)) or _("Say why you are stepping back.")
            )
        phase = step_back(
            session=session, cycle=cycle, note=form.note.data or "", user_id=current_user.id
        )
        session.commit()
        flash(
            _(
                "Back to the %(phase)s phase. Your note is in the history.",
                phase=phase_label(phase),
            ),
            "success",
        )
    except CycleError as error:
        flash(str(error), "error")
    return redirect(url_for("cycles.this_week"))


@bp.post("/week/close")
@role_required(Role.editor)
def close() -> ResponseReturnValue:
    session = get_session()
    form = CloseForm()
    cycle_id = parse_id(request.form.get("cycle_id"))
    if not form.validate_on_submit() or cycle_id is None:
        flash(_("The cycle was not closed: reload the page and try again."), "error")
        return redirect(url_for("cycles.this_week"))
    try:
        result = close_cycle(
            session=session, cycle_id=cycle_id, today=team_today(session), user_id=current_user.id
        )
    except RuleError as error:
        flash(_("The cycle was not closed: %(reason)s", reason=error.message), "error")
        return redirect(url_for("cycles.this_week"))
    session.commit()
    if result is None:
        flash(_("That cycle was already closed."), "info")
    else:
        flash(closed_sentence(result), "success")
    return redirect(url_for("cycles.this_week"))


def closed_sentence(result: CloseResult) -> str:
    return ngettext(
        "%(closed)s is closed. Welcome to %(current)s: %(num)d unfinished action item "
        "carried over.",
        "%(closed)s is closed. Welcome to %(current)s: %(num)d unfinished action items "
        "carried over.",
        result.carried,
        closed=ltr(result.closed),
        current=ltr(result.current),
    )


@bp.get("/cycles")
def history() -> ResponseReturnValue:
    page = cycles_page(session=get_session(), page=requested_page())
    return render_template("cycles/history.html", page=page)


@bp.get("/cycles/<iso_week>")
def detail(iso_week: str) -> ResponseReturnValue:
    try:
        week = str(IsoWeek.parse(iso_week))
    except ValueError:
        abort(404)
    session = get_session()
    cycle = session.exec(select(Cycle).where(Cycle.iso_week == week)).first()
    if cycle is None:
        abort(404)
    if cycle.phase != Phase.closed:
        return redirect(url_for("cycles.this_week"))
    return render_template("cycles/detail.html", record=cycle_record(session=session, cycle=cycle))


@bp.get("/actions/mine")
def mine() -> ResponseReturnValue:
    session = get_session()
    show_all = request.args.get("show") == "all"
    lines = my_actions(session=session, user_id=current_user.id, include_finished=show_all)
    return render_template(
        "cycles/my_actions.html",
        lines=lines,
        show_all=show_all,
        form_for=lambda item: ActionStatusForm(
            formdata=None, status=ActionStatus(item.status).value, version=item.version
        ),
    )


@bp.post("/actions/<int:item_id>/status")
@role_required(Role.editor)
def set_status(item_id: int) -> ResponseReturnValue:
    session = get_session()
    item = session.get(ActionItem, item_id)
    if item is None:
        abort(404)
    form = ActionStatusForm()
    if not form.validate_on_submit():
        flash(_("Choose open, in progress, done or dropped."), "error")
        return redirect(url_for("cycles.mine"))
    try:
        actions.set_status(
            session, item, form.status.data, user_id=current_user.id, version=form.version.data
        )
        session.commit()
    except (RuleError, StaleDataError) as exc:
        session.rollback()
        error = exc if isinstance(exc, RuleError) else stale_from(exc, "action item")
        flash(_("“%(title)s”: %(reason)s", title=item.title, reason=error.first_message()), "error")
    else:
        flash(status_sentence(item.title, str(ActionStatus(item.status).value)), "success")
    return redirect(url_for("cycles.mine"))
