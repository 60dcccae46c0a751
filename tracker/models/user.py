"""People who sign in to Revloop, and what their role lets them do."""

from __future__ import annotations

import enum
from datetime import datetime, timedelta

from flask_login import UserMixin
from sqlalchemy import Column, ForeignKey, Integer, String
from sqlmodel import Field, SQLModel
from werkzeug.security import check_password_hash, generate_password_hash

from tracker.models.types import UTCDateTime, enum_column, utcnow

MAX_FAILED_SIGN_INS = 10
LOCKOUT = timedelta(minutes=15)
MIN_PASSWORD_LENGTH = 10


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


class User(UserBase, UserMixin, table=True):
    __tablename__ = "user_account"

    id: int | None = Field(default=None, primary_key=True)
    password_hash: str = Field(max_length=255)
    password_is_temporary: bool = False
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    failed_sign_ins: int = 0
    failed_window_start: datetime | None = Field(default=None, sa_type=UTCDateTime)
    locked_until: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # the dashboard view this person chose last (my_week, area, executive),
    # and the area of the area view
    dashboard_view: str = Field(default="", max_length=16, sa_column_kwargs={"server_default": ""})
    dashboard_area_id: int | None = Field(
        default=None,
        sa_column=Column(
            Integer, ForeignKey("area.id", name="fk_user_account_dashboard_area_id"), nullable=True
        ),
    )

    def set_password(self, password: str, *, temporary: bool = False) -> None:
        self.password_hash = generate_password_hash(password)
        self.password_is_temporary = temporary

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive accounts
        return self.active

    def can(self, needed: Role | str) -> bool:
        return self.active and Role(self.role).allows(Role(needed))

    def locked_for(self, now: datetime) -> timedelta | None:
        """How long the account stays locked after too many failed sign-ins."""
        if self.locked_until is not None and self.locked_until > now:
            return self.locked_until - now
        return None

    def record_failed_sign_in(self, now: datetime) -> None:
        """Count a failure; the tenth within the window locks the account."""
        if self.failed_window_start is None or now - self.failed_window_start > LOCKOUT:
            self.failed_window_start = now
            self.failed_sign_ins = 0
        self.failed_sign_ins += 1
        if self.failed_sign_ins >= MAX_FAILED_SIGN_INS:
            self.locked_until = now + LOCKOUT
            self.failed_sign_ins = 0
            self.failed_window_start = None

    def record_sign_in(self) -> None:
        self.failed_sign_ins = 0
        self.failed_window_start = None
        self.locked_until = None


def normalise_email(email: str) -> str:
    return email.strip().lower()
