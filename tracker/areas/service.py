"""What happens to an area: added, renamed, ranked, made the focus, deactivated and
reactivated. Every rule about an area lives here and refuses with ``RuleError``:
its name is its own, the focus area stays active, an inactive area cannot be the
focus, and an edit is made against the version the person read. Functions add to
the caller's session; the caller commits."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func
from sqlmodel import Session, col, select

from tracker.changelog import record_event, record_update, snapshot
from tracker.cycles.service import set_focus, team_settings
from tracker.models import Area
from tracker.rules import expect_version, invalid, not_found, wrong_state


def live_area(session: Session, area_id: int | None, field: str | None = None) -> Area:
    area = session.get(Area, area_id) if area_id else None
    if area is None or area.deleted_at is not None:
        raise not_found("area", field)
    return area


def name_problem(session: Session, name: str, area: Area | None = None) -> str | None:
    statement = select(Area.id).where(
        func.lower(Area.name) == name.strip().lower(), col(Area.deleted_at).is_(None)
    )
    if area is not None and area.id is not None:
        statement = statement.where(Area.id != area.id)
    if session.exec(statement).first() is not None:
        return f"There is already an area named “{name.strip()}”."
    return None


def _check(session: Session, name: str, area: Area | None) -> None:
    if not name.strip():
        raise invalid({"name": "Give the area a name."})
    if problem := name_problem(session, name, area):
        raise invalid({"name": problem})


def create_area(session: Session, *, name: str, description: str, user_id: int | None) -> Area:
    """A new area, at the bottom of the ranking."""
    _check(session, name, None)
    last = session.exec(select(func.max(Area.rank))).one() or 0
    area = Area(name=name.strip(), description=description.strip(), rank=last + 1)
    session.add(area)
    session.flush()
    record_event(session, area, "create", user_id=user_id)
    return area


def update_area(
    session: Session,
    area: Area,
    *,
    name: str,
    description: str,
    user_id: int | None,
    version: int | str | None = None,
) -> bool:
    """Rename or redescribe the area; True when anything changed."""
    expect_version("area", area, version)
    _check(session, name, area)
    before = snapshot(area, ("name", "description"))
    area.name = name.strip()
    area.description = description.strip()
    return bool(record_update(session, area, before, user_id=user_id))


def set_active(
    session: Session,
    area: Area,
    active: bool,
    *,
    user_id: int | None,
    version: int | str | None = None,
) -> bool:
    """Deactivate or reactivate the area (back at the bottom of the ranking);
    True when it changed."""
    expect_version("area", area, version)
    if not active and team_settings(session).focus_area_id == area.id:
        raise wrong_state(
            f"“{area.name}” is the focus area: choose another focus area before deactivating it."
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
        raise wrong_state("An inactive area cannot be the focus area; reactivate it first.")
    set_focus(session=session, area_id=area.id or 0, today=today, user_id=user_id)
