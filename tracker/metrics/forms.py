"""The metric form (from a preset or from scratch) and the reading forms, one
per kind, each with only the figures its kind needs."""

from __future__ import annotations

import math
from datetime import date, timedelta
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlmodel import col, select
from wtforms import (
    DateField,
    Form,
    HiddenField,
    SelectChoice,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
    ValidationError,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from tracker.database import get_session
from tracker.figures import fields_of, figures_problem
from tracker.formfields import FloatField, IntegerField
from tracker.i18n import format_day
from tracker.models import Area, Direction, Metric, MetricKind, Reading, Stage
from tracker.models.live import live

KIND_CHOICES = [
    SelectChoice(MetricKind.proportion.value, _l("Proportion: successes of trials")),
    SelectChoice(MetricKind.mean.value, _l("Mean: an average with its spread")),
    SelectChoice(MetricKind.rate.value, _l("Rate: events per unit of exposure")),
]
DIRECTION_CHOICES = [
    SelectChoice(Direction.higher.value, _l("↑ Higher is better")),
    SelectChoice(Direction.lower.value, _l("↓ Lower is better")),
]


def last_full_week(today: date) -> tuple[date, date]:
    """Monday and Sunday of the last ISO week that has ended before ``today``.

    >>> last_full_week(date(2025, 3, 12))  # a Wednesday
    (datetime.date(2025, 3, 3), datetime.date(2025, 3, 9))
    >>> last_full_week(date(2025, 3, 10))  # a Monday
    (datetime.date(2025, 3, 3), datetime.date(2025, 3, 9))
    """
    monday = today - timedelta(days=today.weekday()) - timedelta(days=7)
    return monday, monday + timedelta(days=6)


def next_reading_week(latest_start: date | None, today: date) -> tuple[date, date]:
    """The week a new reading most likely belongs to: the one after the latest
    reading (never later than this week), or the last full week when there is none.

    >>> next_reading_week(date(2025, 3, 3), date(2025, 3, 12))  # last full week taken
    (datetime.date(2025, 3, 10), datetime.date(2025, 3, 16))
    >>> next_reading_week(date(2025, 2, 17), date(2025, 3, 12))
    (datetime.date(2025, 2, 24), datetime.date(2025, 3, 2))
    >>> next_reading_week(None, date(2025, 3, 12))
    (datetime.date(2025, 3, 3), datetime.date(2025, 3, 9))
    """
    if latest_start is None:
        return last_full_week(today)
    this_monday = today - timedelta(days=today.weekday())
    following = latest_start - timedelta(days=latest_start.weekday()) + timedelta(days=7)
    monday = min(following, this_monday)
    return monday, monday + timedelta(days=6)


class PresetForm(Form):
    """The preset picker, a GET form with nothing to protect: each preset's short
    name in the select (templates/macros/choices.html writes its area and what it
    measures beneath); the chosen one fills in the metric form."""

    preset = SelectField(_l("Preset"))


class MetricForm(FlaskForm):
    name = StringField(
        _l("Name"),
        validators=[DataRequired(_l("Give the metric a name.")), Length(max=120)],
    )
    area_id = SelectField(_l("Area"), coerce=int, validate_choice=False)
    stage_id = SelectField(
        _l("Buyer-journey stage"), coerce=lambda v: int(v) if v else None, validate_choice=False
    )
    kind = SelectField(_l("Kind"), choices=KIND_CHOICES, default=MetricKind.proportion.value)
    unit = StringField(
        _l("Unit"),
        validators=[Length(max=40)],
        render_kw={"placeholder": _l("%, USD, days, per 100 tickets")},
    )
    direction = SelectField(_l("Direction"), choices=DIRECTION_CHOICES, default="higher")
    formula = StringField(
        _l("Formula"),
        validators=[Length(max=300)],
        render_kw={"placeholder": _l("won / opportunities")},
    )
    description = TextAreaField(_l("Description"), validators=[Length(max=2000)])
    target = FloatField(
        _l("Weekly target"),
        validators=[Optional()],
        description=_l(
            "The value a week's reading should reach, in the metric's terms "
            "(25 for 25%). The scorecard shows on or off track."
        ),
        render_kw={"step": "any", "inputmode": "decimal"},
    )
    unit_value = FloatField(
        _l("Value of one unit"),
        validators=[Optional()],
        description=_l(
            "What one more unit is worth in the team's currency (the revenue of "
            "one more won deal); the impact ledger's annual values use it."
        ),
        render_kw={"step": "any", "inputmode": "decimal"},
    )
    # the version the person read: a save over a newer one is refused
    version = HiddenField()
    save = SubmitField(_l("Save metric"))

    def __init__(self, *args: Any, metric: Metric | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.metric = metric
        session = get_session()
        areas = session.exec(select(Area).where(live(Area)).order_by(col(Area.rank))).all()
        stages = session.exec(select(Stage).order_by(col(Stage.position))).all()
        user_text = {"dir": "auto"}
        self.area_id.choices = [
            SelectChoice(
                a.id,
                a.name if a.active else _("%(name)s (inactive)", name=a.name),
                render_kw=user_text,
            )
            for a in areas
        ]
        self.stage_id.choices = [SelectChoice("", _("No stage"))] + [
            SelectChoice(s.id, s.name, render_kw=user_text) for s in stages
        ]
        self._area_ids = {a.id for a in areas}
        self._stage_ids = {s.id for s in stages}

    def validate_name(self, field: StringField) -> None:
        from tracker.metrics.service import name_problem

        if problem := name_problem(get_session(), field.data or "", self.metric):
            raise ValidationError(problem)

    def validate_area_id(self, field: SelectField) -> None:
        if field.data not in self._area_ids:
            raise ValidationError(_l("Choose the area this metric belongs to."))

    def validate_stage_id(self, field: SelectField) -> None:
        if field.data is not None and field.data not in self._stage_ids:
            raise ValidationError(_l("Choose one of the stages, or no stage."))

    def validate_target(self, field: FloatField) -> None:
        if field.data is None:
            return
        if not math.isfinite(field.data):
            raise ValidationError(_l("Enter the target as a number."))
        if self.kind.data == MetricKind.proportion.value and not 0 <= field.data <= 100:
            raise ValidationError(_l("A proportion's target is a percentage from 0 to 100."))

    def validate_unit_value(self, field: FloatField) -> None:
        if field.data is not None and (not math.isfinite(field.data) or field.data < 0):
            raise ValidationError(_l("Enter what one unit is worth: zero or more."))

    def stored_target(self) -> float | None:
        """The target as readings store values: a fraction for a proportion."""
        value = self.target.data
        if value is None:
            return None
        return float(value) / 100 if self.kind.data == MetricKind.proportion.value else float(value)

    def show_target(self, metric: Metric) -> None:
        """Fill the target field from ``metric``, in percent for a proportion."""
        if metric.target is None:
            self.target.data = None
        elif MetricKind(metric.kind) is MetricKind.proportion:
            self.target.data = round(metric.target * 100, 4)
        else:
            self.target.data = metric.target

    def validate_kind(self, field: SelectField) -> None:
        from tracker.metrics.service import kind_problem

        if problem := kind_problem(get_session(), self.metric, field.data):
            raise ValidationError(problem)


class ReadingForm(FlaskForm):
    """The period and source of a reading; the subclasses add the figures."""

    period_start = DateField(
        _l("Period start"), validators=[InputRequired(_l("Enter the first day."))]
    )
    period_end = DateField(_l("Period end"), validators=[InputRequired(_l("Enter the last day."))])
    source_note = StringField(
        _l("Source note"),
        validators=[Length(max=300)],
        render_kw={"placeholder": _l("e.g. CRM report “Won deals by week”")},
    )
    add = SubmitField(_l("Add reading"))

    figures: tuple[str, ...] = ()

    def __init__(self, *args: Any, metric: Metric, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.metric = metric

    def validate(self, extra_validators: Any = None) -> bool:
        """The fields one by one, then the figures together as the statistics see them."""
        if not super().validate(extra_validators):
            return False
        values = {name: getattr(self, name).data for name in self.figures}
        problems = figures_problem(self.metric.kind, values)
        for name, message in problems.items():
            getattr(self, name).errors = [*getattr(self, name).errors, message]
        return not problems

    def validate_period_end(self, field: DateField) -> None:
        start = self.period_start.data
        if start and field.data and field.data < start:
            raise ValidationError(_l("The period ends before it starts: check the two dates."))

    def validate_period_start(self, field: DateField) -> None:
        if field.data is None:
            return
        existing = (
            get_session()
            .exec(
                select(Reading).where(
                    Reading.metric_id == self.metric.id, Reading.period_start == field.data
                )
            )
            .first()
        )
        if existing is not None:
            raise ValidationError(
                _(
                    "A reading for the period starting %(day)s already exists; "
                    "delete it first to replace it.",
                    day=format_day(field.data),
                )
            )


class ProportionReadingForm(ReadingForm):
    successes = IntegerField(
        _l("Successes"),
        validators=[InputRequired(_l("Enter the number of successes."))],
        render_kw={"inputmode": "numeric"},
    )
    trials = IntegerField(
        _l("Trials"),
        validators=[InputRequired(_l("Enter the number of trials."))],
        render_kw={"inputmode": "numeric"},
    )
    figures = fields_of(MetricKind.proportion)


class MeanReadingForm(ReadingForm):
    n = IntegerField(
        _l("Sample size (n)"),
        validators=[InputRequired(_l("Enter how many values the mean is over."))],
        render_kw={"inputmode": "numeric"},
    )
    mean = FloatField(
        _l("Mean"),
        validators=[InputRequired(_l("Enter the mean."))],
        render_kw={"inputmode": "decimal"},
    )
    sd = FloatField(
        _l("Standard deviation"),
        validators=[InputRequired(_l("Enter the standard deviation."))],
        render_kw={"inputmode": "decimal"},
    )
    figures = fields_of(MetricKind.mean)


class RateReadingForm(ReadingForm):
    events = IntegerField(
        _l("Events"),
        validators=[InputRequired(_l("Enter the number of events."))],
        render_kw={"inputmode": "numeric"},
    )
    exposure = FloatField(
        _l("Exposure"),
        validators=[InputRequired(_l("Enter the exposure (e.g. tickets handled)."))],
        render_kw={"inputmode": "decimal"},
    )
    figures = fields_of(MetricKind.rate)


READING_FORMS: dict[MetricKind, type[ReadingForm]] = {
    MetricKind.proportion: ProportionReadingForm,
    MetricKind.mean: MeanReadingForm,
    MetricKind.rate: RateReadingForm,
}


def reading_form(metric: Metric, *args: Any, **kwargs: Any) -> ReadingForm:
    return READING_FORMS[MetricKind(metric.kind)](*args, metric=metric, **kwargs)


class DeleteForm(FlaskForm):
    """A button alone: its CSRF token is all it carries."""

    delete = SubmitField(_l("Delete"))
