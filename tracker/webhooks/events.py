"""The events Revloop announces, and ``emit``: an event written to the outbox in
the caller's transaction, with one delivery per endpoint that wants it.

The outbox row commits or rolls back with the change, so no event is sent for
a change that did not happen and none is lost for one that did. After the
commit the deliverer runs in the background (see tracker/background.py).
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlmodel import Session, col, select

from tracker.models.notify import WebhookDelivery, WebhookEndpoint, WebhookEvent

EVENTS = (
    "experiment.started",
    "experiment.decided",
    "experiment.verdict_changed",
    "cycle.closed",
    "action.stuck",
    "metric.off_target",
)
DELIVER_KEY = "webhooks.deliver"


def emit(session: Session, event: str, payload: dict[str, Any]) -> WebhookEvent | None:
    """Put ``event`` in the outbox for every endpoint subscribed to it.

    ``payload`` should carry a one-line ``summary`` and the page's ``url``
    (the Slack format shows them). Returns None when no endpoint listens.
    """
    if event not in EVENTS:
        raise ValueError(f"Unknown webhook event {event!r}; known: {', '.join(EVENTS)}")
    endpoints = _subscribed(session, event)
    if not endpoints:
        return None
    outbox = WebhookEvent(event=event, payload=payload)
    session.add(outbox)
    session.flush()
    for endpoint in endpoints:
        session.add(
            WebhookDelivery(
                delivery_id=str(uuid.uuid4()),
                endpoint_id=endpoint.id or 0,
                event_id=outbox.id or 0,
            )
        )
    _deliver_after_commit(session)
    return outbox


def wanted(session: Session, event: str) -> bool:
    """Whether any endpoint listens for ``event`` (so a payload is worth building)."""
    return bool(_subscribed(session, event))


def _subscribed(session: Session, event: str) -> list[WebhookEndpoint]:
    return [
        endpoint
        for endpoint in session.exec(
            select(WebhookEndpoint).where(col(WebhookEndpoint.deleted_at).is_(None))
        ).all()
        if event in endpoint.event_list
    ]


def _deliver_after_commit(session: Session) -> None:
    from tracker.background import after_commit
    from tracker.webhooks.deliverer import deliver_in_app

    after_commit(session, deliver_in_app, key=DELIVER_KEY)
