"""Error pages inside the layout. A 500 is always a bug, but it still gets a
page that says what to do."""

from __future__ import annotations

from typing import Any

from flask import Flask, render_template, request
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DataError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import HTTPException

from tracker.rules import RuleError

MESSAGES = {
    400: ("Bad request", "The request could not be understood. Go back and try again."),
    403: ("Not allowed", "Your role does not allow this. Ask an admin if you need it."),
    404: ("Not found", "There is nothing at this address. It may have been moved or removed."),
    405: ("Not allowed", "This address does not accept that kind of request."),
    409: (
        "Changed meanwhile",
        "Someone else saved this record while you were editing it, so nothing was saved. "
        "Go back, reload the page and make your change again.",
    ),
    413: ("Too large", "The upload is larger than Revloop accepts (16 MB)."),
    500: (
        "Something went wrong",
        "Revloop hit an error it did not expect. Nothing was saved; try again, "
        "and tell your admin if it happens again.",
    ),
}


def render_error(code: int, detail: str | None = None) -> tuple[str, int]:
    title, message = MESSAGES.get(code, ("Error", "Something went wrong."))
    return render_template(
        "errors/error.html", code=code, title=title, message=detail or message
    ), code


def init_app(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError) -> tuple[str, int]:
        return render_error(
            400,
            "The form had expired or was sent from elsewhere (missing security token). "
            "Reload the page and submit it again.",
        )

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> tuple[str, int] | HTTPException:
        if error.code is None or error.code < 400:
            return error
        return render_error(error.code)

    @app.errorhandler(DataError)
    def out_of_range(_error: DataError) -> Any:
        """A value the database cannot hold (a number past its range, say)."""
        message = "A value in the request is out of range: check the numbers and try again."
        if request.blueprint == "api":
            from tracker.api.errors import ApiError, error_response

            return error_response(ApiError(422, message, code="out_of_range"))
        return render_error(400, message)

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
    def server_error(_error: Exception) -> tuple[str, int]:
        return render_error(500)
