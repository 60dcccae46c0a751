"""The metrics catalogue, a metric's page with its readings and trend, and the
forms to create and edit metrics and to add readings."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import func
from sqlalchemy.orm.exc import StaleDataError
from sqlmodel import Session, col, select
from wtforms import SelectChoice

from tracker.access import role_required
from tracker.changelog import record_event
from tracker.charts.base import inline
from tracker.charts.trend import trend_chart
from tracker.database import get_session
from tracker.defaults import METRIC_PRESETS, default_names
from tracker.figures import FIGURES as FIGURE_NAMES
from tracker.i18n import bdi, format_day, html, localize_figures, ltr
from tracker.metrics import format as fmt
from tracker.metrics import service
from tracker.metrics.forms import (
    DeleteForm,
    MetricForm,
    PresetForm,
    ReadingForm,
    next_reading_week,
    reading_form,
)
from tracker.metrics.queries import group_catalogue, metric_change, metric_changes
from tracker.models import Area, Metric, MetricKind, Reading, Role, Stage, User
from tracker.models.live import is_live, live
from tracker.notifications import readings_saved
from tracker.pagination import paginate, requested_page
from tracker.parsing import parse_id
from tracker.rules import RuleError, put_on_form, show_conflict, stale_from
from tracker.translation import translate

bp = Blueprint("metrics", __name__, url_prefix="/metrics")

CATALOGUE_PER_PAGE = 100
READINGS_PER_PAGE = 12
TREND_WEEKS = 26
CONFLICT_LABELS = {
    "name": _l("name"),
    "unit": _l("unit"),
    "formula": _l("formula"),
    "description": _l("description"),
    "direction": _l("direction"),
}
FIGURES = {
    MetricKind.proportion: (("successes", _l("Successes")), ("trials", _l("Trials"))),
    # the value column already shows a mean
    MetricKind.mean: (("n", "n"), ("sd", "SD")),
    MetricKind.rate: (("events", _l("Events")), ("exposure", _l("Exposure"))),
}
KIND_LABELS = {
    MetricKind.proportion.value: _l("proportion"),
    MetricKind.mean.value: _l("mean"),
    MetricKind.rate.value: _l("rate"),
}


@bp.app_template_global()
def direction_label(direction: str) -> str:
    return fmt.direction_label(direction)


@bp.app_template_global()
def kind_label(kind: str) -> str:
    """A metric kind as a reader calls it: "proportion", "نسبة"."""
    return str(KIND_LABELS.get(str(kind), kind))


def figure_text(value: float | None) -> str:
    """A reading's figure in the table: whole numbers without decimals.

    >>> figure_text(900.0), figure_text(70.456), figure_text(None)
    ('900', '70.46', '—')
    """
    if value is None:
        return "—"
    if float(value).is_integer() or abs(value) >= 1000:
        return localize_figures(f"{value:,.0f}")
    return localize_figures(f"{value:,.2f}")


@bp.get("/")
def index() -> ResponseReturnValue:
    session = get_session()
    statement = (
        select(Metric, Area, Stage)
        .join(Area, col(Area.id) == Metric.area_id)
        .outerjoin(Stage, col(Stage.id) == Metric.stage_id)
        .where(live(Metric))
        .order_by(
            col(Stage.position).is_(None),
            col(Stage.position),
            col(Area.rank),
            col(Metric.name),
            col(Metric.id),
        )
    )
    page = paginate(
        session, statement, page=requested_page(), per_page=CATALOGUE_PER_PAGE, scalars=False
    )
    changes = metric_changes(session=session, metrics=[row[0] for row in page.items])
    groups = group_catalogue(page.items, changes)
    return render_template("metrics/index.html", page=page, groups=groups)


def _preset_defaults(session: Session, number: int) -> dict[str, Any] | None:
    """A preset as the form's starting values, in the reader's language (what the
    person saves is what they see); its area and stage found by their default
    name in whichever language the instance was set up in."""
    if not 1 <= number <= len(METRIC_PRESETS):
        return None
    preset = METRIC_PRESETS[number - 1]
    area_id = session.exec(
        select(Area.id).where(col(Area.name).in_(default_names(preset["area"])))
    ).first()
    stage_id = session.exec(
        select(Stage.id).where(col(Stage.name).in_(default_names(preset["stage"])))
    ).first()
    return {
        "name": translate(preset["name"]),
        "area_id": area_id,
        "stage_id": stage_id,
        "kind": preset["kind"],
        "unit": preset["unit"],
        "direction": preset["direction"],
        "formula": translate(preset["formula"]),
        "description": translate(preset["description"]),
    }


def _shown_presets() -> list[tuple[int, dict[str, Any]]]:
    """The presets by number, their names and areas in the reader's language."""
    return [
        (number, {**preset, "name": translate(preset["name"]), "area": translate(preset["area"])})
        for number, preset in enumerate(METRIC_PRESETS, start=1)
    ]


