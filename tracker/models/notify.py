"""The tables of notifications and sharing: webhook endpoints, the outbox of
events and their deliveries, e-mail preferences and the record of what was
mailed, and share links."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, Index, String, UniqueConstraint
from sqlmodel import Field, SQLModel

from tracker.models.types import UTCDateTime, utcnow


class WebhookEndpoint(SQLModel, table=True):
    """A receiver an admin registered: where to post, which events, how."""

    __tablename__ = "webhook_endpoint"

    id: int | None = Field(default=None, primary_key=True)
    url: str = Field(max_length=2000)
    # the event names it wants, separated by spaces
    events: str = Field(max_length=500)
    # kept as typed: the deliverer needs it to sign every request
    secret: str = Field(max_length=200)
    format: str = Field(default="json", max_length=8)
    created_by_id: int | None = Field(default=None, foreign_key="user_account.id")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    deleted_at: datetime | None = Field(default=None, sa_type=UTCDateTime)

    @property
    def event_list(self) -> list[str]:
        return self.events.split()


class WebhookEvent(SQLModel, table=True):
    """One event in the outbox, written in the transaction of the change."""

    __tablename__ = "webhook_event"

    id: int | None = Field(default=None, primary_key=True)
    event: str = Field(max_length=40)
    payload: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class WebhookDelivery(SQLModel, table=True):
    """One event for one endpoint: pending until delivered or given up."""

    __tablename__ = "webhook_delivery"
    __table_args__ = (Index("ix_webhook_delivery_due", "status", "next_attempt_at"),)

    id: int | None = Field(default=None, primary_key=True)
    # X-Revloop-Delivery: the same on every retry, so receivers can drop duplicates
    delivery_id: str = Field(sa_column=Column(String(36), unique=True, nullable=False))
    endpoint_id: int = Field(foreign_key="webhook_endpoint.id", index=True)
    event_id: int = Field(foreign_key="webhook_event.id", index=True)
    status: str = Field(default="pending", max_length=10)  # pending, delivered, failed
    attempts: int = 0
    # when it may be tried next; while a deliverer holds it, the end of its lease
    next_attempt_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    last_status_code: int | None = None
    last_error: str = Field(default="", max_length=500)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    finished_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class MailPreference(SQLModel, table=True):
    """A person's choice of e-mails; no row means the default for their role."""

    __tablename__ = "mail_preference"

    user_id: int = Field(foreign_key="user_account.id", primary_key=True)
    digest: bool = True
    recap: bool = True


class MailSent(SQLModel, table=True):
    """One e-mail of a kind sent to one person for one period (a week), so
    that sending again sends nothing."""

    __tablename__ = "mail_sent"
    __table_args__ = (UniqueConstraint("kind", "period", "user_id"),)

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=10)  # digest, recap
    period: str = Field(max_length=8)  # the ISO week
    user_id: int = Field(foreign_key="user_account.id")
    sent_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class ShareLink(SQLModel, table=True):
    """A read-only, expiring link to one report for readers without an account."""

    __tablename__ = "share_link"

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=10)  # retro, dashboard
    range_text: str = Field(default="", max_length=40)
    label: str = Field(default="", max_length=120)
    # SHA-256 of the token; the token itself is shown once
    token_hash: str = Field(sa_column=Column(String(64), unique=True, nullable=False))
    created_by_id: int | None = Field(default=None, foreign_key="user_account.id")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    expires_at: datetime = Field(sa_type=UTCDateTime)
    revoked_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    uses: int = 0
    last_used_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
