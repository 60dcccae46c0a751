"""The deliverer: claim the deliveries that are due, post them signed, record
the answer, and retry failures with exponential backoff for up to 24 hours.

Several deliverers may run at once (the web processes after their commits,
``tracker webhooks deliver --loop`` on other hosts). A claim is a short
transaction: on PostgreSQL ``SELECT ... FOR UPDATE SKIP LOCKED`` keeps two
deliverers off the same rows, and on every database the claim is a
conditional UPDATE that moves the delivery's next attempt past a lease, so
only one deliverer wins it. A deliverer that dies mid-post leaves the lease
to run out and the delivery is tried again: delivery is at least once, and
X-Revloop-Delivery lets the receiver drop a duplicate.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Engine, update
from sqlalchemy.exc import OperationalError
from sqlmodel import Session, col, select

from tracker.models.live import is_live
from tracker.models.notify import WebhookDelivery, WebhookEndpoint, WebhookEvent
from tracker.models.types import utcnow
from tracker.webhooks.destinations import DestinationError, check_url
from tracker.webhooks.http import Answer, post
from tracker.webhooks.signer import sign
from tracker.webhooks.slack import slack_text

LEASE = timedelta(minutes=2)
FIRST_RETRY = timedelta(seconds=30)
LONGEST_WAIT = timedelta(hours=4)
GIVE_UP_AFTER = timedelta(hours=24)
BATCH = 20


@dataclass
class DeliveryRun:
    """What one run did: deliveries sent, to be retried, given up."""

    sent: int = 0
    retrying: int = 0
    failed: int = 0


def retry_delay(attempts: int) -> timedelta:
    """30 s after the first failure, doubling each time, at most 4 hours apart.

    >>> [str(retry_delay(n)) for n in (1, 2, 3, 10, 20)]
    ['0:00:30', '0:01:00', '0:02:00', '4:00:00', '4:00:00']
    """
    wait: timedelta = FIRST_RETRY * 2 ** min(attempts - 1, 20)
    return min(wait, LONGEST_WAIT)


def body_of(event: WebhookEvent, delivery: WebhookDelivery, endpoint: WebhookEndpoint) -> bytes:
    """The request body: the event as JSON, or a Slack message."""
    if endpoint.format == "slack":
        document: dict[str, object] = {"text": _in_team_language(event)}
    else:
        document = {
            "delivery": delivery.delivery_id,
            "event": event.event,
            "created_at": event.created_at.isoformat(),
            "data": event.payload,
        }
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _in_team_language(event: WebhookEvent) -> str:
    """The Slack text, written in the team's language (English without an app)."""
    from flask import current_app, has_app_context
    from flask_babel import force_locale

    from tracker.i18n import team_language

    if not has_app_context():
        return slack_text(event.event, event.payload)
    with force_locale(team_language(current_app)):
        return slack_text(event.event, event.payload)


def headers_of(
    event: WebhookEvent, delivery: WebhookDelivery, endpoint: WebhookEndpoint, body: bytes
) -> dict[str, str]:
    timestamp = str(int(time.time()))
    return {
        "X-Revloop-Event": event.event,
        "X-Revloop-Delivery": delivery.delivery_id,
        "X-Revloop-Timestamp": timestamp,
        "X-Revloop-Signature": sign(endpoint.secret, timestamp, body),
    }


def claim(engine: Engine, *, now: datetime, limit: int = BATCH) -> list[int]:
    """Take up to ``limit`` due deliveries for this deliverer, in one short transaction."""
    with Session(engine) as session:
        try:
            due = session.exec(
                select(WebhookDelivery.id, WebhookDelivery.next_attempt_at)
                .where(WebhookDelivery.status == "pending", WebhookDelivery.next_attempt_at <= now)
                .order_by(col(WebhookDelivery.next_attempt_at), col(WebhookDelivery.id))
                .limit(limit)
                .with_for_update(skip_locked=True)
            ).all()
            taken = []
            for delivery_id, seen in due:
                won = session.execute(
                    update(WebhookDelivery)
                    .where(
                        col(WebhookDelivery.id) == delivery_id,
                        col(WebhookDelivery.status) == "pending",
                        col(WebhookDelivery.next_attempt_at) == seen,
                    )
                    .values(next_attempt_at=now + LEASE, attempts=WebhookDelivery.attempts + 1)
                )
                if won.rowcount == 1:  # type: ignore[attr-defined]
                    taken.append(delivery_id)
            session.commit()
        except OperationalError:
            # SQLite: another deliverer wrote since this one read; it has them
            session.rollback()
            return []
    return [t for t in taken if t is not None]


def send(engine: Engine, delivery_pk: int, *, allow_private: bool, now: datetime) -> str:
    """Post one claimed delivery and record the answer; returns its new status."""
    with Session(engine, expire_on_commit=False) as session:
        delivery = session.get(WebhookDelivery, delivery_pk)
        if delivery is None:
            return "gone"
        endpoint = session.get(WebhookEndpoint, delivery.endpoint_id)
        event = session.get(WebhookEvent, delivery.event_id)
        gone = event is None or not is_live(endpoint)
        if gone or endpoint is None or event is None:
            answer = Answer(None, "The endpoint was deleted.")
        else:
            body = body_of(event, delivery, endpoint)
            try:
                destination = check_url(endpoint.url, allow_private=allow_private)
            except DestinationError as exc:
                answer = Answer(None, str(exc))
            else:
                headers = headers_of(event, delivery, endpoint, body)
                answer = post(destination, body, headers, allow_private=allow_private)
        record(delivery, answer, now=now, give_up=gone)
        session.add(delivery)
        session.commit()
        return delivery.status


def record(
    delivery: WebhookDelivery, answer: Answer, *, now: datetime, give_up: bool = False
) -> None:
    """Delivered; or tried again later; or, 24 hours after the event, failed."""
    delivery.last_status_code = answer.status
    delivery.last_error = answer.error or ("" if answer.ok else f"HTTP {answer.status}")
    if answer.ok:
        delivery.status = "delivered"
        delivery.finished_at = now
        return
    following = now + retry_delay(max(delivery.attempts, 1))
    if give_up or following > delivery.created_at + GIVE_UP_AFTER:
        delivery.status = "failed"
        delivery.finished_at = now
    else:
        delivery.next_attempt_at = following


def deliver_due(engine: Engine, *, allow_private: bool, now: datetime | None = None) -> DeliveryRun:
    """Send everything due now, batch after batch, until nothing due is left."""
    moment = now or utcnow()
    run = DeliveryRun()
    while batch := claim(engine, now=moment):
        for delivery_pk in batch:
            status = send(engine, delivery_pk, allow_private=allow_private, now=moment)
            if status == "delivered":
                run.sent += 1
            elif status == "failed":
                run.failed += 1
            elif status == "pending":
                run.retrying += 1
    return run


def next_due(engine: Engine) -> datetime | None:
    """When the earliest pending delivery may be tried (for ``--loop``)."""
    with Session(engine) as session:
        return session.exec(
            select(WebhookDelivery.next_attempt_at)
            .where(WebhookDelivery.status == "pending")
            .order_by(col(WebhookDelivery.next_attempt_at))
            .limit(1)
        ).first()


def deliver_in_app() -> None:
    """The job run after a commit in the web process."""
    from flask import current_app

    from tracker.database import get_engine

    deliver_due(get_engine(), allow_private=bool(current_app.config["WEBHOOK_ALLOW_PRIVATE"]))
