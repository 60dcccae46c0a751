"""The operations of the API and the OpenAPI 3.1 document built from them.

Each view is declared with ``operation(...)``, naming its body and answer
models; the blueprint (``routes.py``) adds a URL rule per operation, and
``document()`` turns the same list into ``/api/v1/openapi.json``, the models'
JSON schemas becoming its components. So the document cannot drift from what
the views accept and answer.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, TypeAdapter
from pydantic.json_schema import models_json_schema

from tracker.api.schemas import NO_NUL, WEEK_PATTERN, ErrorBody, PageInfo
from tracker.parsing import MAX_ID

REF = "#/components/schemas/{model}"
_PARAM = re.compile(r"<(?:(\w+):)?(\w+)>")


@dataclass(frozen=True)
class Query:
    """A query-string parameter."""

    name: str
    schema: dict[str, Any]
    description: str = ""


@dataclass
class Operation:
    rule: str
    method: str
    view: Callable[..., Any]
    summary: str
    answer: Any
    status: int = 200
    body: Any = None
    body_required: bool = True
    paginated: bool = False
    query: tuple[Query, ...] = ()
    errors: tuple[int, ...] = ()
    tag: str = ""
    public: bool = False
    endpoint: str = field(default="")


OPERATIONS: list[Operation] = []
DEFAULT_PER_PAGE = 50
MAX_PER_PAGE = 200
PAGE_QUERY = (
    Query(
        "page",
        {"type": "integer", "minimum": 1, "maximum": MAX_ID, "default": 1},
        "The page, from 1.",
    ),
    Query(
        "per_page",
        {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE, "default": DEFAULT_PER_PAGE},
        f"Items per page, at most {MAX_PER_PAGE}.",
    ),
)


def operation(
    rule: str,
    method: str,
    *,
    summary: str,
    answer: Any,
    status: int = 200,
    body: Any = None,
    body_required: bool = True,
    paginated: bool = False,
    query: tuple[Query, ...] = (),
    errors: tuple[int, ...] = (),
    tag: str = "",
    public: bool = False,
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Declare a view as an operation of the API (``routes.py`` adds its URL rule)."""

    def declare(view: Callable[..., Any]) -> Callable[..., Any]:
        OPERATIONS.append(
            Operation(
                rule=rule,
                method=method,
                view=view,
                summary=summary,
                answer=answer,
                status=status,
                body=body,
                body_required=body_required,
                paginated=paginated,
                query=(*PAGE_QUERY, *query) if paginated else query,
                errors=errors,
                tag=tag,
                public=public,
                endpoint=view.__name__,
            )
        )
        return view

    return declare


def _models(value: Any) -> list[type[BaseModel]]:
    """The pydantic models inside ``value`` (a model, a list of one, a union)."""
    if isinstance(value, type) and issubclass(value, BaseModel):
        return [value]
    found: list[type[BaseModel]] = []
    for argument in getattr(value, "__args__", ()):
        found.extend(_models(argument))
    return found


def _schema_of(value: Any) -> dict[str, Any]:
    if isinstance(value, type) and issubclass(value, BaseModel):
        return {"$ref": REF.format(model=value.__name__)}
    return TypeAdapter(value).json_schema(ref_template=REF)


def _page_schema(item: Any) -> dict[str, Any]:
    return {
        "type": "object",
        "required": ["items", "page", "per_page", "total"],
        "properties": {
            "items": {"type": "array", "items": _schema_of(item)},
            "page": {"type": "integer", "minimum": 1},
            "per_page": {"type": "integer", "minimum": 1},
            "total": {"type": "integer", "minimum": 0},
        },
        "additionalProperties": False,
    }


def _error(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": REF.format(model="ErrorBody")}}},
    }


ERROR_TEXT = {
    400: "The body is not JSON, or a query value holds a NUL character.",
    401: "No token, or a token that is not valid.",
    403: "The token's role may not do this.",
    404: "No such record.",
    409: "A stale version, or a move the record's state does not allow.",
    422: "A field is not valid: one message per field.",
}


