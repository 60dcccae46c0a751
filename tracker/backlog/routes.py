"""The hypothesis backlog: the list by score, the statement form, a hypothesis's
page, status changes and (admin) soft deletes."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy.orm import aliased
from sqlalchemy.orm.exc import StaleDataError
from sqlmodel import Session, col, select
from wtforms import SelectChoice

from experiments.priority import FIELDS, MODELS, format_score
from tracker.access import role_required
from tracker.backlog import service
from tracker.backlog.forms import (
    SCORE_PREFIX,
    STATUS_LABELS,
    DeleteForm,
    HypothesisForm,
    StatusForm,
    hypothesis_form_class,
    optional_int,
)
from tracker.backlog.labels import score_help, score_label
from tracker.backlog.ranking import by_priority, team_model
from tracker.backlog.sentence import hypothesis_sentence, sentence_direction
from tracker.backlog.service import EDITABLE
from tracker.backlog.statement import statement
from tracker.changes.queries import changes_for
from tracker.cycles.words import EXPERIMENT_STATUS_LABELS, OUTCOME_LABELS
from tracker.database import get_session
from tracker.experiments.stages import facet_options, stage_names
from tracker.i18n import bdi, html
from tracker.models import (
    Area,
    Experiment,
    Hypothesis,
    HypothesisStatus,
    Metric,
    Process,
    Role,
    User,
)
from tracker.models.live import is_live, live
from tracker.pagination import paginate, requested_page
from tracker.rules import RuleError, put_on_form, show_conflict, stale_from

bp = Blueprint("backlog", __name__, url_prefix="/backlog")

# the service's "scores.impact" is the form's "score_impact"
SCORE_NAMES = {
    f"scores.{spec.name}": SCORE_PREFIX + spec.name for m in FIELDS for spec in FIELDS[m]
}
CONFLICT_LABELS = {
    "title": _l("title"),
    "change": _l("change"),
    "expected_effect": _l("expected change (%)"),
    "rationale": _l("because"),
    "status": _l("status"),
}

__all__ = ["EDITABLE", "bp"]
# the list's default: hypotheses still waiting to be prioritised and tested
TO_PRIORITISE = (HypothesisStatus.backlog, HypothesisStatus.selected)
ANY_STATUS = "any"


@bp.app_template_filter("priority")
def priority_filter(hypothesis: Hypothesis) -> str:
    return format_score(hypothesis.priority_model.value, hypothesis.score)


@bp.app_context_processor
def backlog_helpers() -> dict[str, Any]:
    return {
        "hypothesis_statement": statement,
        "hypothesis_status_labels": STATUS_LABELS,
        "experiment_status_labels": EXPERIMENT_STATUS_LABELS,
        "outcome_labels": OUTCOME_LABELS,
        "score_label": score_label,
        "score_help": score_help,
    }


# a global, not a context variable: macros imported without context call it too
bp.add_app_template_global(hypothesis_sentence, "hypothesis_sentence")
bp.add_app_template_global(sentence_direction, "sentence_direction")


# ---------------------------------------------------------------- the list


def _filters() -> dict[str, Any]:
    """The list's filters from the query string; bad values count as no filter."""
    status = request.args.get("status", "")
    known = status in HypothesisStatus.__members__ or status == ANY_STATUS
    return {
        "area": optional_int(request.args.get("area")),
        "process": optional_int(request.args.get("process")),
        "stage": optional_int(request.args.get("stage")),
        "status": status if known else "",
    }


