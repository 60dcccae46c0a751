"""What happens to a metric and its readings: a metric defined, edited, deleted
and restored; a reading added and deleted.

Every rule about a metric lives here and refuses with ``RuleError``: its name is
unique among live metrics, its area and stage exist, its kind stays while it has
readings, and an edit or a reading's deletion is made against the version the
person read. Functions add to the caller's session; the caller commits.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Unpack

from sqlmodel import Session, select

from tracker.changelog import record_created, record_event, record_update, snapshot
from tracker.models import Area, Metric, MetricKind, Reading, Stage
from tracker.models.types import utcnow
from tracker.rules import Edit, checked_edit, expect_version, invalid, is_gone, live_one, name_taken
from tracker.translation import _

METRIC_FIELDS = (
    "name",
    "area_id",
    "stage_id",
    "kind",
    "unit",
    "direction",
    "formula",
    "description",
    "target",
    "unit_value",
)


def live_metric(session: Session, metric_id: int | None, field: str | None = None) -> Metric:
    return live_one(session, Metric, metric_id, "metric", field)


def name_problem(session: Session, name: str, metric: Metric | None = None) -> str | None:
    """Why ``name`` cannot be the metric's name, or None."""
    if name_taken(session, Metric, name, metric):
        return _(
            "A metric named “%(name)s” already exists; choose another name.", name=name.strip()
        )
    return None


def kind_problem(session: Session, metric: Metric | None, kind: str) -> str | None:
    """Why the metric's kind cannot become ``kind``, or None."""
    if metric is None or metric.id is None or kind == MetricKind(metric.kind).value:
        return None
    has_readings = session.exec(select(Reading.id).where(Reading.metric_id == metric.id)).first()
    if has_readings is not None:
        return _(
            "This metric has readings of its current kind; create a new metric instead"
            " of changing the kind."
        )
    return None


def check_metric(session: Session, values: Mapping[str, Any], metric: Metric | None) -> None:
    """Every check of a metric's definition, all messages at once."""
    fields: dict[str, str] = {}
    if "name" in values and (problem := name_problem(session, str(values["name"]), metric)):
        fields["name"] = problem
    if "area_id" in values and is_gone(session, Area, values["area_id"]):
        fields["area_id"] = _("There is no area with that id: choose the metric's area.")
    if values.get("stage_id") is not None and session.get(Stage, values["stage_id"]) is None:
        fields["stage_id"] = _("There is no stage with that id: choose one, or no stage.")
    if "kind" in values and (problem := kind_problem(session, metric, str(values["kind"]))):
        fields["kind"] = problem
    if fields:
        raise invalid(fields)


def create_metric(session: Session, values: Mapping[str, Any], *, user_id: int | None) -> Metric:
    check_metric(session, values, None)
    metric = Metric(**{name: values[name] for name in METRIC_FIELDS if name in values})
    return record_created(session, metric, user_id=user_id)


def update_metric(
    session: Session,
    metric: Metric,
    values: Mapping[str, Any],
    **edit: Unpack[Edit],
) -> bool:
    """Change the metric's definition; True when anything changed."""
    user_id = checked_edit("metric", metric, edit)
    check_metric(session, values, metric)
    before = snapshot(metric, METRIC_FIELDS)
    with session.no_autoflush:
        for name in METRIC_FIELDS:
            if name in values:
                setattr(metric, name, values[name])
        return bool(record_update(session, metric, before, user_id=user_id))


def soft_delete(session: Session, metric: Metric, *, user_id: int | None) -> None:
    metric.deleted_at = utcnow()
    record_event(session, metric, "delete", user_id=user_id)


def restore(session: Session, metric: Metric, *, user_id: int | None) -> None:
    metric.deleted_at = None
    record_event(session, metric, "restore", user_id=user_id)


def delete_reading(
    session: Session,
    reading: Reading,
    *,
    user_id: int | None,
    text: str,
    version: int | str | None = None,
) -> None:
    """Delete a reading as the person saw it; the change log keeps its figures."""
    expect_version("reading", reading, version)
    record_event(session, reading, "delete", user_id=user_id, old_value=text)
    session.delete(reading)
