"""Experiments: the design, start and stop, results and their analysis, and the
decision. Every move goes through ``tracker.experiments.service``, as the pages do,
so the change log, the hypothesis's status and the stored analyses stay the same
whichever way the team works."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from flask import Response, request
from sqlmodel import Session, col, select

from tracker.api.auth import api_user
from tracker.api.errors import invalid
from tracker.api.io import answer, id_arg, page_answer, paginated, parse
from tracker.api.openapi import Query, operation
from tracker.api.schemas import (
    AnalysisPublic,
    ArmCreate,
    ArmPublic,
    DecisionCreate,
    ExperimentCreate,
    ExperimentPublic,
    ExperimentUpdate,
    PlannedSampleSize,
    ResultsCreate,
    StatusChange,
)
from tracker.database import get_session
from tracker.experiments import service
from tracker.experiments.caveats import caveat_message
from tracker.experiments.looks import analysis_look, design_args, design_of
from tracker.experiments.summaries import variant_summary_text
from tracker.figures import FIGURES, KIND_FIELDS, MAX_COUNT, figures_problem
from tracker.models import (
    Analysis,
    Arm,
    Experiment,
    ExperimentStatus,
    Guardrail,
    Hypothesis,
    Metric,
    MetricKind,
    ResultSet,
    ResultSnapshot,
    User,
    normalise_email,
)
from tracker.models.live import is_live, live
from tracker.parsing import MAX_ID, parse_number
from tracker.translation import _

# --- answers ------------------------------------------------------------------------


def experiments_public(
    session: Session, experiments: Sequence[Experiment]
) -> list[ExperimentPublic]:
    """The answers for ``experiments``, their arms and guardrails in two queries."""
    ids = [e.id for e in experiments]
    arms: dict[int, list[Arm]] = {}
    guards: dict[int, list[int]] = {}
    if ids:
        for arm in session.exec(
            select(Arm).where(col(Arm.experiment_id).in_(ids)).order_by(col(Arm.position))
        ).all():
            arms.setdefault(arm.experiment_id, []).append(arm)
        for experiment_id, metric_id in session.exec(
            select(Guardrail.experiment_id, Guardrail.metric_id)
            .where(col(Guardrail.experiment_id).in_(ids))
            .order_by(col(Guardrail.metric_id))
        ).all():
            guards.setdefault(experiment_id, []).append(metric_id)
    return [
        ExperimentPublic.model_validate(
            {
                **experiment.model_dump(),
                "guardrail_metric_ids": guards.get(experiment.id or 0, []),
                "arms": [
                    ArmPublic(id=a.id or 0, name=a.name, share=a.share, is_control=a.is_control)
                    for a in arms.get(experiment.id or 0, [])
                ],
                "planned_sample_size": PlannedSampleSize(
                    control=experiment.planned_control,
                    variant=experiment.planned_variant,
                    total=experiment.planned_total,
                    fixed_total=experiment.fixed_total,
                ),
                "design": design_of(experiment).as_dict(),
            }
        )
        for experiment in experiments
    ]


def experiment_answer(session: Session, experiment: Experiment, status: int = 200) -> Response:
    return answer(experiments_public(session, [experiment])[0], status)


def live_experiment(session: Session, experiment_id: int) -> Experiment:
    return service.live_experiment(session, experiment_id)


# --- the design ---------------------------------------------------------------------


def _owner_id(session: Session, email: str | None, field: str = "owner_email") -> int | None:
    if email is None:
        return api_user().id
    user = session.exec(
        select(User).where(User.email == normalise_email(email), col(User.active).is_(True))
    ).first()
    if user is None:
        raise invalid({field: _("There is no active user with that e-mail address.")})
    return user.id


def _ordered_arms(arms: Sequence[ArmCreate]) -> list[dict[str, Any]]:
    """Control first (the one marked, else the first), then the variants in order."""
    controls = [index for index, arm in enumerate(arms) if arm.is_control]
    if len(controls) > 1:
        raise invalid({"arms": _("Mark only one arm as the control.")})
    first = controls[0] if controls else 0
    order = [first] + [index for index in range(len(arms)) if index != first]
    names = [arm.name.lower() for arm in arms]
    if len(set(names)) != len(names):
        raise invalid({"arms": _("Give every arm its own name.")})
    return [{"name": arms[i].name, "share": arms[i].share} for i in order]


def _metric(session: Session, metric_id: int, field: str) -> Metric:
    metric = session.get(Metric, metric_id)
    if not is_live(metric):
        raise invalid({field: _("There is no metric with that id.")})
    return metric


def _check_guardrails(session: Session, ids: Sequence[int]) -> None:
    if not ids:
        return
    found = set(
        session.exec(select(Metric.id).where(col(Metric.id).in_(list(ids)), live(Metric))).all()
    )
    missing = [str(i) for i in ids if i not in found]
    if missing:
        raise invalid(
            {"guardrail_metric_ids": _("There is no metric %(ids)s.", ids=", ".join(missing))}
        )


def _planned(
    session: Session, metric: Metric, design: service.Design
) -> tuple[service.Design, Any, float | None]:
    """The service's plan, within what the API can answer."""
    design, plan, volume = service.planned_design(session, metric, design)
    if not plan.total or plan.total > MAX_COUNT:
        raise invalid({"mde": _("The planned sample size is out of reach: choose a larger MDE.")})
    return design, plan, volume


