"""The Settings form that registers a webhook endpoint."""

from __future__ import annotations

import secrets

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectChoice, SelectMultipleField, StringField, SubmitField
from wtforms.widgets import CheckboxInput, ListWidget

from tracker.webhooks.events import EVENTS

EVENT_TEXT = {
    "experiment.started": _l("An experiment starts"),
    "experiment.decided": _l("An experiment is decided (ship, iterate, abandon)"),
    "experiment.verdict_changed": _l("An experiment's verdict changes after new results"),
    "cycle.closed": _l("A cycle closes after the weekly meeting"),
    "action.stuck": _l("An action item is carried a third time"),
    "metric.off_target": _l("A metric's latest reading misses its weekly target"),
}


class EndpointForm(FlaskForm):
    url = StringField(_l("Address (URL)"))
    events = SelectMultipleField(
        _l("Events"),
        choices=[SelectChoice(event, EVENT_TEXT[event]) for event in EVENTS],
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
        validate_choice=False,  # the service names a wrong event beside the field
    )
    secret = StringField(_l("Secret"))
    format = RadioField(
        _l("Format"),
        choices=[
            SelectChoice("json", _l("JSON: the event and its data, for your own receiver")),
            SelectChoice("slack", _l("Slack: a message for a Slack incoming webhook")),
        ],
        default="json",
        validate_choice=False,
    )
    add = SubmitField(_l("Add endpoint"))

    @staticmethod
    def new_secret() -> str:
        return secrets.token_urlsafe(32)


class ConfirmForm(FlaskForm):
    """A bare POST with its CSRF token (delete, resend)."""
