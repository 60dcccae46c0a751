"""The calculators' forms: GET forms, so the query string holds the inputs and a
result can be bookmarked. Each bad value gets a message beside its field."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import Field, SelectChoice, SelectField, ValidationError
from wtforms.validators import InputRequired, Optional

from tracker.figures import KIND_FIELDS, figures_problem
from tracker.formfields import FloatField, IntegerField

KIND_CHOICES = [
    SelectChoice("proportion", _l("Proportion (converts or not)")),
    SelectChoice("mean", _l("Mean (an amount per unit)")),
    SelectChoice("rate", _l("Rate (events per exposure)")),
]
ALTERNATIVE_CHOICES = [
    SelectChoice("two-sided", _l("Two-sided: either direction")),
    SelectChoice("larger", _l("One-sided: variant higher")),
    SelectChoice("smaller", _l("One-sided: variant lower")),
]


def _between_zero_and_one(name: Any) -> Any:
    def check(_form: Any, field: Field) -> None:
        if field.data is not None and not 0 < field.data < 1:
            raise ValidationError(
                _("%(name)s must be between 0 and 1 (exclusive), like 0.05.", name=name)
            )

    return check


class GetForm(FlaskForm):
    class Meta:
        csrf = False


class SampleSizeForm(GetForm):
    kind = SelectField(_l("Metric kind"), choices=KIND_CHOICES, default="proportion")
    baseline = FloatField(
        _l("Baseline"),
        validators=[InputRequired(_l("Enter the baseline: the control's current value."))],
    )
    sd = FloatField(_l("Standard deviation"), validators=[Optional()])
    mde = FloatField(
        _l("Minimum detectable effect"),
        validators=[InputRequired(_l("Enter the smallest change worth detecting."))],
    )
    mde_type = SelectField(
        _l("The effect is"),
        choices=[
            SelectChoice("relative", _l("Relative: percent of the baseline")),
            SelectChoice("absolute", _l("Absolute: in the metric's units")),
        ],
        default="relative",
    )
    alpha = FloatField(
        _l("Alpha"),
        default=0.05,
        validators=[
            InputRequired(_l("Enter alpha, like 0.05.")),
            _between_zero_and_one(_l("Alpha")),
        ],
    )
    power = FloatField(
        _l("Power"),
        default=0.8,
        validators=[
            InputRequired(_l("Enter the power, like 0.8.")),
            _between_zero_and_one(_l("Power")),
        ],
    )
    alternative = SelectField(_l("Test"), choices=ALTERNATIVE_CHOICES, default="two-sided")
    variants = IntegerField(
        _l("Variants"),
        default=1,
        validators=[InputRequired(_l("Enter the number of variants besides control (1 or more)."))],
    )
    ratio = FloatField(
        _l("Allocation ratio"),
        default=1.0,
        validators=[InputRequired(_l("Enter each variant's size over control's (1 for equal)."))],
    )
    weekly_volume = FloatField(_l("Weekly volume"), validators=[Optional()])

    def validate_baseline(self, field: Field) -> None:
        if field.data is None:
            return
        if self.kind.data == "proportion" and not 0 < field.data < 100:
            raise ValidationError(_l("A proportion's baseline is a percentage between 0 and 100."))
        if self.kind.data == "rate" and field.data <= 0:
            raise ValidationError(_l("A rate's baseline must be above zero."))

    def validate(self, extra_validators: Any = None) -> bool:
        ok = super().validate(extra_validators)
        if self.kind.data == "mean" and not self.sd.errors:
            if self.sd.data is None:
                self.sd.errors = [_("Enter the standard deviation of the metric per unit.")]
            elif self.sd.data <= 0:
                self.sd.errors = [_("The standard deviation must be above zero.")]
            ok = ok and not self.sd.errors
        return bool(ok)

    def validate_mde(self, field: Field) -> None:
        if field.data == 0:
            raise ValidationError(
                _l("The effect cannot be zero: enter the smallest change that matters.")
            )

    def validate_variants(self, field: Field) -> None:
        if field.data is not None and not 1 <= field.data <= 20:
            raise ValidationError(_l("Enter between 1 and 20 variants."))

    def validate_ratio(self, field: Field) -> None:
        if field.data is not None and not 0 < field.data <= 100:
            raise ValidationError(_l("The ratio must be above 0 (1 splits traffic equally)."))

    def validate_weekly_volume(self, field: Field) -> None:
        if field.data is not None and field.data <= 0:
            raise ValidationError(_l("The weekly volume must be above zero, or leave it empty."))


# The figures each kind of arm needs, per arm.
ARM_FIELDS = KIND_FIELDS


def _arm_fields(arm: str) -> dict[str, Field]:
    return {
        f"{arm}_successes": IntegerField(_l("Successes"), validators=[Optional()]),
        f"{arm}_trials": IntegerField(_l("Trials"), validators=[Optional()]),
        f"{arm}_n": IntegerField(_l("Units (n)"), validators=[Optional()]),
        f"{arm}_mean": FloatField(_l("Mean"), validators=[Optional()]),
        f"{arm}_sd": FloatField(_l("Standard deviation"), validators=[Optional()]),
        f"{arm}_events": IntegerField(_l("Events"), validators=[Optional()]),
        f"{arm}_exposure": FloatField(_l("Exposure"), validators=[Optional()]),
    }


class _SignificanceBase(GetForm):
    kind = SelectField(_l("Metric kind"), choices=KIND_CHOICES, default="proportion")
    alpha = FloatField(
        _l("Alpha"),
        default=0.05,
        validators=[
            InputRequired(_l("Enter alpha, like 0.05.")),
            _between_zero_and_one(_l("Alpha")),
        ],
    )
    alternative = SelectField(_l("Test"), choices=ALTERNATIVE_CHOICES, default="two-sided")

    def validate(self, extra_validators: Any = None) -> bool:
        ok = super().validate(extra_validators)
        kind = self.kind.data or "proportion"
        if kind not in ARM_FIELDS:
            return False
        for arm in ("control", "variant"):
            if any(self[f"{arm}_{name}"].errors for name in ARM_FIELDS.get(kind, ())):
                ok = False
                continue
            for name, message in figures_problem(kind, self.arm(arm)).items():
                self[f"{arm}_{name}"].errors = [message]
                ok = False
        return bool(ok)

    def arm(self, arm: str) -> dict[str, Any]:
        kind = self.kind.data or "proportion"
        return {name: self[f"{arm}_{name}"].data for name in ARM_FIELDS[kind]}


SignificanceForm: type[_SignificanceBase] = type(
    "SignificanceForm", (_SignificanceBase,), {**_arm_fields("control"), **_arm_fields("variant")}
)
