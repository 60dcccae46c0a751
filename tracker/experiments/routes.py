"""Experiments: the board, the design form, the status page with results, analysis
and decision."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from sqlmodel import Session, col, select

from tracker.access import role_required
from tracker.database import get_session
from tracker.experiments import queries, service
from tracker.experiments.cumulative import latest_figures, shrinking
from tracker.experiments.forms import (
    MAX_ARMS,
    ConfirmForm,
    DecisionForm,
    DesignForm,
    ResultsUploadForm,
    arm_rows,
    results_form_class,
)
from tracker.models import (
    Analysis,
    Area,
    Arm,
    DecisionAction,
    Experiment,
    ExperimentStatus,
    Hypothesis,
    Metric,
    MetricKind,
    Outcome,
    ResultSnapshot,
    Role,
    User,
)
from tracker.pagination import paginate, requested_page

bp = Blueprint("experiments", __name__, url_prefix="/experiments")

UNITS = {"proportion": "trials", "mean": "units", "rate": "units of exposure"}


def _sentence(message: str) -> str:
    """The engine's message as a sentence for the page ('mde must...' -> 'The MDE must...')."""
    if message.startswith("mde"):
        message = "The MDE" + message[3:]
    message = message[:1].upper() + message[1:]
    return message if message.endswith(".") else message + "."


def _int_arg(name: str) -> int | None:
    value = request.args.get(name, "")
    return int(value) if value.isdigit() else None


def _experiment_or_404(session: Session, experiment_id: int) -> Experiment:
    experiment = session.get(Experiment, experiment_id)
    if experiment is None or experiment.deleted_at is not None:
        abort(404)
    return experiment


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


# --- the design ------------------------------------------------------------------------


def _design_choices(session: Session, form: DesignForm) -> dict[int, Metric]:
    """Fill the form's choices; return the live metrics by id."""
    from wtforms import SelectChoice

    metrics = session.exec(
        select(Metric, Area.name)
        .join(Area, col(Area.id) == Metric.area_id)
        .where(col(Metric.deleted_at).is_(None))
        .order_by(col(Area.rank), Area.name, Metric.name)
    ).all()
    users = session.exec(
        select(User).where(col(User.active).is_(True)).order_by(User.display_name)
    ).all()
    form.owner_id.choices = [SelectChoice(user.id, user.display_name) for user in users]
    choices = [
        SelectChoice(metric.id, f"{metric.name} ({metric.kind.value})", optgroup=area)
        for metric, area in metrics
    ]
    form.primary_metric_id.choices = choices
    form.guardrail_ids.choices = list(choices)
    by_id = {metric.id or 0: metric for metric, _area in metrics}
    form.metric_kinds = {metric_id: metric.kind.value for metric_id, metric in by_id.items()}
    return by_id


def _resize_arms(form: DesignForm) -> None:
    """The no-JavaScript 'add a variant' and 'remove the last variant' buttons."""
    if form.add_variant.data and len(form.arms) < MAX_ARMS:
        letter = chr(ord("A") + len(form.arms))
        form.arms.append_entry({"name": f"Variant {letter}", "share": None})
    elif form.remove_variant.data and len(form.arms) > 2:
        form.arms.pop_entry()
    # Spread the traffic evenly over the new number of arms; control takes the rest.
    count = len(form.arms)
    even = round(1.0 / count, 6)
    for index, entry in enumerate(form.arms):
        entry.form.share.data = even if index else round(1.0 - even * (count - 1), 6)
        entry.form.share.raw_data = None


def _design_from(form: DesignForm) -> service.Design:
    return service.Design(
        title=(form.title.data or "").strip(),
        owner_id=form.owner_id.data,
        primary_metric_id=form.primary_metric_id.data or 0,
        guardrail_ids=list(form.guardrail_ids.data or []),
        arms=arm_rows(form),
        baseline=form.baseline.data,
        baseline_sd=form.baseline_sd.data if form.kind == "mean" else None,
        mde=float(form.mde.data or 0.0),
        mde_relative=bool(form.mde_relative.data),
        alpha=float(form.alpha.data or 0.05),
        power=float(form.power.data or 0.8),
        alternative=form.alternative.data or "two-sided",
    )


