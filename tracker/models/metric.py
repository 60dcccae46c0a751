"""What a team measures, and the readings of it week by week."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from tracker.models.types import UTCDateTime, enum_column, utcnow
from tracker.models.versioned import VERSIONED


class MetricKind(enum.StrEnum):
    """The statistics a metric's readings carry: successes of trials, a mean
    with its spread, or events over an exposure."""

    proportion = "proportion"
    mean = "mean"
    rate = "rate"


class Direction(enum.StrEnum):
    """Which way is better for a metric."""

    higher = "higher"
    lower = "lower"


class Metric(SQLModel, table=True):
    __mapper_args__ = VERSIONED

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=120)
    area_id: int = Field(foreign_key="area.id", index=True)
    stage_id: int | None = Field(default=None, foreign_key="stage.id", index=True)
    kind: MetricKind = Field(sa_column=enum_column(MetricKind, "metric_kind"))
    unit: str = Field(default="", max_length=40)
    direction: Direction = Field(
        default=Direction.higher,
        sa_column=enum_column(Direction, "metric_direction"),
    )
    formula: str = Field(default="", max_length=300)
    description: str = Field(default="", max_length=2000)
    # what one unit of the metric is worth in the team's currency (the impact
    # ledger's annual value), and the weekly value it should reach (the
    # scorecard), in the metric's own terms: a fraction for a proportion
    unit_value: float | None = None
    target: float | None = None
    version: int = 1
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    deleted_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class SufficientStatistics(SQLModel):
    """The figures of one kind: successes and trials (proportion), n, mean and
    sd (mean), or events and exposure (rate). The others stay empty."""

    successes: int | None = None
    trials: int | None = None
    n: int | None = None
    mean: float | None = None
    sd: float | None = None
    events: int | None = None
    exposure: float | None = None


class Reading(SufficientStatistics, table=True):
    """One measured value of a metric over a period."""

    __mapper_args__ = VERSIONED

    __table_args__ = (Index("ix_reading_metric_period", "metric_id", "period_start"),)

    id: int | None = Field(default=None, primary_key=True)
    metric_id: int = Field(foreign_key="metric.id")
    period_start: date
    period_end: date
    source_note: str = Field(default="", max_length=300)
    entered_by_id: int | None = Field(default=None, foreign_key="user_account.id")
    # rows inserted without the model (bulk imports) start at version 1 too
    version: int = Field(default=1, sa_column_kwargs={"server_default": "1"})
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
