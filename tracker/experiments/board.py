"""The experiment board: columns by status, and the decided list, filtered by
area, owner, process and stage."""

from __future__ import annotations

from flask import render_template, request
from flask.typing import ResponseReturnValue

from tracker.database import get_session
from tracker.experiments import queries
from tracker.experiments.blueprint import _int_arg, bp
from tracker.experiments.stages import facet_options
from tracker.pagination import paginate, requested_page

# --- the board -------------------------------------------------------------------------


@bp.route("/")
def board() -> ResponseReturnValue:
    session = get_session()
    area_id, owner_id = _int_arg("area"), _int_arg("owner")
    process_id, stage_id = _int_arg("process"), _int_arg("stage")
    areas, users = queries.filter_options(session)
    facets = facet_options(session, process_id=process_id, stage_id=stage_id)
    filters = {
        k: v
        for k, v in (
            ("area", area_id),
            ("owner", owner_id),
            ("process", process_id),
            ("stage", stage_id),
        )
        if v
    }
    narrow = {"process_id": process_id, "stage_id": stage_id}
    listed = {status.value: status for status, _label in queries.COLUMNS}.get(
        request.args.get("status", "")
    )
    if listed is not None:
        page = paginate(
            session,
            queries.status_statement(listed, area_id=area_id, owner_id=owner_id, **narrow),
            page=requested_page(),
            scalars=False,
        )
        cards = [queries.Card(experiment=e, metric_name=m, owner_name=o) for e, m, o in page.items]
        queries.attach_verdicts(session, cards)
        return render_template(
            "experiments/decided.html",
            status=listed.value,
            cards=cards,
            page=page,
            areas=areas,
            users=users,
            area_id=area_id,
            owner_id=owner_id,
            filters=filters,
            facets=facets,
        )
    columns, counts = queries.board_columns(session, area_id=area_id, owner_id=owner_id, **narrow)
    return render_template(
        "experiments/board.html",
        columns=columns,
        counts=counts,
        column_labels=queries.COLUMNS,
        limit=queries.BOARD_COLUMN_LIMIT,
        areas=areas,
        users=users,
        area_id=area_id,
        owner_id=owner_id,
        filters=filters,
        facets=facets,
    )
