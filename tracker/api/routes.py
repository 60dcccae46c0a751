"""The JSON API's blueprint: ``/api/v1``.

Each resource module declares its views with ``openapi.operation``; this module
adds their URL rules, the token check, the JSON errors and the OpenAPI document.
"""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, request
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import HTTPException

from tracker.api import (
    actions,
    areas,
    cycles,
    experiments,
    hypotheses,
    insights,
    learnings,
    metrics,
)
from tracker.api.auth import authenticate
from tracker.api.errors import (
    ApiError,
    error_response,
    from_rule,
    http_error,
    invalid,
    routing_error,
    stale_write,
)
from tracker.api.openapi import OPERATIONS, PAGE_QUERY, document, operation
from tracker.api.query import query_problems
from tracker.extensions import csrf
from tracker.rules import RuleError
from tracker.webhooks import api as webhooks  # declares /webhooks

RESOURCES = (
    areas,
    metrics,
    hypotheses,
    experiments,
    cycles,
    actions,
    learnings,
    insights,
    webhooks,
)
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

_QUERIES = {
    f"{bp.name}.{op.endpoint}": {
        q.name: q.schema for q in (*op.query, *(PAGE_QUERY if op.paginated else ()))
    }
    for op in OPERATIONS
}


@bp.before_request
def check_query() -> None:
    """The query string as the document states it: a parameter the operation does
    not take is refused (as an unknown body field is: a typo in a filter must not
    silently list everything), and so is one given twice, given empty where an
    empty value means nothing (a number, a week, a choice), or given a value its
    schema refuses (see ``tracker.api.query``)."""
    problems = query_problems(request.args, _QUERIES.get(request.endpoint or "", {}))
    if problems:
        raise invalid(problems)


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
