"""The backlog: "If we <change>, then <metric> will <rise/fall> by <amount>,
because <insight>", scored for priority."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, Column, ForeignKey, Integer, Text
from sqlmodel import Field, SQLModel

from tracker.models.catalogue import PriorityModel
from tracker.models.types import UTCDateTime, enum_column, utcnow
from tracker.models.versioned import VERSIONED


class HypothesisStatus(enum.StrEnum):
    backlog = "backlog"
    selected = "selected"
    testing = "testing"
    validated = "validated"
    invalidated = "invalidated"
    inconclusive = "inconclusive"
    parked = "parked"


class ExpectedDirection(enum.StrEnum):
    increase = "increase"
    decrease = "decrease"


class Hypothesis(SQLModel, table=True):
    __mapper_args__ = VERSIONED
    __table_args__ = (
        CheckConstraint(
            "forecast_win_probability IS NULL OR "
            "(forecast_win_probability >= 0 AND forecast_win_probability <= 1)",
            name="ck_hypothesis_forecast_probability",
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    title: str = Field(max_length=200)
    change: str = Field(sa_column=Column(Text, nullable=False))
    metric_id: int | None = Field(default=None, foreign_key="metric.id", index=True)
    direction: ExpectedDirection = Field(
        default=ExpectedDirection.increase,
        sa_column=enum_column(ExpectedDirection, "expected_direction"),
    )
    # the expected change of the metric, in percent of its baseline (10 = 10%)
    expected_effect: float | None = None
    rationale: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    area_id: int = Field(foreign_key="area.id", index=True)
    process_id: int | None = Field(default=None, foreign_key="process.id", index=True)
    priority_model: PriorityModel = Field(
        default=PriorityModel.ice,
        sa_column=enum_column(PriorityModel, "hypothesis_priority_model"),
    )
    scores: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    score: float = Field(default=0.0, index=True)
    # the scorer's probability (0 to 1) that the experiment will end as a win,
    # and who gave it: the Insights page scores these against the outcomes
    forecast_win_probability: float | None = None
    forecast_by_id: int | None = Field(
        default=None,
        sa_column=Column(
            Integer,
            ForeignKey("user_account.id", name="fk_hypothesis_forecast_by_id"),
            nullable=True,
        ),
    )
    status: HypothesisStatus = Field(
        default=HypothesisStatus.backlog,
        sa_column=enum_column(HypothesisStatus, "hypothesis_status", index=True),
    )
    author_id: int | None = Field(default=None, foreign_key="user_account.id")
    version: int = 1
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    deleted_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
