"""The decision on the status page: outcome, action and rationale."""

from __future__ import annotations

from datetime import date

from flask import flash, redirect, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from tracker.access import role_required
from tracker.database import get_session
from tracker.experiments import service
from tracker.experiments.blueprint import _experiment_or_404, bp
from tracker.experiments.forms import DecisionForm
from tracker.experiments.status_page import _status_page
from tracker.models import DecisionAction, ExperimentStatus, Hypothesis, Outcome, Role


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
