"""Learnings: insights worth keeping, searchable by text and tags, linked to the
experiments behind them."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm.exc import StaleDataError
from sqlmodel import Session, col, or_, select
from wtforms import SelectChoice

from tracker.access import role_required
from tracker.backlog.forms import optional_int
from tracker.database import get_session
from tracker.experiments.stages import facet_options, learned_from
from tracker.learnings import service
from tracker.learnings.forms import DeleteForm, LearningForm
from tracker.models import Area, Experiment, Learning, LearningExperiment, Role, User
from tracker.models.live import is_live, live
from tracker.pagination import paginate, requested_page
from tracker.rules import RuleError, put_on_form, show_conflict, stale_from

bp = Blueprint("learnings", __name__, url_prefix="/learnings")


def _like(text: str) -> str:
    """A LIKE pattern matching ``text`` anywhere, its wildcards taken literally."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


@bp.get("/")
def index() -> ResponseReturnValue:
    session = get_session()
    query = " ".join(request.args.get("q", "").split())[:200]
    area = optional_int(request.args.get("area"))
    statement: Any = (
        select(Learning, Area.name, User.display_name)
        .outerjoin(Area, col(Area.id) == col(Learning.area_id))
        .outerjoin(User, col(User.id) == col(Learning.author_id))
        .where(live(Learning))
        .order_by(col(Learning.created_at).desc(), col(Learning.id).desc())
    )
    if query:
        pattern = _like(query)
        statement = statement.where(
            or_(
                col(Learning.text).ilike(pattern, escape="\\"),
                col(Learning.tags).ilike(pattern, escape="\\"),
            )
        )
    if area is not None:
        statement = statement.where(Learning.area_id == area)
    process, stage = (
        optional_int(request.args.get("process")),
        optional_int(request.args.get("stage")),
    )
    statement = learned_from(statement, process_id=process, stage_id=stage)
    page = paginate(session, statement, page=requested_page(), scalars=False)
    ids = [learning.id for learning, _, _ in page.items]
    experiments = _experiments_of(session, ids)
    areas = _areas(session)
    filters = {"q": query, "area": area, "process": process, "stage": stage}
    return render_template(
        "learnings/index.html",
        facets=facet_options(session, process_id=process, stage_id=stage),
        page=page,
        experiments=experiments,
        areas=areas,
        filters=filters,
        pager_args={key: value for key, value in filters.items() if value not in (None, "")},
        experiment_links="experiments.detail" in current_app.view_functions,
        delete_form=DeleteForm(formdata=None),
    )


def _experiments_of(session: Session, ids: list[Any]) -> dict[int, list[tuple[int, str]]]:
    """Each learning's experiments (id, title), in one query."""
    found: dict[int, list[tuple[int, str]]] = {}
    if not ids:
        return found
    rows = session.exec(
        select(LearningExperiment.learning_id, Experiment.id, Experiment.title)
        .join(Experiment, col(Experiment.id) == col(LearningExperiment.experiment_id))
        .where(col(LearningExperiment.learning_id).in_(ids), live(Experiment))
        .order_by(Experiment.title)
    ).all()
    for learning_id, experiment_id, title in rows:
        found.setdefault(learning_id, []).append((experiment_id or 0, title))
    return found


def _areas(session: Session) -> list[Area]:
    return list(
        session.exec(select(Area).where(live(Area)).order_by(col(Area.rank), Area.name)).all()
    )


def _prepare(form: LearningForm, session: Session) -> LearningForm:
    areas = _areas(session)
    user_text = {"dir": "auto"}
    form.area_id.choices = [SelectChoice("", _("Every area"))] + [
        SelectChoice(str(area.id), area.name, render_kw=user_text) for area in areas
    ]
    experiments = session.exec(
        select(Experiment.id, Experiment.title)
        .where(live(Experiment))
        .order_by(col(Experiment.created_at).desc())
    ).all()
    form.experiment_ids.choices = [
        SelectChoice(str(experiment_id), title, render_kw=user_text)
        for experiment_id, title in experiments
    ]
    form.area_ids = frozenset(int(area.id) for area in areas if area.id is not None)
    form.experiment_choices = frozenset(int(experiment_id or 0) for experiment_id, _ in experiments)
    return form


def _values(form: LearningForm) -> dict[str, Any]:
    return {
        "text": form.text.data or "",
        "area_id": form.area_id.data,
        "tags": form.tags.data or "",
        "experiment_ids": form.experiment_ids.data or [],
    }


@bp.route("/new", methods=["GET", "POST"])
@role_required(Role.editor)
def new() -> ResponseReturnValue:
    session = get_session()
    form = _prepare(LearningForm(), session)
    if request.method == "GET":
        experiment = optional_int(request.args.get("experiment"))
        if experiment in form.experiment_choices:
            form.experiment_ids.data = [experiment]
    if not form.validate_on_submit():
        status = 422 if request.method == "POST" else 200
        return render_template("learnings/form.html", form=form, learning=None), status
    try:
        service.create_learning(session, **_values(form), user_id=current_user.id)
    except RuleError as error:
        session.rollback()
        put_on_form(form, error)
        return render_template("learnings/form.html", form=form, learning=None), error.status
    session.commit()
    flash(_("Learning saved."), "success")
    return redirect(url_for("learnings.index"))


@bp.route("/<int:learning_id>/edit", methods=["GET", "POST"])
@role_required(Role.editor)
def edit(learning_id: int) -> ResponseReturnValue:
    session = get_session()
    learning = session.get(Learning, learning_id)
    if not is_live(learning):
        abort(404)
    if request.method == "GET":
        form = LearningForm(obj=learning)
        form.experiment_ids.data = service.linked_experiments(session, learning_id)
    else:
        form = LearningForm()
    _prepare(form, session)
    if not form.validate_on_submit():
        status = 422 if request.method == "POST" else 200
        return render_template("learnings/form.html", form=form, learning=learning), status
    try:
        service.update_learning(
            session,
            learning,
            **_values(form),
            user_id=current_user.id,
            version=form.version.data,
        )
        session.commit()
    except (RuleError, StaleDataError) as exc:
        session.rollback()
        error = exc if isinstance(exc, RuleError) else stale_from(exc, "learning")
        if error.reason == "stale_version":
            show_conflict(form, error, learning, {"text": _("learning"), "tags": _("tags")})
        else:
            put_on_form(form, error)
        return render_template("learnings/form.html", form=form, learning=learning), error.status
    flash(_("Learning saved."), "success")
    return redirect(url_for("learnings.index"))


@bp.post("/<int:learning_id>/delete")
@role_required(Role.admin)
def delete_learning(learning_id: int) -> ResponseReturnValue:
    session = get_session()
    learning = session.get(Learning, learning_id)
    if not is_live(learning):
        abort(404)
    if not DeleteForm().validate_on_submit():
        abort(400)
    service.soft_delete(session, learning, user_id=current_user.id)
    session.commit()
    flash(_("Learning deleted. You can undo it from the change log."), "success")
    return redirect(url_for("learnings.index"))
