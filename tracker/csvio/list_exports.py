"""The exports of the metric catalogue, the change log and the users list, in
the same streaming shape as ``tracker.csvio.exports``."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from sqlmodel import Session, col, select

from tracker.csvio.exports import Export, _stream
from tracker.models import Area, Change, Metric, Stage, User
from tracker.models.live import live

METRIC_HEADER = (
    "id",
    "name",
    "area",
    "stage",
    "kind",
    "unit",
    "direction",
    "formula",
    "description",
    "created_at",
)
CHANGE_HEADER = (
    "at",
    "who",
    "record",
    "record_id",
    "action",
    "field",
    "old_value",
    "new_value",
    "reason",
)
USER_HEADER = ("id", "name", "email", "role", "active", "created_at")


def metrics(session: Session) -> Export:
    statement = (
        select(Metric, Area.name, Stage.name)
        .join(Area, col(Area.id) == col(Metric.area_id))
        .outerjoin(Stage, col(Stage.id) == col(Metric.stage_id))
        .where(live(Metric))
        .order_by(col(Area.rank), col(Metric.name))
    )

    def rows() -> Iterator[Sequence[Any]]:
        for metric, area, stage in _stream(session, statement):
            yield (
                metric.id,
                metric.name,
                area,
                stage or "",
                metric.kind,
                metric.unit,
                metric.direction,
                metric.formula,
                metric.description,
                metric.created_at,
            )

    return Export("metrics", METRIC_HEADER, rows())


def changes(session: Session, *, entity: str = "") -> Export:
    statement: Any = (
        select(Change, User.display_name)
        .outerjoin(User, col(User.id) == col(Change.user_id))
        .order_by(col(Change.at).desc(), col(Change.id).desc())
    )
    if entity:
        statement = statement.where(Change.entity == entity)

    def rows() -> Iterator[Sequence[Any]]:
        for change, who in _stream(session, statement):
            yield (
                change.at,
                who or "",
                change.entity,
                change.entity_id,
                change.action,
                change.field,
                change.old_value,
                change.new_value,
                change.reason,
            )

    return Export("changes", CHANGE_HEADER, rows())


def users(session: Session) -> Export:
    statement = select(User).order_by(col(User.display_name), col(User.id))

    def rows() -> Iterator[Sequence[Any]]:
        for user in _stream(session, statement):
            yield (user.id, user.display_name, user.email, user.role, user.active, user.created_at)

    return Export("users", USER_HEADER, rows())
