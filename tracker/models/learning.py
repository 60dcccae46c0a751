"""Learnings: insights worth keeping, linked to the experiments behind them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Text
from sqlmodel import Field, SQLModel

from tracker.models.types import UTCDateTime, utcnow
from tracker.models.versioned import VERSIONED


class Learning(SQLModel, table=True):
    __mapper_args__ = VERSIONED

    id: int | None = Field(default=None, primary_key=True)
    text: str = Field(sa_column=Column(Text, nullable=False))
    area_id: int | None = Field(default=None, foreign_key="area.id", index=True)
    # comma-separated, lower-case: searched together with the text
    tags: str = Field(default="", max_length=300)
    author_id: int | None = Field(default=None, foreign_key="user_account.id")
    version: int = 1
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    deleted_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class LearningExperiment(SQLModel, table=True):
    __tablename__ = "learning_experiment"

    learning_id: int = Field(foreign_key="learning.id", primary_key=True)
    experiment_id: int = Field(foreign_key="experiment.id", primary_key=True)
