"""The weekly loop: ``GET /cycles`` (newest first), ``GET /cycles/current``,
``GET /cycles/{iso_week}``, ``POST /cycles/current/phase`` and
``POST /cycles/current/close`` with ``{"iso_week": ...}`` (which closes that week
once and carries the unfinished action items)."""

from __future__ import annotations

import json

from flask import Response
from sqlmodel import Session, col, select

from experiments.cycles import IsoWeek
from tracker.api.actions import actions_public
from tracker.api.auth import api_user
from tracker.api.errors import ApiError, error_response, from_rule, not_found
from tracker.api.io import answer, check_version, clean, page_answer, paginated, parse
from tracker.api.openapi import operation
from tracker.api.schemas import CycleClose, CycleClosed, CycleDetail, CyclePublic, PhaseChange
from tracker.cycles.service import (
    ALREADY_CLOSED,
    CycleError,
    advance_phase,
    close_week,
    team_today,
)
from tracker.cycles.service import current_cycle as service_current_cycle
from tracker.database import get_session
from tracker.models import ActionItem, Cycle
from tracker.rules import RuleError
from tracker.translation import _


def cycle_public(cycle: Cycle) -> CyclePublic:
    return CyclePublic.model_validate(cycle, from_attributes=True)


def cycle_detail(session: Session, cycle: Cycle) -> CycleDetail:
    items = session.exec(
        select(ActionItem)
        .where(ActionItem.cycle_id == cycle.id)
        .order_by(col(ActionItem.carried_count).desc(), col(ActionItem.id))
    ).all()
    return CycleDetail.model_validate(
        {**cycle_public(cycle).model_dump(), "actions": actions_public(session, items)}
    )


def current_cycle(session: Session) -> Cycle:
    """The open cycle, opened (and saved) if there is none yet."""
    return service_current_cycle(session=session, today=team_today(session))


@operation(
    "/cycles",
    "GET",
    summary="Cycles, newest first",
    answer=CyclePublic,
    paginated=True,
    tag="cycles",
)
def list_cycles() -> Response:
    session = get_session()
    statement = select(Cycle).order_by(col(Cycle.starts_on).desc())
    cycles, page, per_page, total = paginated(session, statement)
    return page_answer([cycle_public(c) for c in cycles], page=page, per_page=per_page, total=total)


@operation(
    "/cycles/current",
    "GET",
    summary="The cycle the team is in, with its action items",
    answer=CycleDetail,
    tag="cycles",
)
def get_current_cycle() -> Response:
    session = get_session()
    return answer(cycle_detail(session, current_cycle(session)))


@operation(
    "/cycles/<iso_week>",
    "GET",
    summary="One cycle by its ISO week (2026-W48), with its action items",
    answer=CycleDetail,
    tag="cycles",
)
def get_cycle(iso_week: str) -> Response:
    try:
        week = str(IsoWeek.parse(iso_week))
    except ValueError:
        raise not_found("cycle") from None
    session = get_session()
    cycle = session.exec(select(Cycle).where(Cycle.iso_week == week)).first()
    if cycle is None:
        raise ApiError(404, _("There is no cycle for %(week)s.", week=week))
    return answer(cycle_detail(session, cycle))


@operation(
    "/cycles/current/phase",
    "POST",
    summary="Move the current cycle to its next phase",
    body=PhaseChange,
    body_required=False,
    answer=CyclePublic,
    errors=(409,),
    tag="cycles",
)
def next_phase() -> Response:
    session = get_session()
    body = parse(PhaseChange, optional=True)
    cycle = current_cycle(session)
    check_version("cycle", cycle, body.version)
    try:
        advance_phase(session=session, cycle=cycle, user_id=api_user().id)
    except CycleError as error:
        raise ApiError(409, str(error), code="invalid_state") from None
    session.commit()
    return answer(cycle_public(cycle))


@operation(
    "/cycles/current/close",
    "POST",
    summary="Close the named week if it is still open, open the next and carry the "
    "unfinished items (409 with the current cycle when it was closed already)",
    body=CycleClose,
    answer=CycleClosed,
    errors=(404, 409),
    tag="cycles",
)
def close_current() -> Response:
    session = get_session()
    body = parse(CycleClose)
    try:
        result = close_week(
            session=session,
            iso_week=body.iso_week,
            today=team_today(session),
            user_id=api_user().id,
        )
    except RuleError as error:
        session.rollback()
        if error.reason != ALREADY_CLOSED:
            raise
        response = error_response(from_rule(error))
        current = current_cycle(session)
        payload = response.get_json()
        payload["error"]["current"] = cycle_detail(session, current).model_dump(mode="json")
        response.set_data(json.dumps(clean(payload)))
        return response
    session.commit()
    return answer(CycleClosed(closed=result.closed, current=result.current, carried=result.carried))