def _preset_picker(
    presets: list[tuple[int, dict[str, Any]]], chosen: int
) -> tuple[PresetForm, dict[str, str]]:
    """The preset select, each preset by its name alone (whole on a phone), and
    what each one means, written beneath the chosen one: its area and what it
    measures."""
    picker = PresetForm(data={"preset": str(chosen) if chosen else ""})
    picker.preset.choices = [SelectChoice("", _("Choose a preset…"))] + [
        SelectChoice(
            str(number), translate(preset["short"]) if "short" in preset else preset["name"]
        )
        for number, preset in presets
    ]
    notes = {
        str(number): f"{preset['area']} · {translate(preset['description'])}"
        for number, preset in presets
    }
    return picker, notes


@bp.route("/new", methods=["GET", "POST"])
@role_required(Role.editor)
def create() -> ResponseReturnValue:
    session = get_session()
    preset_arg = request.args.get("preset", "")
    preset = parse_id(preset_arg) or 0
    defaults = _preset_defaults(session, preset) if preset else None
    form = MetricForm(data=defaults) if request.method == "GET" and defaults else MetricForm()
    if form.validate_on_submit():
        metric = service.create_metric(session, _metric_values(form), user_id=current_user.id)
        session.commit()
        flash(
            html(
                _("Metric “%(name)s” is in the catalogue. Add its first reading."),
                name=bdi(metric.name),
            ),
            "success",
        )
        return redirect(url_for("metrics.detail", metric_id=metric.id))
    if request.method == "GET" and preset_arg and defaults is None:
        flash(_("There is no such preset; choose one from the list."), "warning")
    presets = _shown_presets()
    chosen = preset if defaults else 0
    return render_template(
        "metrics/form.html",
        form=form,
        metric=None,
        presets=presets,
        preset=chosen,
        preset_picker=_preset_picker(presets, chosen),
    ), (422 if form.errors else 200)


def _metric_values(form: MetricForm) -> dict[str, Any]:
    return {
        "name": (form.name.data or "").strip(),
        "area_id": form.area_id.data,
        "stage_id": form.stage_id.data,
        "kind": MetricKind(form.kind.data),
        "unit": (form.unit.data or "").strip(),
        "direction": form.direction.data,
        "formula": (form.formula.data or "").strip(),
        "description": (form.description.data or "").strip(),
        "target": form.stored_target(),
        "unit_value": form.unit_value.data,
    }


def _metric_or_404(session: Session, metric_id: int) -> tuple[Metric, Area, Stage | None]:
    row = session.exec(
        select(Metric, Area, Stage)
        .join(Area, col(Area.id) == Metric.area_id)
        .outerjoin(Stage, col(Stage.id) == Metric.stage_id)
        .where(Metric.id == metric_id)
    ).first()
    if row is None:
        abort(404)
    metric, area, stage = row
    if not is_live(metric) and not current_user.can(Role.admin):
        abort(404)
    return metric, area, stage


