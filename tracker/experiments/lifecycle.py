"""Status changes: start, stop and delete an experiment."""

from __future__ import annotations

from datetime import date

from flask import abort, flash, redirect, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from tracker.access import role_required
from tracker.database import get_session
from tracker.experiments import service
from tracker.experiments.blueprint import _experiment_or_404, bp
from tracker.experiments.forms import ConfirmForm
from tracker.models import ExperimentStatus, Hypothesis, Metric, Role

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
