"""The team's settings: how hypotheses are scored, the team's time zone, its
currency and the programme-health targets of the executive dashboard."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString
from flask_wtf import FlaskForm
from wtforms import (
    FloatField,
    RadioField,
    SelectChoice,
    StringField,
    SubmitField,
    ValidationError,
)
from wtforms.validators import DataRequired, NumberRange, Optional

from tracker.i18n import bdi, html, ltr
from tracker.models import PriorityModel

# the health targets a share is entered for in percent and stored as 0 to 1
SHARE_TARGETS = ("target_on_time", "target_win_rate")
HEALTH_TARGETS = (
    "target_started_per_week",
    "target_decisions_per_cycle",
    "target_median_days",
    *SHARE_TARGETS,
)

# One line each, from PRODUCT.md's Prioritisation section.
PRIORITY_MODELS = {
    PriorityModel.ice: (
        _l("ICE (default)"),
        _l("Impact, Confidence and Ease, each 1 to 10; the score is their mean."),
    ),
    PriorityModel.rice: (
        "RICE",
        _l(
            "Reach × Impact × Confidence ÷ Effort: Impact 3, 2, 1, 0.5 or 0.25; "
            "Confidence 100, 80 or 50%; Effort in person-months, at least 0.5."
        ),
    ),
    PriorityModel.pie: (
        "PIE",
        _l("Potential, Importance and Ease, each 1 to 10; the score is their mean."),
    ),
}


def available_timezones() -> set[str]:
    from zoneinfo import available_timezones as zones

    return zones()


class SettingsForm(FlaskForm):
    priority_model = RadioField(
        _l("Priority model"),
        choices=[SelectChoice(model.value, label) for model, (label, _) in PRIORITY_MODELS.items()],
    )
    timezone = StringField(
        _l("Time zone"),
        validators=[
            DataRequired(
                LazyString(
                    lambda: html(
                        _("Enter the team's time zone, e.g. %(zone)s."), zone=ltr("Europe/Berlin")
                    )
                )
            )
        ],
    )
    currency = StringField(
        _l("Currency"),
        validators=[DataRequired(_l("Enter the team's currency, e.g. USD or EUR."))],
        description=_l("A three-letter ISO code; the impact ledger's values are in it."),
    )
    target_started_per_week = FloatField(
        _l("Experiments started per week"),
        validators=[Optional(), NumberRange(min=0, message=_l("Enter zero or more."))],
    )
    target_decisions_per_cycle = FloatField(
        _l("Decisions per cycle"),
        validators=[Optional(), NumberRange(min=0, message=_l("Enter zero or more."))],
    )
    target_median_days = FloatField(
        _l("Median days from planned size to decision (at most)"),
        validators=[Optional(), NumberRange(min=0, message=_l("Enter zero or more."))],
    )
    target_on_time = FloatField(
        _l("Actions done within their due week (%)"),
        validators=[Optional(), NumberRange(min=0, max=100, message=_l("Enter 0 to 100."))],
    )
    target_win_rate = FloatField(
        _l("Win rate (%)"),
        validators=[Optional(), NumberRange(min=0, max=100, message=_l("Enter 0 to 100."))],
    )
    save = SubmitField(_l("Save settings"))

    def validate_currency(self, field: StringField) -> None:
        code = (field.data or "").strip()
        if code and (len(code) != 3 or not code.isalpha()):
            raise ValidationError(_l("Enter a three-letter currency code such as USD, EUR or SAR."))

    def validate_timezone(self, field: StringField) -> None:
        name = (field.data or "").strip()
        if name and name not in available_timezones():
            raise ValidationError(
                html(
                    _(
                        "“%(name)s” is not a time zone Revloop knows. Use a name from the IANA "
                        "database such as %(first)s, %(second)s or %(third)s."
                    ),
                    name=bdi(name),
                    first=ltr("Europe/Berlin"),
                    second=ltr("America/New_York"),
                    third=ltr("Asia/Dubai"),
                )
            )
