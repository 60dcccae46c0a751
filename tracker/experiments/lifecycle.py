"""Status changes: start, stop and delete an experiment."""

from __future__ import annotations

from collections.abc import Callable

from flask import abort, flash, redirect, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from sqlalchemy.orm.exc import StaleDataError

from tracker.access import role_required
from tracker.database import get_session
from tracker.experiments import service
from tracker.experiments.blueprint import _experiment_or_404, bp
from tracker.experiments.forms import ConfirmForm
from tracker.models import Role
from tracker.rules import RuleError, stale_from
from tracker.translation import _

# --- status changes ----------------------------------------------------------------------


@bp.route("/<int:experiment_id>/start", methods=["POST"])
@role_required(Role.editor)
def start(experiment_id: int) -> ResponseReturnValue:
    return _move(
        experiment_id,
        service.start,
        _("The experiment is running. Enter results as they come in."),
    )


@bp.route("/<int:experiment_id>/stop", methods=["POST"])
@role_required(Role.editor)
def stop(experiment_id: int) -> ResponseReturnValue:
    return _move(
        experiment_id,
        service.stop,
        _("The experiment is stopped. Record the decision when the team has discussed it."),
    )


def _move(experiment_id: int, move: Callable[..., None], done: str) -> ResponseReturnValue:
    """Start or stop through the service; its refusal is flashed on the status page."""
    session = get_session()
    experiment = _experiment_or_404(session, experiment_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        move(session, experiment, user_id=current_user.id, version=request.form.get("version"))
        session.commit()
    except RuleError as error:
        session.rollback()
        flash(error.first_message(), "error")
    except StaleDataError as exc:
        session.rollback()
        flash(stale_from(exc, "experiment").message, "error")
    else:
        flash(done, "success")
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
        _(
            "“%(title)s” is deleted. An admin can restore it from the change log.",
            title=experiment.title,
        ),
        "success",
    )
    return redirect(url_for("experiments.board"))
