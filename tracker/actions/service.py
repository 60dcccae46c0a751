"""What happens to an action item: created in a cycle, edited, its status changed.

Every rule about an action item lives here and refuses with ``RuleError``: the
owner must be an active person, the due week a real ISO week, the version the
one the person read. Functions add to the caller's session; the caller commits.
Carrying unfinished items into the next cycle is ``tracker.cycles.service``'s.
"""

from __future__ import annotations

from typing import Unpack

from sqlmodel import Session, col, select

from experiments.cycles import ActionStatus, IsoWeek
from tracker.changelog import record_created, record_update, snapshot
from tracker.models import ActionItem, Cycle, SourceKind, User
from tracker.models.types import utcnow
from tracker.rules import Edit, checked_edit, invalid, not_found
from tracker.translation import _

EDITABLE = ("title", "details", "owner_id", "due_week")


def live_action(session: Session, item_id: int | None) -> ActionItem:
    item = session.get(ActionItem, item_id) if item_id else None
    if item is None:
        raise not_found("action item")
    return item


def check_owner(session: Session, owner_id: int | None, field: str = "owner_id") -> None:
    if owner_id is None:
        return
    user = session.get(User, owner_id)
    if user is None or not user.active:
        raise invalid({field: _("There is no active person with that id: choose one of the team.")})


def due_week(text: str, field: str = "due_week") -> str:
    """The ISO week written the one way (2026-W49)."""
    try:
        return str(IsoWeek.parse(text.strip()))
    except ValueError:
        raise invalid({field: _("Write the week like %(example)s.", example="2026-W49")}) from None


def create_action(
    session: Session,
    *,
    cycle: Cycle,
    title: str,
    details: str = "",
    owner_id: int | None = None,
    due: str | None = None,
    source_kind: SourceKind = SourceKind.meeting,
    user_id: int | None,
) -> ActionItem:
    """A new item in ``cycle``, due in ``due`` (the cycle's own week when empty)."""
    if not title.strip():
        raise invalid({"title": _("Say what is to be done.")})
    check_owner(session, owner_id)
    item = ActionItem(
        title=title.strip(),
        details=details.strip(),
        owner_id=owner_id,
        source_kind=source_kind,
        cycle_id=cycle.id or 0,
        first_cycle_id=cycle.id or 0,
        due_week=due_week(due) if due else cycle.iso_week,
    )
    record_created(session, item, user_id=user_id, new_value=item.title)
    return item


def edit_action(
    session: Session,
    item: ActionItem,
    *,
    changes: dict[str, object],
    **edit: Unpack[Edit],
) -> bool:
    """Change the item's title, details, owner or due week; True when anything changed."""
    user_id = checked_edit("action item", item, edit)
    if "title" in changes and not str(changes["title"] or "").strip():
        raise invalid({"title": _("Say what is to be done.")})
    if "owner_id" in changes:
        check_owner(session, changes["owner_id"])  # type: ignore[arg-type]
    if changes.get("due_week"):
        changes["due_week"] = due_week(str(changes["due_week"]))
    before = snapshot(item, EDITABLE)
    for name in EDITABLE:
        if name in changes:
            setattr(item, name, changes[name] if name != "details" else changes[name] or "")
    edited = bool(record_update(session, item, before, user_id=user_id))
    if edited:
        item.updated_at = utcnow()
    return bool(edited)


def set_status(
    session: Session,
    item: ActionItem,
    status: ActionStatus | str,
    **edit: Unpack[Edit],
) -> bool:
    """Change the item's status, remembering when and in which week it finished.
    True when the status changed."""
    status = ActionStatus(status)
    if status == item.status:
        return False
    user_id = checked_edit("action item", item, edit)
    week = session.exec(select(Cycle.iso_week).where(col(Cycle.id) == item.cycle_id)).first()
    before = snapshot(item, ["status"])
    item.status = status
    if status.finished:
        item.finished_at = utcnow()
        item.finished_week = week or item.due_week
    else:
        item.finished_at = None
        item.finished_week = None
    item.updated_at = utcnow()
    session.add(item)
    record_update(session, item, before, user_id=user_id)
    return True
