"""Errors as JSON: ``{"error": {"code", "message", "fields"}}``.

Views raise ``ApiError``; HTTP errors raised anywhere under the blueprint, and
routing errors under ``/api/v1`` (an unknown address, a wrong method), are
answered in the same shape instead of the HTML error page.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Response, jsonify, request
from pydantic import ValidationError
from werkzeug.exceptions import HTTPException, MethodNotAllowed

from tracker.rules import RuleError, stale_from
from tracker.translation import N_, _, translate

CODES = {
    400: "malformed",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    415: "unsupported_media_type",
    422: "invalid",
    500: "server_error",
}
# Each status's sentence and pydantic's most common refusals, for the catalogue; an
# error is written in the language of its request when it is made.
MESSAGES = {
    400: N_("The request could not be understood."),
    401: N_("Send a valid API token: Authorization: Bearer TOKEN."),
    403: N_("Your role does not allow this."),
    404: N_("There is nothing at this address."),
    405: N_("This address does not accept that method."),
    409: N_("The record changed meanwhile."),
    413: N_("The body is larger than Revloop accepts (16 MB)."),
    415: N_("Send the body as JSON."),
    422: N_("Some fields are not valid: see fields."),
    500: N_("Revloop hit an error it did not expect. Nothing was saved."),
}


FRIENDLY = {
    "missing": N_("This field is required."),
    "extra_forbidden": N_("Unknown field: remove it or check its spelling."),
    "string_too_short": N_("Enter some text: it cannot be blank."),
}


class ApiError(Exception):
    """An answer other than success, with a code a client can test and a message
    a person can read; ``fields`` names each wrong field."""

    def __init__(
        self,
        status: int,
        message: str | None = None,
        *,
        code: str | None = None,
        fields: Mapping[str, str] | None = None,
    ) -> None:
        message = message or translate(MESSAGES.get(status, N_("Error.")))
        super().__init__(message)
        self.status = status
        self.message = message
        self.code = code or CODES.get(status, "error")
        self.fields = dict(fields or {})


def not_found(what: str) -> ApiError:
    return ApiError(404, _("There is no %(record)s with that id.", record=translate(what)))


def invalid(fields: Mapping[str, str], message: str | None = None) -> ApiError:
    return ApiError(422, message, fields=fields)


def from_rule(error: RuleError) -> ApiError:
    """A service's refusal as the API's answer: 422, 409, 403 or 404."""
    return ApiError(
        error.status, error.message, code=error.reason or CODES[error.status], fields=error.fields
    )


def stale_write(_error: Exception) -> Response:
    """A write whose ``UPDATE ... WHERE version = :v`` matched no row."""
    return error_response(from_rule(stale_from(_error)))


def error_response(error: ApiError) -> Response:
    response = jsonify(
        {"error": {"code": error.code, "message": error.message, "fields": error.fields}}
    )
    response.status_code = error.status
    if error.status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="revloop"'
    return response


def field_messages(exc: ValidationError, prefix: str = "") -> dict[str, str]:
    """Pydantic's errors as ``{"arms.1.share": "message"}``, the first per field."""
    fields: dict[str, str] = {}
    for item in exc.errors(include_url=False, include_input=False):
        location = [str(part) for part in item.get("loc", ())]
        name = ".".join(([prefix] if prefix else []) + location) or "body"
        friendly = FRIENDLY.get(str(item.get("type")))
        message = translate(friendly) if friendly else str(item.get("msg", _("Not valid.")))
        message = message.removeprefix("Value error, ")
        fields.setdefault(name, message[:1].upper() + message[1:])
    return fields


def http_error(error: HTTPException) -> Response:
    status = error.code or 500
    response = error_response(ApiError(status))
    if isinstance(error, MethodNotAllowed) and error.valid_methods:
        response.headers["Allow"] = ", ".join(sorted(error.valid_methods))
    return response


def routing_error(prefix: str) -> Response | None:
    """An app-wide before-request hook: JSON for an unknown address under the API."""
    failure: Any = request.routing_exception
    if failure is None or not request.path.startswith(prefix):
        return None
    if isinstance(failure, HTTPException) and (failure.code or 0) >= 400:
        return http_error(failure)
    return None
