"""Who may reach what: every page but sign-in needs a signed-in user, and a
role that may not do a thing gets 403."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import abort, request
from flask_login import current_user

from tracker.extensions import login_manager
from tracker.models import Role

# share.view: a share link opens its one report without signing in (tracker/share/)
PUBLIC_ENDPOINTS = frozenset({"auth.sign_in", "auth.sign_in_alias", "static", "share.view"})
READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

F = TypeVar("F", bound=Callable[..., Any])


def require_sign_in() -> Any:
    """Send anonymous visitors to the sign-in page, whatever they asked for."""
    if request.endpoint in PUBLIC_ENDPOINTS or request.endpoint is None:
        return None
    if request.blueprint == "api":
        return None  # the API checks its own bearer tokens and answers 401 in JSON
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    return None


def role_required(needed: Role) -> Callable[[F], F]:
    """Allow the view only to users whose role reaches ``needed``."""

    def decorate(view: F) -> F:
        @wraps(view)
        def guarded(*args: Any, **kwargs: Any) -> Any:
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if not current_user.can(needed):
                abort(403)
            return view(*args, **kwargs)

        return guarded  # type: ignore[return-value]

    return decorate


def editors_change(view: F) -> F:
    """Viewers may read the page; only editors and admins may post to it."""

    @wraps(view)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        if request.method not in READ_METHODS and not current_user.can(Role.editor):
            abort(403)
        return view(*args, **kwargs)

    return guarded  # type: ignore[return-value]