@operation(
    "/experiments",
    "GET",
    summary="Experiments, newest first",
    answer=ExperimentPublic,
    paginated=True,
    query=(
        Query(
            "status",
            {"type": "string", "enum": [s.value for s in ExperimentStatus]},
            "Only experiments with this status.",
        ),
        Query(
            "hypothesis",
            {"type": "integer", "minimum": 1, "maximum": MAX_ID},
            "Only this hypothesis's.",
        ),
    ),
    tag="experiments",
)
def list_experiments() -> Response:
    session = get_session()
    statement = (
        select(Experiment)
        .where(live(Experiment))
        .order_by(col(Experiment.created_at).desc(), col(Experiment.id).desc())
    )
    status = request.args.get("status")  # a choice of the document's (check_query)
    if status:
        statement = statement.where(Experiment.status == ExperimentStatus(status))
    hypothesis = id_arg("hypothesis")
    if hypothesis is not None:
        statement = statement.where(Experiment.hypothesis_id == hypothesis)
    rows, page, per_page, total = paginated(session, statement)
    return page_answer(experiments_public(session, rows), page=page, per_page=per_page, total=total)


@operation(
    "/experiments",
    "POST",
    summary="Design an experiment (its planned sample size is computed)",
    body=ExperimentCreate,
    answer=ExperimentPublic,
    status=201,
    tag="experiments",
)
def create_experiment() -> Response:
    session = get_session()
    body = parse(ExperimentCreate)
    if body.hypothesis_id is not None:
        hypothesis = session.get(Hypothesis, body.hypothesis_id)
        if not is_live(hypothesis):
            raise invalid({"hypothesis_id": _("There is no hypothesis with that id.")})
    metric = _metric(session, body.primary_metric_id, "primary_metric_id")
    _check_guardrails(session, body.guardrail_metric_ids)
    design = service.Design(
        title=body.title,
        owner_id=_owner_id(session, body.owner_email),
        primary_metric_id=body.primary_metric_id,
        guardrail_ids=list(body.guardrail_metric_ids),
        arms=_ordered_arms(body.arms),
        baseline=body.baseline,
        baseline_sd=body.baseline_sd if metric.kind == MetricKind.mean else None,
        mde=body.mde,
        mde_relative=body.mde_relative,
        alpha=body.alpha,
        power=body.power,
        alternative=body.alternative.value,
        **design_args(body.design),
    )
    design, plan, volume = _planned(session, metric, design)
    experiment = Experiment(
        hypothesis_id=body.hypothesis_id, title=design.title, primary_metric_id=metric.id or 0
    )
    service.save_design(
        session, experiment, design, plan=plan, weekly_volume=volume, user_id=api_user().id
    )
    session.commit()
    return experiment_answer(session, experiment, 201)


@operation(
    "/experiments/<int:experiment_id>",
    "GET",
    summary="One experiment",
    answer=ExperimentPublic,
    tag="experiments",
)
def get_experiment(experiment_id: int) -> Response:
    session = get_session()
    return experiment_answer(session, live_experiment(session, experiment_id))


