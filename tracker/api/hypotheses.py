"""The backlog: ``GET, POST /hypotheses`` and ``GET, PATCH /hypotheses/{id}``.

Scores use the team's priority model (ICE by default), as the backlog form does.
"""

from __future__ import annotations

from typing import Any

from flask import Response, request
from sqlmodel import Session, col, select

from experiments.priority import score
from tracker.api.auth import api_user
from tracker.api.errors import invalid, not_found
from tracker.api.io import answer, check_version, id_arg, page_answer, paginated, parse
from tracker.api.openapi import Query, operation
from tracker.api.schemas import HypothesisCreate, HypothesisPublic, HypothesisUpdate
from tracker.backlog.routes import EDITABLE
from tracker.changelog import record_event, record_update, snapshot
from tracker.database import get_session
from tracker.models import (
    Area,
    ExpectedDirection,
    Hypothesis,
    HypothesisStatus,
    Metric,
    PriorityModel,
    Process,
    TeamSettings,
)
from tracker.models.types import utcnow


def hypothesis_public(hypothesis: Hypothesis) -> HypothesisPublic:
    return HypothesisPublic.model_validate(hypothesis, from_attributes=True)


def live_hypothesis(session: Session, hypothesis_id: int) -> Hypothesis:
    hypothesis = session.get(Hypothesis, hypothesis_id)
    if hypothesis is None or hypothesis.deleted_at is not None:
        raise not_found("hypothesis")
    return hypothesis


def _team_model(session: Session) -> str:
    settings = session.get(TeamSettings, 1)
    return settings.priority_model.value if settings else PriorityModel.ice.value


def _check_links(
    session: Session, *, metric_id: int | None, area_id: int, process_id: int | None
) -> dict[str, str]:
    fields: dict[str, str] = {}
    if metric_id is not None:
        metric = session.get(Metric, metric_id)
        if metric is None or metric.deleted_at is not None:
            fields["metric_id"] = "There is no metric with that id."
    area = session.get(Area, area_id)
    if area is None or area.deleted_at is not None:
        fields["area_id"] = "There is no area with that id."
    if process_id is not None:
        process = session.get(Process, process_id)
        if process is None:
            fields["process_id"] = "There is no process with that id."
        elif process.area_id != area_id:
            fields["process_id"] = (
                "This process belongs to another area: choose one of this area's."
            )
    return fields


def _score(model: str, scores: dict[str, float]) -> tuple[dict[str, Any], float]:
    """The stored scores and their score; 422 naming the score that is wrong."""
    try:
        value = score(model, scores)
    except ValueError as exc:
        message = str(exc)
        name = message.split(" ", 1)[0]
        key = f"scores.{name}" if name.isidentifier() else "scores"
        raise invalid({key: message[:1].upper() + message[1:] + "."}) from None
    whole = {name: int(v) if float(v).is_integer() else v for name, v in scores.items()}
    return whole, round(value, 4)


@operation(
    "/hypotheses",
    "GET",
    summary="The backlog, highest score first",
    answer=HypothesisPublic,
    paginated=True,
    query=(
        Query("area", {"type": "integer", "minimum": 1}, "Only this area's hypotheses."),
        Query(
            "status",
            {"type": "string", "enum": [s.value for s in HypothesisStatus]},
            "Only hypotheses with this status.",
        ),
    ),
    tag="hypotheses",
)
def list_hypotheses() -> Response:
    session = get_session()
    statement = (
        select(Hypothesis)
        .where(col(Hypothesis.deleted_at).is_(None))
        .order_by(col(Hypothesis.score).desc(), col(Hypothesis.id).desc())
    )
    area = id_arg("area")
    if area is not None:
        statement = statement.where(Hypothesis.area_id == area)
    status = request.args.get("status")
    if status:
        if status not in HypothesisStatus.__members__:
            raise invalid({"status": "Choose one of " + ", ".join(HypothesisStatus) + "."})
        statement = statement.where(Hypothesis.status == HypothesisStatus(status))
    rows, page, per_page, total = paginated(session, statement)
    return page_answer(
        [hypothesis_public(h) for h in rows], page=page, per_page=per_page, total=total
    )


