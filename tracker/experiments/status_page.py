"""The status page: design, progress, results history chart, analysis and decision."""

from __future__ import annotations

from typing import Any

from flask import render_template, request
from flask.typing import ResponseReturnValue
from sqlmodel import Session, col, select

from tracker.charts.lift import lift_chart_for_reader
from tracker.database import get_session
from tracker.experiments import queries, service
from tracker.experiments.blueprint import _experiment_or_404, bp
from tracker.experiments.caveats import shown_caveats
from tracker.experiments.forms import (
    ConfirmForm,
    DecisionForm,
    ResultsUploadForm,
    results_form_class,
)
from tracker.experiments.summaries import no_comparison, variant_summary
from tracker.experiments.verdicts import format_chance, primary_verdict
from tracker.figures import FIGURES, KIND_FIELDS
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
        for stat in FIGURES:
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
    upload_problems: list[str] | None = None,
    status: int = 200,
) -> ResponseReturnValue:
    """Everything the status page shows, in a fixed number of queries."""
    from experiments.planning import progress, weeks_to_reach

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
    history_svg, result_set_count = _history_chart(session, experiment, primary)
    warnings: dict[str, dict[str, str]] = {}
    for analysis in analyses:
        for warning in analysis.warnings:
            warnings.setdefault(warning["message"], warning)
    preliminary = service.is_preliminary(experiment)
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
            warnings=shown_caveats(warnings.values()),
            history_svg=history_svg,
            lift_svg=lift_chart_for_reader(analyses),
            result_set_count=result_set_count,
            progress=progress(experiment.observed_total, experiment.planned_total),
            remaining_weeks=remaining_weeks,
            preliminary=preliminary,
            verdict=primary_verdict(analyses, experiment),
            chance=format_chance,
            results_form=results_form,
            upload_form=upload_form or ResultsUploadForm(formdata=None),
            upload_error=upload_error,
            upload_problems=upload_problems or [],
            decision_form=decision_form,
            confirm=ConfirmForm(formdata=None),
            changes=queries.change_log(session, experiment_id),
            learnings=queries.learnings_of(session, experiment_id),
            missing=service.missing_to_start(experiment, arms, primary),
            kind_fields=KIND_FIELDS,
            variant_summary=variant_summary,
            no_comparison=no_comparison,
        ),
        status,
    )


def _history_chart(
    session: Session, experiment: Experiment, primary: Metric | None
) -> tuple[str, int]:
    """The lift at each result set as an SVG (drawn once per latest result set and
    cached) and the number of result sets."""
    from tracker.charts import snapshots as snapshot_chart
    from tracker.charts.base import for_each_screen

    if not experiment.latest_result_set_id or primary is None:
        return "", 0
    key = (experiment.id or 0, experiment.latest_result_set_id)
    history = queries.primary_history(session, experiment.id or 0)
    cached = snapshot_chart.cached(*key)
    if cached is not None:
        return cached, len(history)
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
    if len({p.recorded_at for p in points}) < 2:
        return "", len(history)
    chart = for_each_screen(
        snapshot_chart.snapshots_chart(primary.name, points),
        snapshot_chart.snapshots_chart(primary.name, points, phone=True),
    )
    return snapshot_chart.remember(*key, chart), len(history)


@bp.route("/<int:experiment_id>")
def detail(experiment_id: int) -> ResponseReturnValue:
    session = get_session()
    return _status_page(session, _experiment_or_404(session, experiment_id))