@operation(
    "/experiments/<int:experiment_id>",
    "PATCH",
    summary="Change the design (send the version you read; a reason once it runs)",
    body=ExperimentUpdate,
    answer=ExperimentPublic,
    errors=(409,),
    tag="experiments",
)
def update_experiment(experiment_id: int) -> Response:
    session = get_session()
    experiment = live_experiment(session, experiment_id)
    body = parse(ExperimentUpdate)
    sent = body.model_fields_set
    for name in ("title", "primary_metric_id", "arms", "mde", "alpha", "power", "alternative"):
        if name in sent and getattr(body, name) is None:
            raise invalid({name: _("This field cannot be null.")})
    old_arms = service.arms_of(session, experiment_id)
    metric_id = body.primary_metric_id or experiment.primary_metric_id
    metric = _metric(session, metric_id, "primary_metric_id")
    guardrails = (
        list(body.guardrail_metric_ids)
        if body.guardrail_metric_ids is not None
        else service.guardrail_ids_of(session, experiment_id)
    )
    _check_guardrails(session, guardrails)
    arms = (
        _ordered_arms(body.arms)
        if body.arms is not None
        else [{"name": a.name, "share": a.share} for a in old_arms]
    )
    changed_metric = metric_id != experiment.primary_metric_id

    def pick(name: str) -> Any:
        if name in sent:
            return getattr(body, name)
        if changed_metric and name in ("baseline", "baseline_sd"):
            return None  # the old metric's baseline means nothing for the new one
        return getattr(experiment, name)

    design = service.Design(
        title=pick("title"),
        owner_id=_owner_id(session, body.owner_email)
        if body.owner_email is not None
        else experiment.owner_id,
        primary_metric_id=metric_id,
        guardrail_ids=guardrails,
        arms=arms,
        baseline=pick("baseline"),
        baseline_sd=pick("baseline_sd") if metric.kind == MetricKind.mean else None,
        mde=pick("mde"),
        mde_relative=pick("mde_relative"),
        alpha=pick("alpha"),
        power=pick("power"),
        alternative=getattr(pick("alternative"), "value", pick("alternative")),
        **design_args(body.design if "design" in sent else None, experiment),
    )
    design, plan, volume = _planned(session, metric, design)
    service.save_design(
        session,
        experiment,
        design,
        plan=plan,
        weekly_volume=volume,
        user_id=api_user().id,
        reason=body.reason,
        version=body.version,
    )
    session.commit()
    return experiment_answer(session, experiment)


# --- status -------------------------------------------------------------------------


@operation(
    "/experiments/<int:experiment_id>/start",
    "POST",
    summary="Start a draft or stopped experiment",
    body=StatusChange,
    body_required=False,
    answer=ExperimentPublic,
    errors=(409,),
    tag="experiments",
)
def start_experiment(experiment_id: int) -> Response:
    session = get_session()
    experiment = live_experiment(session, experiment_id)
    body = parse(StatusChange, optional=True)
    service.start(session, experiment, user_id=api_user().id, version=body.version)
    session.commit()
    return experiment_answer(session, experiment)


@operation(
    "/experiments/<int:experiment_id>/stop",
    "POST",
    summary="Stop a running experiment",
    body=StatusChange,
    body_required=False,
    answer=ExperimentPublic,
    errors=(409,),
    tag="experiments",
)
def stop_experiment(experiment_id: int) -> Response:
    session = get_session()
    experiment = live_experiment(session, experiment_id)
    body = parse(StatusChange, optional=True)
    service.stop(session, experiment, user_id=api_user().id, version=body.version)
    session.commit()
    return experiment_answer(session, experiment)


@operation(
    "/experiments/<int:experiment_id>/decision",
    "POST",
    summary="Record the decision: outcome, action and rationale",
    body=DecisionCreate,
    answer=ExperimentPublic,
    errors=(409,),
    tag="experiments",
)
def decide_experiment(experiment_id: int) -> Response:
    session = get_session()
    experiment = live_experiment(session, experiment_id)
    body = parse(DecisionCreate)
    service.record_decision(
        session,
        experiment,
        outcome=body.outcome,
        action=body.action,
        rationale=body.rationale,
        early_reason=body.early_decision_reason,
        user_id=api_user().id,
        version=body.version,
    )
    session.commit()
    return experiment_answer(session, experiment)


# --- results and the analysis -------------------------------------------------------


def _figures_for(
    kind: str, body: ResultsCreate, arms: Sequence[Arm]
) -> dict[int, dict[str, float | int]]:
    """Each arm's figures by arm id; 422 naming the arm and the figure that is wrong."""
    wanted = KIND_FIELDS[kind]
    fields: dict[str, str] = {}
    by_name = {arm.name: arm for arm in arms}
    for name in body.arms:
        if name not in by_name:
            fields[f"arms.{name}"] = _(
                "There is no arm %(name)s: the arms are %(arms)s.",
                name=repr(name),
                arms=", ".join(by_name),
            )
    figures: dict[int, dict[str, float | int]] = {}
    for arm in arms:
        sent = body.arms.get(arm.name)
        if sent is None:
            fields[f"arms.{arm.name}"] = _("Send the figures of %(arm)s too.", arm=arm.name)
            continue
        values = {name: getattr(sent, name) for name in wanted}
        for name, message in figures_problem(kind, values).items():
            fields[f"arms.{arm.name}.{name}"] = message
        for name in FIGURES:
            if name not in wanted and getattr(sent, name) is not None:
                fields[f"arms.{arm.name}.{name}"] = _(
                    "A %(kind)s metric has no %(name)s: send %(wanted)s.",
                    kind=kind,
                    name=name,
                    wanted=", ".join(wanted),
                )
        figures[arm.id or 0] = values
    if fields:
        raise invalid(fields)
    return figures