def _path(rule: str) -> tuple[str, list[dict[str, Any]]]:
    parameters = []
    for converter, name in _PARAM.findall(rule):
        schema: dict[str, Any] = {"type": "string"}
        if converter == "int":
            schema = {"type": "integer", "minimum": 1, "maximum": 2**53}
        elif name == "iso_week":
            schema = {"type": "string", "pattern": WEEK_PATTERN}
        parameters.append({"name": name, "in": "path", "required": True, "schema": schema})
    return _PARAM.sub(lambda m: "{" + m.group(2) + "}", rule), parameters


def _said_in_full(schema: dict[str, Any]) -> dict[str, Any]:
    """A free-text query value's schema with what the door refuses in any value
    (a NUL character, answered 400 by ``tracker.security.nul``) said too."""
    if schema.get("type") == "string" and "pattern" not in schema and "enum" not in schema:
        return {**schema, "pattern": NO_NUL}
    return schema


def _operation_object(op: Operation) -> dict[str, Any]:
    _, parameters = _path(op.rule)
    for query in op.query:
        parameters.append(
            {
                "name": query.name,
                "in": "query",
                "required": False,
                "schema": _said_in_full(query.schema),
                "description": query.description,
            }
        )
    answer = _page_schema(op.answer) if op.paginated else _schema_of(op.answer)
    responses: dict[str, Any] = {
        str(op.status): {
            "description": op.summary,
            "content": {"application/json": {"schema": answer}},
        }
    }
    # the door refuses a NUL anywhere in the query string before any view runs
    codes = {400, *op.errors}
    if not op.public:
        codes |= {401}
        if op.method != "GET":
            codes |= {403}
    if parameters:
        codes |= {404, 422}
    if "<" in op.rule:
        codes |= {404}
    if op.body is not None:
        codes |= {400, 422}
    for code in sorted(codes):
        responses[str(code)] = _error(ERROR_TEXT[code])
    result: dict[str, Any] = {
        "operationId": op.endpoint,
        "summary": op.summary,
        "tags": [op.tag] if op.tag else [],
        "parameters": parameters,
        "responses": responses,
    }
    if op.body is not None:
        result["requestBody"] = {
            "required": op.body_required,
            "content": {"application/json": {"schema": _schema_of(op.body)}},
        }
    if op.public:
        result["security"] = []
    return result


def document(server_url: str = "/api/v1") -> dict[str, Any]:
    """The OpenAPI 3.1 document of every declared operation."""
    models: dict[str, type[BaseModel]] = {"ErrorBody": ErrorBody, "PageInfo": PageInfo}
    for op in OPERATIONS:
        for value in (op.answer, op.body):
            for model in _models(value):
                models[model.__name__] = model
    pairs = [
        (
            model,
            "validation"
            if model.__name__.endswith(("Create", "Update", "Change"))
            else "serialization",
        )
        for model in models.values()
    ]
    _, definitions = models_json_schema(pairs, ref_template=REF)  # type: ignore[arg-type]
    paths: dict[str, dict[str, Any]] = {}
    for op in OPERATIONS:
        path, _ = _path(op.rule)
        paths.setdefault(path, {})[op.method.lower()] = _operation_object(op)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Revloop API",
            "version": "1.0.0",
            "description": "The weekly experiment loop of a revenue-operations team: "
            "metrics and readings, the backlog, experiments and their analyses, cycles, "
            "action items and learnings. Authenticate with Authorization: Bearer TOKEN "
            "(make a token on your account page or with `tracker token create`).",
        },
        "servers": [{"url": server_url}],
        "security": [{"bearerAuth": []}],
        "paths": paths,
        "components": {
            "schemas": definitions.get("$defs", {}),
            "securitySchemes": {
                "bearerAuth": {"type": "http", "scheme": "bearer", "bearerFormat": "rvl_…"}
            },
        },
    }