@bp.get("/")
def index() -> ResponseReturnValue:
    session = get_session()
    filters = _filters()
    model = team_model(session)
    author = aliased(User)
    statement_ = (
        select(Hypothesis, Metric.name, Area.name, Process.name, author.display_name)  # type: ignore[call-overload]
        .outerjoin(Metric, col(Metric.id) == col(Hypothesis.metric_id))
        .join(Area, col(Area.id) == col(Hypothesis.area_id))
        .outerjoin(Process, col(Process.id) == col(Hypothesis.process_id))
        .outerjoin(author, col(author.id) == col(Hypothesis.author_id))
        .where(live(Hypothesis))
        .order_by(*by_priority(model), col(Hypothesis.id).desc())
    )
    if filters["area"] is not None:
        statement_ = statement_.where(Hypothesis.area_id == filters["area"])
    if filters["process"] is not None:
        statement_ = statement_.where(Hypothesis.process_id == filters["process"])
    if filters["stage"] is not None:
        statement_ = statement_.where(Metric.stage_id == filters["stage"])
    if filters["status"] in HypothesisStatus.__members__:
        statement_ = statement_.where(Hypothesis.status == HypothesisStatus(filters["status"]))
    elif filters["status"] != ANY_STATUS:  # the list opens on what is still to prioritise
        statement_ = statement_.where(col(Hypothesis.status).in_(TO_PRIORITISE))
    page = paginate(session, statement_, page=requested_page(), scalars=False)
    areas, processes = _areas_and_processes(session)
    facets = facet_options(session, process_id=filters["process"], stage_id=filters["stage"])
    stages = stage_names(session, {row[0].metric_id for row in page.items if row[0].metric_id})
    pager_args = {key: value for key, value in filters.items() if value not in (None, "")}
    return render_template(
        "backlog/index.html",
        page=page,
        filters=filters,
        pager_args=pager_args,
        areas=areas,
        processes=processes,
        statuses=STATUS_LABELS,
        stages=facets.stages,
        stage_by_metric=stages,
        team_model=model.value,
        any_status=ANY_STATUS,
    )


def _areas_and_processes(session: Session) -> tuple[list[Area], list[Process]]:
    areas = list(
        session.exec(select(Area).where(live(Area)).order_by(col(Area.rank), Area.name)).all()
    )
    processes = list(
        session.exec(select(Process).order_by(col(Process.area_id), col(Process.name))).all()
    )
    return areas, processes


# ---------------------------------------------------------------- the form


def _prepare(form: HypothesisForm, session: Session) -> HypothesisForm:
    """Fill the form's choices: metrics by area, areas by rank, processes by area."""
    areas, processes = _areas_and_processes(session)
    area_names = {area.id: area.name for area in areas}
    metrics = session.exec(select(Metric).where(live(Metric)).order_by(Metric.name)).all()
    user_text = {"dir": "auto"}
    form.metric_id.choices = [SelectChoice("", _("— choose a metric —"))] + [
        SelectChoice(
            str(metric.id),
            metric.name,
            optgroup=area_names.get(metric.area_id, _("Other areas")),
            render_kw=user_text,
        )
        for metric in sorted(metrics, key=lambda m: (_rank(areas, m.area_id), m.name))
    ]
    form.area_id.choices = [SelectChoice("", _("— choose an area —"))] + [
        SelectChoice(str(area.id), area.name, render_kw=user_text) for area in areas
    ]
    # one flat list, by area (no optgroups: the chosen name's note beneath answers
    # its option by position); the page's script leaves the chosen area's only
    form.process_id.choices = [SelectChoice("", _("No particular process"))] + [
        SelectChoice(
            str(process.id),
            process.name,
            render_kw={"data-area": str(process.area_id), **user_text},
        )
        for process in processes
        if process.area_id in area_names
    ]
    form.metric_ids = frozenset(int(m.id) for m in metrics if m.id is not None)
    form.area_ids = frozenset(int(a.id) for a in areas if a.id is not None)
    form.process_areas = {int(p.id): p.area_id for p in processes if p.id is not None}
    return form


def _rank(areas: list[Area], area_id: int) -> int:
    for index, area in enumerate(areas):
        if area.id == area_id:
            return index
    return len(areas)


