"""The calculators' forms: GET forms, so the query string holds the inputs and a
result can be bookmarked. Each bad value gets a message beside its field."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from wtforms import Field, SelectChoice, SelectField, ValidationError
from wtforms.validators import InputRequired, Optional

from tracker.figures import KIND_FIELDS, figures_problem
from tracker.formfields import FloatField, IntegerField

KIND_CHOICES = [
    SelectChoice("proportion", "Proportion (converts or not)"),
    SelectChoice("mean", "Mean (an amount per unit)"),
    SelectChoice("rate", "Rate (events per exposure)"),
]
ALTERNATIVE_CHOICES = [
    SelectChoice("two-sided", "Two-sided: either direction"),
    SelectChoice("larger", "One-sided: variant higher"),
    SelectChoice("smaller", "One-sided: variant lower"),
]


def _between_zero_and_one(name: str) -> Any:
    def check(_form: Any, field: Field) -> None:
        if field.data is not None and not 0 < field.data < 1:
            raise ValidationError(f"{name} must be between 0 and 1 (exclusive), like 0.05.")

    return check


class GetForm(FlaskForm):
    class Meta:
        csrf = False


class SampleSizeForm(GetForm):
    kind = SelectField("Metric kind", choices=KIND_CHOICES, default="proportion")
    baseline = FloatField(
        "Baseline", validators=[InputRequired("Enter the baseline: the control's current value.")]
    )
    sd = FloatField("Standard deviation", validators=[Optional()])
    mde = FloatField(
        "Minimum detectable effect",
        validators=[InputRequired("Enter the smallest change worth detecting.")],
    )
    mde_type = SelectField(
        "The effect is",
        choices=[
            SelectChoice("relative", "Relative: % of the baseline"),
            SelectChoice("absolute", "Absolute: in the metric's units"),
        ],
        default="relative",
    )
    alpha = FloatField(
        "Alpha",
        default=0.05,
        validators=[InputRequired("Enter alpha, like 0.05."), _between_zero_and_one("Alpha")],
    )
    power = FloatField(
        "Power",
        default=0.8,
        validators=[InputRequired("Enter the power, like 0.8."), _between_zero_and_one("Power")],
    )
    alternative = SelectField("Test", choices=ALTERNATIVE_CHOICES, default="two-sided")
    variants = IntegerField(
        "Variants",
        default=1,
        validators=[InputRequired("Enter the number of variants besides control (1 or more).")],
    )
    ratio = FloatField(
        "Allocation ratio",
        default=1.0,
        validators=[InputRequired("Enter each variant's size over control's (1 for equal).")],
    )
    weekly_volume = FloatField("Weekly volume", validators=[Optional()])

    def validate_baseline(self, field: Field) -> None:
        if field.data is None:
            return
        if self.kind.data == "proportion" and not 0 < field.data < 100:
            raise ValidationError("A proportion's baseline is a percentage between 0 and 100.")
        if self.kind.data == "rate" and field.data <= 0:
            raise ValidationError("A rate's baseline must be above zero.")

    def validate(self, extra_validators: Any = None) -> bool:
        ok = super().validate(extra_validators)
        if self.kind.data == "mean" and not self.sd.errors:
            if self.sd.data is None:
                self.sd.errors = ["Enter the standard deviation of the metric per unit."]
            elif self.sd.data <= 0:
                self.sd.errors = ["The standard deviation must be above zero."]
            ok = ok and not self.sd.errors
        return bool(ok)

    def validate_mde(self, field: Field) -> None:
        if field.data == 0:
            raise ValidationError(
                "The effect cannot be zero: enter the smallest change that matters."
            )

    def validate_variants(self, field: Field) -> None:
        if field.data is not None and not 1 <= field.data <= 20:
            raise ValidationError("Enter between 1 and 20 variants.")

    def validate_ratio(self, field: Field) -> None:
        if field.data is not None and not 0 < field.data <= 100:
            raise ValidationError("The ratio must be above 0 (1 splits traffic equally).")

    def validate_weekly_volume(self, field: Field) -> None:
        if field.data is not None and field.data <= 0:
            raise ValidationError("The weekly volume must be above zero, or leave it empty.")


# The figures each kind of arm needs, per arm.
ARM_FIELDS = KIND_FIELDS


def _arm_fields(arm: str) -> dict[str, Field]:
    return {
        f"{arm}_successes": IntegerField("Successes", validators=[Optional()]),
        f"{arm}_trials": IntegerField("Trials", validators=[Optional()]),
        f"{arm}_n": IntegerField("Units (n)", validators=[Optional()]),
        f"{arm}_mean": FloatField("Mean", validators=[Optional()]),
        f"{arm}_sd": FloatField("Standard deviation", validators=[Optional()]),
        f"{arm}_events": IntegerField("Events", validators=[Optional()]),
        f"{arm}_exposure": FloatField("Exposure", validators=[Optional()]),
    }


class _SignificanceBase(GetForm):
    kind = SelectField("Metric kind", choices=KIND_CHOICES, default="proportion")
    alpha = FloatField(
        "Alpha",
        default=0.05,
        validators=[InputRequired("Enter alpha, like 0.05."), _between_zero_and_one("Alpha")],
    )
    alternative = SelectField("Test", choices=ALTERNATIVE_CHOICES, default="two-sided")

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
