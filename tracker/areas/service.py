"""What happens to an area: added, renamed, ranked, made the focus, deactivated and
reactivated. Every rule about an area lives here and refuses with ``RuleError``:
its name is its own, the focus area stays active, an inactive area cannot be the
focus, and an edit is made against the version the person read. Functions add to
the caller's session; the caller commits."""

from __future__ import annotations

from datetime import date
from typing import Unpack

from sqlalchemy import func
from sqlmodel import Session, select

from tracker.changelog import record_created, record_update, snapshot
from tracker.cycles.service import set_focus, team_settings
from tracker.models import Area
from tracker.rules import Edit, checked_edit, invalid, live_one, name_taken, wrong_state
from tracker.translation import _


def live_area(session: Session, area_id: int | None, field: str | None = None) -> Area:
    return live_one(session, Area, area_id, "area", field)


def name_problem(session: Session, name: str, area: Area | None = None) -> str | None:
    if name_taken(session, Area, name, area):
        return _("There is already an area named “%(name)s”.", name=name.strip())
    return None


def _check(session: Session, name: str, area: Area | None) -> None:
    if not name.strip():
        raise invalid({"name": _("Give the area a name.")})
    if problem := name_problem(session, name, area):
        raise invalid({"name": problem})


def create_area(session: Session, *, name: str, description: str, user_id: int | None) -> Area:
    """A new area, at the bottom of the ranking."""
    _check(session, name, None)
    last = session.exec(select(func.max(Area.rank))).one() or 0
    area = Area(name=name.strip(), description=description.strip(), rank=last + 1)
    return record_created(session, area, user_id=user_id)


def update_area(
    session: Session,
    area: Area,
    *,
    name: str,
    description: str,
    **edit: Unpack[Edit],
) -> bool:
    """Rename or redescribe the area; True when anything changed."""
    user_id = checked_edit("area", area, edit)
    _check(session, name, area)
    before = snapshot(area, ("name", "description"))
    area.name = name.strip()
    area.description = description.strip()
    return bool(record_update(session, area, before, user_id=user_id))


def set_active(
    session: Session,
    area: Area,
    active: bool,
    **edit: Unpack[Edit],
) -> bool:
    """Deactivate or reactivate the area (back at the bottom of the ranking);
    True when it changed."""
    user_id = checked_edit("area", area, edit)
    if not active and team_settings(session).focus_area_id == area.id:
        raise wrong_state(
            _(
                "“%(name)s” is the focus area: choose another focus area before deactivating it.",
                name=area.name,
            )
        )
    if area.active == active:
        return False
    rank = (session.exec(select(func.max(Area.rank))).one() or 0) + 1 if active else area.rank
    before = snapshot(area, ("active", "rank"))
    area.active = active
    area.rank = rank
    record_update(session, area, before, user_id=user_id)
    return True


def make_focus(session: Session, area: Area, *, today: date, user_id: int | None) -> None:
    """The team's focus area, for the open cycle too."""
    if not area.active:
        raise wrong_state(_("An inactive area cannot be the focus area; reactivate it first."))
    set_focus(session=session, area_id=area.id or 0, today=today, user_id=user_id)
