from flask_babel import lazy_gettext as _l
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

ROLE_NAMES = {Role.viewer: _l("Viewer"), Role.editor: _l("Editor"), Role.admin: _l("Admin")}
ROLE_CHOICES = [
    SelectChoice(Role.viewer.value, _l("Viewer: reads everything")),
    SelectChoice(Role.editor.value, _l("Editor: also creates and changes")),
    SelectChoice(Role.admin.value, _l("Admin: also manages users and settings")),
]


class InviteForm(FlaskForm):
    email = EmailField(
        _l("E-mail"),
        validators=[
            DataRequired(_l("Enter the new user's e-mail address.")),
            email_address,
            Length(max=254),
        ],
    )
    display_name = StringField(
        _l("Display name"),
        validators=[DataRequired(_l("Enter the name the team knows them by.")), Length(max=120)],
    )
    role = SelectField(_l("Role"), choices=ROLE_CHOICES, default=Role.editor.value)
    invite = SubmitField(_l("Invite"))

    def validate_email(self, field: EmailField) -> None:
        email = normalise_email(field.data or "")
        if get_session().exec(select(User.id).where(User.email == email)).first() is not None:
            raise ValidationError(_l("Someone with this e-mail already has an account."))


class UserActionForm(FlaskForm):
    """One row's controls on the users page: change the role, (de)activate, reset,
    end their sign-ins, lift the sign-in throttle."""

    user_id = HiddenField()
    # checked by the view, and only when the role is what is being changed
    role = SelectField(
        _l("Role"),
        choices=[SelectChoice(r.value, ROLE_NAMES[r]) for r in Role],
        validate_choice=False,
    )
    change_role = SubmitField(_l("Change role"))
    deactivate = SubmitField(_l("Deactivate"))
    reactivate = SubmitField(_l("Reactivate"))
    reset_password = SubmitField(_l("Reset password"))
    sign_out_everywhere = SubmitField(_l("Sign out everywhere"))
    unlock = SubmitField(_l("Unlock sign-in"))
