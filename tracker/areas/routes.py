"""The areas page: areas ranked by priority with the focus area marked, each
with its processes, and the buyer-journey stages beside them."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import func
from sqlalchemy.orm.exc import StaleDataError
from sqlmodel import Session, SQLModel, col, select

from tracker.access import role_required
from tracker.areas import service
from tracker.areas.forms import AreaForm, ButtonForm, ProcessForm, StageForm
from tracker.changelog import record_event, record_update, snapshot
from tracker.cycles.service import team_settings, team_today
from tracker.database import get_session
from tracker.i18n import bdi, format_number, html
from tracker.models import Area, Hypothesis, Metric, Process, Role, Stage
from tracker.models.live import is_live, live
from tracker.rules import RuleError, put_on_form, show_conflict, stale_from

bp = Blueprint("areas", __name__, url_prefix="/areas")

MOVES = ("up", "down")


def _areas(session: Session) -> list[Area]:
    return list(
        session.exec(
            select(Area)
            .where(live(Area))
            .order_by(col(Area.active).desc(), col(Area.rank), col(Area.id))
        ).all()
    )


def _stages(session: Session) -> list[Stage]:
    return list(session.exec(select(Stage).order_by(col(Stage.position), col(Stage.id))).all())


@bp.get("/")
def index() -> ResponseReturnValue:
    return _page()


def _page(status: int = 200, *, failed: dict[str, Any] | None = None) -> ResponseReturnValue:
    """The whole page; ``failed`` maps a form's prefix to the form that failed."""
    session = get_session()
    failed = failed or {}
    areas = _areas(session)
    processes: dict[int, list[Process]] = defaultdict(list)
    for process in session.exec(select(Process).order_by(col(Process.name))).all():
        processes[process.area_id].append(process)
    metric_counts = dict(
        session.exec(
            select(Metric.area_id, func.count()).where(live(Metric)).group_by(col(Metric.area_id))
        ).all()
    )
    settings = team_settings(session)

    def form(prefix: str, make: Callable[..., Any], **kwargs: Any) -> Any:
        return failed.get(prefix) or make(formdata=None, prefix=prefix, **kwargs)

    active = [a for a in areas if a.active]
    return render_template(
        "areas/index.html",
        active=active,
        inactive=[a for a in areas if not a.active],
        processes=processes,
        metric_counts=metric_counts,
        focus_id=settings.focus_area_id,
        stages=_stages(session),
        area_form=form("area", AreaForm),
        stage_form=form("stage", StageForm),
        process_form=lambda area: form(f"process-{area.id}", ProcessForm, area_id=area.id),
        rename_form=lambda p: form(
            f"rename-{p.id}", ProcessForm, area_id=p.area_id, process=p, data={"name": p.name}
        ),
        stage_rename_form=lambda s: form(
            f"stage-{s.id}", StageForm, stage=s, data={"name": s.name}
        ),
        button=ButtonForm(formdata=None),
        failed=failed,
    ), status


def _checked_button() -> None:
    if not ButtonForm().validate_on_submit():
        abort(400)


def _get(session: Session, model: type[SQLModel], record_id: int) -> Any:
    record = session.get(model, record_id)
    if not is_live(record):
        abort(404)
    return record


# ---------- areas ----------


@bp.post("/")
@role_required(Role.editor)
def create() -> ResponseReturnValue:
    form = AreaForm(prefix="area")
    if not form.validate_on_submit():
        return _page(422, failed={"area": form})
    session = get_session()
    area = service.create_area(
        session,
        name=form.name.data or "",
        description=form.description.data or "",
        user_id=current_user.id,
    )
    session.commit()
    flash(
        html(_("Area “%(name)s” added at the bottom of the ranking."), name=bdi(area.name)),
        "success",
    )
    return redirect(url_for("areas.index"))


