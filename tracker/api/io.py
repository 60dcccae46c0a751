"""Reading request bodies and query strings, and writing answers, the same way in
every resource."""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from typing import Any, TypeVar

from flask import Response, jsonify, request
from pydantic import BaseModel, ValidationError
from sqlmodel import Session

from tracker.api.errors import ApiError, field_messages, invalid
from tracker.api.openapi import DEFAULT_PER_PAGE
from tracker.api.schemas import MAX_READINGS
from tracker.parsing import parse_id, parse_int
from tracker.rules import expect_version
from tracker.translation import _

M = TypeVar("M", bound=BaseModel)


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def json_body(*, optional: bool = False) -> Any:
    """The parsed JSON body; 400 when it is not JSON (or missing, unless optional)."""
    raw = request.get_data(cache=True)
    if not raw.strip():
        if optional:
            return {}
        raise ApiError(400, _("Send a JSON body."), code="malformed")
    try:
        return json.loads(raw, parse_constant=_refuse_constant)
    except (ValueError, UnicodeDecodeError, RecursionError) as exc:
        raise ApiError(
            400, _("The body is not valid JSON: %(problem)s.", problem=exc), code="malformed"
        ) from None


def parse(model: type[M], *, optional: bool = False, data: Any = None) -> M:
    """The body checked against ``model``; 422 with a message per wrong field."""
    data = json_body(optional=optional) if data is None else data
    if not isinstance(data, dict):
        raise invalid({"body": _("Send a JSON object.")})
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise invalid(field_messages(exc)) from None


def parse_many(model: type[M], data: Any) -> list[M]:
    """A list of ``model``; the field paths start with the item's index."""
    if not isinstance(data, list):
        raise invalid({"body": _("Send a JSON object or a list of them.")})
    if not data:
        raise invalid({"body": _("The list is empty: send at least one item.")})
    if len(data) > MAX_READINGS:
        raise invalid(
            {"body": _("Send at most %(count)s items per request.", count=f"{MAX_READINGS:,}")}
        )
    items: list[M] = []
    fields: dict[str, str] = {}
    for index, item in enumerate(data):
        if not isinstance(item, dict):
            fields[str(index)] = _("Send a JSON object.")
            continue
        try:
            items.append(model.model_validate(item))
        except ValidationError as exc:
            fields.update(field_messages(exc, prefix=str(index)))
    if fields:
        raise invalid(fields)
    return items


def clean(value: Any) -> Any:
    """JSON has no infinity or NaN: write them as null."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {key: clean(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [clean(item) for item in value]
    return value


def answer(model: BaseModel | list[Any] | dict[str, Any], status: int = 200) -> Response:
    if isinstance(model, BaseModel):
        payload: Any = model.model_dump(mode="json")
    elif isinstance(model, list):
        payload = [m.model_dump(mode="json") if isinstance(m, BaseModel) else m for m in model]
    else:
        payload = model
    response = jsonify(clean(payload))
    response.status_code = status
    return response


def page_answer(items: Iterable[BaseModel], *, page: int, per_page: int, total: int) -> Response:
    return answer(
        {
            "items": [item.model_dump(mode="json") for item in items],
            "page": page,
            "per_page": per_page,
            "total": total,
        }
    )


def page_args() -> tuple[int, int]:
    """``page`` and ``per_page`` from the query string, which ``check_query`` has
    already read against the document (``tracker.api.query``)."""
    page = parse_int(request.args.get("page") or None)
    per_page = parse_int(request.args.get("per_page") or None)
    return page or 1, per_page or DEFAULT_PER_PAGE


def id_arg(name: str) -> int | None:
    """The id in the query parameter ``name``, or None when it is not given
    (``check_query`` refused anything that is not an id)."""
    return parse_id(request.args.get(name) or None)


def paginated(session: Session, statement: Any, *, scalars: bool = True) -> Any:
    """One page of ``statement`` (two queries); a page past the end is empty."""
    from sqlalchemy import func, select

    page, per_page = page_args()
    total = session.execute(
        select(func.count()).select_from(statement.order_by(None).subquery())
    ).scalar_one()
    result = session.execute(statement.limit(per_page).offset((page - 1) * per_page))
    rows = list(result.scalars().all()) if scalars else list(result.all())
    return rows, page, per_page, total


def check_version(kind: str, record: Any, version: int | None) -> None:
    """409 when the client's version is not the record's (the database checks it
    again when the change is written: see ``tracker.rules.expect_version``)."""
    expect_version(kind, record, version)
