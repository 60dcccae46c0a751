"""API tokens: a user makes named tokens to call the JSON API.

A token is shown once, when it is made; only its SHA-256 is kept (tokens are
long and random, so a slow hash would add nothing and cost every request),
with its first characters to tell tokens apart. Functions add to the caller's
session; the caller commits.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from tracker.models import ApiToken, User
from tracker.models.types import utcnow
from tracker.translation import _

TOKEN_PREFIX = "rvl_"
PREFIX_LENGTH = 12
MAX_NAME_LENGTH = 80
# last_used_at is written at most this often, so that reads stay reads
TOUCH_EVERY = timedelta(minutes=1)


class TokenError(ValueError):
    """A token that cannot be made or revoked; the message says why."""


@dataclass(frozen=True)
class NewToken:
    """A token just made: ``plain`` is shown to the user once and never again."""

    token: ApiToken
    plain: str


def hash_token(plain: str) -> str:
    return hashlib.sha256(plain.encode("utf-8")).hexdigest()


def create_token(session: Session, *, user: User, name: str) -> NewToken:
    """Make a token for ``user`` called ``name``."""
    name = " ".join((name or "").split())
    if not name:
        raise TokenError(_("Name the token after what will use it, such as “CRM export”."))
    if len(name) > MAX_NAME_LENGTH:
        raise TokenError(_("Keep the name under %(num)d characters.", num=MAX_NAME_LENGTH))
    if user.id is None:
        raise TokenError(_("Save the user before making a token for them."))
    if user.password_is_temporary:
        raise TokenError(
            _(
                "Choose a password of your own first: API tokens wait until the one-time "
                "password is replaced."
            )
        )
    plain = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user_id=user.id,
        name=name,
        prefix=plain[:PREFIX_LENGTH],
        token_hash=hash_token(plain),
    )
    session.add(token)
    session.flush()
    return NewToken(token=token, plain=plain)


def verify_token(session: Session, plain: str) -> tuple[ApiToken, User] | None:
    """The live token and its active user for ``plain``, or None."""
    if not plain or not plain.startswith(TOKEN_PREFIX) or len(plain) > 200:
        return None
    digest = hash_token(plain)
    row = session.exec(
        select(ApiToken, User)
        .join(User, col(User.id) == ApiToken.user_id)
        .where(ApiToken.token_hash == digest, col(ApiToken.revoked_at).is_(None))
    ).first()
    if row is None:
        return None
    token, user = row
    if not hmac.compare_digest(token.token_hash, digest) or not user.active:
        return None
    return token, user


def touch(token: ApiToken, now: datetime | None = None) -> bool:
    """Note that the token was used; True when the row changed (and needs a commit)."""
    now = now or utcnow()
    if token.last_used_at is not None and now - token.last_used_at < TOUCH_EVERY:
        return False
    token.last_used_at = now
    return True


def tokens_of(session: Session, user_id: int) -> list[ApiToken]:
    """The user's live tokens, newest first."""
    return list(
        session.exec(
            select(ApiToken)
            .where(ApiToken.user_id == user_id, col(ApiToken.revoked_at).is_(None))
            .order_by(col(ApiToken.created_at).desc(), col(ApiToken.id).desc())
        ).all()
    )


def revoke_token(session: Session, *, token_id: int, user_id: int) -> ApiToken:
    """Revoke one of the user's own tokens; it stops working at once."""
    token = session.get(ApiToken, token_id)
    if token is None or token.user_id != user_id or token.revoked_at is not None:
        raise TokenError(_("That token does not exist or is already revoked."))
    token.revoked_at = utcnow()
    session.add(token)
    return token
