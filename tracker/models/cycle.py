"""The weekly loop: cycles, the action items carried through them, and what
each review meeting decided."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import Column, Index, String, Text
from sqlmodel import Field, SQLModel

from experiments.cycles import ActionStatus, Phase
from tracker.models.types import UTCDateTime, enum_column, utcnow
from tracker.models.versioned import VERSIONED


class SourceKind(enum.StrEnum):
    """Where an action item came from."""

    meeting = "meeting"
    experiment = "experiment"
    learning = "learning"
    metric = "metric"


class Cycle(SQLModel, table=True):
    """One ISO week of the loop, e.g. 2026-W48."""

    __mapper_args__ = VERSIONED

    id: int | None = Field(default=None, primary_key=True)
    iso_week: str = Field(sa_column=Column(String(8), unique=True, nullable=False))
    starts_on: date = Field(index=True)
    focus_area_id: int | None = Field(default=None, foreign_key="area.id")
    # chosen in the meeting; the next cycle starts with it as its focus
    next_focus_area_id: int | None = Field(default=None, foreign_key="area.id")
    phase: Phase = Field(
        default=Phase.analyse, sa_column=enum_column(Phase, "cycle_phase", index=True)
    )
    analyse_started_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    review_started_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    respond_started_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    act_started_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    closed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    meeting_date: date | None = None
    attendees: str = Field(default="", max_length=1000)
    notes: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    version: int = 1


class ActionItem(SQLModel, table=True):
    """A task of the response plan, carried from cycle to cycle until finished."""

    __mapper_args__ = VERSIONED

    __tablename__ = "action_item"
    __table_args__ = (Index("ix_action_item_cycle_status", "cycle_id", "status"),)

    id: int | None = Field(default=None, primary_key=True)
    title: str = Field(max_length=200)
    details: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    owner_id: int | None = Field(default=None, foreign_key="user_account.id", index=True)
    source_kind: SourceKind = Field(
        default=SourceKind.meeting, sa_column=enum_column(SourceKind, "action_source")
    )
    source_id: int | None = None
    # the cycle it lives in now (moved forward by each close), the cycle it
    # was first created in, and the week it is due
    cycle_id: int = Field(foreign_key="cycle.id")
    first_cycle_id: int = Field(foreign_key="cycle.id", index=True)
    due_week: str = Field(max_length=8, index=True)
    status: ActionStatus = Field(
        default=ActionStatus.open, sa_column=enum_column(ActionStatus, "action_status")
    )
    carried_count: int = 0
    finished_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # the ISO week it was finished in, to tell whether it was done on time
    finished_week: str | None = Field(default=None, max_length=8)
    version: int = 1
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class ReviewRecord(SQLModel, table=True):
    """What one review meeting did: a decision on an experiment, a learning
    kept, an action item created, or a status change of an action item."""

    __tablename__ = "review_record"

    id: int | None = Field(default=None, primary_key=True)
    cycle_id: int = Field(foreign_key="cycle.id", index=True)
    kind: str = Field(max_length=24)  # decision, learning, action, action_status, selection
    experiment_id: int | None = Field(default=None, foreign_key="experiment.id")
    learning_id: int | None = Field(default=None, foreign_key="learning.id")
    action_item_id: int | None = Field(default=None, foreign_key="action_item.id")
    hypothesis_id: int | None = Field(default=None, foreign_key="hypothesis.id")
    summary: str = Field(default="", max_length=1000)
    user_id: int | None = Field(default=None, foreign_key="user_account.id")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
