"""The account page's e-mail settings (the e-mails come in the person's language,
chosen with the interface's on the same page)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SubmitField


class MailPreferenceForm(FlaskForm):
    digest = BooleanField(_l("Send me the weekly digest on Monday"))
    recap = BooleanField(_l("Send me the recap after a meeting I attended"))
    save_mail = SubmitField(_l("Save e-mail settings"))


class TestDigestForm(FlaskForm):
    send_test = SubmitField(_l("Send a test digest to me"))
