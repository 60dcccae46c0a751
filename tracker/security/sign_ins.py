"""Sign-ins the server can end: open one, find its user, rotate its remember
token, end one or all of a user's.

Only SHA-256 hashes of the secrets are stored: they are long and random, so
a slow hash would add nothing. Functions add to the caller's session; the
caller commits.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session, col, delete, select

from tracker.models import SignIn, User
from tracker.models.types import utcnow

# "Keep me signed in" lasts this long from the sign-in with the password;
# using the remember token replaces it but does not extend it.
REMEMBER_FOR = timedelta(days=30)
# Without it the cookie dies with the browser, and the sign-in after a day.
SESSION_FOR = timedelta(hours=24)


@dataclass(frozen=True)
class Secrets:
    """What the browser is given: the session secret and maybe a remember token."""

    session: str
    remember: str | None
    expires_at: datetime


def hash_secret(plain: str) -> str:
    return hashlib.sha256(plain.encode("utf-8")).hexdigest()


def open_sign_in(session: Session, *, user: User, remember: bool) -> Secrets:
    """A new sign-in for ``user``; their expired ones are cleared on the way."""
    assert user.id is not None
    now = utcnow()
    session.exec(
        delete(SignIn).where(col(SignIn.user_id) == user.id, col(SignIn.expires_at) <= now)
    )
    plain = Secrets(
        session=secrets.token_urlsafe(32),
        remember=secrets.token_urlsafe(32) if remember else None,
        expires_at=now + (REMEMBER_FOR if remember else SESSION_FOR),
    )
    session.add(
        SignIn(
            user_id=user.id,
            session_hash=hash_secret(plain.session),
            remember_hash=hash_secret(plain.remember) if plain.remember else None,
            expires_at=plain.expires_at,
        )
    )
    session.flush()
    return plain


def user_of_session(session: Session, *, secret: str) -> User | None:
    """The active user whose current sign-in holds this session secret."""
    return session.exec(
        select(User)
        .join(SignIn, col(SignIn.user_id) == col(User.id))
        .where(
            SignIn.session_hash == hash_secret(secret),
            col(SignIn.expires_at) > utcnow(),
            col(User.active),
        )
    ).first()


def use_remember_token(session: Session, *, token: str) -> tuple[User, Secrets] | None:
    """Trade a valid remember token for new secrets (the old token is spent)."""
    found = session.exec(
        select(SignIn, User)
        .join(User, col(SignIn.user_id) == col(User.id))
        .where(
            SignIn.remember_hash == hash_secret(token),
            col(SignIn.expires_at) > utcnow(),
            col(User.active),
        )
    ).first()
    if found is None:
        return None
    sign_in, user = found
    plain = Secrets(
        session=secrets.token_urlsafe(32),
        remember=secrets.token_urlsafe(32),
        expires_at=sign_in.expires_at,
    )
    sign_in.session_hash = hash_secret(plain.session)
    sign_in.remember_hash = hash_secret(plain.remember or "")
    session.add(sign_in)
    session.flush()
    return user, plain


def end_sign_in(session: Session, *, secret: str) -> None:
    session.exec(delete(SignIn).where(col(SignIn.session_hash) == hash_secret(secret)))


def end_all_sign_ins(session: Session, *, user_id: int) -> int:
    """End every sign-in of the user; how many there were."""
    result = session.exec(delete(SignIn).where(col(SignIn.user_id) == user_id))
    return int(result.rowcount or 0)
