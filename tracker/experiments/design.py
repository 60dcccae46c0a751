"""The design form (new and edit) and its live plan preview."""

from __future__ import annotations

from typing import Any

from flask import flash, jsonify, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from sqlalchemy.orm.exc import StaleDataError
from sqlmodel import Session, col, select

from tracker.access import role_required
from tracker.bidi import ltr
from tracker.cycles.words import kind_label
from tracker.database import get_session
from tracker.experiments import service
from tracker.experiments.blueprint import UNITS, _experiment_or_404, _int_arg, _sentence, bp
from tracker.experiments.entry import EntryScale, entry_scale
from tracker.experiments.forms import MAX_ARMS, DesignForm, arm_rows
from tracker.i18n import format_number
from tracker.models import Area, Experiment, ExperimentStatus, Hypothesis, Metric, Role, User
from tracker.models.live import is_live, live
from tracker.parsing import parse_number
from tracker.rules import RuleError, put_on_form, show_conflict, stale_from
from tracker.translation import _

CONFLICT_LABELS = {
    "title": "title",
    "baseline": "baseline",
    "mde": "MDE",
    "alpha": "alpha",
    "power": "power",
}

# --- the design ------------------------------------------------------------------------


def _design_choices(session: Session, form: DesignForm) -> dict[int, Metric]:
    """Fill the form's choices; return the live metrics by id."""
    from wtforms import SelectChoice

    metrics = session.exec(
        select(Metric, Area.name)
        .join(Area, col(Area.id) == Metric.area_id)
        .where(live(Metric))
        .order_by(col(Area.rank), Area.name, Metric.name)
    ).all()
    users = session.exec(
        select(User).where(col(User.active).is_(True)).order_by(User.display_name)
    ).all()
    own = {"dir": "auto"}  # names people wrote: each option reads in its own direction
    form.owner_id.choices = [
        SelectChoice(user.id, user.display_name, render_kw=own) for user in users
    ]
    # the primary metric's select shows the name alone, whole on a phone, and its
    # kind in the hint beneath; the guardrails' checkboxes wrap, so they keep both
    form.primary_metric_id.choices = [
        SelectChoice(metric.id, metric.name, optgroup=area, render_kw=own)
        for metric, area in metrics
    ]
    form.guardrail_ids.choices = [
        SelectChoice(
            metric.id, f"{metric.name} ({kind_label(metric.kind)})", optgroup=area, render_kw=own
        )
        for metric, area in metrics
    ]
    by_id = {metric.id or 0: metric for metric, _area in metrics}
    form.metric_kinds = {metric_id: metric.kind.value for metric_id, metric in by_id.items()}
    return by_id


def _scale(metric: Metric | None) -> EntryScale:
    """How the chosen metric's baseline and effect are typed (a percentage for a
    proportion, as in the calculator)."""
    if metric is None:
        return entry_scale(kind="mean", unit="")
    return entry_scale(kind=metric.kind.value, unit=metric.unit or "")


def _show_typed(form: DesignForm, metrics: dict[int, Metric]) -> None:
    """Put a stored design's baseline and effect on the form in the typed scale."""
    scale = _scale(metrics.get(form.primary_metric_id.data or 0))
    form.baseline.data = scale.typed(form.baseline.data)
    form.mde.data = scale.typed(form.mde.data, relative=bool(form.mde_relative.data))


def _entry_units(metrics: dict[int, Metric]) -> dict[int, dict[str, Any]]:
    """Each metric's typed scale and words, for the page's script."""
    units = {}
    for metric_id, metric in metrics.items():
        scale = _scale(metric)
        units[metric_id] = {
            "factor": scale.factor,
            **scale.labels(),
            "metric_hint": _metric_hint(metric),
        }
    return units


def _metric_hint(metric: Metric | None) -> str:
    """The words under the primary metric: what it is for, and its kind (the select
    shows only its name)."""
    if metric is None:
        return _("The metric the experiment is judged on.")
    return _("The metric the experiment is judged on: a %(kind)s.", kind=kind_label(metric.kind))


