"""The JSON API's blueprint: ``/api/v1``.

Each resource module declares its views with ``openapi.operation``; this module
adds their URL rules, the token check, the JSON errors and the OpenAPI document.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, jsonify, request
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import HTTPException

from tracker.api import actions, areas, cycles, experiments, hypotheses, learnings, metrics
from tracker.api.auth import authenticate
from tracker.api.errors import (
    ApiError,
    error_response,
    from_rule,
    http_error,
    routing_error,
    stale_write,
)
from tracker.api.openapi import OPERATIONS, document, operation
from tracker.api.schemas import MAX_ID
from tracker.extensions import csrf
from tracker.rules import RuleError
from tracker.webhooks import api as webhooks  # declares /webhooks

RESOURCES = (areas, metrics, hypotheses, experiments, cycles, actions, learnings, webhooks)
PREFIX = "/api/v1"

bp = Blueprint("api", __name__, url_prefix=PREFIX)
csrf.exempt(bp)


@operation(
    "/openapi.json",
    "GET",
    summary="This API's OpenAPI 3.1 document",
    answer=dict[str, object],
    public=True,
    tag="meta",
)
def openapi() -> Response:
    return jsonify(document(request.script_root + PREFIX))


for _op in OPERATIONS:
    bp.add_url_rule(_op.rule, endpoint=_op.endpoint, view_func=_op.view, methods=[_op.method])

bp.before_request(authenticate)


@bp.url_value_preprocessor
def refuse_huge_ids(_endpoint: str | None, values: dict[str, Any] | None) -> None:
    """An id no record can have is simply not found (and never reaches the database)."""
    for value in (values or {}).values():
        if isinstance(value, int) and not 1 <= value <= MAX_ID:
            raise ApiError(404)


bp.before_app_request(lambda: routing_error(PREFIX))


@bp.errorhandler(ApiError)
def api_error(error: ApiError) -> Response:
    return error_response(error)


@bp.errorhandler(RuleError)
def rule_error(error: RuleError) -> Response:
    return error_response(from_rule(error))


bp.register_error_handler(StaleDataError, stale_write)


@bp.errorhandler(HTTPException)
def api_http_error(error: HTTPException) -> Response:
    return http_error(error)
