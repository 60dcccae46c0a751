"""The team's settings: how hypotheses are scored, and the team's time zone."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import RadioField, SelectChoice, StringField, SubmitField, ValidationError
from wtforms.validators import DataRequired

from tracker.models import PriorityModel

# One line each, from PRODUCT.md's Prioritisation section.
PRIORITY_MODELS = {
    PriorityModel.ice: (
        "ICE (default)",
        "Impact, Confidence and Ease, each 1 to 10; the score is their mean.",
    ),
    PriorityModel.rice: (
        "RICE",
        "Reach × Impact × Confidence ÷ Effort: Impact 3, 2, 1, 0.5 or 0.25; "
        "Confidence 100%, 80% or 50%; Effort in person-months, at least 0.5.",
    ),
    PriorityModel.pie: (
        "PIE",
        "Potential, Importance and Ease, each 1 to 10; the score is their mean.",
    ),
}


def available_timezones() -> set[str]:
    from zoneinfo import available_timezones as zones

    return zones()


class SettingsForm(FlaskForm):
    priority_model = RadioField(
        "Priority model",
        choices=[SelectChoice(model.value, label) for model, (label, _) in PRIORITY_MODELS.items()],
    )
    timezone = StringField(
        "Time zone",
        validators=[DataRequired("Enter the team's time zone, e.g. Europe/Berlin.")],
    )
    save = SubmitField("Save settings")

    def validate_timezone(self, field: StringField) -> None:
        name = (field.data or "").strip()
        if name and name not in available_timezones():
            raise ValidationError(
                f"“{name}” is not a time zone Revloop knows. Use a name from the IANA "
                "database such as Europe/Berlin, America/New_York or Asia/Dubai."
            )
