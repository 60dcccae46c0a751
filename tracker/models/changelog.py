"""The change log: who changed what on which record, when, from what to what."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Index, Text
from sqlmodel import Field, SQLModel

from tracker.models.types import UTCDateTime, utcnow


class Change(SQLModel, table=True):
    """One changed field (or a create, delete or restore) of one record."""

    __tablename__ = "change_log"
    __table_args__ = (Index("ix_change_log_record", "entity", "entity_id"),)

    id: int | None = Field(default=None, primary_key=True)
    entity: str = Field(max_length=40)
    entity_id: int
    action: str = Field(max_length=16)  # create, update, delete, restore
    field: str = Field(default="", max_length=60)
    old_value: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    new_value: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    reason: str = Field(default="", max_length=1000)
    user_id: int | None = Field(default=None, foreign_key="user_account.id")
    at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, index=True)
