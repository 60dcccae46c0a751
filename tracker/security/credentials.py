"""Checking an e-mail and password with the same work whatever the outcome.

An unknown account, a deactivated one and a wrong password all cost one
password-hash check (against a dummy hash when there is no account), so
neither the answer nor its timing tells whether an account exists.
"""

from __future__ import annotations

import secrets
from functools import cache

from sqlmodel import Session, select
from werkzeug.security import check_password_hash, generate_password_hash

from tracker.models import User
from tracker.security.passwords import MAX_BYTES


@cache
def dummy_hash() -> str:
    """A hash made like real ones (same method and cost) of nobody's password."""
    return generate_password_hash(secrets.token_urlsafe(16))


def authenticate(session: Session, *, email: str, password: str) -> User | None:
    """The active user with this e-mail and password, or None."""
    if len(password.encode("utf-8")) > MAX_BYTES:
        return None  # refused unhashed, for every account alike
    user = session.exec(select(User).where(User.email == email)).first()
    matches = check_password_hash(user.password_hash if user else dummy_hash(), password)
    if user is None or not matches or not user.active:
        return None
    return user
