"""The forms of an experiment: its design, its results (typed or a CSV file) and its
decision."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
    ValidationError,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from tracker.figures import KIND_FIELDS, figures_problem
from tracker.figures import WHOLE_FIELDS as INTEGER_FIELDS
from tracker.formfields import FloatField, IntegerField, fits
from tracker.models import Experiment
from tracker.translation import _

# Short names in the selects, so the choice shows whole in a phone's column and
# in a third of the form on a laptop; what each one means is written beneath the
# field (templates/macros/choices.html).
ALTERNATIVES = (
    SelectChoice("two-sided", _l("Two-sided")),
    SelectChoice("larger", _l("One-sided, higher")),
    SelectChoice("smaller", _l("One-sided, lower")),
)
ALTERNATIVE_NOTES = {
    "two-sided": _l("A change either way counts: the usual choice."),
    "larger": _l(
        "Only a variant above control can come out significant; it needs a little less "
        "data for the same power."
    ),
    "smaller": _l(
        "Only a variant below control can come out significant; it needs a little less "
        "data for the same power."
    ),
}
DESIGN_KINDS = (
    SelectChoice("group_sequential", _l("Weekly looks")),
    SelectChoice("fixed", _l("One look")),
    SelectChoice("always_valid", _l("Any time")),
)
DESIGN_KIND_NOTES = {
    "group_sequential": _l(
        "Weekly looks suit a weekly review: each meeting may stop the test once the evidence "
        "crosses its boundary, and the chance of a false winner stays at alpha."
    ),
    "fixed": _l(
        "The result is judged once, when the planned sample size is reached: the smallest "
        "sample, but no stopping early."
    ),
    "always_valid": _l(
        "Always valid: the result may be judged at any look, at the price of a larger sample."
    ),
}
SPENDINGS = (
    SelectChoice("obrien-fleming", _l("O'Brien-Fleming")),
    SelectChoice("pocock", _l("Pocock")),
)
SPENDING_NOTES = {
    "obrien-fleming": _l("Strict at the early looks, near the fixed test at the end."),
    "pocock": _l("The same bar at every look, and a larger maximum sample."),
}
OUTCOMES = (
    SelectChoice("won", _l("Won: the variant is better")),
    SelectChoice("lost", _l("Lost: the variant is worse")),
    SelectChoice("inconclusive", _l("Inconclusive: no clear difference")),
)
ACTIONS = (
    SelectChoice("ship", _l("Ship the change")),
    SelectChoice("iterate", _l("Iterate: test a new version")),
    SelectChoice("abandon", _l("Abandon the idea")),
)
MAX_ARMS = 8


def _strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


class ArmForm(Form):
    """One arm: its name and planned share of traffic (control is the first row)."""

    name = StringField(
        _l("Name"), validators=[DataRequired(_l("Name the arm.")), Length(max=60)], filters=[_strip]
    )
    share = FloatField(
        _l("Traffic share"),
        validators=[InputRequired(_l("Enter a share between 0 and 1, such as 0.5."))],
    )

    def validate_share(self, field: FloatField) -> None:
        if field.data is not None and not (math.isfinite(field.data) and 0 < field.data <= 1):
            raise ValidationError(_("A share is above 0 and at most 1."))


class DesignForm(FlaskForm):
    """An experiment's design. ``metric_kinds`` maps each metric id to its kind, so the
    baseline is checked for the chosen metric."""

    version = HiddenField()
    title = StringField(
        _l("Title"),
        validators=[DataRequired(_l("Give the experiment a title.")), Length(max=200)],
        filters=[_strip],
    )
    owner_id = SelectField(
        _l("Owner"), coerce=int, validators=[InputRequired(_l("Choose an owner."))]
    )
    primary_metric_id = SelectField(
        _l("Primary metric"),
        coerce=int,
        validators=[InputRequired(_l("Choose the primary metric."))],
    )
    guardrail_ids = SelectMultipleField(
        _l("Guardrail metrics"), coerce=int, validators=[Optional()]
    )
    arms = FieldList(FormField(ArmForm), min_entries=2, max_entries=MAX_ARMS)
    add_variant = SubmitField(_l("Add a variant"))
    remove_variant = SubmitField(_l("Remove the last variant"))
    baseline = FloatField(_l("Baseline"), validators=[Optional()])
    baseline_sd = FloatField(_l("Standard deviation"), validators=[Optional()])
    mde = FloatField(
        _l("Minimum detectable effect"),
        validators=[InputRequired(_l("Enter the smallest effect worth detecting."))],
    )
    mde_relative = BooleanField(_l("Relative to the baseline (10 = a lift of 10%)"))
    alpha = FloatField(
        _l("Alpha (significance level)"),
        validators=[InputRequired(_l("Enter alpha, such as 0.05."))],
    )
    power = FloatField(_l("Power"), validators=[InputRequired(_l("Enter the power, such as 0.8."))])
    alternative = SelectField(_l("Alternative"), choices=ALTERNATIVES)
    design_kind = SelectField(
        _l("How you will look"), choices=DESIGN_KINDS, default="group_sequential"
    )
    design_spending = SelectField(_l("Boundaries"), choices=SPENDINGS, default="obrien-fleming")
    design_looks = IntegerField(
        _l("Planned looks"), default=5, validators=[Optional()], render_kw={"min": 2, "max": 20}
    )
    reason = TextAreaField(
        _l("Reason for changing a running experiment"),
        validators=[Length(max=1000)],
        filters=[_strip],
    )
    save = SubmitField(_l("Save the design"))
    # what each short option of a select means, shown beneath it
    notes: ClassVar[dict[str, dict[str, Any]]] = {
        "alternative": ALTERNATIVE_NOTES,
        "design_kind": DESIGN_KIND_NOTES,
        "design_spending": SPENDING_NOTES,
    }

    def __init__(self, *args: Any, metric_kinds: Mapping[int, str] | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.metric_kinds = dict(metric_kinds or {})

    @property
    def kind(self) -> str | None:
        return self.metric_kinds.get(self.primary_metric_id.data or 0)

    def shares(self) -> list[float]:
        return [entry.form.share.data or 0.0 for entry in self.arms]

    def validate_arms(self, field: FieldList) -> None:
        from experiments.planning import shares_problem

        names = [(entry.form.name.data or "").strip().lower() for entry in field]
        if len(field) < 2:
            raise ValidationError(_("An experiment needs a control and at least one variant."))
        if len(set(names)) != len(names):
            raise ValidationError(_("Give every arm its own name."))
        shares = [entry.form.share.data for entry in field]
        if any(share is None for share in shares):
            return  # the row's own message says what is missing
        problem = shares_problem([float(share) for share in shares])
        if problem:
            raise ValidationError(problem)

    def validate_alpha(self, field: FloatField) -> None:
        if field.data is not None and not (math.isfinite(field.data) and 0 < field.data < 1):
            raise ValidationError(_("Alpha must be between 0 and 1 (exclusive), such as 0.05."))
        if field.data is not None and field.data >= 0.5:
            raise ValidationError(_("Alpha must be below 0.5; 0.05 is usual."))

    def validate_power(self, field: FloatField) -> None:
        if field.data is not None and not (math.isfinite(field.data) and 0 < field.data < 1):
            raise ValidationError(_("Power must be between 0 and 1 (exclusive), such as 0.8."))

    def validate_mde(self, field: FloatField) -> None:
        if field.data is not None and (field.data == 0 or not math.isfinite(field.data)):
            raise ValidationError(_("The minimum detectable effect must not be zero."))

    def validate_design_looks(self, field: IntegerField) -> None:
        if self.design_kind.data != "group_sequential":
            return
        if field.data is None:
            raise ValidationError(_("Enter the number of weekly looks you plan, such as 5."))
        if not 2 <= field.data <= 20:
            raise ValidationError(_("Plan between 2 and 20 looks: one per weekly meeting."))

    def validate_baseline(self, field: FloatField) -> None:
        value = field.data
        if value is None:
            return  # filled in from the metric's readings, or reported when it can't be
        if not math.isfinite(value):
            raise ValidationError(_("Enter a finite number."))
        # typed as a percentage, as the calculator asks (tracker.experiments.entry)
        if self.kind == "proportion" and not 0 < value < 100:
            raise ValidationError(_("A proportion's baseline is a percentage between 0 and 100."))
        if self.kind == "rate" and value <= 0:
            raise ValidationError(_("A rate's baseline is above zero."))

    def validate_baseline_sd(self, field: FloatField) -> None:
        if self.kind != "mean" or field.data is None:
            return
        if not (math.isfinite(field.data) and field.data > 0):
            raise ValidationError(_("The standard deviation must be above zero."))


def arm_rows(form: DesignForm) -> list[dict[str, Any]]:
    return [
        {"name": (entry.form.name.data or "").strip(), "share": entry.form.share.data}
        for entry in form.arms
    ]


class DecisionForm(FlaskForm):
    # No outcome is chosen for the user: the verdict informs it, the team decides it.
    outcome = SelectField(
        _l("Outcome"),
        choices=(SelectChoice("", _l("Choose the outcome")), *OUTCOMES),
        validators=[DataRequired(_l("Choose the outcome: won, lost or inconclusive."))],
    )
    action = SelectField(_l("Action"), choices=ACTIONS)
    rationale = TextAreaField(
        _l("Rationale"),
        validators=[
            DataRequired(_l("Say why: what the data showed and what it means.")),
            fits(Experiment, "rationale"),
        ],
        filters=[_strip],
    )
    early_decision_reason = TextAreaField(
        _l("Reason for deciding before the planned sample size"),
        validators=[Length(max=1000)],
        filters=[_strip],
    )
    decide = SubmitField(_l("Record the decision"))

    def __init__(self, *args: Any, preliminary: bool = False, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.preliminary = preliminary


class ResultsUploadForm(FlaskForm):
    csv_file = FileField(_l("CSV file of per-arm figures"))
    upload = SubmitField(_l("Import the file"))


class ResultsFormBase(FlaskForm):
    note = StringField(_l("Note"), validators=[Length(max=300)], filters=[_strip])
    confirm_lower = BooleanField(_l("Save anyway: these figures replace the last result set"))
    save_results = SubmitField(_l("Save the results and analyse"))

    cells: list[dict[str, Any]]
    lower_than_last = False  # set when counts fell since the last result set
    required_metric_id: int

    def validate(self, extra_validators: Any = None) -> bool:
        valid = super().validate(extra_validators)
        for metric in {cell["metric_id"]: cell for cell in self.cells}.values():
            metric_id, kind = metric["metric_id"], metric["kind"]
            rows = [cell for cell in self.cells if cell["metric_id"] == metric_id]
            entered = [
                self[name].data
                for cell in rows
                for name in cell["fields"].values()
                if self[name].data is not None
            ]
            if not entered and metric_id != self.required_metric_id:
                continue  # a guardrail left for another time
            for cell in rows:
                values = {stat: self[name].data for stat, name in cell["fields"].items()}
                for stat, message in figures_problem(kind, values).items():
                    field = self[cell["fields"][stat]]
                    if not field.errors:
                        field.errors = [*field.errors, message]
                    valid = False
        return bool(valid)

    def figures(self) -> dict[tuple[int, int], dict[str, float | int]]:
        """The figures entered, keyed by (arm id, metric id); skipped metrics left out."""
        result: dict[tuple[int, int], dict[str, float | int]] = {}
        for cell in self.cells:
            values = {stat: self[name].data for stat, name in cell["fields"].items()}
            if all(value is not None for value in values.values()):
                result[(cell["arm_id"], cell["metric_id"])] = values
        return result


def results_form_class(arms: Sequence[Any], metrics: Sequence[Any], primary_id: int) -> type:
    """A form with one field per arm, metric and statistic of the metric's kind."""

    class ResultsForm(ResultsFormBase):
        pass

    cells = []
    for metric in metrics:
        kind = str(getattr(metric.kind, "value", metric.kind))
        for arm in arms:
            fields = {}
            for stat in KIND_FIELDS[kind]:
                name = f"m{metric.id}_a{arm.id}_{stat}"
                label = f"{stat} of {arm.name} on {metric.name}"
                kind_class = IntegerField if stat in INTEGER_FIELDS else FloatField
                setattr(ResultsForm, name, kind_class(label, validators=[Optional()]))
                fields[stat] = name
            cells.append({"arm_id": arm.id, "metric_id": metric.id, "kind": kind, "fields": fields})
    ResultsForm.cells = cells
    ResultsForm.required_metric_id = primary_id
    return ResultsForm


class ConfirmForm(FlaskForm):
    """A button that only posts (start, stop, delete): the CSRF token is its content."""

    submit = SubmitField(_l("Confirm"))
