"""Text limits, read from the tables: the one number every door applies.

A table's field declares ``max_length`` (for a VARCHAR it is the column's
length; a TEXT column declares it beside ``sa_column``), and the forms, the
API's bodies and the CSV imports all ask this module for it.
"""

from __future__ import annotations

from typing import Any


def max_length(model: Any, name: str) -> int:
    """The most characters ``model.name`` holds.

    >>> from tracker.models import Learning, Metric
    >>> max_length(Learning, "text"), max_length(Metric, "name")
    (4000, 120)
    """
    for item in model.model_fields[name].metadata:
        limit = getattr(item, "max_length", None)
        if isinstance(limit, int):
            return limit
    length = getattr(model.__table__.c[name].type, "length", None)
    if isinstance(length, int):
        return length
    raise LookupError(f"{model.__name__}.{name} declares no max_length")
