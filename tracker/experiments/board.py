"""The experiment board: columns by status, and the decided list."""

from __future__ import annotations

from flask import render_template, request
from flask.typing import ResponseReturnValue

from tracker.database import get_session
from tracker.experiments import queries
from tracker.experiments.blueprint import _int_arg, bp
from tracker.pagination import paginate, requested_page

# --- the board -------------------------------------------------------------------------


@bp.route("/")
def board() -> ResponseReturnValue:
    session = get_session()
    area_id, owner_id = _int_arg("area"), _int_arg("owner")
    areas, users = queries.filter_options(session)
    filters = {k: v for k, v in (("area", area_id), ("owner", owner_id)) if v}
    if request.args.get("status") == "decided":
        page = paginate(
            session,
            queries.decided_statement(area_id=area_id, owner_id=owner_id),
            page=requested_page(),
            scalars=False,
        )
        cards = [queries.Card(experiment=e, metric_name=m, owner_name=o) for e, m, o in page.items]
        queries.attach_verdicts(session, cards)
        return render_template(
            "experiments/decided.html",
            cards=cards,
            page=page,
            areas=areas,
            users=users,
            area_id=area_id,
            owner_id=owner_id,
            filters=filters,
        )
    columns, counts = queries.board_columns(session, area_id=area_id, owner_id=owner_id)
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
    )
