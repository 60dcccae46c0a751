"""The Settings form that registers a webhook endpoint."""

from __future__ import annotations

import secrets

from flask_wtf import FlaskForm
from wtforms import RadioField, SelectChoice, SelectMultipleField, StringField, SubmitField
from wtforms.widgets import CheckboxInput, ListWidget

from tracker.webhooks.events import EVENTS

EVENT_TEXT = {
    "experiment.started": "An experiment starts",
    "experiment.decided": "An experiment is decided (ship, iterate, abandon)",
    "experiment.verdict_changed": "An experiment's verdict changes after new results",
    "cycle.closed": "A cycle closes after the weekly meeting",
    "action.stuck": "An action item is carried a third time",
    "metric.off_target": "A metric's reading misses its target",
}


class EndpointForm(FlaskForm):
    url = StringField("Address (URL)")
    events = SelectMultipleField(
        "Events",
        choices=[SelectChoice(event, f"{event}: {EVENT_TEXT[event]}") for event in EVENTS],
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
        validate_choice=False,  # the service names a wrong event beside the field
    )
    secret = StringField("Secret")
    format = RadioField(
        "Format",
        choices=[
            SelectChoice("json", "JSON: the event and its data, for your own receiver"),
            SelectChoice("slack", "Slack: a message for a Slack incoming webhook"),
        ],
        default="json",
        validate_choice=False,
    )
    add = SubmitField("Add endpoint")

    @staticmethod
    def new_secret() -> str:
        return secrets.token_urlsafe(32)


class ConfirmForm(FlaskForm):
    """A bare POST with its CSRF token (delete, resend)."""