@bp.route("/<int:area_id>/edit", methods=["GET", "POST"])
@role_required(Role.editor)
def edit(area_id: int) -> ResponseReturnValue:
    session = get_session()
    area = _get(session, Area, area_id)
    form = AreaForm(obj=area, area=area)
    form.save.label.text = _("Save area")
    if request.method == "GET":
        form.version.data = str(area.version)
    if form.validate_on_submit():
        try:
            changed = service.update_area(
                session,
                area,
                name=form.name.data or "",
                description=form.description.data or "",
                user_id=current_user.id,
                version=form.version.data,
            )
            session.commit()
        except (RuleError, StaleDataError) as exc:
            session.rollback()
            error = exc if isinstance(exc, RuleError) else stale_from(exc, "area")
            if error.reason == "stale_version":
                show_conflict(form, error, area, {"name": "name", "description": "description"})
            else:
                put_on_form(form, error)
            return render_template("areas/edit.html", form=form, area=area), error.status
        if changed:
            flash(html(_("Area “%(name)s” is saved."), name=bdi(area.name)), "success")
        return redirect(url_for("areas.index"))
    return render_template("areas/edit.html", form=form, area=area), (422 if form.errors else 200)


def _renumber(session: Session, records: list[Any], field: str, user_id: int) -> None:
    """Give ``records`` the positions 1..n in their list order, logging each move."""
    for position, record in enumerate(records, start=1):
        if getattr(record, field) != position:
            before = snapshot(record, (field,))
            setattr(record, field, position)
            record_update(session, record, before, user_id=user_id)


def _moved(records: list[Any], record: Any, move: str) -> list[Any] | None:
    """The list with ``record`` one place up or down, or None at the edge."""
    index = records.index(record)
    other = index - 1 if move == "up" else index + 1
    if not 0 <= other < len(records):
        return None
    records = list(records)
    records[index], records[other] = records[other], records[index]
    return records


@bp.post("/<int:area_id>/move/<move>")
@role_required(Role.editor)
def move(area_id: int, move: str) -> ResponseReturnValue:
    if move not in MOVES:
        abort(404)
    _checked_button()
    session = get_session()
    area = _get(session, Area, area_id)
    active = [a for a in _areas(session) if a.active]
    if area not in active:
        flash(_("Reactivate the area before ranking it."), "warning")
        return redirect(url_for("areas.index"))
    ordered = _moved(active, area, move)
    if ordered is None:
        at_top = _("“%(name)s” is already at the top.")
        at_bottom = _("“%(name)s” is already at the bottom.")
        flash(html(at_top if move == "up" else at_bottom, name=bdi(area.name)), "info")
        return redirect(url_for("areas.index"))
    _renumber(session, ordered, "rank", current_user.id)
    session.commit()
    flash(
        html(
            _("“%(name)s” is now priority %(rank)s."),
            name=bdi(area.name),
            rank=format_number(area.rank),
        ),
        "success",
    )
    return redirect(url_for("areas.index", _anchor=f"area-{area.id}"))


@bp.post("/<int:area_id>/focus")
@role_required(Role.editor)
def focus(area_id: int) -> ResponseReturnValue:
    _checked_button()
    session = get_session()
    area = _get(session, Area, area_id)
    try:
        service.make_focus(session, area, today=team_today(session), user_id=current_user.id)
    except RuleError as error:
        flash(error.message, "error")
        return redirect(url_for("areas.index"))
    session.commit()
    flash(html(_("“%(name)s” is the focus area."), name=bdi(area.name)), "success")
    return redirect(url_for("areas.index"))


@bp.post("/<int:area_id>/<any(deactivate, reactivate):action>")
@role_required(Role.editor)
def set_active(area_id: int, action: str) -> ResponseReturnValue:
    _checked_button()
    session = get_session()
    area = _get(session, Area, area_id)
    active = action == "reactivate"
    try:
        changed = service.set_active(
            session, area, active, user_id=current_user.id, version=request.form.get("version")
        )
    except RuleError as error:
        flash(error.message, "error")
        return redirect(url_for("areas.index"))
    if not changed:
        return redirect(url_for("areas.index"))
    session.commit()
    if active:
        message = _("“%(name)s” is active again, at the bottom of the ranking.")
    else:
        message = _("“%(name)s” is deactivated; its metrics and history stay.")
    flash(html(message, name=bdi(area.name)), "success")
    return redirect(url_for("areas.index"))


# ---------- processes ----------


