"""``GET /areas``: the revenue functions with their processes."""

from __future__ import annotations

from flask import Response
from sqlmodel import col, select

from tracker.api.io import page_answer, paginated
from tracker.api.openapi import operation
from tracker.api.schemas import AreaPublic, ProcessPublic
from tracker.database import get_session
from tracker.models import Area, Process
from tracker.models.live import live


@operation("/areas", "GET", summary="Areas by rank", answer=AreaPublic, paginated=True, tag="areas")
def list_areas() -> Response:
    session = get_session()
    statement = select(Area).where(live(Area)).order_by(col(Area.rank), Area.name)
    areas, page, per_page, total = paginated(session, statement)
    processes: dict[int, list[ProcessPublic]] = {}
    ids = [area.id for area in areas]
    if ids:
        for process in session.exec(
            select(Process).where(col(Process.area_id).in_(ids)).order_by(Process.name)
        ).all():
            processes.setdefault(process.area_id, []).append(
                ProcessPublic(id=process.id or 0, name=process.name)
            )
    items = [
        AreaPublic(
            id=area.id or 0,
            name=area.name,
            description=area.description,
            rank=area.rank,
            active=area.active,
            processes=processes.get(area.id or 0, []),
            version=area.version,
        )
        for area in areas
    ]
    return page_answer(items, page=page, per_page=per_page, total=total)
