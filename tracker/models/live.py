"""Soft deletion, read one way: a record with ``deleted_at`` set is gone for
every page, list and door, unless a page asks for the removed ones on purpose.

>>> from sqlmodel import select
>>> from tracker.models import Metric
>>> str(select(Metric.id).where(live(Metric))).split("WHERE ")[1]
'metric.deleted_at IS NULL'
"""

from __future__ import annotations

from typing import Any, TypeGuard, TypeVar

from sqlalchemy import ColumnElement
from sqlmodel import col

T = TypeVar("T")


def live(model: Any) -> ColumnElement[bool]:
    """The filter that keeps ``model``'s rows that are not soft-deleted."""
    return col(model.deleted_at).is_(None)


def is_live(record: T | None) -> TypeGuard[T]:
    """Whether ``record`` exists and is not soft-deleted."""
    return record is not None and getattr(record, "deleted_at", None) is None