def _render_form(
    form: HypothesisForm, hypothesis: Hypothesis | None, status: int = 200
) -> ResponseReturnValue:
    model = form.priority_model
    fields_json = [
        {
            "name": spec.name,
            "label": score_label(spec),
            "min": spec.minimum,
            "max": spec.maximum,
            "choices": list(spec.choices) if spec.choices else None,
        }
        for spec in FIELDS[model]
    ]
    current_score: str | None = None
    if hypothesis is not None and hypothesis.priority_model.value == model:
        current_score = format_score(model, hypothesis.score)
    return render_template(
        "backlog/form.html",
        form=form,
        hypothesis=hypothesis,
        model=model,
        model_name=MODELS[model],
        fields_json=fields_json,
        current_score=current_score,
    ), status


@bp.route("/new", methods=["GET", "POST"])
@role_required(Role.editor)
def new() -> ResponseReturnValue:
    session = get_session()
    model = service.team_model(session)
    form = _prepare(hypothesis_form_class(model)(), session)
    if request.method == "GET":
        area = optional_int(request.args.get("area"))
        if area in form.area_ids:
            form.area_id.data = area
    if not _checked(form, session):
        return _render_form(form, None, 422 if request.method == "POST" else 200)
    try:
        hypothesis = service.create_hypothesis(session, _values(form), user_id=current_user.id)
    except RuleError as error:
        session.rollback()
        put_on_form(form, error, SCORE_NAMES)
        return _render_form(form, None, error.status)
    session.commit()
    flash(_("Hypothesis added to the backlog."), "success")
    return redirect(url_for("backlog.detail", hypothesis_id=hypothesis.id))


@bp.route("/<int:hypothesis_id>/edit", methods=["GET", "POST"])
@role_required(Role.editor)
def edit(hypothesis_id: int) -> ResponseReturnValue:
    session = get_session()
    hypothesis = _get(session, hypothesis_id)
    model = service.team_model(session)
    form_class = hypothesis_form_class(model)
    if request.method == "GET":
        form = form_class(obj=hypothesis)
        if hypothesis.priority_model.value == model:
            for spec, field in form.score_fields():
                if spec.name in hypothesis.scores:
                    field.data = hypothesis.scores[spec.name]
        form.direction.data = hypothesis.direction.value
        form.status.data = hypothesis.status.value
        form.version.data = str(hypothesis.version)
        if hypothesis.forecast_win_probability is not None:
            form.forecast_win_probability.data = round(hypothesis.forecast_win_probability * 100, 2)
    else:
        form = form_class()
    _prepare(form, session)
    if not _checked(form, session):
        return _render_form(form, hypothesis, 422 if request.method == "POST" else 200)
    try:
        changes = service.update_hypothesis(
            session, hypothesis, _values(form), user_id=current_user.id, version=form.version.data
        )
        session.commit()
    except (RuleError, StaleDataError) as exc:
        session.rollback()
        error = exc if isinstance(exc, RuleError) else stale_from(exc, "hypothesis")
        if error.reason == "stale_version":
            show_conflict(form, error, hypothesis, CONFLICT_LABELS)
        else:
            put_on_form(form, error, SCORE_NAMES)
        return _render_form(form, hypothesis, error.status)
    flash(_("Hypothesis saved.") if changes else _("Nothing changed."), "success")
    return redirect(url_for("backlog.detail", hypothesis_id=hypothesis.id))


def _checked(form: HypothesisForm, session: Session) -> bool:
    """The form's own checks and the service's checks of the links, all at once,
    so a person sees every message in one go."""
    if not form.validate_on_submit():
        if request.method == "POST":
            _links_on_form(form, session)
        return False
    return _links_on_form(form, session)


def _links_on_form(form: HypothesisForm, session: Session) -> bool:
    try:
        service.check_links(
            session,
            metric_id=form.metric_id.data,
            area_id=form.area_id.data,
            process_id=form.process_id.data,
        )
    except RuleError as error:
        put_on_form(form, error)
        return False
    return True


