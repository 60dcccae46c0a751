"""The backlog: ``GET, POST /hypotheses`` and ``GET, PATCH /hypotheses/{id}``.

Scores use the team's priority model (ICE by default), as the backlog form does.
"""

from __future__ import annotations

from flask import Response, request
from sqlmodel import Session, col, select

from tracker.api.auth import api_user
from tracker.api.errors import invalid
from tracker.api.io import answer, id_arg, page_answer, paginated, parse
from tracker.api.openapi import Query, operation
from tracker.api.schemas import HypothesisCreate, HypothesisPublic, HypothesisUpdate
from tracker.backlog import service
from tracker.database import get_session
from tracker.models import (
    Hypothesis,
    HypothesisStatus,
)
from tracker.models.live import live
from tracker.parsing import MAX_ID
from tracker.translation import _


def hypothesis_public(hypothesis: Hypothesis) -> HypothesisPublic:
    return HypothesisPublic.model_validate(hypothesis, from_attributes=True)


def live_hypothesis(session: Session, hypothesis_id: int) -> Hypothesis:
    return service.live_hypothesis(session, hypothesis_id)


@operation(
    "/hypotheses",
    "GET",
    summary="The backlog, highest score first",
    answer=HypothesisPublic,
    paginated=True,
    query=(
        Query(
            "area",
            {"type": "integer", "minimum": 1, "maximum": MAX_ID},
            "Only this area's hypotheses.",
        ),
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
        .where(live(Hypothesis))
        .order_by(col(Hypothesis.score).desc(), col(Hypothesis.id).desc())
    )
    area = id_arg("area")
    if area is not None:
        statement = statement.where(Hypothesis.area_id == area)
    status = request.args.get("status")  # a choice of the document's (check_query)
    if status:
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
    values = body.model_dump(include=set(service.VALUES))
    hypothesis = service.create_hypothesis(session, values, user_id=api_user().id)
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
    changes = body.model_dump(exclude_unset=True, exclude={"version"})
    for name in ("title", "change", "direction", "area_id", "status", "scores"):
        if name in changes and changes[name] is None:
            raise invalid({name: _("This field cannot be null.")})
    service.update_hypothesis(
        session, hypothesis, changes, user_id=api_user().id, version=body.version
    )
    session.commit()
    return answer(hypothesis_public(hypothesis))
