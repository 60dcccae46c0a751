"""``/api/v1/webhooks``: admins register, list and delete webhook endpoints.

The rules live in ``service.py``; this module reads the body and writes the
answer. A secret is accepted but never returned.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from flask import Response, current_app
from pydantic import Field

from tracker.api.auth import api_user
from tracker.api.errors import ApiError, invalid
from tracker.api.io import answer, page_answer, paginated, parse
from tracker.api.openapi import operation
from tracker.api.schemas import Answer, Body, Text
from tracker.database import get_session
from tracker.models import Role
from tracker.models.notify import WebhookEndpoint
from tracker.webhooks import service
from tracker.webhooks.events import EVENTS

EventName = Literal[
    "experiment.started",
    "experiment.decided",
    "experiment.verdict_changed",
    "cycle.closed",
    "action.stuck",
    "metric.off_target",
]
assert set(EventName.__args__) == set(EVENTS)  # type: ignore[attr-defined]


class WebhookCreate(Body):
    url: Text(2000, required=True)  # type: ignore[valid-type]
    events: list[EventName] = Field(min_length=1, max_length=len(EVENTS))
    secret: Text(service.MAX_SECRET, required=True)  # type: ignore[valid-type]
    format: Literal["json", "slack"] = "json"


class WebhookPublic(Answer):
    id: int
    url: str
    events: list[str]
    format: str
    created_at: datetime


class WebhookDeleted(Answer):
    id: int
    deleted: bool


def _public(endpoint: WebhookEndpoint) -> WebhookPublic:
    return WebhookPublic(
        id=endpoint.id or 0,
        url=endpoint.url,
        events=endpoint.event_list,
        format=endpoint.format,
        created_at=endpoint.created_at,
    )


def _admins_only() -> None:
    if not api_user().can(Role.admin):
        raise ApiError(403, "Only admins manage webhooks.")


@operation(
    "/webhooks",
    "GET",
    summary="Webhook endpoints (admins)",
    answer=WebhookPublic,
    paginated=True,
    errors=(403,),
    tag="webhooks",
)
def list_webhooks() -> Response:
    _admins_only()
    from sqlmodel import col, select

    statement = (
        select(WebhookEndpoint)
        .where(col(WebhookEndpoint.deleted_at).is_(None))
        .order_by(col(WebhookEndpoint.id))
    )
    found, page, per_page, total = paginated(get_session(), statement)
    return page_answer([_public(e) for e in found], page=page, per_page=per_page, total=total)


@operation(
    "/webhooks",
    "POST",
    summary="Register a webhook endpoint (admins)",
    answer=WebhookPublic,
    status=201,
    body=WebhookCreate,
    tag="webhooks",
)
def create_webhook() -> Response:
    _admins_only()
    body = parse(WebhookCreate)
    session = get_session()
    try:
        endpoint = service.create_endpoint(
            session,
            url=body.url,
            events=body.events,
            secret=body.secret,
            format=body.format,
            user_id=api_user().id,
            allow_private=bool(current_app.config["WEBHOOK_ALLOW_PRIVATE"]),
        )
    except service.WebhookError as exc:
        raise invalid(exc.fields) from None
    session.commit()
    return answer(_public(endpoint), 201)


@operation(
    "/webhooks/<int:endpoint_id>",
    "DELETE",
    summary="Delete a webhook endpoint (admins)",
    answer=WebhookDeleted,
    tag="webhooks",
)
def delete_webhook(endpoint_id: int) -> Response:
    _admins_only()
    session = get_session()
    endpoint = service.get_endpoint(session, endpoint_id)
    if endpoint is None:
        raise ApiError(404, f"There is no webhook endpoint {endpoint_id}.")
    service.delete_endpoint(session, endpoint)
    session.commit()
    return answer(WebhookDeleted(id=endpoint_id, deleted=True))
