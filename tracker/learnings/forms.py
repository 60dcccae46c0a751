"""The learning form: the insight, its area, tags and the experiments behind it."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    Field,
    HiddenField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
    ValidationError,
)
from wtforms.validators import DataRequired, Length

from tracker.backlog.forms import optional_int
from tracker.formfields import fits
from tracker.learnings.service import normalise_tags
from tracker.models import Learning


class LearningForm(FlaskForm):
    text = TextAreaField(
        _l("What we learned"),
        validators=[
            DataRequired(_l("Write down the insight: what the team now knows.")),
            fits(Learning, "text"),
        ],
    )
    area_id = SelectField(_l("Area"), coerce=optional_int, validate_choice=False)
    tags = StringField(
        _l("Tags"),
        validators=[Length(max=300, message=_l("Keep the tags under 300 characters."))],
    )
    experiment_ids = SelectMultipleField(
        _l("Experiments behind it"), coerce=int, validate_choice=False
    )
    # the version the person read: a save over a newer one is refused
    version = HiddenField()
    save = SubmitField(_l("Save learning"))

    area_ids: frozenset[int] = frozenset()
    experiment_choices: frozenset[int] = frozenset()

    def validate_area_id(self, field: Field) -> None:
        if field.data is not None and field.data not in self.area_ids:
            raise ValidationError(_l("Choose one of the areas in the list."))

    def validate_experiment_ids(self, field: Field) -> None:
        if any(value not in self.experiment_choices for value in field.data or []):
            raise ValidationError(_l("Choose experiments from the list."))

    def validate_tags(self, field: Field) -> None:
        if len(normalise_tags(field.data or "")) > 300:
            raise ValidationError(_l("Keep the tags under 300 characters."))


class DeleteForm(FlaskForm):
    delete = SubmitField(_l("Delete"))
