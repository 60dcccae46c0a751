"""Learnings: ``GET, POST /learnings`` (search with ``q``, filter by ``area``)."""

from __future__ import annotations

from collections.abc import Sequence

from flask import Response, request
from sqlmodel import Session, col, or_, select

from tracker.api.auth import api_user
from tracker.api.io import answer, id_arg, page_answer, paginated, parse
from tracker.api.openapi import Query, operation
from tracker.api.schemas import LearningCreate, LearningPublic
from tracker.database import get_session
from tracker.learnings import service
from tracker.learnings.routes import _like
from tracker.models import Learning, LearningExperiment
from tracker.models.live import live
from tracker.parsing import MAX_ID


def learnings_public(session: Session, learnings: Sequence[Learning]) -> list[LearningPublic]:
    ids = [learning.id for learning in learnings]
    linked: dict[int, list[int]] = {}
    if ids:
        for learning_id, experiment_id in session.exec(
            select(LearningExperiment.learning_id, LearningExperiment.experiment_id)
            .where(col(LearningExperiment.learning_id).in_(ids))
            .order_by(col(LearningExperiment.experiment_id))
        ).all():
            linked.setdefault(learning_id, []).append(experiment_id)
    return [
        LearningPublic(
            id=learning.id or 0,
            text=learning.text,
            area_id=learning.area_id,
            tags=[tag for tag in (t.strip() for t in learning.tags.split(",")) if tag],
            experiment_ids=linked.get(learning.id or 0, []),
            version=learning.version,
            created_at=learning.created_at,
        )
        for learning in learnings
    ]


@operation(
    "/learnings",
    "GET",
    summary="Learnings, newest first",
    answer=LearningPublic,
    paginated=True,
    query=(
        Query("q", {"type": "string", "maxLength": 200}, "Words in the text or the tags."),
        Query(
            "area",
            {"type": "integer", "minimum": 1, "maximum": MAX_ID},
            "Only this area's learnings.",
        ),
    ),
    tag="learnings",
)
def list_learnings() -> Response:
    session = get_session()
    statement = (
        select(Learning)
        .where(live(Learning))
        .order_by(col(Learning.created_at).desc(), col(Learning.id).desc())
    )
    query = " ".join(request.args.get("q", "").split())  # at most 200 (check_query)
    if query:
        pattern = _like(query)
        statement = statement.where(
            or_(
                col(Learning.text).ilike(pattern, escape="\\"),
                col(Learning.tags).ilike(pattern, escape="\\"),
            )
        )
    area = id_arg("area")
    if area is not None:
        statement = statement.where(Learning.area_id == area)
    rows, page, per_page, total = paginated(session, statement)
    return page_answer(learnings_public(session, rows), page=page, per_page=per_page, total=total)


@operation(
    "/learnings",
    "POST",
    summary="Keep a learning, linked to the experiments behind it",
    body=LearningCreate,
    answer=LearningPublic,
    status=201,
    tag="learnings",
)
def create_learning() -> Response:
    session = get_session()
    body = parse(LearningCreate)
    learning = service.create_learning(
        session,
        text=body.text,
        area_id=body.area_id,
        tags=", ".join(tag.replace(",", " ") for tag in body.tags),
        experiment_ids=body.experiment_ids,
        user_id=api_user().id,
    )
    session.commit()
    return answer(learnings_public(session, [learning])[0], 201)