def _plan_or_errors(
    session: Session, form: DesignForm, metrics: dict[int, Metric]
) -> tuple[service.Design, Any, float | None] | None:
    """The design with its baseline filled in and its plan; or the messages put on
    the form's fields and ``None``."""
    design = _design_from(form)
    metric = metrics[design.primary_metric_id]
    kind = metric.kind.value
    recent = service.metric_baseline(session, metric)
    if design.baseline is None and recent is not None:
        design.baseline = recent.value
        form.baseline.data = recent.value
    if kind == "mean" and design.baseline_sd is None and recent is not None:
        design.baseline_sd = recent.sd
        form.baseline_sd.data = recent.sd
    if design.baseline is None:
        form.baseline.errors.append(
            f"{metric.name} has no readings yet: enter its baseline (its recent level)."
        )
        return None
    if kind == "mean" and not design.baseline_sd:
        form.baseline_sd.errors.append("Enter the standard deviation of the metric.")
        return None
    try:
        plan = service.plan_for(kind, design)
    except ValueError as exc:
        form.mde.errors.append(_sentence(str(exc)))
        return None
    return design, plan, recent.volume if recent else None


def _render_design(
    form: DesignForm,
    *,
    experiment: Experiment | None,
    hypothesis: Hypothesis | None,
    metrics: dict[int, Metric],
    status: int = 200,
    conflict: bool = False,
    plan: Any = None,
) -> ResponseReturnValue:
    from experiments.planning import weeks_to_reach

    locked = experiment is not None and experiment.status != ExperimentStatus.draft
    preview: dict[str, Any] = {"plan": plan, "weeks": None, "volume": None, "plan_message": ""}
    metric = metrics.get(form.primary_metric_id.data or 0)
    if metric is not None:
        preview["plan_unit"] = UNITS[metric.kind.value]
        if plan is None:
            try:
                preview["plan"] = service.plan_for(metric.kind.value, _design_from(form))
            except (TypeError, ValueError, KeyError) as exc:
                preview["plan_message"] = "" if form.baseline.data is None else str(exc)
        if preview["plan"] is not None:
            volume = experiment.weekly_volume if experiment else None
            if volume is None:
                recent = service.metric_baseline(get_session(), metric)
                volume = recent.volume if recent else None
            preview["volume"] = volume
            preview["weeks"] = weeks_to_reach(preview["plan"].total, weekly_volume=volume)
    return (
        render_template(
            "experiments/design.html",
            form=form,
            experiment=experiment,
            hypothesis=hypothesis,
            locked=locked,
            conflict=conflict,
            metric_kinds=form.metric_kinds,
            hypothesis_metric=metrics.get(hypothesis.metric_id or 0) if hypothesis else None,
            long_design_note=long_design_note,
            **preview,
        ),
        status,
    )


def _initial_design(
    session: Session, form: DesignForm, hypothesis: Hypothesis | None, metrics: dict[int, Metric]
) -> None:
    form.title.data = hypothesis.title if hypothesis else ""
    form.owner_id.data = current_user.id
    if hypothesis and hypothesis.metric_id in metrics:
        form.primary_metric_id.data = hypothesis.metric_id
    elif metrics:
        form.primary_metric_id.data = next(iter(metrics))
    metric = metrics.get(form.primary_metric_id.data or 0)
    if metric is not None:
        recent = service.metric_baseline(session, metric)
        if recent is not None:
            form.baseline.data = round(recent.value, 6)
            form.baseline_sd.data = round(recent.sd, 6) if recent.sd is not None else None
        if hypothesis and hypothesis.expected_effect:
            sign = -1 if hypothesis.direction.value == "decrease" else 1
            form.mde.data = sign * abs(hypothesis.expected_effect) / 100
            form.mde_relative.data = True
    form.alpha.data = 0.05
    form.power.data = 0.8
    names = ("Control", "Variant B")
    for entry, name in zip(form.arms, names, strict=False):
        entry.form.name.data = name
        entry.form.share.data = 0.5


