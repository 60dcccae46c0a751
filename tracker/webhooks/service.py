"""Webhook endpoints: registered, listed with their recent deliveries, deleted,
and a delivery sent again. The Settings pages and the API both call these;
the rules (allowed addresses, events, secret, format) are written only here."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import func
from sqlmodel import Session, col, select

from tracker.models.live import is_live, live
from tracker.models.notify import WebhookDelivery, WebhookEndpoint, WebhookEvent
from tracker.models.types import utcnow
from tracker.webhooks.destinations import DestinationError, check_url, resolve
from tracker.webhooks.events import DELIVER_KEY, EVENTS, forget_endpoints

FORMATS = ("json", "slack")
MIN_SECRET = 16
MAX_SECRET = 200
RECENT = 20


class WebhookError(ValueError):
    """Fields that are not valid, each with its message."""

    def __init__(self, fields: dict[str, str]) -> None:
        super().__init__("; ".join(f"{name}: {text}" for name, text in fields.items()))
        self.fields = fields


@dataclass(frozen=True)
class DeliveryLine:
    delivery: WebhookDelivery
    event: str


def create_endpoint(
    session: Session,
    *,
    url: str,
    events: Iterable[str],
    secret: str,
    format: str,
    user_id: int | None,
    allow_private: bool,
) -> WebhookEndpoint:
    """Check every field and add the endpoint; WebhookError names each wrong one."""
    fields: dict[str, str] = {}
    url = url.strip()
    if len(url) > 2000:
        fields["url"] = _("The address is longer than 2,000 characters.")
    else:
        try:
            resolve(check_url(url, allow_private=allow_private), allow_private=allow_private)
        except DestinationError as exc:
            fields["url"] = str(exc)
    chosen = list(dict.fromkeys(e.strip() for e in events if e.strip()))
    unknown = [e for e in chosen if e not in EVENTS]
    if unknown:
        fields["events"] = _(
            "Unknown event “%(event)s”: choose from %(events)s.",
            event=unknown[0],
            events=", ".join(EVENTS),
        )
    elif not chosen:
        fields["events"] = _("Choose at least one event.")
    if not MIN_SECRET <= len(secret) <= MAX_SECRET:
        fields["secret"] = _(
            "The secret must be %(least)d to %(most)d characters long; a long random "
            "one is best (the form suggests one).",
            least=MIN_SECRET,
            most=MAX_SECRET,
        )
    if format not in FORMATS:
        fields["format"] = _("The format is json or slack.")
    if fields:
        raise WebhookError(fields)
    endpoint = WebhookEndpoint(
        url=url, events=" ".join(chosen), secret=secret, format=format, created_by_id=user_id
    )
    session.add(endpoint)
    session.flush()
    forget_endpoints(session)
    return endpoint


def endpoints(session: Session) -> list[WebhookEndpoint]:
    return list(
        session.exec(
            select(WebhookEndpoint).where(live(WebhookEndpoint)).order_by(col(WebhookEndpoint.id))
        ).all()
    )


def get_endpoint(session: Session, endpoint_id: int) -> WebhookEndpoint | None:
    endpoint = session.get(WebhookEndpoint, endpoint_id)
    return endpoint if is_live(endpoint) else None


def delete_endpoint(session: Session, endpoint: WebhookEndpoint) -> None:
    """Stop sending to it; its pending deliveries are given up when next tried."""
    endpoint.deleted_at = utcnow()
    session.add(endpoint)
    forget_endpoints(session)


def recent_deliveries(
    session: Session, endpoint_ids: list[int], *, per_endpoint: int = RECENT
) -> dict[int, list[DeliveryLine]]:
    """Each endpoint's latest deliveries, newest first, in one query: numbered
    within their endpoint, so a busy endpoint never hides a quiet one's."""
    if not endpoint_ids:
        return {}
    newest = (
        func.row_number()
        .over(
            partition_by=col(WebhookDelivery.endpoint_id), order_by=col(WebhookDelivery.id).desc()
        )
        .label("newest")
    )
    ranked = (
        select(col(WebhookDelivery.id).label("id"), newest)
        .where(col(WebhookDelivery.endpoint_id).in_(endpoint_ids))
        .subquery()
    )
    rows = session.exec(
        select(WebhookDelivery, WebhookEvent.event)
        .join(ranked, ranked.c.id == WebhookDelivery.id)
        .join(WebhookEvent, col(WebhookEvent.id) == WebhookDelivery.event_id)
        .where(ranked.c.newest <= per_endpoint)
        .order_by(col(WebhookDelivery.id).desc())
    ).all()
    found: dict[int, list[DeliveryLine]] = defaultdict(list)
    for delivery, event in rows:
        found[delivery.endpoint_id].append(DeliveryLine(delivery, event))
    return dict(found)


def resend(session: Session, delivery: WebhookDelivery) -> WebhookDelivery:
    """The same event to the same endpoint once more, as a new delivery."""
    from tracker.background import after_commit
    from tracker.webhooks.deliverer import deliver_in_app

    again = WebhookDelivery(
        delivery_id=str(uuid.uuid4()), endpoint_id=delivery.endpoint_id, event_id=delivery.event_id
    )
    session.add(again)
    session.flush()
    after_commit(session, deliver_in_app, key=DELIVER_KEY)
    return again