def _resize_arms(form: DesignForm) -> None:
    """The no-JavaScript 'add a variant' and 'remove the last variant' buttons."""
    if form.add_variant.data and len(form.arms) < MAX_ARMS:
        letter = chr(ord("A") + len(form.arms))
        form.arms.append_entry({"name": _("Variant %(letter)s", letter=letter), "share": None})
    elif form.remove_variant.data and len(form.arms) > 2:
        form.arms.pop_entry()
    # Spread the traffic evenly over the new number of arms; control takes the rest.
    count = len(form.arms)
    even = round(1.0 / count, 6)
    for index, entry in enumerate(form.arms):
        entry.form.share.data = even if index else round(1.0 - even * (count - 1), 6)
        entry.form.share.raw_data = None


def _design_from(
    form: DesignForm, scale: EntryScale, saved: Experiment | None = None
) -> service.Design:
    """The design in the engine's terms, from the figures as typed. A figure shown
    rounded and left as it was keeps its saved value (a locked design is not changed
    by reading it)."""
    relative = bool(form.mde_relative.data)

    def stored(typed: float | None, saved_value: float | None, *, relative: bool) -> float | None:
        if (
            saved is not None
            and typed is not None
            and (typed == scale.typed(saved_value, relative=relative))
        ):
            return saved_value
        return scale.stored(typed, relative=relative)

    return service.Design(
        title=(form.title.data or "").strip(),
        owner_id=form.owner_id.data,
        primary_metric_id=form.primary_metric_id.data or 0,
        guardrail_ids=list(form.guardrail_ids.data or []),
        arms=arm_rows(form),
        baseline=stored(form.baseline.data, saved.baseline if saved else None, relative=False),
        baseline_sd=form.baseline_sd.data if form.kind == "mean" else None,
        mde=stored(
            form.mde.data,
            saved.mde if saved and saved.mde_relative == relative else None,
            relative=relative,
        )
        or 0.0,
        mde_relative=relative,
        alpha=float(form.alpha.data or 0.05),
        power=float(form.power.data or 0.8),
        alternative=form.alternative.data or "two-sided",
        design_kind=form.design_kind.data or "group_sequential",
        spending=form.design_spending.data or "obrien-fleming",
        planned_looks=(form.design_looks.data or 1)
        if form.design_kind.data == "group_sequential"
        else 1,
    )


def _plan_or_errors(
    session: Session,
    form: DesignForm,
    metrics: dict[int, Metric],
    saved: Experiment | None = None,
) -> tuple[service.Design, Any, float | None] | None:
    """The design with its baseline filled in and its plan; or the service's
    messages put on the form's fields and ``None``."""
    metric = metrics[form.primary_metric_id.data or 0]
    scale = _scale(metric)
    try:
        planned = service.planned_design(session, metric, _design_from(form, scale, saved))
    except RuleError as error:
        put_on_form(form, error)
        return None
    design = planned[0]
    form.baseline.data = scale.typed(design.baseline)
    if form.kind == "mean":
        form.baseline_sd.data = design.baseline_sd
    return planned


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
    scale = _scale(metric)
    labels = scale.labels()
    form.baseline.label.text = labels["baseline_label"]
    form.mde.label.text = labels["mde_label"]
    preview["entry_words"] = labels
    preview["metric_hint"] = _metric_hint(metric)
    preview["entry_units"] = _entry_units(metrics)
    if metric is not None:
        preview["plan_unit"] = str(UNITS[metric.kind.value])
        if plan is None:
            try:
                preview["plan"] = service.plan_for(
                    metric.kind.value, _design_from(form, scale, experiment)
                )
            except (TypeError, ValueError, KeyError) as exc:
                preview["plan_message"] = "" if form.baseline.data is None else _sentence(exc)
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
            weeks_sentence=weeks_sentence,
            inflation_sentence=inflation_sentence,
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
            form.baseline.data = _scale(metric).typed(recent.value)
            form.baseline_sd.data = round(recent.sd, 6) if recent.sd is not None else None
        if hypothesis and hypothesis.expected_effect:
            # the hypothesis expects a change in percent: a relative effect, typed in percent
            sign = -1 if hypothesis.direction.value == "decrease" else 1
            form.mde.data = sign * abs(hypothesis.expected_effect)
            form.mde_relative.data = True
    form.alpha.data = 0.05
    form.power.data = 0.8
    names = (_("Control"), _("Variant %(letter)s", letter="B"))
    for entry, name in zip(form.arms, names, strict=False):
        entry.form.name.data = name
        entry.form.share.data = 0.5


