"""Optimistic locking for the records people edit.

A model sets ``__mapper_args__ = VERSIONED`` and keeps its ``version: int`` column:
SQLAlchemy then adds ``WHERE version = <the version read>`` to every UPDATE of the
row and bumps the version itself, so of two writers who read the same version
only the first matches a row; the second gets ``StaleDataError`` and saves
nothing. A version compared in Python before the write would not be a lock.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import declared_attr


def _version_id_col(cls: Any) -> dict[str, Any]:
    return {"version_id_col": cls.__table__.c.version}


VERSIONED: Any = declared_attr.directive(_version_id_col)