@bp.route("/new", methods=["GET", "POST"])
@role_required(Role.editor)
def new() -> ResponseReturnValue:
    session = get_session()
    hypothesis_id = _int_arg("hypothesis_id")
    hypothesis = session.get(Hypothesis, hypothesis_id) if hypothesis_id else None
    if hypothesis is not None and hypothesis.deleted_at is not None:
        hypothesis = None
    form = DesignForm()
    metrics = _design_choices(session, form)
    if request.method == "GET":
        _initial_design(session, form, hypothesis, metrics)
        return _render_design(form, experiment=None, hypothesis=hypothesis, metrics=metrics)
    if form.add_variant.data or form.remove_variant.data:
        _resize_arms(form)
        return _render_design(form, experiment=None, hypothesis=hypothesis, metrics=metrics)
    if (
        not form.validate_on_submit()
        or (planned := _plan_or_errors(session, form, metrics)) is None
    ):
        return _render_design(
            form, experiment=None, hypothesis=hypothesis, metrics=metrics, status=422
        )
    design, plan, volume = planned
    experiment = Experiment(
        hypothesis_id=hypothesis.id if hypothesis else None,
        title=design.title,
        primary_metric_id=design.primary_metric_id,
    )
    service.save_design(
        session, experiment, design, plan=plan, weekly_volume=volume, user_id=current_user.id
    )
    session.commit()
    flash("The experiment is designed. Start it when the test goes live.", "success")
    return redirect(url_for("experiments.detail", experiment_id=experiment.id))


@bp.route("/<int:experiment_id>/edit", methods=["GET", "POST"])
@role_required(Role.editor)
def edit(experiment_id: int) -> ResponseReturnValue:
    session = get_session()
    experiment = _experiment_or_404(session, experiment_id)
    hypothesis = (
        session.get(Hypothesis, experiment.hypothesis_id) if experiment.hypothesis_id else None
    )
    arms = service.arms_of(session, experiment_id)
    if request.method == "GET":
        data = {
            "arms": [{"name": arm.name, "share": arm.share} for arm in arms],
            "guardrail_ids": service.guardrail_ids_of(session, experiment_id),
            "alternative": experiment.alternative.value,
        }
        form = DesignForm(obj=experiment, data=data)
        form.version.data = str(experiment.version)
    else:
        form = DesignForm()
    metrics = _design_choices(session, form)
    if request.method == "GET":
        return _render_design(form, experiment=experiment, hypothesis=hypothesis, metrics=metrics)
    if form.add_variant.data or form.remove_variant.data:
        _resize_arms(form)
        return _render_design(form, experiment=experiment, hypothesis=hypothesis, metrics=metrics)
    if (
        not form.validate_on_submit()
        or (planned := _plan_or_errors(session, form, metrics)) is None
    ):
        return _render_design(
            form, experiment=experiment, hypothesis=hypothesis, metrics=metrics, status=422
        )
    if str(form.version.data) != str(experiment.version):
        return _render_design(
            form,
            experiment=experiment,
            hypothesis=hypothesis,
            metrics=metrics,
            status=409,
            conflict=True,
        )
    design, plan, volume = planned
    dropped = service.arms_removed_with_results(session, arms, len(design.arms))
    if dropped:
        form.arms.errors = [
            f"{', '.join(dropped)} already has results, so it cannot be removed; stop the"
            " experiment and start a new one instead."
        ]
        return _render_design(
            form, experiment=experiment, hypothesis=hypothesis, metrics=metrics, status=422
        )
    reason = (form.reason.data or "").strip()
    if experiment.status != ExperimentStatus.draft:
        changed = service.locked_changes(experiment, design, plan, arms)
        if changed and not reason:
            names = ", ".join(sorted(name.replace("_", " ") for name in changed))
            form.reason.errors.append(
                f"The experiment is {experiment.status.value}, so its design is locked: say"
                f" why you change it ({names})."
            )
            return _render_design(
                form, experiment=experiment, hypothesis=hypothesis, metrics=metrics, status=422
            )
    service.save_design(
        session,
        experiment,
        design,
        plan=plan,
        weekly_volume=volume
        if experiment.status == ExperimentStatus.draft or experiment.weekly_volume is None
        else experiment.weekly_volume,
        user_id=current_user.id,
        reason=reason,
    )
    session.commit()
    flash("The design is saved.", "success")
    return redirect(url_for("experiments.detail", experiment_id=experiment.id))