@operation(
    "/hypotheses",
    "POST",
    summary="Add a hypothesis to the backlog",
    body=HypothesisCreate,
    answer=HypothesisPublic,
    status=201,
    tag="hypotheses",
)
def create_hypothesis() -> Response:
    session = get_session()
    body = parse(HypothesisCreate)
    fields = _check_links(
        session, metric_id=body.metric_id, area_id=body.area_id, process_id=body.process_id
    )
    if fields:
        raise invalid(fields)
    model = _team_model(session)
    scores, value = _score(model, body.scores)
    hypothesis = Hypothesis(
        title=body.title,
        change=body.change,
        metric_id=body.metric_id,
        direction=ExpectedDirection(body.direction),
        expected_effect=body.expected_effect,
        rationale=body.rationale,
        area_id=body.area_id,
        process_id=body.process_id,
        priority_model=PriorityModel(model),
        scores=scores,
        score=value,
        author_id=api_user().id,
        forecast_win_probability=body.forecast_win_probability,
        forecast_by_id=api_user().id if body.forecast_win_probability is not None else None,
    )
    session.add(hypothesis)
    session.flush()
    record_event(session, hypothesis, "create", user_id=api_user().id)
    session.commit()
    return answer(hypothesis_public(hypothesis), 201)


@operation(
    "/hypotheses/<int:hypothesis_id>",
    "GET",
    summary="One hypothesis",
    answer=HypothesisPublic,
    tag="hypotheses",
)
def get_hypothesis(hypothesis_id: int) -> Response:
    return answer(hypothesis_public(live_hypothesis(get_session(), hypothesis_id)))


@operation(
    "/hypotheses/<int:hypothesis_id>",
    "PATCH",
    summary="Change a hypothesis (send the version you read)",
    body=HypothesisUpdate,
    answer=HypothesisPublic,
    errors=(409,),
    tag="hypotheses",
)
def update_hypothesis(hypothesis_id: int) -> Response:
    session = get_session()
    hypothesis = live_hypothesis(session, hypothesis_id)
    body = parse(HypothesisUpdate)
    check_version("hypothesis", hypothesis, body.version)
    changes = body.model_dump(exclude_unset=True, exclude={"version"})
    for name in ("title", "change", "direction", "area_id", "status", "scores"):
        if name in changes and changes[name] is None:
            raise invalid({name: "This field cannot be null."})
    area_id = changes.get("area_id", hypothesis.area_id)
    process_id = changes.get("process_id", hypothesis.process_id)
    if "area_id" in changes and "process_id" not in changes and area_id != hypothesis.area_id:
        process_id = None  # the old process belongs to the old area
    fields = _check_links(
        session,
        metric_id=changes.get("metric_id", hypothesis.metric_id),
        area_id=area_id,
        process_id=process_id,
    )
    if fields:
        raise invalid({k: v for k, v in fields.items()})
    before = snapshot(hypothesis, EDITABLE)
    if "scores" in changes:
        model = _team_model(session)
        hypothesis.scores, hypothesis.score = _score(model, changes.pop("scores"))
        hypothesis.priority_model = PriorityModel(model)
    changes["process_id"] = process_id
    if changes.get("forecast_win_probability", hypothesis.forecast_win_probability) != (
        hypothesis.forecast_win_probability
    ):
        forecast = changes["forecast_win_probability"]
        changes["forecast_by_id"] = api_user().id if forecast is not None else None
    for name, value in changes.items():
        setattr(hypothesis, name, value)
    if record_update(session, hypothesis, before, user_id=api_user().id):
        hypothesis.version += 1
        hypothesis.updated_at = utcnow()
    session.commit()
    return answer(hypothesis_public(hypothesis))
