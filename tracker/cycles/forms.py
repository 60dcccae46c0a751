"""The review meeting's one form, and the small forms of the phase buttons.

Row forms are plain ``wtforms.Form``: the page's one CSRF token covers them.
Rows left empty (no title, no text, no decision) are ignored, so the page can
offer spare rows without making anyone fill them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

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

OUTCOMES = [
    SelectChoice("", "No decision yet"),
    SelectChoice("won", "Won"),
    SelectChoice("lost", "Lost"),
    SelectChoice("inconclusive", "Inconclusive"),
]
ACTIONS = [
    SelectChoice("", "—"),
    SelectChoice("ship", "Ship"),
    SelectChoice("iterate", "Iterate"),
    SelectChoice("abandon", "Abandon"),
]
STATUSES = [
    SelectChoice(ActionStatus.open.value, "Open"),
    SelectChoice(ActionStatus.in_progress.value, "In progress"),
    SelectChoice(ActionStatus.done.value, "Done"),
    SelectChoice(ActionStatus.dropped.value, "Dropped"),
]
SPARE_ACTION_ROWS = 3
SPARE_LEARNING_ROWS = 2


class DecisionRow(Form):
    experiment_id = HiddenField()
    outcome = SelectField("Outcome", choices=OUTCOMES, default="")
    action = SelectField("Action", choices=ACTIONS, default="")
    rationale = TextAreaField("Rationale", validators=[fits(Experiment, "rationale")])
    early_reason = TextAreaField(
        "Why decide before the planned sample size?", validators=[Length(max=1000)]
    )

    def validate_action(self, field: SelectField) -> None:
        if self.outcome.data and not field.data:
            raise ValidationError("Choose ship, iterate or abandon.")
        if field.data and not self.outcome.data:
            raise ValidationError("Choose the outcome first: won, lost or inconclusive.")

    def validate_rationale(self, field: TextAreaField) -> None:
        if self.outcome.data and not (field.data or "").strip():
            raise ValidationError("Say why, in a sentence: the retrospective will quote it.")


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
    item_id = HiddenField()
    version = HiddenField()
    status = SelectField("Status", choices=STATUSES)


class SelectionRow(Form):
    hypothesis_id = HiddenField()
    selected = BooleanField("Select for next week")


class NewActionRow(Form):
    title = StringField("Action", validators=[Length(max=200)])
    owner_id = SelectField(
        "Owner",
        coerce=str,
        validate_choice=False,
        validators=[offered("Choose an owner from the list: that person is not on the team.")],
    )
    due_week = StringField("Due week", validators=[Length(max=10)])
    details = StringField("Details", validators=[fits(ActionItem, "details")])

    @property
    def filled(self) -> bool:
        return bool((self.title.data or "").strip() or (self.details.data or "").strip())

    def validate_title(self, field: StringField) -> None:
        if self.filled and not (field.data or "").strip():
            raise ValidationError("Give the action a short title.")

    def validate_due_week(self, field: StringField) -> None:
        if not self.filled:
            return
        try:
            field.data = str(IsoWeek.parse(field.data or ""))
        except ValueError:
            raise ValidationError("Write the week like 2026-W49.") from None


class NewLearningRow(Form):
    text = TextAreaField("Learning", validators=[fits(Learning, "text")])
    tags = StringField("Tags", validators=[Length(max=300)])
    experiment_id = SelectField(
        "From experiment",
        coerce=str,
        validate_choice=False,
        validators=[offered("Choose an experiment from the list: that one is not on the agenda.")],
    )


class MeetingForm(FlaskForm):
    """Everything the review meeting records, saved with one submit."""

    version = HiddenField()
    meeting_date = DateField("Meeting date", validators=[Optional()])
    attendees = StringField("Attendees", validators=[Length(max=1000)])
    notes = TextAreaField("Notes", validators=[fits(Cycle, "notes")])
    decisions = FieldList(FormField(DecisionRow))
    actions = FieldList(FormField(ActionStatusRow))
    selections = FieldList(FormField(SelectionRow))
    next_focus_area_id = SelectField(
        "Focus area for next week",
        coerce=str,
        validate_choice=False,
        validators=[offered("Choose an area from the list: that one is not active.")],
    )
    new_actions = FieldList(FormField(NewActionRow), min_entries=SPARE_ACTION_ROWS)
    new_learnings = FieldList(FormField(NewLearningRow), min_entries=SPARE_LEARNING_ROWS)
    add_action = SubmitField("Add another action")
    add_learning = SubmitField("Add another learning")
    save = SubmitField("Save the meeting")
    # pressed in the close popover: save everything typed, then close, in one step
    close_cycle = SubmitField("Close the cycle")
    cycle_id = HiddenField()

    def set_choices(
        self, *, people: list[Any], areas: list[Any], experiments: list[tuple[int, str]]
    ) -> None:
        owners = [SelectChoice("", "Unassigned")] + [
            SelectChoice(str(p.id), p.display_name) for p in people
        ]
        for row in self.new_actions:
            row.form.owner_id.choices = owners
        sources = [SelectChoice("", "—")] + [SelectChoice(str(i), t) for i, t in experiments]
        for row in self.new_learnings:
            row.form.experiment_id.choices = sources
        self.next_focus_area_id.choices = [SelectChoice(str(a.id), a.name) for a in areas]


class PhaseForm(FlaskForm):
    advance = SubmitField("Next phase")


class StepBackForm(FlaskForm):
    note = TextAreaField(
        "Why step back?",
        validators=[
            DataRequired("Say why you are stepping back: the note is kept in the history."),
            Length(max=1000),
        ],
    )
    step_back = SubmitField("Step back")


class CloseForm(FlaskForm):
    confirm = SubmitField("Close the cycle")


class ActionStatusForm(FlaskForm):
    """The status control of one item on the My actions page."""

    status = SelectField("Status", choices=STATUSES)
    version = IntegerField(validators=[Optional()])
    save = SubmitField("Update")
