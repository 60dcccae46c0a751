"""The hypothesis form, built around "If we ... then ... because ...", with the
score fields of the team's priority model."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString
from flask_wtf import FlaskForm
from wtforms import (
    Field,
    HiddenField,
    SelectChoice,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
    ValidationError,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from experiments.priority import FIELDS, FieldSpec
from tracker.backlog.labels import score_help, score_label, valid_range
from tracker.formfields import FloatField, fits
from tracker.models import ExpectedDirection, Hypothesis, HypothesisStatus
from tracker.parsing import parse_id

STATUS_LABELS = {
    HypothesisStatus.backlog: _l("Backlog"),
    HypothesisStatus.selected: _l("Selected"),
    HypothesisStatus.testing: _l("Testing"),
    HypothesisStatus.validated: _l("Validated"),
    HypothesisStatus.invalidated: _l("Invalidated"),
    HypothesisStatus.inconclusive: _l("Inconclusive"),
    HypothesisStatus.parked: _l("Parked"),
}
STATUS_CHOICES = [SelectChoice(status.value, label) for status, label in STATUS_LABELS.items()]
DIRECTION_CHOICES = [
    SelectChoice(ExpectedDirection.increase.value, _l("rise")),
    SelectChoice(ExpectedDirection.decrease.value, _l("fall")),
]
SCORE_PREFIX = "score_"


def optional_int(value: Any) -> int | None:
    """A select's value as an id, ``None`` for the empty choice."""
    return parse_id(value)


class HypothesisForm(FlaskForm):
    """Fields every model shares; ``hypothesis_form`` adds the score fields."""

    title = StringField(
        _l("Title"),
        validators=[
            DataRequired(_l("Give the hypothesis a short title the team will recognise.")),
            Length(max=200, message=_l("Keep the title under 200 characters.")),
        ],
    )
    change = TextAreaField(
        _l("If we"),
        validators=[
            DataRequired(_l("Describe the change you would make.")),
            fits(Hypothesis, "change"),
        ],
    )
    metric_id = SelectField(_l("then"), coerce=optional_int, validate_choice=False)
    direction = SelectField(_l("will"), choices=DIRECTION_CHOICES, default="increase")
    expected_effect = FloatField(
        _l("by"),
        validators=[InputRequired(_l("Enter by how much, in percent (10 for 10%)."))],
    )
    rationale = TextAreaField(
        _l("because"),
        validators=[
            DataRequired(_l("Say why you believe it: the insight behind the change.")),
            fits(Hypothesis, "rationale"),
        ],
    )
    forecast_win_probability = FloatField(
        _l("Chance it ends as a win (%)"),
        validators=[Optional()],
        description=_l("Your forecast, 0 to 100: the Insights page scores it against the outcome."),
        render_kw={"min": "0", "max": "100", "step": "any", "inputmode": "decimal"},
    )
    area_id = SelectField(_l("Area"), coerce=optional_int, validate_choice=False)
    process_id = SelectField(_l("Process"), coerce=optional_int, validate_choice=False)
    status = SelectField(_l("Status"), choices=STATUS_CHOICES, default="backlog")
    # the version the person read: a save over a newer one is refused
    version = HiddenField()
    save = SubmitField(_l("Save hypothesis"))

    # set by hypothesis_form: the ids that may be chosen, and each process's area
    metric_ids: frozenset[int] = frozenset()
    area_ids: frozenset[int] = frozenset()
    process_areas: dict[int, int] = {}  # noqa: RUF012 - replaced per instance
    priority_model: str = "ice"

    def validate_metric_id(self, field: Field) -> None:
        if field.data is None and self.metric_ids:
            raise ValidationError(_l("Choose the metric this change should move."))

    def validate_expected_effect(self, field: Field) -> None:
        if field.data is None:
            return
        if field.data == 0:
            raise ValidationError(_l("The expected change cannot be zero: enter a size above 0%."))
        if field.data < 0:
            raise ValidationError(_l("Enter the size without a sign; choose rise or fall instead."))
        if field.data > 1000:
            raise ValidationError(_l("Enter at most 1000%."))

    def validate_forecast_win_probability(self, field: Field) -> None:
        if field.data is not None and not 0 <= field.data <= 100:
            raise ValidationError(_l("Enter a chance from 0 to 100 (70 for 70%)."))

    def forecast(self) -> float | None:
        """The forecast as a probability, 0 to 1."""
        value = self.forecast_win_probability.data
        return None if value is None else round(value / 100, 4)

    def validate_area_id(self, field: Field) -> None:
        if field.data is None:
            raise ValidationError(_l("Choose the area this hypothesis belongs to."))

    def score_fields(self) -> list[tuple[FieldSpec, Field]]:
        return [(spec, self[SCORE_PREFIX + spec.name]) for spec in FIELDS[self.priority_model]]

    def scores(self) -> dict[str, float]:
        return {spec.name: float(field.data) for spec, field in self.score_fields()}


def _score_field(spec: FieldSpec) -> Field:
    """A select for a short range or a list of choices, a number otherwise."""

    def check(_form: Any, field: Field) -> None:
        try:
            spec.check(field.data)
        except ValueError:
            raise ValidationError(
                _("%(label)s must be %(range)s.", label=score_label(spec), range=valid_range(spec))
            ) from None

    required = InputRequired(
        LazyString(
            lambda: _(
                "Choose the %(label)s: %(range)s.",
                label=score_label(spec).lower(),
                range=valid_range(spec),
            )
        )
    )
    label, help_text = LazyString(score_label, spec), LazyString(score_help, spec)

    if spec.choices is not None or spec.maximum is not None:
        values = spec.choices or tuple(
            float(v) for v in range(int(spec.maximum or 10), int(spec.minimum) - 1, -1)
        )
        choices = [SelectChoice(f"{v:g}", f"{v:g}{spec.unit}") for v in values]
        return SelectField(
            label,
            choices=choices,
            coerce=_number,
            default=spec.default,
            validators=[required, check],
            description=help_text,
            render_kw={"data-score-field": spec.name},
        )
    return FloatField(
        label,
        default=spec.default,
        validators=[required, check],
        description=help_text,
        render_kw={
            "data-score-field": spec.name,
            "step": f"{spec.step:g}",
            "min": f"{spec.minimum:g}",
        },
    )


def _number(value: Any) -> float | None:
    if value in (None, ""):
        return None
    return float(value)


_FORM_CLASSES: dict[str, type[HypothesisForm]] = {}


def hypothesis_form_class(model: str) -> type[HypothesisForm]:
    """The form class for ``model``: the shared fields plus its score fields."""
    if model not in _FORM_CLASSES:
        attributes: dict[str, Any] = {"priority_model": model}
        for spec in FIELDS[model]:
            attributes[SCORE_PREFIX + spec.name] = _score_field(spec)
        _FORM_CLASSES[model] = type(f"{model.title()}HypothesisForm", (HypothesisForm,), attributes)
    return _FORM_CLASSES[model]


class StatusForm(FlaskForm):
    status = SelectField(_l("Status"), choices=STATUS_CHOICES)
    version = HiddenField()
    change_status = SubmitField(_l("Change status"))


class DeleteForm(FlaskForm):
    delete = SubmitField(_l("Delete"))
