"""Reading the change log: a record's history, and what a list of entries points at."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from tracker.models import Area, Change, Experiment, Hypothesis, Learning, Metric, User

# The records a delete can be undone for, by their change-log entity name.
SOFT_DELETABLE: dict[str, Any] = {
    "area": Area,
    "metric": Metric,
    "hypothesis": Hypothesis,
    "experiment": Experiment,
    "learning": Learning,
}

# Where each kind of record is shown: (endpoint, the URL's id argument).
DETAIL_ENDPOINTS: dict[str, tuple[str, str]] = {
    "hypothesis": ("backlog.detail", "hypothesis_id"),
    "experiment": ("experiments.detail", "experiment_id"),
    "metric": ("metrics.detail", "metric_id"),
}


def changes_for(
    *, session: Session, entity: str, entity_id: int, limit: int = 50
) -> list[tuple[Change, str | None]]:
    """The newest ``limit`` entries of one record, each with the display name of
    who made it (``None`` when no one is recorded). One query."""
    statement = (
        select(Change, User.display_name)
        .outerjoin(User, col(User.id) == col(Change.user_id))
        .where(Change.entity == entity, Change.entity_id == entity_id)
        .order_by(col(Change.at).desc(), col(Change.id).desc())
        .limit(limit)
    )
    return [(change, name) for change, name in session.exec(statement).all()]


@dataclass(frozen=True)
class RecordInfo:
    """What the change log shows of the record an entry is about."""

    label: str
    deleted_at: datetime | None


def _label(record: Any) -> str:
    for attribute in ("title", "name", "text"):
        value = getattr(record, attribute, None)
        if value:
            text = str(value)
            return text if len(text) <= 80 else text[:79] + "…"
    return f"#{record.id}"


def records_for(
    *, session: Session, changes: Iterable[Change]
) -> dict[tuple[str, int], RecordInfo]:
    """The label and deleted state of every soft-deletable record ``changes`` are
    about: one IN query per kind of record, however many entries there are."""
    wanted: dict[str, set[int]] = {}
    for change in changes:
        if change.entity in SOFT_DELETABLE:
            wanted.setdefault(change.entity, set()).add(change.entity_id)
    found: dict[tuple[str, int], RecordInfo] = {}
    for entity, ids in sorted(wanted.items()):
        model = SOFT_DELETABLE[entity]
        rows = session.exec(select(model).where(col(model.id).in_(ids))).all()
        for record in rows:
            found[(entity, record.id)] = RecordInfo(_label(record), record.deleted_at)
    return found
