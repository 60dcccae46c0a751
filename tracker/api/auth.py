"""Who is calling: ``Authorization: Bearer TOKEN`` only.

The session cookie of the web pages is never read here, so a page that a
signed-in browser opens cannot act through the API by accident (and the API
needs no CSRF token). Roles apply as on the pages: viewers read, editors also
write, admins also delete.
"""

from __future__ import annotations

from flask import g, request

from tracker.api.errors import ApiError
from tracker.database import get_session
from tracker.models import Role, User
from tracker.translation import _

PUBLIC_ENDPOINTS = frozenset({"api.openapi"})
READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def bearer_token() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        return None
    return value.strip()


def authenticate() -> None:
    """The blueprint's before-request hook: set ``g.api_user`` or refuse."""
    from tracker.tokens.service import touch, verify_token

    if request.endpoint in PUBLIC_ENDPOINTS:
        return
    plain = bearer_token()
    if plain is None:
        raise ApiError(401, _("Send an API token: Authorization: Bearer TOKEN."))
    session = get_session()
    found = verify_token(session, plain)
    if found is None:
        raise ApiError(401, _("The API token is not valid: it may have been revoked."))
    token, user = found
    if touch(token):
        session.commit()
    g.api_user = user
    needed = required_role(request.method)
    if not user.can(needed):
        raise ApiError(
            403,
            _(
                "Your role (%(role)s) may only read; ask an admin for the %(needed)s role to"
                " change things.",
                role=Role(user.role).value,
                needed=needed.value,
            ),
        )


def required_role(method: str) -> Role:
    if method in READ_METHODS:
        return Role.viewer
    if method == "DELETE":
        return Role.admin
    return Role.editor


def api_user() -> User:
    user: User = g.api_user
    return user