@bp.route("/<int:metric_id>/edit", methods=["GET", "POST"])
@role_required(Role.editor)
def edit(metric_id: int) -> ResponseReturnValue:
    session = get_session()
    metric, _area, _stage = _metric_or_404(session, metric_id)
    form = MetricForm(obj=metric, metric=metric)
    if request.method == "GET":
        form.kind.data = MetricKind(metric.kind).value
        form.direction.data = str(metric.direction)
        form.version.data = str(metric.version)
        form.show_target(metric)
    if form.validate_on_submit():
        try:
            changed = service.update_metric(
                session,
                metric,
                _metric_values(form),
                user_id=current_user.id,
                version=form.version.data,
            )
            session.commit()
        except (RuleError, StaleDataError) as exc:
            session.rollback()
            error = exc if isinstance(exc, RuleError) else stale_from(exc, "metric")
            if error.reason == "stale_version":
                show_conflict(form, error, metric, CONFLICT_LABELS)
            else:
                put_on_form(form, error)
            return render_template(
                "metrics/form.html", form=form, metric=metric, presets=[], preset=0
            ), error.status
        if changed:
            flash(_("The metric's definition is saved."), "success")
        return redirect(url_for("metrics.detail", metric_id=metric.id))
    return render_template("metrics/form.html", form=form, metric=metric, presets=[], preset=0), (
        422 if form.errors else 200
    )


@bp.get("/<int:metric_id>")
def detail(metric_id: int) -> ResponseReturnValue:
    session = get_session()
    metric, _area, _stage = _metric_or_404(session, metric_id)
    latest = session.exec(
        select(func.max(Reading.period_start)).where(Reading.metric_id == metric_id)
    ).one()
    start, end = next_reading_week(latest, date.today())
    form = reading_form(metric, data={"period_start": start, "period_end": end})
    return _detail_page(session, metric_id, form)


def _detail_page(
    session: Session, metric_id: int, form: ReadingForm, status: int = 200
) -> ResponseReturnValue:
    metric, area, stage = _metric_or_404(session, metric_id)
    readings_statement = (
        select(Reading, User.display_name)
        .outerjoin(User, col(User.id) == Reading.entered_by_id)
        .where(Reading.metric_id == metric.id)
        .order_by(col(Reading.period_start).desc(), col(Reading.id).desc())
    )
    page = paginate(
        session,
        readings_statement,
        page=requested_page(),
        per_page=READINGS_PER_PAGE,
        scalars=False,
    )
    trend = list(
        reversed(
            session.exec(
                select(Reading)
                .where(Reading.metric_id == metric.id)
                .order_by(col(Reading.period_start).desc(), col(Reading.id).desc())
                .limit(TREND_WEEKS)
            ).all()
        )
    )
    latest_two = list(reversed(trend[-2:]))
    kind = MetricKind(metric.kind)
    rows = [
        {
            "reading": reading,
            "entered_by": entered_by,
            "value": fmt.value_parts(
                kind=kind,
                unit=metric.unit,
                value=fmt.reading_value(kind=kind, unit=metric.unit, stats=reading),
            )[0],
            "period": fmt.period_label(start=reading.period_start, end=reading.period_end),
            "figures": [figure_text(getattr(reading, name)) for name, _label in FIGURES[kind]],
        }
        for reading, entered_by in page.items
    ]
    return render_template(
        "metrics/detail.html",
        metric=metric,
        area=area,
        stage=stage,
        kind=kind,
        summary=metric_change(metric=metric, readings=latest_two),
        chart=inline(trend_chart(metric, trend)),
        trend_weeks=len(trend),
        page=page,
        rows=rows,
        figures=FIGURES[kind],
        form=form,
        delete_form=DeleteForm(),
    ), status


