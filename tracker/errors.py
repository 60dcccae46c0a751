"""Error pages inside the layout. A 500 is always a bug, but it still gets a
page that says what to do."""

from __future__ import annotations

from typing import Any

from flask import Flask, abort, make_response, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DataError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import HTTPException, MethodNotAllowed

from tracker.i18n import N_
from tracker.parsing import is_id
from tracker.rules import RuleError

# The pages' titles and messages; the API's JSON keeps its own English codes.
MESSAGES: dict[int, tuple[Any, Any]] = {
    400: (_l("Bad request"), _l("The request could not be understood. Go back and try again.")),
    403: (_l("Not allowed"), _l("Your role does not allow this. Ask an admin if you need it.")),
    404: (
        _l("Not found"),
        _l("There is nothing at this address. It may have been moved or removed."),
    ),
    405: (_l("Not allowed"), _l("This address does not accept that kind of request.")),
    409: (
        _l("Changed meanwhile"),
        _l(
            "Someone else saved this record while you were editing it, so nothing was saved. "
            "Go back, reload the page and make your change again."
        ),
    ),
    413: (_l("Too large"), _l("The upload is larger than Revloop accepts (16 MB).")),
    429: (
        _l("Too many requests"),
        _l("Too many requests in a short time. Wait a minute, then try again."),
    ),
    500: (
        _l("Something went wrong"),
        _l(
            "Revloop hit an error it did not expect. Nothing was saved; try again, "
            "and tell your admin if it happens again."
        ),
    ),
}


API_PREFIX = "/api/v1"
EXPIRED_FORM = N_(
    "The form had expired or was sent from elsewhere (missing security token). "
    "Reload the page and submit it again."
)


def _is_api() -> bool:
    return request.path == API_PREFIX or request.path.startswith(API_PREFIX + "/")


def render_error(code: int, detail: str | None = None) -> Any:
    """The error page, or under /api/v1 the API's JSON error body: whatever raised
    it (Flask's routing, a CSRF check, a bug), a client of the API reads JSON."""
    if _is_api():
        from tracker.api.errors import ApiError, error_response

        return error_response(ApiError(code, detail))
    title, message = MESSAGES.get(code, (_l("Error"), _l("Something went wrong.")))
    return render_template(
        "errors/error.html", code=code, title=title, message=detail or message
    ), code


def refuse_impossible_ids(_endpoint: str | None, values: dict[str, Any] | None) -> None:
    """An id in a path that no record can have (0, or past the id columns' range)
    is simply not found, and never reaches the database."""
    for value in (values or {}).values():
        if isinstance(value, int) and not is_id(value):
            abort(404)


def init_app(app: Flask) -> None:
    app.url_value_preprocessor(refuse_impossible_ids)

    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError) -> Any:
        if _is_api():
            return render_error(400, EXPIRED_FORM)
        return render_error(400, _(EXPIRED_FORM))

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> Any:
        if error.code is None or error.code < 400:
            return error
        response = render_error(error.code)
        if isinstance(error, MethodNotAllowed) and error.valid_methods:
            response = make_response(response)
            response.headers["Allow"] = ", ".join(sorted(error.valid_methods))
        return response

    @app.errorhandler(DataError)
    def out_of_range(_error: DataError) -> Any:
        """A value the database cannot hold (a number past its range, say)."""
        message = "A value in the request is out of range: check the numbers and try again."
        if request.blueprint == "api":
            from tracker.api.errors import ApiError, error_response

            return error_response(ApiError(422, message, code="out_of_range"))
        return render_error(
            400, _("A value in the request is out of range: check the numbers and try again.")
        )

    @app.errorhandler(RuleError)
    def refused(error: RuleError) -> Any:
        """A rule a page did not catch beside its form: the message, never a 500."""
        if request.blueprint == "api":
            from tracker.api.errors import error_response, from_rule

            return error_response(from_rule(error))
        return render_error(error.status, error.first_message())

    @app.errorhandler(StaleDataError)
    def stale_write(error: StaleDataError) -> Any:
        """A write that lost the race for a version (the UPDATE matched no row)."""
        if request.blueprint == "api":
            from tracker.api.errors import stale_write

            return stale_write(error)
        return render_error(409)

    @app.errorhandler(500)
    def server_error(_error: Exception) -> Any:
        return render_error(500)
