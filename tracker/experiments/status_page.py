"""The status page: design, progress, results history chart, analysis and decision."""

from __future__ import annotations

from typing import Any

from flask import render_template, request
from flask.typing import ResponseReturnValue
from sqlmodel import Session, col, select

from tracker.database import get_session
from tracker.experiments import queries, service
from tracker.experiments.blueprint import _experiment_or_404, bp
from tracker.experiments.forms import (
    ConfirmForm,
    DecisionForm,
    ResultsUploadForm,
    results_form_class,
)
from tracker.models import Analysis, Arm, Experiment, Hypothesis, Metric, ResultSnapshot, User

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