def _form_step(
    session: Session,
    form: DesignForm,
    experiment: Experiment | None,
    hypothesis: Hypothesis | None,
    metrics: dict[int, Metric],
) -> tuple[Any, ResponseReturnValue | None]:
    """The design form's steps before a save, the same for a new experiment and an
    edited one: the page to show (the form, an arm added or removed, or the form's
    messages), else the planned ``(design, plan, volume)`` to save."""

    def page(status: int = 200) -> ResponseReturnValue:
        return _render_design(
            form, experiment=experiment, hypothesis=hypothesis, metrics=metrics, status=status
        )

    if request.method == "GET":
        return None, page()
    if form.add_variant.data or form.remove_variant.data:
        _resize_arms(form)
        return None, page()
    if not form.validate_on_submit():
        return None, page(422)
    planned = _plan_or_errors(session, form, metrics, experiment)
    return (planned, None) if planned is not None else (None, page(422))


@bp.route("/new", methods=["GET", "POST"])
@role_required(Role.editor)
def new() -> ResponseReturnValue:
    session = get_session()
    hypothesis_id = _int_arg("hypothesis_id")
    hypothesis = session.get(Hypothesis, hypothesis_id) if hypothesis_id else None
    if not is_live(hypothesis):
        hypothesis = None
    form = DesignForm()
    metrics = _design_choices(session, form)
    if request.method == "GET":
        _initial_design(session, form, hypothesis, metrics)
    planned, page = _form_step(session, form, None, hypothesis, metrics)
    if page is not None:
        return page
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
    flash(_("The experiment is designed. Start it when the test goes live."), "success")
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
            "design_kind": experiment.design_kind.value,
            "design_spending": experiment.design_spending.value,
        }
        form = DesignForm(obj=experiment, data=data)
        form.version.data = str(experiment.version)
    else:
        form = DesignForm()
    metrics = _design_choices(session, form)
    if request.method == "GET":
        _show_typed(form, metrics)
    planned, page = _form_step(session, form, experiment, hypothesis, metrics)
    if page is not None:
        return page
    design, plan, volume = planned
    try:
        service.save_design(
            session,
            experiment,
            design,
            plan=plan,
            weekly_volume=volume,
            user_id=current_user.id,
            reason=(form.reason.data or "").strip(),
            version=form.version.data,
        )
        session.commit()
    except (RuleError, StaleDataError) as exc:
        session.rollback()
        error = exc if isinstance(exc, RuleError) else stale_from(exc, "experiment")
        session.refresh(experiment)
        conflict = error.reason == "stale_version"
        if conflict:  # the page's own alert says it; add what the saved design reads
            show_conflict(form, error, experiment, CONFLICT_LABELS, say_message=False)
        else:
            put_on_form(form, error, {"status": ""})
        return _render_design(
            form,
            experiment=experiment,
            hypothesis=hypothesis,
            metrics=metrics,
            status=error.status,
            conflict=conflict,
        )
    flash(_("The design is saved."), "success")
    return redirect(url_for("experiments.detail", experiment_id=experiment.id))


