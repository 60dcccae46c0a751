"""The team's map of its revenue engine: areas, their processes, the
buyer-journey stages, and the team-wide settings."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Column, String, UniqueConstraint
from sqlmodel import Field, SQLModel

from tracker.models.types import UTCDateTime, enum_column
from tracker.models.versioned import VERSIONED


class PriorityModel(enum.StrEnum):
    """How hypotheses are scored (see PRODUCT.md, Prioritisation)."""

    ice = "ice"
    rice = "rice"
    pie = "pie"


class Area(SQLModel, table=True):
    """A revenue function: Marketing, Sales, Service, or one a team adds."""

    __mapper_args__ = VERSIONED

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(sa_column=Column(String(80), unique=True, nullable=False))
    description: str = Field(default="", max_length=500)
    rank: int = Field(default=0, index=True)
    active: bool = True
    # rows inserted without the model (the defaults) start at version 1 too
    version: int = Field(default=1, sa_column_kwargs={"server_default": "1"})
    deleted_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class Process(SQLModel, table=True):
    """A named process inside an area, e.g. pipeline review in Sales."""

    __table_args__ = (UniqueConstraint("area_id", "name"),)

    id: int | None = Field(default=None, primary_key=True)
    area_id: int = Field(foreign_key="area.id", index=True)
    name: str = Field(max_length=120)


class Stage(SQLModel, table=True):
    """A buyer-journey stage; ``position`` orders them."""

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(sa_column=Column(String(80), unique=True, nullable=False))
    position: int = 0


class TeamSettings(SQLModel, table=True):
    """The one row of team-wide settings (id is always 1)."""

    __tablename__ = "team_settings"

    id: int | None = Field(default=1, primary_key=True)
    priority_model: PriorityModel = Field(
        default=PriorityModel.ice,
        sa_column=enum_column(PriorityModel, "priority_model"),
    )
    focus_area_id: int | None = Field(default=None, foreign_key="area.id")
    timezone: str = Field(default="UTC", max_length=64)
    # ISO 4217 code the impact ledger's values are in
    currency: str = Field(default="USD", max_length=3, sa_column_kwargs={"server_default": "USD"})
    # the executive dashboard's programme-health targets (None: no target)
    target_started_per_week: float | None = None
    target_decisions_per_cycle: float | None = None
    target_median_days: float | None = None
    target_on_time: float | None = None  # a share, 0 to 1
    target_win_rate: float | None = None  # a share, 0 to 1
