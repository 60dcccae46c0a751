"""Action items: ``GET, POST /actions`` (filters cycle, owner, status) and
``PATCH /actions/{id}``. A new item lives in the current cycle; closing a cycle
carries the unfinished ones forward."""

from __future__ import annotations

import re
from collections.abc import Sequence

from flask import Response, request
from sqlmodel import Session, col, select

from experiments.cycles import ActionStatus, IsoWeek, is_stuck
from tracker.actions import service
from tracker.api.auth import api_user
from tracker.api.errors import invalid
from tracker.api.io import answer, page_answer, paginated, parse
from tracker.api.openapi import Query, operation
from tracker.api.schemas import WEEK_PATTERN, ActionCreate, ActionPublic, ActionUpdate
from tracker.cycles.service import open_cycle, team_today
from tracker.database import get_session
from tracker.models import ActionItem, Cycle, ReviewRecord, SourceKind, User, normalise_email
from tracker.rules import RuleError
from tracker.translation import _


def actions_public(session: Session, items: Sequence[ActionItem]) -> list[ActionPublic]:
    """The answers for ``items``: their owners and cycles in two queries."""
    owner_ids = {item.owner_id for item in items if item.owner_id}
    cycle_ids = {item.cycle_id for item in items} | {item.first_cycle_id for item in items}
    emails = (
        dict(session.exec(select(User.id, User.email).where(col(User.id).in_(owner_ids))).all())
        if owner_ids
        else {}
    )
    weeks = (
        dict(
            session.exec(select(Cycle.id, Cycle.iso_week).where(col(Cycle.id).in_(cycle_ids))).all()
        )
        if cycle_ids
        else {}
    )
    return [
        ActionPublic(
            id=item.id or 0,
            title=item.title,
            details=item.details,
            owner_email=emails.get(item.owner_id) if item.owner_id else None,
            status=ActionStatus(item.status),
            cycle=weeks.get(item.cycle_id, ""),
            first_cycle=weeks.get(item.first_cycle_id, ""),
            due_cycle=item.due_week,
            carried_count=item.carried_count,
            stuck=is_stuck(item.carried_count),
            source_kind=SourceKind(item.source_kind),
            finished_week=item.finished_week,
            version=item.version,
            created_at=item.created_at,
            updated_at=item.updated_at,
        )
        for item in items
    ]


def _week(text: str, field: str) -> str:
    try:
        return str(IsoWeek.parse(text))
    except ValueError:
        if re.fullmatch(WEEK_PATTERN, text.strip()):  # well formed, but the year is shorter
            raise invalid(
                {field: _("There is no week %(week)s: that year has 52.", week=text.strip())}
            ) from None
        raise invalid({field: _("Write the week like 2026-W49.")}) from None


def _owner(session: Session, email: str, field: str = "owner_email") -> User:
    user = session.exec(
        select(User).where(User.email == normalise_email(email), col(User.active).is_(True))
    ).first()
    if user is None:
        raise invalid({field: _("There is no active user with that e-mail address.")})
    return user


@operation(
    "/actions",
    "GET",
    summary="Action items, stuck ones first",
    answer=ActionPublic,
    paginated=True,
    query=(
        Query(
            "cycle",
            {"type": "string", "pattern": WEEK_PATTERN, "examples": ["2026-W49"]},
            "Items living in this cycle (2026-W49).",
        ),
        Query("owner", {"type": "string"}, "The owner's e-mail address."),
        Query(
            "status",
            {"type": "string", "enum": [s.value for s in ActionStatus]},
            "Only items with this status.",
        ),
    ),
    tag="actions",
)
def list_actions() -> Response:
    session = get_session()
    statement = select(ActionItem).order_by(
        col(ActionItem.carried_count).desc(), col(ActionItem.id)
    )
    cycle_arg = request.args.get("cycle")
    if cycle_arg:
        week = _week(cycle_arg, "cycle")
        statement = statement.join(Cycle, col(Cycle.id) == ActionItem.cycle_id).where(
            Cycle.iso_week == week
        )
    owner_arg = request.args.get("owner")
    if owner_arg:
        statement = statement.join(User, col(User.id) == ActionItem.owner_id).where(
            User.email == normalise_email(owner_arg)
        )
    status = request.args.get("status")  # a choice of the document's (check_query)
    if status:
        statement = statement.where(ActionItem.status == ActionStatus(status))
    items, page, per_page, total = paginated(session, statement)
    return page_answer(actions_public(session, items), page=page, per_page=per_page, total=total)


@operation(
    "/actions",
    "POST",
    summary="Add an action item to the current cycle",
    body=ActionCreate,
    answer=ActionPublic,
    status=201,
    tag="actions",
)
def create_action() -> Response:
    session = get_session()
    body = parse(ActionCreate)
    owner = _owner(session, body.owner_email) if body.owner_email else None
    cycle = open_cycle(session=session, today=team_today(session))
    session.flush()
    user_id = api_user().id
    try:
        item = service.create_action(
            session,
            cycle=cycle,
            title=body.title,
            details=body.details,
            owner_id=owner.id if owner else None,
            due=body.due_cycle,
            user_id=user_id,
        )
    except RuleError as error:
        raise _renamed(error) from None
    session.add(
        ReviewRecord(
            cycle_id=cycle.id or 0,
            kind="action",
            summary=item.title[:1000],
            action_item_id=item.id,
            user_id=user_id,
        )
    )
    session.commit()
    return answer(actions_public(session, [item])[0], 201)


@operation(
    "/actions/<int:item_id>",
    "PATCH",
    summary="Change an action item's status (send the version you read)",
    body=ActionUpdate,
    answer=ActionPublic,
    errors=(409,),
    tag="actions",
)
def update_action(item_id: int) -> Response:
    session = get_session()
    item = service.live_action(session, item_id)
    body = parse(ActionUpdate)
    sent = body.model_fields_set
    for name in ("status", "title"):
        if name in sent and getattr(body, name) is None:
            raise invalid({name: _("This field cannot be null.")})
    changes: dict[str, object] = {}
    if "title" in sent:
        changes["title"] = body.title
    if "details" in sent:
        changes["details"] = body.details or ""
    if "owner_email" in sent:
        changes["owner_id"] = _owner(session, body.owner_email).id if body.owner_email else None
    if "due_cycle" in sent and body.due_cycle:
        changes["due_week"] = body.due_cycle
    user_id = api_user().id
    try:
        service.edit_action(session, item, changes=changes, user_id=user_id, version=body.version)
        if body.status is not None:
            service.set_status(session, item, body.status, user_id=user_id)
    except RuleError as error:
        raise _renamed(error) from None
    session.commit()
    return answer(actions_public(session, [item])[0])


def _renamed(error: RuleError) -> RuleError:
    """The service's field names as the API's (due_week is due_cycle here)."""
    names = {"due_week": "due_cycle", "owner_id": "owner_email"}
    error.fields = {names.get(k, k): v for k, v in error.fields.items()}
    return error
