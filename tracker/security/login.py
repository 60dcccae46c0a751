"""The browser's side of a sign-in: Flask-Login holds the session secret in
the signed session cookie, and "keep me signed in" adds a remember token in
a cookie of its own, replaced each time it is used.

Flask-Login's own remember cookie is not used: its value is derived from the
user id and stays the same on every sign-in, so it could not be revoked.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, flash, g, redirect, request, url_for
from flask import session as cookie_session
from flask.wrappers import Response
from flask_login import current_user, login_user, logout_user

from tracker.database import get_session
from tracker.extensions import login_manager
from tracker.models import User
from tracker.models.types import utcnow
from tracker.security.sign_ins import (
    Secrets,
    end_all_sign_ins,
    end_sign_in,
    open_sign_in,
    use_remember_token,
    user_of_session,
)
from tracker.translation import _

REMEMBER_COOKIE = "revloop_remember"
# Flask-Login keeps what get_id() returned here; Revloop keeps the session secret.
SESSION_KEY = "_user_id"
# A user with a one-time password may reach only these until they choose their own.
WHILE_PASSWORD_IS_TEMPORARY = frozenset(
    {"account.index", "account.sign_out_everywhere", "auth.sign_out", "auth.sign_in", "static"}
)


def load_user(secret: str) -> User | None:
    return user_of_session(get_session(), secret=secret)


def sign_in_browser(user: User, *, remember: bool) -> None:
    """Open a sign-in for ``user`` on this browser; the view commits."""
    plain = open_sign_in(get_session(), user=user, remember=remember)
    _hand_over(user, plain, fresh=True)
    if not remember:
        _forget_remember_cookie()


def sign_out_browser() -> None:
    """End this browser's sign-in; the view commits."""
    secret = cookie_session.get(SESSION_KEY)
    if isinstance(secret, str):
        end_sign_in(get_session(), secret=secret)
    logout_user()
    _forget_remember_cookie()


def sign_out_everywhere(user_id: int) -> int:
    """End every sign-in of a user (this browser's too, if it is theirs)."""
    ended = end_all_sign_ins(get_session(), user_id=user_id)
    if current_user.is_authenticated and current_user.id == user_id:
        logout_user()
        _forget_remember_cookie()
    return ended


def restart_sign_in(user: User) -> None:
    """After a new password: end the user's sign-ins, then sign this browser in again."""
    assert user.id is not None
    end_all_sign_ins(get_session(), user_id=user.id)
    sign_in_browser(user, remember=REMEMBER_COOKIE in request.cookies)


def _hand_over(user: User, plain: Secrets, *, fresh: bool) -> None:
    login_user(user, fresh=fresh)
    cookie_session[SESSION_KEY] = plain.session
    if plain.remember:
        g.remember_cookie = (plain.remember, plain.expires_at)


def _forget_remember_cookie() -> None:
    if REMEMBER_COOKIE in request.cookies:
        g.remember_cookie = None


def restore_remembered_sign_in() -> None:
    """Sign a browser back in from its remember token, and give it a new one."""
    if request.endpoint == "static" or request.blueprint == "api":
        return
    token = request.cookies.get(REMEMBER_COOKIE)
    if not token or current_user.is_authenticated:
        return
    found = use_remember_token(get_session(), token=token)
    if found is None:
        g.remember_cookie = None
        return
    user, plain = found
    get_session().commit()
    _hand_over(user, plain, fresh=False)


def require_own_password() -> Any:
    """Send a user who signed in with a one-time password to choose their own."""
    if request.blueprint == "api" or request.endpoint in WHILE_PASSWORD_IS_TEMPORARY:
        return None
    if current_user.is_authenticated and current_user.password_is_temporary:
        flash(_("Choose a password of your own before you go on."), "info")
        return redirect(url_for("account.index"))
    return None


def write_remember_cookie(response: Response) -> Response:
    if "remember_cookie" not in g:
        return response
    from flask import current_app

    flags: dict[str, Any] = {
        "path": "/",
        "httponly": True,
        "samesite": "Lax",
        "secure": bool(current_app.config.get("SESSION_COOKIE_SECURE")),
    }
    if g.remember_cookie is None:
        response.delete_cookie(REMEMBER_COOKIE, **flags)
    else:
        token, expires_at = g.remember_cookie
        max_age = int((expires_at - utcnow()).total_seconds())
        response.set_cookie(REMEMBER_COOKIE, token, max_age=max_age, expires=expires_at, **flags)
    return response


def init_app(app: Flask) -> None:
    login_manager.user_loader(load_user)
    app.before_request(restore_remembered_sign_in)
    app.before_request(require_own_password)
    app.after_request(write_remember_cookie)
