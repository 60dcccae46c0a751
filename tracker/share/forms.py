"""The form that makes a share link."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, RadioField, SelectChoice, StringField, SubmitField
from wtforms.validators import Optional

from tracker.share.service import KINDS, MAX_DAYS


class ShareLinkForm(FlaskForm):
    kind = RadioField(
        _l("Report"),
        choices=[SelectChoice(kind, label) for kind, label in KINDS.items()],
        default="retro",
        validate_choice=False,  # the service says what is wrong, beside the field
    )
    range_text = StringField(_l("Weeks of the retrospective"))
    days = IntegerField(
        _l("Valid for (days, at most %(most)d)", most=MAX_DAYS),
        default=30,
        validators=[Optional()],
    )
    label = StringField(_l("Label (who it is for)"))
    create = SubmitField(_l("Make the link"))


class RevokeForm(FlaskForm):
    """A bare POST with its CSRF token."""
