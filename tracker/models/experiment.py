"""Experiments: the design, the arms, the results entered over time, the
stored analyses and the decision."""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Column, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from tracker.models.metric import SufficientStatistics
from tracker.models.types import UTCDateTime, enum_column, utcnow
from tracker.models.versioned import VERSIONED


class ExperimentStatus(enum.StrEnum):
    draft = "draft"
    running = "running"
    stopped = "stopped"
    decided = "decided"


class Alternative(enum.StrEnum):
    two_sided = "two-sided"
    larger = "larger"
    smaller = "smaller"


class Outcome(enum.StrEnum):
    won = "won"
    lost = "lost"
    inconclusive = "inconclusive"


class DecisionAction(enum.StrEnum):
    ship = "ship"
    iterate = "iterate"
    abandon = "abandon"


class Experiment(SQLModel, table=True):
    __mapper_args__ = VERSIONED

    id: int | None = Field(default=None, primary_key=True)
    hypothesis_id: int | None = Field(default=None, foreign_key="hypothesis.id", index=True)
    title: str = Field(max_length=200)
    owner_id: int | None = Field(default=None, foreign_key="user_account.id", index=True)
    primary_metric_id: int = Field(foreign_key="metric.id", index=True)
    status: ExperimentStatus = Field(
        default=ExperimentStatus.draft,
        sa_column=enum_column(ExperimentStatus, "experiment_status", index=True),
    )
    # the design: baseline of the primary metric (a proportion, a mean or a
    # rate per unit of exposure), its standard deviation for a mean metric
    baseline: float | None = None
    baseline_sd: float | None = None
    mde: float | None = None
    mde_relative: bool = False
    alpha: float = 0.05
    power: float = 0.8
    alternative: Alternative = Field(
        default=Alternative.two_sided, sa_column=enum_column(Alternative, "alternative")
    )
    planned_control: int | None = None
    planned_variant: int | None = None
    planned_total: int | None = None
    # the primary metric's recent weekly volume, for the expected duration
    weekly_volume: float | None = None
    started_on: date | None = None
    stopped_on: date | None = None
    # denormalised from the latest result set, so lists need no extra query
    observed_total: float = 0.0
    latest_result_set_id: int | None = None
    outcome: Outcome | None = Field(
        default=None, sa_column=enum_column(Outcome, "experiment_outcome", nullable=True)
    )
    action: DecisionAction | None = Field(
        default=None, sa_column=enum_column(DecisionAction, "decision_action", nullable=True)
    )
    rationale: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    early_decision_reason: str = Field(default="", max_length=1000)
    decided_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    decided_by_id: int | None = Field(default=None, foreign_key="user_account.id")
    version: int = 1
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    deleted_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class Guardrail(SQLModel, table=True):
    """A metric an experiment must not make worse; any area's metric may guard."""

    experiment_id: int = Field(foreign_key="experiment.id", primary_key=True)
    metric_id: int = Field(foreign_key="metric.id", primary_key=True)


class Arm(SQLModel, table=True):
    """Control or a variant, with its planned share of traffic."""

    __table_args__ = (UniqueConstraint("experiment_id", "name"),)

    id: int | None = Field(default=None, primary_key=True)
    experiment_id: int = Field(foreign_key="experiment.id", index=True)
    name: str = Field(max_length=60)
    share: float
    is_control: bool = False
    position: int = 0


class ResultSet(SQLModel, table=True):
    """Results entered together: one snapshot per arm and metric."""

    __tablename__ = "result_set"

    id: int | None = Field(default=None, primary_key=True)
    experiment_id: int = Field(foreign_key="experiment.id", index=True)
    recorded_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    entered_by_id: int | None = Field(default=None, foreign_key="user_account.id")
    note: str = Field(default="", max_length=300)


class ResultSnapshot(SufficientStatistics, table=True):
    """One arm's figures for one metric at a moment (cumulative)."""

    __tablename__ = "result_snapshot"
    __table_args__ = (UniqueConstraint("result_set_id", "arm_id", "metric_id"),)

    id: int | None = Field(default=None, primary_key=True)
    result_set_id: int = Field(foreign_key="result_set.id", index=True)
    experiment_id: int = Field(foreign_key="experiment.id", index=True)
    arm_id: int = Field(foreign_key="arm.id")
    metric_id: int = Field(foreign_key="metric.id")


class Analysis(SQLModel, table=True):
    """What the statistics say about one metric of one result set, stored
    when the results are entered so that pages never recompute."""

    __table_args__ = (UniqueConstraint("result_set_id", "metric_id"),)

    id: int | None = Field(default=None, primary_key=True)
    result_set_id: int = Field(foreign_key="result_set.id", index=True)
    experiment_id: int = Field(foreign_key="experiment.id", index=True)
    metric_id: int = Field(foreign_key="metric.id")
    is_primary: bool = False
    preliminary: bool = True
    # per variant: estimates, difference and lift with intervals, p-values,
    # chance to beat control, significance and the plain sentence
    comparisons: dict[str, Any] = Field(
        default_factory=dict, sa_column=Column(JSON, nullable=False)
    )
    # [{"code": ..., "message": ...}]
    warnings: list[dict[str, str]] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False)
    )
    srm: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    # the lift chart, drawn once when the analysis is made
    chart_svg: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
