"""The change log: every change, newest first, and undoing a delete."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlmodel import col, select
from werkzeug.routing import BuildError
from wtforms import SubmitField

from tracker.access import role_required
from tracker.changelog import record_event
from tracker.changes.labels import ENTITY_LABELS, entity_label
from tracker.changes.queries import DETAIL_ENDPOINTS, SOFT_DELETABLE, records_for
from tracker.database import get_session
from tracker.models import Change, Role, User
from tracker.pagination import paginate, requested_page

bp = Blueprint("changes", __name__, url_prefix="/changes")


class UndoForm(FlaskForm):
    undo = SubmitField(_l("Undo delete"))


def record_url(entity: str, entity_id: int) -> str | None:
    """The page of a record, when its feature has one."""
    target = DETAIL_ENDPOINTS.get(entity)
    if target is None or target[0] not in current_app.view_functions:
        return None
    try:
        values: dict[str, Any] = {target[1]: entity_id}
        return url_for(target[0], **values)
    except BuildError:
        return None


@bp.get("/")
def index() -> ResponseReturnValue:
    session = get_session()
    entity = request.args.get("entity", "")
    entities = sorted(session.exec(select(Change.entity).distinct()).all())
    if entity not in entities:
        entity = ""
    statement: Any = (
        select(Change, User.display_name)
        .outerjoin(User, col(User.id) == col(Change.user_id))
        .order_by(col(Change.at).desc(), col(Change.id).desc())
    )
    if entity:
        statement = statement.where(Change.entity == entity)
    page = paginate(session, statement, page=requested_page(), scalars=False)
    records = records_for(session=session, changes=[change for change, _ in page.items])
    return render_template(
        "changes/index.html",
        page=page,
        entity=entity,
        entities=entities,
        entity_labels=ENTITY_LABELS,
        records=records,
        record_url=record_url,
        undo_form=UndoForm(formdata=None),
        pager_args={"entity": entity} if entity else {},
    )


@bp.post("/<int:change_id>/undo")
@role_required(Role.admin)
def undo(change_id: int) -> ResponseReturnValue:
    session = get_session()
    change = session.get(Change, change_id)
    if change is None or change.action != "delete" or change.entity not in SOFT_DELETABLE:
        abort(404)
    if not UndoForm().validate_on_submit():
        abort(400)
    record: Any = session.get(SOFT_DELETABLE[change.entity], change.entity_id)
    if record is None:
        abort(404)
    if record.deleted_at is None:
        flash(_("That record is not deleted any more: nothing to undo."), "info")
        return redirect(url_for("changes.index"))
    record.deleted_at = None
    if hasattr(record, "version"):
        record.version += 1
    record_event(
        session, record, "restore", user_id=current_user.id, reason="Undone from the change log"
    )
    session.commit()
    flash(_("%(record)s restored.", record=entity_label(change.entity)), "success")
    return redirect(record_url(change.entity, change.entity_id) or url_for("changes.index"))
