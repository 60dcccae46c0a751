"""The decision on the status page: outcome, action and rationale."""

from __future__ import annotations

from flask import flash, redirect, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from sqlalchemy.orm.exc import StaleDataError

from tracker.access import role_required
from tracker.cycles.words import decision_label, outcome_label
from tracker.database import get_session
from tracker.experiments import service
from tracker.experiments.blueprint import _experiment_or_404, bp
from tracker.experiments.forms import DecisionForm
from tracker.experiments.status_page import _status_page
from tracker.models import Role
from tracker.rules import RuleError, put_on_form, stale_from
from tracker.translation import _


@bp.route("/<int:experiment_id>/decision", methods=["POST"])
@role_required(Role.editor)
def decision(experiment_id: int) -> ResponseReturnValue:
    session = get_session()
    experiment = _experiment_or_404(session, experiment_id)
    form = DecisionForm(preliminary=service.is_preliminary(experiment))
    if not form.validate_on_submit():
        return _status_page(session, experiment, decision_form=form, status=422)
    try:
        service.record_decision(
            session,
            experiment,
            outcome=form.outcome.data,
            action=form.action.data,
            rationale=form.rationale.data or "",
            early_reason=form.early_decision_reason.data or "",
            user_id=current_user.id,
            version=request.form.get("version"),
        )
        session.commit()
    except (RuleError, StaleDataError) as exc:
        session.rollback()
        error = exc if isinstance(exc, RuleError) else stale_from(exc, "experiment")
        session.refresh(experiment)
        if error.code == "invalid":
            put_on_form(form, error)
        else:  # the state or the version: the page may not show the form any more
            flash(error.message, "error")
        return _status_page(session, experiment, decision_form=form, status=error.status)
    flash(
        _(
            "Decided: %(outcome)s, %(action)s.",
            outcome=outcome_label(experiment.outcome),
            action=decision_label(experiment.action),
        ),
        "success",
    )
    return redirect(url_for("experiments.detail", experiment_id=experiment_id))
