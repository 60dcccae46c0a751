"""The review meeting's one form, and the small forms of the phase buttons.

Row forms are plain ``wtforms.Form``: the page's one CSRF token covers them.
Rows left empty (no title, no text, no decision) are ignored, so the page can
offer spare rows without making anyone fill them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    SelectChoice,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
    ValidationError,
)
from wtforms.validators import DataRequired, Length, Optional

from experiments.cycles import ActionStatus, IsoWeek
from tracker.formfields import IntegerField, fits
from tracker.models import ActionItem, Cycle, Experiment, Learning
from tracker.translation import _
from tracker.widgets import (
    CheckboxInput,
    DateInput,
    HiddenInput,
    Select,
    SubmitInput,
    TextArea,
    TextInput,
)

OUTCOMES = [
    SelectChoice("", _l("No decision yet")),
    SelectChoice("won", _l("Won")),
    SelectChoice("lost", _l("Lost")),
    SelectChoice("inconclusive", _l("Inconclusive")),
]
ACTIONS = [
    SelectChoice("", "—"),
    SelectChoice("ship", _l("Ship")),
    SelectChoice("iterate", _l("Iterate")),
    SelectChoice("abandon", _l("Abandon")),
]
STATUSES = [
    SelectChoice(ActionStatus.open.value, _l("Open")),
    SelectChoice(ActionStatus.in_progress.value, _l("In progress")),
    SelectChoice(ActionStatus.done.value, _l("Done")),
    SelectChoice(ActionStatus.dropped.value, _l("Dropped")),
]
SPARE_ACTION_ROWS = 3
SPARE_LEARNING_ROWS = 2


class DecisionRow(Form):
    experiment_id = HiddenField(widget=HiddenInput())
    outcome = SelectField(_l("Outcome"), choices=OUTCOMES, default="", widget=Select())
    action = SelectField(_l("Action"), choices=ACTIONS, default="", widget=Select())
    rationale = TextAreaField(
        _l("Rationale"), validators=[fits(Experiment, "rationale")], widget=TextArea()
    )
    early_reason = TextAreaField(
        _l("Why decide before the planned sample size?"),
        validators=[Length(max=1000)],
        widget=TextArea(),
    )

    def validate_action(self, field: SelectField) -> None:
        if self.outcome.data and not field.data:
            raise ValidationError(_("Choose ship, iterate or abandon."))
        if field.data and not self.outcome.data:
            raise ValidationError(_("Choose the outcome first: won, lost or inconclusive."))

    def validate_rationale(self, field: TextAreaField) -> None:
        if self.outcome.data and not (field.data or "").strip():
            raise ValidationError(_("Say why, in a sentence: the retrospective will quote it."))


def offered(message: str) -> Callable[[Form, SelectField], None]:
    """A check that a select's value is one of its choices (or empty): an id the
    page did not offer (someone removed meanwhile, a forged post) gets a message
    beside the field instead of reaching the database."""

    def check(_form: Form, field: SelectField) -> None:
        values = {str(getattr(choice, "value", choice)) for choice in field.choices or []}
        if field.data not in (None, "", "None") and str(field.data) not in values:
            raise ValidationError(message)

    return check


class ActionStatusRow(Form):
    item_id = HiddenField(widget=HiddenInput())
    version = HiddenField(widget=HiddenInput())
    status = SelectField(_l("Status"), choices=STATUSES, widget=Select())


class SelectionRow(Form):
    hypothesis_id = HiddenField(widget=HiddenInput())
    selected = BooleanField(_l("Select for next week"), widget=CheckboxInput())


class NewActionRow(Form):
    title = StringField(_l("Action"), validators=[Length(max=200)], widget=TextInput())
    owner_id = SelectField(
        _l("Owner"),
        coerce=str,
        validate_choice=False,
        validators=[offered(_l("Choose an owner from the list: that person is not on the team."))],
        widget=Select(),
    )
    due_week = StringField(_l("Due week"), validators=[Length(max=10)], widget=TextInput())
    details = StringField(
        _l("Details"), validators=[fits(ActionItem, "details")], widget=TextInput()
    )

    @property
    def filled(self) -> bool:
        return bool((self.title.data or "").strip() or (self.details.data or "").strip())

    def validate_title(self, field: StringField) -> None:
        if self.filled and not (field.data or "").strip():
            raise ValidationError(_("Give the action a short title."))

    def validate_due_week(self, field: StringField) -> None:
        if not self.filled:
            return
        try:
            field.data = str(IsoWeek.parse(field.data or ""))
        except ValueError:
            raise ValidationError(_("Write the week like 2026-W49.")) from None


class NewLearningRow(Form):
    text = TextAreaField(_l("Learning"), validators=[fits(Learning, "text")], widget=TextArea())
    tags = StringField(_l("Tags"), validators=[Length(max=300)], widget=TextInput())
    experiment_id = SelectField(
        _l("From experiment"),
        coerce=str,
        validate_choice=False,
        validators=[
            offered(_l("Choose an experiment from the list: that one is not on the agenda."))
        ],
        widget=Select(),
    )


class MeetingForm(FlaskForm):
    """Everything the review meeting records, saved with one submit."""

    version = HiddenField(widget=HiddenInput())
    meeting_date = DateField(_l("Meeting date"), validators=[Optional()], widget=DateInput())
    attendees = StringField(_l("Attendees"), validators=[Length(max=1000)], widget=TextInput())
    notes = TextAreaField(_l("Notes"), validators=[fits(Cycle, "notes")], widget=TextArea())
    decisions = FieldList(FormField(DecisionRow))
    actions = FieldList(FormField(ActionStatusRow))
    selections = FieldList(FormField(SelectionRow))
    next_focus_area_id = SelectField(
        _l("Focus area for next week"),
        coerce=str,
        validate_choice=False,
        validators=[offered(_l("Choose an area from the list: that one is not active."))],
        widget=Select(),
    )
    new_actions = FieldList(FormField(NewActionRow), min_entries=SPARE_ACTION_ROWS)
    new_learnings = FieldList(FormField(NewLearningRow), min_entries=SPARE_LEARNING_ROWS)
    add_action = SubmitField(_l("Add another action"), widget=SubmitInput())
    add_learning = SubmitField(_l("Add another learning"), widget=SubmitInput())
    save = SubmitField(_l("Save the meeting"), widget=SubmitInput())
    # pressed in the close popover: save everything typed, then close, in one step
    close_cycle = SubmitField(_l("Close the cycle"), widget=SubmitInput())
    cycle_id = HiddenField(widget=HiddenInput())

    def set_choices(
        self, *, people: list[Any], areas: list[Any], experiments: list[tuple[int, str]]
    ) -> None:
        # names and titles people wrote: each option reads in its own direction
        own = {"dir": "auto"}
        owners = [SelectChoice("", _l("Unassigned"))] + [
            SelectChoice(str(p.id), p.display_name, render_kw=own) for p in people
        ]
        for row in self.new_actions:
            row.form.owner_id.choices = owners
        sources = [SelectChoice("", "—")] + [
            SelectChoice(str(i), t, render_kw=own) for i, t in experiments
        ]
        for row in self.new_learnings:
            row.form.experiment_id.choices = sources
        self.next_focus_area_id.choices = [
            SelectChoice(str(a.id), a.name, render_kw=own) for a in areas
        ]


class PhaseForm(FlaskForm):
    advance = SubmitField(_l("Next phase"))


class StepBackForm(FlaskForm):
    note = TextAreaField(
        _l("Why step back?"),
        validators=[
            DataRequired(_l("Say why you are stepping back: the note is kept in the history.")),
            Length(max=1000),
        ],
    )
    step_back = SubmitField(_l("Step back"))


class CloseForm(FlaskForm):
    confirm = SubmitField(_l("Close the cycle"))


class ActionStatusForm(FlaskForm):
    """The status control of one item on the My actions page."""

    status = SelectField(_l("Status"), choices=STATUSES)
    version = IntegerField(validators=[Optional()])
    save = SubmitField(_l("Update"))