@bp.route("/plan")
def plan() -> ResponseReturnValue:
    """The live preview of the design form: baseline, planned size and weeks."""
    from experiments.planning import weeks_to_reach
    from tracker.experiments.looks import plan_design_args

    session = get_session()
    metric = session.get(Metric, _int_arg("metric_id") or 0)
    if not is_live(metric):
        return jsonify(ok=False, message=_("Choose the primary metric.")), 200
    kind = metric.kind.value
    scale = _scale(metric)
    relative = request.args.get("mde_relative") in ("y", "on", "true", "1")
    recent = service.metric_baseline(session, metric)
    # figures come and go as typed: a proportion in percent, as the form shows it
    answer: dict[str, Any] = {
        "kind": kind,
        "metric": metric.name,
        "recent": None
        if recent is None
        else {
            "baseline": scale.typed(recent.value),
            "sd": recent.sd,
            "weekly_volume": recent.volume,
        },
    }

    def number(name: str) -> float | None:
        return parse_number(request.args.get(name))

    shares = [parse_number(value) for value in request.args.getlist("share")]
    if None in shares:
        return jsonify(ok=False, message=_("Every share must be a number."), **answer)
    baseline = number("baseline")
    sd = number("baseline_sd")
    design = service.Design(
        title="",
        owner_id=None,
        primary_metric_id=metric.id or 0,
        guardrail_ids=[],
        arms=[{"name": str(i), "share": share} for i, share in enumerate(shares)],
        baseline=scale.stored(baseline)
        if baseline is not None
        else (recent.value if recent else None),
        baseline_sd=sd if sd is not None else (recent.sd if recent else None),
        mde=scale.stored(number("mde"), relative=relative) or 0.0,
        mde_relative=relative,
        alpha=number("alpha") or 0.0,
        power=number("power") or 0.0,
        alternative=request.args.get("alternative", "two-sided"),
        **plan_design_args(request.args),
    )
    try:
        plan = service.plan_for(kind, design)
    except (TypeError, ValueError) as exc:
        return jsonify(ok=False, message=_sentence(str(exc)), **answer)
    volume = recent.volume if recent else None
    return jsonify(
        ok=True,
        unit=str(UNITS[kind]),
        weeks_text=weeks_sentence(weeks_to_reach(plan.total, weekly_volume=volume), volume),
        inflation_text=inflation_sentence(plan) if plan.inflation > 1 else "",
        control=plan.control,
        variant=plan.variant,
        total=plan.total,
        fixed_total=plan.fixed_total,
        inflation=plan.inflation,
        weekly_volume=volume,
        weeks=weeks_to_reach(plan.total, weekly_volume=volume),
        long_note=long_design_note(weeks_to_reach(plan.total, weekly_volume=volume)),
        texts=plan_figures(plan),
        **answer,
    )


def plan_figures(plan: Any) -> dict[str, str]:
    """The preview's sizes in the reader's language and digits, so the page's script
    shows them as the server would (it formats no figure itself)."""

    def whole(value: float) -> str:
        return format_number(value, decimals=0)

    return {
        "control": whole(plan.control),
        "variant": whole(plan.variant),
        "total": whole(plan.total),
    }


def weeks_sentence(weeks: float | None, volume: float | None) -> str:
    """How long the design would run at the recent volume, in the reader's language."""
    if weeks is None or volume is None:
        return _("No recent readings, so no estimate of the duration.")
    return _(
        "About %(weeks)s weeks at the recent volume of %(volume)s a week.",
        weeks=ltr(format_number(weeks, decimals=1)),
        volume=ltr(format_number(volume, decimals=0)),
    )


def inflation_sentence(plan: Any) -> str:
    """What the weekly looks add to the fixed design's size."""
    return _(
        "Fixed size %(fixed)s, × %(times)s for the weekly looks: a maximum of %(total)s.",
        fixed=ltr(format_number(plan.fixed_total, decimals=0)),
        times=ltr(format_number(plan.inflation, decimals=3)),
        total=ltr(format_number(plan.total, decimals=0)),
    )


def long_design_note(weeks: float | None) -> str:
    """The warning beside a design that would run too long, or ""."""
    from experiments.planning import LONG_DESIGN_WEEKS, too_long

    if not too_long(weeks):
        return ""
    return _(
        "That is longer than %(weeks)s weeks: by then seasons and returning visitors blur "
        "the result. Consider a larger minimum detectable effect, fewer variants or a busier "
        "metric.",
        weeks=f"{LONG_DESIGN_WEEKS:.0f}",
    )