@bp.post("/<int:metric_id>/readings")
@role_required(Role.editor)
def add_reading(metric_id: int) -> ResponseReturnValue:
    session = get_session()
    metric, _area, _stage = _metric_or_404(session, metric_id)
    if not is_live(metric):
        abort(404)
    form = reading_form(metric)
    if not form.validate_on_submit():
        return _detail_page(session, metric_id, form, 422)
    reading = Reading(
        metric_id=metric.id or 0,
        period_start=form.period_start.data,
        period_end=form.period_end.data,
        source_note=(form.source_note.data or "").strip(),
        entered_by_id=current_user.id,
        **{name: getattr(form, name).data for name in form.figures},
    )
    session.add(reading)
    session.flush()
    record_event(
        session, reading, "create", user_id=current_user.id, new_value=_reading_text(reading)
    )
    readings_saved(session, metric=metric, period_starts=[reading.period_start])
    session.commit()
    value = fmt.format_value(
        kind=metric.kind,
        unit=metric.unit,
        value=fmt.reading_value(kind=metric.kind, unit=metric.unit, stats=reading),
    )
    flash(
        html(
            _("Reading for the week of %(day)s added: %(value)s."),
            day=format_day(reading.period_start),
            value=ltr(value),
        ),
        "success",
    )
    return redirect(url_for("metrics.detail", metric_id=metric.id))


def _reading_text(reading: Reading) -> str:
    """The reading's figures as the change log keeps them."""
    figures = {
        "metric_id": reading.metric_id,
        "period_start": reading.period_start.isoformat(),
        "period_end": reading.period_end.isoformat(),
        "source_note": reading.source_note,
    }
    for name in FIGURE_NAMES:
        if getattr(reading, name) is not None:
            figures[name] = getattr(reading, name)
    return json.dumps(figures, ensure_ascii=False, sort_keys=True)


@bp.post("/<int:metric_id>/readings/<int:reading_id>/delete")
@role_required(Role.editor)
def delete_reading(metric_id: int, reading_id: int) -> ResponseReturnValue:
    session = get_session()
    reading = session.get(Reading, reading_id)
    if reading is None or reading.metric_id != metric_id:
        abort(404)
    if not DeleteForm().validate_on_submit():
        abort(400)
    try:
        service.delete_reading(
            session,
            reading,
            user_id=current_user.id,
            text=_reading_text(reading),
            version=request.form.get("version"),
        )
        session.commit()
    except (RuleError, StaleDataError) as exc:
        session.rollback()
        error = exc if isinstance(exc, RuleError) else stale_from(exc, "reading")
        flash(error.first_message(), "error")
        return redirect(url_for("metrics.detail", metric_id=metric_id))
    flash(
        _(
            "The reading for the week of %(day)s is deleted; the change log keeps its figures.",
            day=format_day(reading.period_start),
        ),
        "success",
    )
    return redirect(url_for("metrics.detail", metric_id=metric_id))


@bp.post("/<int:metric_id>/delete")
@role_required(Role.admin)
def delete(metric_id: int) -> ResponseReturnValue:
    session = get_session()
    metric = session.get(Metric, metric_id)
    if not is_live(metric):
        abort(404)
    if not DeleteForm().validate_on_submit():
        abort(400)
    service.soft_delete(session, metric, user_id=current_user.id)
    session.commit()
    flash(
        html(
            _("Metric “%(name)s” is deleted. An admin can restore it from its page."),
            name=bdi(metric.name),
        ),
        "success",
    )
    return redirect(url_for("metrics.index"))


@bp.post("/<int:metric_id>/restore")
@role_required(Role.admin)
def restore(metric_id: int) -> ResponseReturnValue:
    session = get_session()
    metric = session.get(Metric, metric_id)
    if metric is None or is_live(metric):
        abort(404)
    if not DeleteForm().validate_on_submit():
        abort(400)
    service.restore(session, metric, user_id=current_user.id)
    session.commit()
    flash(html(_("Metric “%(name)s” is back in the catalogue."), name=bdi(metric.name)), "success")
    return redirect(url_for("metrics.detail", metric_id=metric_id))
