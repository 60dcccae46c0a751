"""The JSON API's blueprint: ``/api/v1``.

Each resource module declares its views with ``openapi.operation``; this module
adds their URL rules, the token check, the JSON errors and the OpenAPI document.
"""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, request
from werkzeug.exceptions import HTTPException

from tracker.api import actions, areas, cycles, experiments, hypotheses, learnings, metrics
from tracker.api.auth import authenticate
from tracker.api.errors import ApiError, error_response, http_error, routing_error
from tracker.api.openapi import OPERATIONS, document, operation
from tracker.extensions import csrf

RESOURCES = (areas, metrics, hypotheses, experiments, cycles, actions, learnings)
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


bp.before_app_request(lambda: routing_error(PREFIX))


@bp.errorhandler(ApiError)
def api_error(error: ApiError) -> Response:
    return error_response(error)


@bp.errorhandler(HTTPException)
def api_http_error(error: HTTPException) -> Response:
    return http_error(error)
