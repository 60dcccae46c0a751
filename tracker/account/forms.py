"""The forms of a person's own account page."""

from __future__ import annotations

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import (
    PasswordField,
    SelectChoice,
    SelectField,
    StringField,
    SubmitField,
    ValidationError,
)
from wtforms.validators import DataRequired, EqualTo, Length

from tracker.i18n import current_language, direction_of, team_language
from tracker.languages import LANGUAGES
from tracker.security.passwords import password_problem


class ProfileForm(FlaskForm):
    display_name = StringField(
        _l("Display name"),
        validators=[DataRequired(_l("Enter the name your team knows you by.")), Length(max=120)],
    )
    save_profile = SubmitField(_l("Save name"))


class LanguageForm(FlaskForm):
    """The language of the pages and the e-mails; empty: the team's."""

    language = SelectField(
        _l("Language"),
        validate_choice=False,  # checked below, with a message beside the field
    )
    save_language = SubmitField(_l("Save language"))

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        from babel import Locale

        # the team's language named in the reader's: "English", "الإنجليزية"
        team = Locale.parse(team_language(current_app)).get_display_name(current_language())
        self.language.choices = [
            SelectChoice("", _("The team's language (%(name)s)", name=team)),
            # each language named in itself, marked so (lang, dir) for the browser
            *(
                SelectChoice(code, name, render_kw={"lang": code, "dir": direction_of(code)})
                for code, name in LANGUAGES.items()
            ),
        ]

    def validate_language(self, field: SelectField) -> None:
        if (field.data or "") not in ("", *LANGUAGES):
            raise ValidationError(_("Choose one of the languages in the list."))


class PasswordForm(FlaskForm):
    current_password = PasswordField(
        _l("Current password"), validators=[DataRequired(_l("Enter your current password."))]
    )
    new_password = PasswordField(
        _l("New password"),
        validators=[
            DataRequired(_l("Enter a new password.")),
        ],
    )
    confirm_password = PasswordField(
        _l("Repeat the new password"),
        validators=[
            DataRequired(_l("Repeat the new password.")),
            EqualTo("new_password", _l("The two new passwords differ.")),
        ],
    )
    save_password = SubmitField(_l("Change password"))

    def validate_current_password(self, field: PasswordField) -> None:
        if not current_user.check_password(field.data or ""):
            raise ValidationError(_("That is not your current password."))

    def validate_new_password(self, field: PasswordField) -> None:
        if field.data and field.data == self.current_password.data:
            raise ValidationError(_("Choose a password different from the current one."))
        problem = password_problem(field.data or "", email=current_user.email)
        if problem:
            raise ValidationError(problem)


class TokenForm(FlaskForm):
    """Make an API token: its name says what will use it."""

    name = StringField(
        _l("Token name"),
        validators=[
            DataRequired(_l("Name the token after what will use it, such as “CRM export”.")),
            Length(max=80, message=_l("Keep the name under 80 characters.")),
        ],
        render_kw={"placeholder": _l("e.g. Weekly CRM export")},
    )
    create_token = SubmitField(_l("Create token"))


class RevokeTokenForm(FlaskForm):
    revoke = SubmitField(_l("Revoke"))


class SignOutEverywhereForm(FlaskForm):
    sign_out_everywhere = SubmitField(_l("Sign out everywhere"))
