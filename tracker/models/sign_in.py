"""Sign-ins: one row per browser a person signed in on, so that a sign-in can
be ended from the server (signing out, a new password, deactivation, "sign
out everywhere")."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, String
from sqlmodel import Field, SQLModel

from tracker.models.types import UTCDateTime, utcnow


class SignIn(SQLModel, table=True):
    """A browser's sign-in.

    The browser holds two random secrets, of which only SHA-256 hashes are
    kept here: the session secret (in the signed session cookie) and, when
    "keep me signed in" was ticked, the remember token (in its own cookie),
    which is replaced each time it is used. Deleting the row ends both.
    """

    __tablename__ = "sign_in"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user_account.id", index=True)
    session_hash: str = Field(sa_column=Column(String(64), unique=True, nullable=False))
    remember_hash: str | None = Field(
        default=None, sa_column=Column(String(64), unique=True, nullable=True)
    )
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    expires_at: datetime = Field(sa_type=UTCDateTime)
