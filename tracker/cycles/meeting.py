"""Saving the review meeting: every decision, status change, selection, new
action item and learning of the page, in the caller's one transaction.

``check_meeting`` adds the errors that need the data (an early decision needs
a reason; an experiment already decided); ``save_meeting`` then writes it all.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar

from flask_babel import lazy_gettext as _l
from sqlmodel import Session, SQLModel, col, select

from experiments.cycles import ActionStatus
from tracker.changelog import record_update, snapshot
from tracker.cycles.forms import MeetingForm
from tracker.models import (
    ActionItem,
    Cycle,
    Hypothesis,
    HypothesisStatus,
    ReviewRecord,
)
from tracker.parsing import parse_id
from tracker.rules import RuleError, put_on_form
from tracker.translation import _, ngettext

# note(kind, summary, **links): adds a ReviewRecord of the meeting
Note = Callable[..., None]

Record = TypeVar("Record", bound=SQLModel)

CONFLICT = _l(
    "Someone else saved this meeting since you opened the page. Your entries are "
    "kept below: check the agenda, then save again."
)


@dataclass(frozen=True)
class Saved:
    decisions: int
    status_changes: int
    new_actions: int
    new_learnings: int

    def sentence(self) -> str:
        from babel.lists import format_list

        from tracker.i18n import current_language

        said = []
        if self.decisions:
            said.append(ngettext("%(num)d decision", "%(num)d decisions", self.decisions))
        if self.status_changes:
            said.append(
                ngettext("%(num)d action update", "%(num)d action updates", self.status_changes)
            )
        if self.new_actions:
            said.append(
                ngettext("%(num)d new action item", "%(num)d new action items", self.new_actions)
            )
        if self.new_learnings:
            said.append(ngettext("%(num)d learning", "%(num)d learnings", self.new_learnings))
        if not said:
            return _("Meeting saved: notes and selections.")
        listed = format_list(said, style="unit", locale=current_language())
        return _("Meeting saved: %(parts)s.", parts=listed)


def _int(value: object) -> int | None:
    return parse_id(value)


def check_meeting(form: MeetingForm, *, session: Session, cycle: Cycle) -> bool:
    """Ask the services whether each row may be saved; their messages go beside
    the row's fields, so nothing is saved until every row is fine."""
    from tracker.actions.service import check_owner
    from tracker.experiments.service import check_decidable, live_experiment

    ok = True
    if _int(form.version.data) != cycle.version or (
        form.cycle_id.data and _int(form.cycle_id.data) != cycle.id
    ):
        form.form_errors.append(CONFLICT)
        ok = False
    for row in form.decisions:
        decision = row.form
        if not decision.outcome.data:
            continue
        try:
            experiment = live_experiment(session, _int(decision.experiment_id.data), "outcome")
            check_decidable(experiment, early_reason=decision.early_reason.data or "")
        except RuleError as error:
            put_on_form(decision, error, {"early_decision_reason": "early_reason"})
            if error.code != "invalid":  # the row may be gone from the agenda: say it above
                form.form_errors.append(error.message)
            ok = False
    for row in form.new_actions:
        if row.form.filled:
            ok = _passes(row.form, check_owner, session, _int(row.form.owner_id.data)) and ok
    for row in form.new_learnings:
        experiment_id = _int(row.form.experiment_id.data)
        if (row.form.text.data or "").strip() and experiment_id:
            ok = _passes(row.form, _learning_source, session, experiment_id) and ok
    return ok


def _learning_source(session: Session, experiment_id: int) -> None:
    from tracker.experiments.service import live_experiment

    live_experiment(session, experiment_id, "experiment_id")


def _passes(row: Any, check: Callable[..., None], *args: Any) -> bool:
    try:
        check(*args)
    except RuleError as error:
        put_on_form(row, error)
        return False
    return True


def save_meeting(
    form: MeetingForm, *, session: Session, cycle: Cycle, user_id: int | None, today: date
) -> Saved:
    records: list[ReviewRecord] = []

    def note(kind: str, summary: str, **links: int | None) -> None:
        record = ReviewRecord(cycle_id=cycle.id or 0, kind=kind, summary=summary[:1000])
        record.user_id = user_id
        for name, value in links.items():
            setattr(record, name, value)
        records.append(record)

    decisions = _save_decisions(form, session=session, user_id=user_id, today=today, note=note)
    changes = _save_action_statuses(form, session=session, cycle=cycle, user_id=user_id, note=note)
    _save_selections(form, session=session, user_id=user_id, note=note)
    new_actions = _save_new_actions(form, session=session, cycle=cycle, user_id=user_id, note=note)
    new_learnings = _save_new_learnings(
        form, session=session, cycle=cycle, user_id=user_id, note=note
    )
    before = snapshot(cycle, ["meeting_date", "attendees", "notes", "next_focus_area_id"])
    cycle.meeting_date = form.meeting_date.data or today
    cycle.attendees = (form.attendees.data or "").strip()
    cycle.notes = (form.notes.data or "").strip()
    cycle.next_focus_area_id = _int(form.next_focus_area_id.data) or cycle.next_focus_area_id
    cycle.version += 1
    session.add(cycle)
    record_update(session, cycle, before, user_id=user_id)
    session.add_all(records)
    return Saved(decisions, changes, new_actions, new_learnings)


