from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField, SubmitField, ValidationError
from wtforms.validators import DataRequired, EqualTo, Length

from tracker.security.passwords import password_problem


class ProfileForm(FlaskForm):
    display_name = StringField(
        "Display name",
        validators=[DataRequired("Enter the name your team knows you by."), Length(max=120)],
    )
    save_profile = SubmitField("Save name")


class PasswordForm(FlaskForm):
    current_password = PasswordField(
        "Current password", validators=[DataRequired("Enter your current password.")]
    )
    new_password = PasswordField(
        "New password",
        validators=[
            DataRequired("Enter a new password."),
        ],
    )
    confirm_password = PasswordField(
        "Repeat the new password",
        validators=[
            DataRequired("Repeat the new password."),
            EqualTo("new_password", "The two new passwords differ."),
        ],
    )
    save_password = SubmitField("Change password")

    def validate_current_password(self, field: PasswordField) -> None:
        if not current_user.check_password(field.data or ""):
            raise ValidationError("That is not your current password.")

    def validate_new_password(self, field: PasswordField) -> None:
        if field.data and field.data == self.current_password.data:
            raise ValidationError("Choose a password different from the current one.")
        problem = password_problem(field.data or "", email=current_user.email)
        if problem:
            raise ValidationError(problem)


class TokenForm(FlaskForm):
    """Make an API token: its name says what will use it."""

    name = StringField(
        "Token name",
        validators=[
            DataRequired("Name the token after what will use it, such as “CRM export”."),
            Length(max=80, message="Keep the name under 80 characters."),
        ],
        render_kw={"placeholder": "e.g. Weekly CRM export"},
    )
    create_token = SubmitField("Create token")


class RevokeTokenForm(FlaskForm):
    revoke = SubmitField("Revoke")


class SignOutEverywhereForm(FlaskForm):
    sign_out_everywhere = SubmitField("Sign out everywhere")