@bp.route("/plan")
def plan() -> ResponseReturnValue:
    """The live preview of the design form: baseline, planned size and weeks."""
    from experiments.planning import weeks_to_reach

    session = get_session()
    metric = session.get(Metric, _int_arg("metric_id") or 0)
    if metric is None or metric.deleted_at is not None:
        return jsonify(ok=False, message="Choose the primary metric."), 200
    kind = metric.kind.value
    recent = service.metric_baseline(session, metric)
    answer: dict[str, Any] = {
        "kind": kind,
        "metric": metric.name,
        "recent": None
        if recent is None
        else {"baseline": recent.value, "sd": recent.sd, "weekly_volume": recent.volume},
    }

    def number(name: str) -> float | None:
        try:
            return float(request.args.get(name, ""))
        except ValueError:
            return None

    try:
        shares = [float(value) for value in request.args.getlist("share")]
    except ValueError:
        return jsonify(ok=False, message="Every share must be a number.", **answer)
    baseline = number("baseline")
    sd = number("baseline_sd")
    design = service.Design(
        title="",
        owner_id=None,
        primary_metric_id=metric.id or 0,
        guardrail_ids=[],
        arms=[{"name": str(i), "share": share} for i, share in enumerate(shares)],
        baseline=baseline if baseline is not None else (recent.value if recent else None),
        baseline_sd=sd if sd is not None else (recent.sd if recent else None),
        mde=number("mde") or 0.0,
        mde_relative=request.args.get("mde_relative") in ("y", "on", "true", "1"),
        alpha=number("alpha") or 0.0,
        power=number("power") or 0.0,
        alternative=request.args.get("alternative", "two-sided"),
    )
    try:
        plan = service.plan_for(kind, design)
    except (TypeError, ValueError) as exc:
        return jsonify(ok=False, message=_sentence(str(exc)), **answer)
    volume = recent.volume if recent else None
    return jsonify(
        ok=True,
        control=plan.control,
        variant=plan.variant,
        total=plan.total,
        weekly_volume=volume,
        weeks=weeks_to_reach(plan.total, weekly_volume=volume),
        long_note=long_design_note(weeks_to_reach(plan.total, weekly_volume=volume)),
        **answer,
    )


# --- status changes ----------------------------------------------------------------------


