"""The account page's e-mail settings."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectChoice, SelectField, SubmitField

from tracker.mail.people import LANGUAGES


class MailPreferenceForm(FlaskForm):
    digest = BooleanField("Send me the weekly digest on Monday")
    recap = BooleanField("Send me the recap after a meeting I attended")
    language = SelectField(
        "Language of the e-mails",
        choices=[SelectChoice(code, label) for code, label in LANGUAGES],
        default="",
    )
    save_mail = SubmitField("Save e-mail settings")


class TestDigestForm(FlaskForm):
    send_test = SubmitField("Send a test digest to me")