@bp.post("/<int:area_id>/processes")
@role_required(Role.editor)
def add_process(area_id: int) -> ResponseReturnValue:
    session = get_session()
    area = _get(session, Area, area_id)
    prefix = f"process-{area.id}"
    form = ProcessForm(prefix=prefix, area_id=area.id)
    if not form.validate_on_submit():
        return _page(422, failed={prefix: form})
    process = Process(area_id=area.id, name=(form.name.data or "").strip())
    session.add(process)
    session.flush()
    record_event(session, process, "create", user_id=current_user.id, new_value=process.name)
    session.commit()
    flash(
        html(
            _("Process “%(name)s” added to %(area)s."),
            name=bdi(process.name),
            area=bdi(area.name),
        ),
        "success",
    )
    return redirect(url_for("areas.index", _anchor=f"area-{area.id}"))


@bp.post("/processes/<int:process_id>")
@role_required(Role.editor)
def rename_process(process_id: int) -> ResponseReturnValue:
    session = get_session()
    process = _get(session, Process, process_id)
    prefix = f"rename-{process.id}"
    form = ProcessForm(prefix=prefix, area_id=process.area_id, process=process)
    if not form.validate_on_submit():
        return _page(422, failed={prefix: form})
    before = snapshot(process, ("name",))
    process.name = (form.name.data or "").strip()
    record_update(session, process, before, user_id=current_user.id)
    session.commit()
    flash(html(_("Process renamed to “%(name)s”."), name=bdi(process.name)), "success")
    return redirect(url_for("areas.index", _anchor=f"area-{process.area_id}"))


@bp.post("/processes/<int:process_id>/remove")
@role_required(Role.editor)
def remove_process(process_id: int) -> ResponseReturnValue:
    _checked_button()
    session = get_session()
    process = _get(session, Process, process_id)
    used = session.exec(
        select(func.count()).select_from(Hypothesis).where(Hypothesis.process_id == process.id)
    ).one()
    if used:
        message = ngettext(
            "“%(name)s” is used by %(count)s hypothesis; rename it instead, "
            "or move that hypothesis to another process first.",
            "“%(name)s” is used by %(count)s hypotheses; rename it instead, "
            "or move those hypotheses to another process first.",
            used,
            name="%(name)s",
            count=format_number(used),
        )
        flash(html(message, name=bdi(process.name)), "error")
        return redirect(url_for("areas.index", _anchor=f"area-{process.area_id}"))
    record_event(session, process, "delete", user_id=current_user.id, old_value=process.name)
    session.delete(process)
    session.commit()
    flash(html(_("Process “%(name)s” removed."), name=bdi(process.name)), "success")
    return redirect(url_for("areas.index", _anchor=f"area-{process.area_id}"))


# ---------- stages ----------


@bp.post("/stages")
@role_required(Role.editor)
def add_stage() -> ResponseReturnValue:
    form = StageForm(prefix="stage")
    if not form.validate_on_submit():
        return _page(422, failed={"stage": form})
    session = get_session()
    last = session.exec(select(func.max(Stage.position))).one() or 0
    stage = Stage(name=(form.name.data or "").strip(), position=last + 1)
    session.add(stage)
    session.flush()
    record_event(session, stage, "create", user_id=current_user.id, new_value=stage.name)
    session.commit()
    flash(
        html(_("Stage “%(name)s” added at the end of the buyer journey."), name=bdi(stage.name)),
        "success",
    )
    return redirect(url_for("areas.index", _anchor="stages"))


@bp.post("/stages/<int:stage_id>")
@role_required(Role.editor)
def rename_stage(stage_id: int) -> ResponseReturnValue:
    session = get_session()
    stage = _get(session, Stage, stage_id)
    prefix = f"stage-{stage.id}"
    form = StageForm(prefix=prefix, stage=stage)
    if not form.validate_on_submit():
        return _page(422, failed={prefix: form})
    before = snapshot(stage, ("name",))
    stage.name = (form.name.data or "").strip()
    record_update(session, stage, before, user_id=current_user.id)
    session.commit()
    flash(html(_("Stage renamed to “%(name)s”."), name=bdi(stage.name)), "success")
    return redirect(url_for("areas.index", _anchor="stages"))


@bp.post("/stages/<int:stage_id>/move/<move>")
@role_required(Role.editor)
def move_stage(stage_id: int, move: str) -> ResponseReturnValue:
    if move not in MOVES:
        abort(404)
    _checked_button()
    session = get_session()
    stage = _get(session, Stage, stage_id)
    ordered = _moved(_stages(session), stage, move)
    if ordered is not None:
        _renumber(session, ordered, "position", current_user.id)
        session.commit()
    return redirect(url_for("areas.index", _anchor="stages"))