@bp.route("/<int:experiment_id>/start", methods=["POST"])
@role_required(Role.editor)
def start(experiment_id: int) -> ResponseReturnValue:
    session = get_session()
    experiment = _experiment_or_404(session, experiment_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if experiment.status not in (ExperimentStatus.draft, ExperimentStatus.stopped):
        flash(
            f"The experiment is {experiment.status.value}; only a draft or a stopped"
            " experiment can start.",
            "error",
        )
        return redirect(url_for("experiments.detail", experiment_id=experiment_id))
    arms = service.arms_of(session, experiment_id)
    metric = session.get(Metric, experiment.primary_metric_id)
    missing = service.missing_to_start(experiment, arms, metric)
    if missing:
        flash("The experiment cannot start yet: it needs " + "; ".join(missing) + ".", "error")
        return redirect(url_for("experiments.detail", experiment_id=experiment_id))
    hypothesis = (
        session.get(Hypothesis, experiment.hypothesis_id) if experiment.hypothesis_id else None
    )
    service.change_status(
        session,
        experiment,
        ExperimentStatus.running,
        user_id=current_user.id,
        today=date.today(),
        hypothesis=hypothesis,
    )
    session.commit()
    flash("The experiment is running. Enter results as they come in.", "success")
    return redirect(url_for("experiments.detail", experiment_id=experiment_id))


@bp.route("/<int:experiment_id>/stop", methods=["POST"])
@role_required(Role.editor)
def stop(experiment_id: int) -> ResponseReturnValue:
    session = get_session()
    experiment = _experiment_or_404(session, experiment_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if experiment.status != ExperimentStatus.running:
        flash("Only a running experiment can be stopped.", "error")
        return redirect(url_for("experiments.detail", experiment_id=experiment_id))
    service.change_status(
        session, experiment, ExperimentStatus.stopped, user_id=current_user.id, today=date.today()
    )
    session.commit()
    flash(
        "The experiment is stopped. Record the decision when the team has discussed it.", "success"
    )
    return redirect(url_for("experiments.detail", experiment_id=experiment_id))


@bp.route("/<int:experiment_id>/delete", methods=["POST"])
@role_required(Role.admin)
def delete(experiment_id: int) -> ResponseReturnValue:
    session = get_session()
    experiment = _experiment_or_404(session, experiment_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    service.soft_delete(session, experiment, user_id=current_user.id)
    session.commit()
    flash(
        f"“{experiment.title}” is deleted. An admin can restore it from the change log.", "success"
    )
    return redirect(url_for("experiments.board"))


# --- the status page ---------------------------------------------------------------------


def _results_form(
    arms: list[Arm],
    metrics: list[Metric],
    experiment: Experiment,
    latest: list[ResultSnapshot] | None = None,
) -> Any:
    form_class = results_form_class(arms, metrics, experiment.primary_metric_id)
    if request.method == "POST" and request.form.get("save_results") is not None:
        return form_class()
    data = {}
    for snap in latest or []:
        for stat in ("successes", "trials", "n", "mean", "sd", "events", "exposure"):
            value = getattr(snap, stat)
            if value is not None:
                data[f"m{snap.metric_id}_a{snap.arm_id}_{stat}"] = value
    return form_class(formdata=None, data=data)


def long_design_note(weeks: float | None) -> str:
    """The warning beside a design that would run too long, or ""."""
    from experiments.planning import LONG_DESIGN_WEEKS, too_long

    if not too_long(weeks):
        return ""
    return (
        f"That is longer than {LONG_DESIGN_WEEKS:.0f} weeks: by then seasons and returning "
        "visitors blur the result. Consider a larger minimum detectable effect, fewer "
        "variants or a busier metric."
    )


def _status_page(
    session: Session,
    experiment: Experiment,
    *,
    results_form: Any = None,
    upload_form: ResultsUploadForm | None = None,
    decision_form: DecisionForm | None = None,
    upload_error: str = "",
    status: int = 200,
) -> ResponseReturnValue:
    """Everything the status page shows, in a fixed number of queries."""
    from experiments.planning import progress, weeks_to_reach
    from tracker.charts import snapshots as snapshot_chart

    experiment_id = experiment.id or 0
    hypothesis = (
        session.get(Hypothesis, experiment.hypothesis_id) if experiment.hypothesis_id else None
    )
    arms = service.arms_of(session, experiment_id)
    metrics = service.experiment_metrics(session, experiment)
    metric_by_id = {metric.id: metric for metric in metrics}
    primary = metric_by_id.get(experiment.primary_metric_id)
    people = {
        user.id: user.display_name
        for user in session.exec(
            select(User).where(
                col(User.id).in_(
                    [i for i in (experiment.owner_id, experiment.decided_by_id) if i]
                    + ([hypothesis.author_id] if hypothesis and hypothesis.author_id else [])
                )
            )
        ).all()
    }
    analyses: list[Analysis] = []
    latest_snapshots: list[ResultSnapshot] = []
    if experiment.latest_result_set_id:
        analyses = list(
            session.exec(
                select(Analysis).where(Analysis.result_set_id == experiment.latest_result_set_id)
            ).all()
        )
        latest_snapshots = list(
            session.exec(
                select(ResultSnapshot).where(
                    ResultSnapshot.result_set_id == experiment.latest_result_set_id
                )
            ).all()
        )
    analyses.sort(
        key=lambda a: (
            not a.is_primary,
            metric_by_id[a.metric_id].name.lower() if a.metric_id in metric_by_id else "",
        )
    )
    history_svg = ""
    result_set_count = 0
    if experiment.latest_result_set_id and primary is not None:
        key = (experiment_id, experiment.latest_result_set_id)
        cached = snapshot_chart.cached(*key)
        history = queries.primary_history(session, experiment_id)
        result_set_count = len(history)
        if cached is not None:
            history_svg = cached
        else:
            points = [
                snapshot_chart.LiftPoint(
                    variant=variant["name"],
                    recorded_at=recorded_at,
                    lift=variant["lift"],
                    low=(variant["lift_ci"] or [None, None])[0],
                    high=(variant["lift_ci"] or [None, None])[1],
                )
                for recorded_at, comparisons in history
                for variant in comparisons.get("variants", [])
                if variant.get("lift") is not None
            ]
            if len({p.recorded_at for p in points}) >= 2:
                history_svg = snapshot_chart.remember(
                    *key, snapshot_chart.snapshots_chart(primary.name, points)
                )
    warnings: dict[str, dict[str, str]] = {}
    for analysis in analyses:
        for warning in analysis.warnings:
            warnings.setdefault(warning["message"], warning)
    preliminary = experiment.observed_total < (experiment.planned_total or 0) or not (
        experiment.planned_total
    )
    remaining_weeks = (
        weeks_to_reach(
            experiment.planned_total or 0,
            observed=experiment.observed_total,
            weekly_volume=experiment.weekly_volume,
        )
        if experiment.planned_total
        else None
    )
    if results_form is None:
        results_form = _results_form(arms, metrics, experiment, latest_snapshots)
    if decision_form is None:
        decision_form = DecisionForm(formdata=None, preliminary=preliminary)
    return (
        render_template(
            "experiments/detail.html",
            experiment=experiment,
            hypothesis=hypothesis,
            arms=arms,
            metrics=metrics,
            primary=primary,
            people=people,
            analyses=analyses,
            metric_by_id=metric_by_id,
            warnings=list(warnings.values()),
            history_svg=history_svg,
            result_set_count=result_set_count,
            progress=progress(experiment.observed_total, experiment.planned_total),
            remaining_weeks=remaining_weeks,
            preliminary=preliminary,
            results_form=results_form,
            upload_form=upload_form or ResultsUploadForm(formdata=None),
            upload_error=upload_error,
            decision_form=decision_form,
            confirm=ConfirmForm(formdata=None),
            changes=queries.change_log(session, experiment_id),
            learnings=queries.learnings_of(session, experiment_id),
            missing=service.missing_to_start(experiment, arms, primary),
            kind_fields={
                "proportion": ("successes", "trials"),
                "mean": ("n", "mean", "sd"),
                "rate": ("events", "exposure"),
            },
        ),
        status,
    )


@bp.route("/<int:experiment_id>")
def detail(experiment_id: int) -> ResponseReturnValue:
    session = get_session()
    return _status_page(session, _experiment_or_404(session, experiment_id))


def _can_take_results(experiment: Experiment) -> bool:
    return experiment.status in (ExperimentStatus.running, ExperimentStatus.stopped)


@bp.route("/<int:experiment_id>/results", methods=["POST"])
@role_required(Role.editor)
def results(experiment_id: int) -> ResponseReturnValue:
    session = get_session()
    experiment = _experiment_or_404(session, experiment_id)
    if not _can_take_results(experiment):
        flash("Start the experiment before entering results.", "error")
        return redirect(url_for("experiments.detail", experiment_id=experiment_id))
    arms = service.arms_of(session, experiment_id)
    metrics = service.experiment_metrics(session, experiment)
    form = _results_form(arms, metrics, experiment)
    if not form.validate_on_submit():
        return _status_page(session, experiment, results_form=form, status=422)
    lower = shrinking(latest_figures(session, experiment), form.figures())
    if lower and not form.confirm_lower.data:
        for shrink in lower:
            field = form[f"m{shrink.metric_id}_a{shrink.arm_id}_{shrink.stat}"]
            field.errors = [*field.errors, shrink.message()]
        form.lower_than_last = True
        return _status_page(session, experiment, results_form=form, status=422)
    service.save_results(
        session,
        experiment,
        form.figures(),
        arms=arms,
        metrics=metrics,
        user_id=current_user.id,
        note=form.note.data or "",
    )
    session.commit()
    flash("The results are saved and analysed.", "success")
    return redirect(url_for("experiments.detail", experiment_id=experiment_id) + "#analysis")


@bp.route("/<int:experiment_id>/results.csv", methods=["POST"])
@role_required(Role.editor)
def upload(experiment_id: int) -> ResponseReturnValue:
    from tracker.experiments.csv_import import CsvError, parse_results_csv

    session = get_session()
    experiment = _experiment_or_404(session, experiment_id)
    if not _can_take_results(experiment):
        flash("Start the experiment before entering results.", "error")
        return redirect(url_for("experiments.detail", experiment_id=experiment_id))
    form = ResultsUploadForm()
    if not form.validate_on_submit():
        return _status_page(session, experiment, upload_form=form, status=422)
    upload_file = form.csv_file.data
    if upload_file is None or not getattr(upload_file, "filename", ""):
        return _status_page(
            session,
            experiment,
            upload_form=form,
            status=422,
            upload_error="Choose a CSV file to import.",
        )
    arms = service.arms_of(session, experiment_id)
    metrics = service.experiment_metrics(session, experiment)
    try:
        figures = parse_results_csv(
            upload_file.read(), arms=arms, metrics=metrics, primary_id=experiment.primary_metric_id
        )
    except CsvError as exc:
        return _status_page(
            session,
            experiment,
            upload_form=form,
            status=422,
            upload_error=f"Nothing was imported. {exc}",
        )
    service.save_results(
        session,
        experiment,
        figures,
        arms=arms,
        metrics=metrics,
        user_id=current_user.id,
        note=f"Imported from {upload_file.filename}"[:300],
    )
    session.commit()
    flash("The file is imported and analysed.", "success")
    return redirect(url_for("experiments.detail", experiment_id=experiment_id) + "#analysis")


@bp.route("/<int:experiment_id>/decision", methods=["POST"])
@role_required(Role.editor)
def decision(experiment_id: int) -> ResponseReturnValue:
    session = get_session()
    experiment = _experiment_or_404(session, experiment_id)
    if experiment.status not in (ExperimentStatus.running, ExperimentStatus.stopped):
        flash("Only a running or stopped experiment can be decided.", "error")
        return redirect(url_for("experiments.detail", experiment_id=experiment_id))
    preliminary = (
        not experiment.planned_total or experiment.observed_total < experiment.planned_total
    )
    form = DecisionForm(preliminary=preliminary)
    if not form.validate_on_submit():
        return _status_page(session, experiment, decision_form=form, status=422)
    hypothesis = (
        session.get(Hypothesis, experiment.hypothesis_id) if experiment.hypothesis_id else None
    )
    service.decide(
        session,
        experiment,
        outcome=Outcome(form.outcome.data),
        action=DecisionAction(form.action.data),
        rationale=form.rationale.data or "",
        early_reason=(form.early_decision_reason.data or "") if preliminary else "",
        user_id=current_user.id,
        today=date.today(),
        hypothesis=hypothesis,
    )
    session.commit()
    flash(
        f"Decided: {experiment.outcome.value if experiment.outcome else ''}, "
        f"{experiment.action.value if experiment.action else ''}.",
        "success",
    )
    return redirect(url_for("experiments.detail", experiment_id=experiment_id))


__all__ = ["MetricKind", "bp"]