def _save_decisions(
    form: MeetingForm, *, session: Session, user_id: int | None, today: date, note: Note
) -> int:
    from tracker.experiments.service import live_experiment, record_decision

    rows = [row.form for row in form.decisions if row.form.outcome.data]
    for row in rows:
        experiment = live_experiment(session, _int(row.experiment_id.data))
        record_decision(
            session,
            experiment,
            outcome=row.outcome.data,
            action=row.action.data,
            rationale=row.rationale.data or "",
            early_reason=row.early_reason.data or "",
            user_id=user_id,
            today=today,
        )
        note(
            "decision",
            f"{experiment.title}: {row.outcome.data}, {row.action.data}",
            experiment_id=experiment.id,
        )
    return len(rows)


def _save_action_statuses(
    form: MeetingForm, *, session: Session, cycle: Cycle, user_id: int | None, note: Note
) -> int:
    from tracker.actions.service import set_status

    rows = {_int(row.form.item_id.data): row.form for row in form.actions}
    items = (
        session.exec(select(ActionItem).where(col(ActionItem.id).in_([i for i in rows if i]))).all()
        if rows
        else []
    )
    changed = 0
    for item in items:
        row = rows[item.id]
        if not set_status(
            session, item, row.status.data, user_id=user_id, version=row.version.data
        ):
            continue
        note(
            "action_status",
            f"{item.title}: {ActionStatus(item.status).value}",
            action_item_id=item.id,
        )
        changed += 1
    return changed


def _save_selections(
    form: MeetingForm, *, session: Session, user_id: int | None, note: Note
) -> None:
    from tracker.backlog.service import set_status as set_hypothesis_status

    rows = {
        _int(row.form.hypothesis_id.data): bool(row.form.selected.data) for row in form.selections
    }
    hypotheses = _by_id(session, Hypothesis, [i for i in rows if i])
    for hypothesis_id, selected in rows.items():
        hypothesis = hypotheses.get(hypothesis_id)
        if hypothesis is None:
            continue
        if selected and hypothesis.status == HypothesisStatus.backlog:
            new = HypothesisStatus.selected
        elif not selected and hypothesis.status == HypothesisStatus.selected:
            new = HypothesisStatus.backlog
        else:
            continue
        set_hypothesis_status(session, hypothesis, new, user_id=user_id)
        note(
            "selection",
            f"{hypothesis.title}: {new.value}",
            hypothesis_id=hypothesis.id,
        )


def _save_new_actions(
    form: MeetingForm, *, session: Session, cycle: Cycle, user_id: int | None, note: Note
) -> int:
    from tracker.actions.service import create_action

    created = 0
    for row in form.new_actions:
        entry = row.form
        if not entry.filled:
            continue
        item = create_action(
            session,
            cycle=cycle,
            title=entry.title.data or "",
            details=entry.details.data or "",
            owner_id=_int(entry.owner_id.data),
            due=entry.due_week.data or None,
            user_id=user_id,
        )
        note("action", item.title, action_item_id=item.id)
        created += 1
    return created


def _save_new_learnings(
    form: MeetingForm, *, session: Session, cycle: Cycle, user_id: int | None, note: Note
) -> int:
    from tracker.learnings.service import create_learning

    created = 0
    for row in form.new_learnings:
        entry = row.form
        text = (entry.text.data or "").strip()
        if not text:
            continue
        experiment_id = _int(entry.experiment_id.data)
        learning = create_learning(
            session,
            text=text,
            area_id=cycle.focus_area_id,
            tags=entry.tags.data or "",
            experiment_ids=[experiment_id] if experiment_id else [],
            user_id=user_id,
        )
        note(
            "learning",
            text,
            learning_id=learning.id,
            experiment_id=experiment_id,
        )
        created += 1
    return created


def _by_id(session: Session, model: type[Record], ids: list[int]) -> dict[int | None, Record]:
    wanted = sorted({i for i in ids if i})
    if not wanted:
        return {}
    column: Any = model.id  # type: ignore[attr-defined]
    rows: Sequence[Record] = session.exec(select(model).where(col(column).in_(wanted))).all()
    return {getattr(row, "id", None): row for row in rows}