def _values(form: HypothesisForm) -> dict[str, Any]:
    """The form's entries as the service takes them."""
    return {
        "title": form.title.data or "",
        "change": form.change.data or "",
        "metric_id": form.metric_id.data,
        "direction": form.direction.data,
        "expected_effect": form.expected_effect.data,
        "rationale": form.rationale.data or "",
        "area_id": form.area_id.data,
        "process_id": form.process_id.data,
        "status": form.status.data,
        "scores": form.scores(),
        "forecast_win_probability": form.forecast(),
    }


def _get(session: Session, hypothesis_id: int) -> Hypothesis:
    hypothesis = session.get(Hypothesis, hypothesis_id)
    if not is_live(hypothesis):
        abort(404)
    return hypothesis


# ---------------------------------------------------------------- one hypothesis


@bp.get("/<int:hypothesis_id>")
def detail(hypothesis_id: int) -> ResponseReturnValue:
    session = get_session()
    author = aliased(User)
    row = session.exec(
        select(Hypothesis, Metric.name, Area.name, Process.name, author.display_name)  # type: ignore[call-overload]
        .outerjoin(Metric, col(Metric.id) == col(Hypothesis.metric_id))
        .join(Area, col(Area.id) == col(Hypothesis.area_id))
        .outerjoin(Process, col(Process.id) == col(Hypothesis.process_id))
        .outerjoin(author, col(author.id) == col(Hypothesis.author_id))
        .where(Hypothesis.id == hypothesis_id, live(Hypothesis))
    ).first()
    if row is None:
        abort(404)
    hypothesis, metric_name, area_name, process_name, author_name = row
    experiments = session.exec(
        select(Experiment)
        .where(Experiment.hypothesis_id == hypothesis_id, live(Experiment))
        .order_by(col(Experiment.created_at).desc())
    ).all()
    history = changes_for(session=session, entity="hypothesis", entity_id=hypothesis_id)
    endpoints = current_app.view_functions
    specs = FIELDS.get(hypothesis.priority_model.value, ())
    return render_template(
        "backlog/detail.html",
        hypothesis=hypothesis,
        metric_name=metric_name,
        area_name=area_name,
        process_name=process_name,
        author_name=author_name,
        experiments=experiments,
        history=history,
        specs=specs,
        model_name=MODELS.get(hypothesis.priority_model.value, ""),
        can_design="experiments.new" in endpoints,
        experiment_links="experiments.detail" in endpoints,
        status_form=StatusForm(
            formdata=None, status=hypothesis.status.value, version=hypothesis.version
        ),
        delete_form=DeleteForm(formdata=None),
    )


@bp.post("/<int:hypothesis_id>/status")
@role_required(Role.editor)
def change_status(hypothesis_id: int) -> ResponseReturnValue:
    session = get_session()
    hypothesis = _get(session, hypothesis_id)
    form = StatusForm()
    if not form.validate_on_submit():
        flash(_("Choose one of the statuses in the list."), "error")
        return redirect(url_for("backlog.detail", hypothesis_id=hypothesis_id))
    try:
        changed = service.set_status(
            session,
            hypothesis,
            form.status.data,
            user_id=current_user.id,
            version=form.version.data,
        )
        session.commit()
    except (RuleError, StaleDataError) as exc:
        session.rollback()
        error = exc if isinstance(exc, RuleError) else stale_from(exc, "hypothesis")
        flash(error.first_message(), "error")
    else:
        if changed:
            flash(
                _("Status is now %(status)s.", status=STATUS_LABELS[hypothesis.status]), "success"
            )
    return redirect(url_for("backlog.detail", hypothesis_id=hypothesis_id))


@bp.post("/<int:hypothesis_id>/delete")
@role_required(Role.admin)
def delete(hypothesis_id: int) -> ResponseReturnValue:
    session = get_session()
    hypothesis = _get(session, hypothesis_id)
    if not DeleteForm().validate_on_submit():
        abort(400)
    service.soft_delete(session, hypothesis, user_id=current_user.id)
    session.commit()
    flash(
        html(
            _("“%(title)s” was deleted. You can undo it from the change log."),
            title=bdi(hypothesis.title),
        ),
        "success",
    )
    return redirect(url_for("backlog.index"))