def _carried_figures(
    session: Session, experiment: Experiment, metric_ids: Sequence[int]
) -> dict[tuple[int, int], dict[str, float | int]]:
    """The latest snapshot's figures of the other metrics, carried into the new set
    so that every result set holds the primary metric."""
    if not experiment.latest_result_set_id or not metric_ids:
        return {}
    carried: dict[tuple[int, int], dict[str, float | int]] = {}
    for snap in session.exec(
        select(ResultSnapshot).where(
            ResultSnapshot.result_set_id == experiment.latest_result_set_id,
            col(ResultSnapshot.metric_id).in_(list(metric_ids)),
        )
    ).all():
        carried[(snap.arm_id, snap.metric_id)] = {
            name: getattr(snap, name) for name in FIGURES if getattr(snap, name) is not None
        }
    return carried


@operation(
    "/experiments/<int:experiment_id>/results",
    "POST",
    summary="Post one snapshot of results (a metric's figures per arm) and get the analysis",
    body=ResultsCreate,
    answer=AnalysisPublic,
    status=201,
    errors=(409,),
    tag="experiments",
)
def post_results(experiment_id: int) -> Response:
    session = get_session()
    experiment = live_experiment(session, experiment_id)
    body = parse(ResultsCreate)
    service.check_takes_results(experiment)
    metrics = service.experiment_metrics(session, experiment)
    metric = next((m for m in metrics if m.id == body.metric_id), None)
    if metric is None:
        raise invalid(
            {"metric_id": _("Send the experiment's primary metric or one of its guardrails.")}
        )
    arms = service.arms_of(session, experiment_id)
    figures = {
        (arm_id, metric.id or 0): values
        for arm_id, values in _figures_for(MetricKind(metric.kind).value, body, arms).items()
    }
    others = [m.id or 0 for m in metrics if m.id != metric.id]
    carried = _carried_figures(session, experiment, others)
    if metric.id != experiment.primary_metric_id and not any(
        key[1] == experiment.primary_metric_id for key in carried
    ):
        raise invalid({"metric_id": _("Post the primary metric's results first.")})
    service.save_results(
        session,
        experiment,
        {**carried, **figures},
        arms=arms,
        metrics=metrics,
        user_id=api_user().id,
        note=body.note,
    )
    session.commit()
    return answer(analysis_public(session, experiment), 201)


def _comparison(variant: dict[str, Any]) -> dict[str, Any]:
    return {
        "p_value": variant.get("p_value"),
        "adjusted_p_value": variant.get("adjusted_p_value"),
        "difference": variant.get("difference"),
        "difference_ci": variant.get("difference_ci"),
        "lift": variant.get("lift"),
        "lift_ci": variant.get("lift_ci"),
        "chance_to_beat_control": variant.get("chance_to_beat_control"),
        "significant": bool(variant.get("significant")),
        "summary": variant_summary_text(variant),  # in the language the request asks for
        "conditional_power": variant.get("conditional_power"),
    }


def _number(value: Any) -> float | None:
    return parse_number(value)


def analysis_public(session: Session, experiment: Experiment) -> AnalysisPublic:
    """The stored analysis of the latest result set (primary metric first)."""
    analyses: list[Analysis] = []
    result_set = None
    if experiment.latest_result_set_id:
        result_set = session.get(ResultSet, experiment.latest_result_set_id)
        analyses = list(
            session.exec(
                select(Analysis).where(Analysis.result_set_id == experiment.latest_result_set_id)
            ).all()
        )
    analyses.sort(key=lambda a: (not a.is_primary, a.metric_id))
    primary = next((a for a in analyses if a.is_primary), None)
    srm = primary.srm if primary is not None else None
    return AnalysisPublic.model_validate(
        {
            "experiment_id": experiment.id,
            "result_set_id": result_set.id if result_set else None,
            "recorded_at": result_set.recorded_at if result_set else None,
            "metrics": [
                {
                    "metric_id": analysis.metric_id,
                    "primary": analysis.is_primary,
                    "comparisons": {
                        variant["name"]: _comparison(variant)
                        for variant in analysis.comparisons.get("variants", [])
                    },
                    "warnings": [
                        {"code": w.get("code", ""), "message": caveat_message(w)}
                        for w in analysis.warnings
                    ],
                }
                for analysis in analyses
            ],
            "srm": None
            if srm is None
            else {"p_value": _number(srm.get("p_value")), "mismatch": bool(srm.get("mismatch"))},
            "preliminary": primary.preliminary if primary is not None else True,
            **analysis_look(primary, experiment),
            "version": experiment.version,
        }
    )


@operation(
    "/experiments/<int:experiment_id>/analysis",
    "GET",
    summary="What the statistics say about the latest results",
    answer=AnalysisPublic,
    tag="experiments",
)
def get_analysis(experiment_id: int) -> Response:
    session = get_session()
    return answer(analysis_public(session, live_experiment(session, experiment_id)))
