"""Queries about metrics and their readings, each a fixed number of SQL
statements whatever the amount of data. Keyword-only, they take the session
and leave the transaction to the caller.

Other pages call these: the weekly review shows each metric's change since
last week (``metric_changes``), the experiment design takes a baseline from
a metric's recent readings (``recent_readings``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import func
from sqlmodel import Session, col, select

from tracker.metrics.format import Change, change_between, format_value, reading_value, value_parts
from tracker.models import Area, Metric, Reading, Stage
from tracker.models.live import live


def latest_readings(
    *, session: Session, metric_ids: Iterable[int], per_metric: int = 2
) -> dict[int, list[Reading]]:
    """The newest ``per_metric`` readings of each metric, newest first, in one query.

    A window function numbers each metric's readings by period (newest = 1),
    which SQLite (3.25+) and PostgreSQL both run. Metrics without readings map
    to an empty list.
    """
    ids = sorted(set(metric_ids))
    found: dict[int, list[Reading]] = {metric_id: [] for metric_id in ids}
    if not ids or per_metric < 1:
        return found
    numbered = (
        select(
            col(Reading.id).label("reading_id"),
            func.row_number()
            .over(
                partition_by=col(Reading.metric_id),
                order_by=(col(Reading.period_start).desc(), col(Reading.id).desc()),
            )
            .label("position"),
        )
        .where(col(Reading.metric_id).in_(ids))
        .subquery()
    )
    statement = (
        select(Reading)
        .join(numbered, numbered.c.reading_id == Reading.id)
        .where(numbered.c.position <= per_metric)
        .order_by(col(Reading.metric_id), numbered.c.position)
    )
    for reading in session.exec(statement).all():
        found[reading.metric_id].append(reading)
    return found


def recent_readings(*, session: Session, metric_id: int, limit: int = 12) -> list[Reading]:
    """A metric's newest ``limit`` readings, oldest first (as a trend reads)."""
    statement = (
        select(Reading)
        .where(Reading.metric_id == metric_id)
        .order_by(col(Reading.period_start).desc(), col(Reading.id).desc())
        .limit(limit)
    )
    return list(reversed(session.exec(statement).all()))


@dataclass(frozen=True)
class MetricChange:
    """A metric's latest reading against the one before it.

    Attributes:
        metric: the metric.
        latest: its newest reading, or None when it has none.
        previous: the reading before that, or None.
        value, previous_value: the readings' values (see ``format.reading_value``).
        value_text: the latest value as shown ("24.3%"), "—" without a reading.
        value_number, value_unit: ``value_text`` in two parts ("24.3", "%").
        change: the move since the previous reading, or None.
    """

    metric: Metric
    latest: Reading | None
    previous: Reading | None
    value: float | None
    previous_value: float | None
    value_text: str
    change: Change | None
    value_number: str = "—"
    value_unit: str = ""


def metric_change(*, metric: Metric, readings: list[Reading]) -> MetricChange:
    """Build the MetricChange of ``metric`` from its readings, newest first."""
    latest = readings[0] if readings else None
    previous = readings[1] if len(readings) > 1 else None
    value = reading_value(kind=metric.kind, unit=metric.unit, stats=latest) if latest else None
    previous_value = (
        reading_value(kind=metric.kind, unit=metric.unit, stats=previous) if previous else None
    )
    number, unit = value_parts(kind=metric.kind, unit=metric.unit, value=value)
    return MetricChange(
        value_number=number,
        value_unit=unit,
        metric=metric,
        latest=latest,
        previous=previous,
        value=value,
        previous_value=previous_value,
        value_text=format_value(kind=metric.kind, unit=metric.unit, value=value),
        change=change_between(
            kind=metric.kind,
            unit=metric.unit,
            direction=metric.direction,
            latest=value,
            previous=previous_value,
        ),
    )


def metric_changes(*, session: Session, metrics: Iterable[Metric]) -> dict[int, MetricChange]:
    """Each metric's latest value and change since the reading before, in one query."""
    metrics = list(metrics)
    readings = latest_readings(
        session=session, metric_ids=[m.id for m in metrics if m.id is not None]
    )
    return {
        metric.id: metric_change(metric=metric, readings=readings.get(metric.id, []))
        for metric in metrics
        if metric.id is not None
    }


def active_metrics(*, session: Session) -> list[Metric]:
    """Every metric not deleted, ordered by stage, area rank and name (for choices)."""
    statement = (
        select(Metric)
        .join(Area, col(Area.id) == Metric.area_id)
        .outerjoin(Stage, col(Stage.id) == Metric.stage_id)
        .where(live(Metric))
        .order_by(
            col(Stage.position).is_(None),
            col(Stage.position),
            col(Area.rank),
            col(Metric.name),
        )
    )
    return list(session.exec(statement).all())


@dataclass
class CatalogueGroup:
    """Metrics of one buyer-journey stage, grouped by area in rank order."""

    stage: Stage | None
    areas: list[tuple[Area, list[MetricChange]]]

    @property
    def count(self) -> int:
        return sum(len(rows) for _area, rows in self.areas)


def group_catalogue(
    rows: Iterable[tuple[Metric, Area, Stage | None]], changes: dict[int, MetricChange]
) -> list[CatalogueGroup]:
    """Group (metric, area, stage) rows, already sorted, by stage then area."""
    groups: list[CatalogueGroup] = []
    by_stage: dict[int | None, CatalogueGroup] = {}
    by_area: dict[tuple[int | None, int], list[MetricChange]] = defaultdict(list)
    for metric, area, stage in rows:
        stage_id = stage.id if stage else None
        group = by_stage.get(stage_id)
        if group is None:
            group = by_stage[stage_id] = CatalogueGroup(stage=stage, areas=[])
            groups.append(group)
        key = (stage_id, area.id or 0)
        if key not in by_area:
            group.areas.append((area, by_area[key]))
        by_area[key].append(changes[metric.id or 0])
    return groups
