"""Metrics and their readings: ``GET, POST /metrics``, ``GET /metrics/{id}`` and
``POST /metrics/{id}/readings`` (one reading or a list, saved whole or not at all)."""

from __future__ import annotations

import json
from typing import Any

from flask import Response
from sqlmodel import Session, col, select

from tracker.api.auth import api_user
from tracker.api.errors import invalid, not_found
from tracker.api.io import answer, id_arg, json_body, page_answer, paginated, parse, parse_many
from tracker.api.openapi import Query, operation
from tracker.api.schemas import (
    MetricCreate,
    MetricDetail,
    MetricPublic,
    ReadingBatch,
    ReadingCreate,
    ReadingPublic,
)
from tracker.changelog import record_event
from tracker.database import get_session
from tracker.figures import FIGURES, KIND_FIELDS, figures_problem
from tracker.metrics import service as metrics_service
from tracker.metrics.queries import recent_readings
from tracker.models import Metric, MetricKind, Reading
from tracker.models.live import is_live, live
from tracker.notifications import readings_saved
from tracker.parsing import MAX_ID
from tracker.translation import _


def metric_public(metric: Metric) -> MetricPublic:
    return MetricPublic.model_validate(metric, from_attributes=True)


def reading_public(reading: Reading) -> ReadingPublic:
    return ReadingPublic.model_validate(reading.model_dump(), from_attributes=False)


def live_metric(session: Session, metric_id: int) -> Metric:
    metric = session.get(Metric, metric_id)
    if not is_live(metric):
        raise not_found("metric")
    return metric


@operation(
    "/metrics",
    "GET",
    summary="Metrics by name",
    answer=MetricPublic,
    paginated=True,
    query=(
        Query(
            "area",
            {"type": "integer", "minimum": 1, "maximum": MAX_ID},
            "Only this area's metrics.",
        ),
    ),
    tag="metrics",
)
def list_metrics() -> Response:
    session = get_session()
    statement = select(Metric).where(live(Metric)).order_by(Metric.name, col(Metric.id))
    area = id_arg("area")
    if area is not None:
        statement = statement.where(Metric.area_id == area)
    metrics, page, per_page, total = paginated(session, statement)
    return page_answer(
        [metric_public(m) for m in metrics], page=page, per_page=per_page, total=total
    )


@operation(
    "/metrics",
    "POST",
    summary="Add a metric to the catalogue",
    body=MetricCreate,
    answer=MetricPublic,
    status=201,
    tag="metrics",
)
def create_metric() -> Response:
    session = get_session()
    body = parse(MetricCreate)
    metric = metrics_service.create_metric(session, body.model_dump(), user_id=api_user().id)
    session.commit()
    return answer(metric_public(metric), 201)


@operation(
    "/metrics/<int:metric_id>",
    "GET",
    summary="A metric with its recent readings",
    answer=MetricDetail,
    tag="metrics",
)
def get_metric(metric_id: int) -> Response:
    session = get_session()
    metric = live_metric(session, metric_id)
    readings = recent_readings(session=session, metric_id=metric_id)
    detail = MetricDetail.model_validate(
        {
            **metric_public(metric).model_dump(),
            "recent_readings": [reading_public(r) for r in readings],
        }
    )
    return answer(detail)


def _reading_problems(kind: str, item: ReadingCreate) -> dict[str, str]:
    wanted = KIND_FIELDS[kind]
    figures: dict[str, Any] = {name: getattr(item, name) for name in wanted}
    problems = figures_problem(kind, figures)
    for name in FIGURES:
        if name not in wanted and getattr(item, name) is not None:
            problems[name] = _(
                "A %(kind)s metric's reading has no %(name)s: send %(wanted)s.",
                kind=kind,
                name=name,
                wanted=", ".join(wanted),
            )
    return problems


@operation(
    "/metrics/<int:metric_id>/readings",
    "POST",
    summary="Add one reading, or a list of readings (all or none)",
    body=ReadingCreate | ReadingBatch,
    answer=ReadingPublic | list[ReadingPublic],
    status=201,
    tag="metrics",
)
def add_readings(metric_id: int) -> Response:
    session = get_session()
    metric = live_metric(session, metric_id)
    data = json_body()
    single = isinstance(data, dict)
    items = [parse(ReadingCreate, data=data)] if single else parse_many(ReadingCreate, data)
    kind = MetricKind(metric.kind).value
    fields: dict[str, str] = {}
    starts: dict[Any, int] = {}
    for index, item in enumerate(items):
        path = "" if single else f"{index}."
        for name, message in _reading_problems(kind, item).items():
            fields[path + name] = message
        if item.period_start in starts:
            fields[path + "period_start"] = _(
                "Item %(index)d has the same period start.", index=starts[item.period_start]
            )
        starts.setdefault(item.period_start, index)
    existing = set(
        session.exec(
            select(col(Reading.period_start)).where(
                Reading.metric_id == metric_id,
                col(Reading.period_start).in_(list(starts)),
            )
        ).all()
    )
    for index, item in enumerate(items):
        if item.period_start in existing:
            path = "" if single else f"{index}."
            fields[path + "period_start"] = _(
                "A reading for the period starting %(day)s already exists;"
                " delete it first to replace it.",
                day=item.period_start.isoformat(),
            )
    if fields:
        raise invalid(fields)
    user_id = api_user().id
    readings = [
        Reading(
            metric_id=metric_id,
            entered_by_id=user_id,
            **item.model_dump(exclude_none=True),
        )
        for item in items
    ]
    session.add_all(readings)
    session.flush()
    for reading in readings:
        record_event(session, reading, "create", user_id=user_id, new_value=_reading_text(reading))
    readings_saved(session, metric=metric, period_starts=[r.period_start for r in readings])
    session.commit()
    public = [reading_public(r) for r in readings]
    return answer(public[0] if single else public, 201)


def _reading_text(reading: Reading) -> str:
    """The figures as the change log keeps them (as the metric page writes them)."""
    figures: dict[str, Any] = {
        "metric_id": reading.metric_id,
        "period_start": reading.period_start.isoformat(),
        "period_end": reading.period_end.isoformat(),
        "source_note": reading.source_note,
    }
    for name in FIGURES:
        if getattr(reading, name) is not None:
            figures[name] = getattr(reading, name)
    return json.dumps(figures, ensure_ascii=False, sort_keys=True)
