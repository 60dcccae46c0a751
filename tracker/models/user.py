"""People who sign in to Revloop, and what their role lets them do."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Column, ForeignKey, Integer, String
from sqlmodel import Field, SQLModel

from tracker.models.types import UTCDateTime, enum_column, utcnow


class Role(enum.StrEnum):
    """What a user may do: viewers read, editors also change, admins also manage users."""

    viewer = "viewer"
    editor = "editor"
    admin = "admin"

    @property
    def rank(self) -> int:
        return list(Role).index(self)

    def allows(self, needed: Role) -> bool:
        return self.rank >= needed.rank


class UserBase(SQLModel):
    email: str = Field(sa_column=Column(String(254), unique=True, nullable=False, index=True))
    display_name: str = Field(max_length=120)
    role: Role = Field(
        default=Role.viewer,
        sa_column=enum_column(Role, "user_role"),
    )
    active: bool = True


class User(UserBase, table=True):
    __tablename__ = "user_account"

    id: int | None = Field(default=None, primary_key=True)
    password_hash: str = Field(max_length=255)
    password_is_temporary: bool = False
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    # the dashboard view this person chose last (my_week, area, executive),
    # and the area of the area view
    dashboard_view: str = Field(default="", max_length=16, sa_column_kwargs={"server_default": ""})
    # the interface's and the e-mails' language (a code of tracker.languages.LANGUAGES);
    # empty: the team's (TRACKER_LANGUAGE)
    language: str = Field(default="", max_length=16, sa_column_kwargs={"server_default": ""})
    dashboard_area_id: int | None = Field(
        default=None,
        sa_column=Column(
            Integer, ForeignKey("area.id", name="fk_user_account_dashboard_area_id"), nullable=True
        ),
    )

    def set_password(self, password: str, *, temporary: bool = False) -> None:
        from werkzeug.security import generate_password_hash

        self.password_hash = generate_password_hash(password)
        self.password_is_temporary = temporary

    def check_password(self, password: str) -> bool:
        from werkzeug.security import check_password_hash

        return check_password_hash(self.password_hash, password)

    # What Flask-Login asks of the person it signs in (its UserMixin's four members,
    # written here: the models load without Flask, for the command line's report).
    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive accounts
        return self.active

    @property
    def is_authenticated(self) -> bool:
        return self.active

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        return str(self.id)

    def can(self, needed: Role | str) -> bool:
        return self.active and Role(self.role).allows(Role(needed))


def normalise_email(email: str) -> str:
    return email.strip().lower()
