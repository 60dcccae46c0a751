from flask_wtf import FlaskForm
from sqlmodel import select
from wtforms import (
    EmailField,
    HiddenField,
    SelectChoice,
    SelectField,
    StringField,
    SubmitField,
    ValidationError,
)
from wtforms.validators import DataRequired, Length

from tracker.database import get_session
from tracker.models import Role, User, normalise_email
from tracker.validators import email_address

ROLE_CHOICES = [
    SelectChoice(Role.viewer.value, "Viewer: reads everything"),
    SelectChoice(Role.editor.value, "Editor: also creates and changes"),
    SelectChoice(Role.admin.value, "Admin: also manages users and settings"),
]


class InviteForm(FlaskForm):
    email = EmailField(
        "E-mail",
        validators=[
            DataRequired("Enter the new user's e-mail address."),
            email_address,
            Length(max=254),
        ],
    )
    display_name = StringField(
        "Display name",
        validators=[DataRequired("Enter the name the team knows them by."), Length(max=120)],
    )
    role = SelectField("Role", choices=ROLE_CHOICES, default=Role.editor.value)
    invite = SubmitField("Invite")

    def validate_email(self, field: EmailField) -> None:
        email = normalise_email(field.data or "")
        if get_session().exec(select(User.id).where(User.email == email)).first() is not None:
            raise ValidationError("Someone with this e-mail already has an account.")


class UserActionForm(FlaskForm):
    """One row's controls on the users page: change the role, (de)activate, reset,
    end their sign-ins, lift the sign-in throttle."""

    user_id = HiddenField()
    # checked by the view, and only when the role is what is being changed
    role = SelectField(
        "Role",
        choices=[SelectChoice(r.value, r.value.title()) for r in Role],
        validate_choice=False,
    )
    change_role = SubmitField("Change role")
    deactivate = SubmitField("Deactivate")
    reactivate = SubmitField("Reactivate")
    reset_password = SubmitField("Reset password")
    sign_out_everywhere = SubmitField("Sign out everywhere")
    unlock = SubmitField("Unlock sign-in")
