"""The hypothesis form, built around "If we ... then ... because ...", with the
score fields of the team's priority model."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from wtforms import (
    Field,
    FloatField,
    SelectChoice,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
    ValidationError,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from experiments.priority import FIELDS, FieldSpec
from tracker.models import ExpectedDirection, HypothesisStatus

STATUS_LABELS = {
    HypothesisStatus.backlog: "Backlog",
    HypothesisStatus.selected: "Selected",
    HypothesisStatus.testing: "Testing",
    HypothesisStatus.validated: "Validated",
    HypothesisStatus.invalidated: "Invalidated",
    HypothesisStatus.inconclusive: "Inconclusive",
    HypothesisStatus.parked: "Parked",
}
STATUS_CHOICES = [SelectChoice(status.value, label) for status, label in STATUS_LABELS.items()]
DIRECTION_CHOICES = [
    SelectChoice(ExpectedDirection.increase.value, "rise"),
    SelectChoice(ExpectedDirection.decrease.value, "fall"),
]
SCORE_PREFIX = "score_"


def optional_int(value: Any) -> int | None:
    """A select's value as an id, ``None`` for the empty choice."""
    if value in (None, "", "None"):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class HypothesisForm(FlaskForm):
    """Fields every model shares; ``hypothesis_form`` adds the score fields."""

    title = StringField(
        "Title",
        validators=[
            DataRequired("Give the hypothesis a short title the team will recognise."),
            Length(max=200, message="Keep the title under 200 characters."),
        ],
    )
    change = TextAreaField(
        "If we",
        validators=[DataRequired("Describe the change you would make.")],
    )
    metric_id = SelectField("then", coerce=optional_int, validate_choice=False)
    direction = SelectField("will", choices=DIRECTION_CHOICES, default="increase")
    expected_effect = FloatField(
        "by",
        validators=[InputRequired("Enter by how much, in percent (10 for 10%).")],
    )
    rationale = TextAreaField(
        "because",
        validators=[DataRequired("Say why you believe it: the insight behind the change.")],
    )
    forecast_win_probability = FloatField(
        "Chance it ends as a win (%)",
        validators=[Optional()],
        description="Your forecast, 0 to 100: the Insights page scores it against the outcome.",
        render_kw={"min": "0", "max": "100", "step": "any", "inputmode": "decimal"},
    )
    area_id = SelectField("Area", coerce=optional_int, validate_choice=False)
    process_id = SelectField("Process", coerce=optional_int, validate_choice=False)
    status = SelectField("Status", choices=STATUS_CHOICES, default="backlog")
    save = SubmitField("Save hypothesis")

    # set by hypothesis_form: the ids that may be chosen, and each process's area
    metric_ids: frozenset[int] = frozenset()
    area_ids: frozenset[int] = frozenset()
    process_areas: dict[int, int] = {}  # noqa: RUF012 - replaced per instance
    priority_model: str = "ice"

    def validate_metric_id(self, field: Field) -> None:
        if field.data is None:
            if self.metric_ids:
                raise ValidationError("Choose the metric this change should move.")
            return
        if field.data not in self.metric_ids:
            raise ValidationError("Choose one of the metrics in the list.")

    def validate_expected_effect(self, field: Field) -> None:
        if field.data is None:
            return
        if field.data == 0:
            raise ValidationError("The expected change cannot be zero: enter a size above 0%.")
        if field.data < 0:
            raise ValidationError("Enter the size without a sign; choose rise or fall instead.")
        if field.data > 1000:
            raise ValidationError("Enter at most 1000%.")

    def validate_forecast_win_probability(self, field: Field) -> None:
        if field.data is not None and not 0 <= field.data <= 100:
            raise ValidationError("Enter a chance from 0 to 100 (70 for 70%).")

    def forecast(self) -> float | None:
        """The forecast as a probability, 0 to 1."""
        value = self.forecast_win_probability.data
        return None if value is None else round(value / 100, 4)

    def validate_area_id(self, field: Field) -> None:
        if field.data is None or field.data not in self.area_ids:
            raise ValidationError("Choose the area this hypothesis belongs to.")

    def validate_process_id(self, field: Field) -> None:
        if field.data is None:
            return
        area = self.process_areas.get(field.data)
        if area is None:
            raise ValidationError("Choose one of the processes in the list.")
        if self.area_id.data is not None and area != self.area_id.data:
            raise ValidationError(
                "This process belongs to another area: choose one of this area's."
            )

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
            raise ValidationError(f"{spec.label} must be {spec.valid_range}.") from None

    required = InputRequired(f"Choose the {spec.label.lower()}: {spec.valid_range}.")
    if spec.choices is not None or spec.maximum is not None:
        values = spec.choices or tuple(
            float(v) for v in range(int(spec.maximum or 10), int(spec.minimum) - 1, -1)
        )
        choices = [SelectChoice(f"{v:g}", f"{v:g}{spec.unit}") for v in values]
        return SelectField(
            spec.label,
            choices=choices,
            coerce=_number,
            default=spec.default,
            validators=[required, check],
            description=spec.help,
            render_kw={"data-score-field": spec.name},
        )
    return FloatField(
        spec.label,
        default=spec.default,
        validators=[required, check],
        description=spec.help,
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
    status = SelectField("Status", choices=STATUS_CHOICES)
    change_status = SubmitField("Change status")


class DeleteForm(FlaskForm):
    delete = SubmitField("Delete")
