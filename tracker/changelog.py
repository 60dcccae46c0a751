"""Writing the change log: every edit of a tracked record leaves one entry per
changed field, with who, when, the old and new values and any reason given.

The caller owns the transaction: these functions only add rows to the session.
"""

from __future__ import annotations

import enum
import json
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import Any, TypeVar

from sqlmodel import Session, SQLModel

from tracker.models import Change

T = TypeVar("T", bound=SQLModel)


def as_text(value: Any) -> str | None:
    """A field's value as the change log shows it."""
    if value is None:
        return None
    if isinstance(value, enum.Enum):
        return str(value.value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, dict | list | tuple):
        return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
    return str(value)


def snapshot(record: SQLModel, fields: Iterable[str]) -> dict[str, str | None]:
    """The named fields of ``record`` as text, to compare after an edit."""
    return {name: as_text(getattr(record, name)) for name in fields}


def entity_name(record: SQLModel) -> str:
    return str(getattr(record, "__tablename__", type(record).__name__.lower()))


def record_update(
    session: Session,
    record: SQLModel,
    before: Mapping[str, str | None],
    *,
    user_id: int | None,
    reason: str = "",
) -> list[Change]:
    """Log each field of ``before`` whose value differs now; return the entries."""
    after = snapshot(record, before.keys())
    changes = [
        Change(
            entity=entity_name(record),
            entity_id=_id(record),
            action="update",
            field=name,
            old_value=before[name],
            new_value=after[name],
            reason=reason,
            user_id=user_id,
        )
        for name in before
        if before[name] != after[name]
    ]
    session.add_all(changes)
    return changes


def record_created(
    session: Session, record: T, *, user_id: int | None, new_value: str | None = None
) -> T:
    """Add a new ``record`` to the session, give it its id and log its creation."""
    session.add(record)
    session.flush()
    record_event(session, record, "create", user_id=user_id, new_value=new_value)
    return record


def record_event(
    session: Session,
    record: SQLModel,
    action: str,
    *,
    user_id: int | None,
    reason: str = "",
    field: str = "",
    old_value: str | None = None,
    new_value: str | None = None,
) -> Change:
    """Log a create, delete, restore or another whole-record event."""
    change = Change(
        entity=entity_name(record),
        entity_id=_id(record),
        action=action,
        field=field,
        old_value=old_value,
        new_value=new_value,
        reason=reason,
        user_id=user_id,
    )
    session.add(change)
    return change


def _id(record: SQLModel) -> int:
    record_id = getattr(record, "id", None)
    if record_id is None:
        raise ValueError("flush the record before logging a change to it")
    return int(record_id)
