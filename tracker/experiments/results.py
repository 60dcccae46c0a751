"""Results entry on the status page: the figures form and the CSV upload."""

from __future__ import annotations

from flask import flash, redirect, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from tracker.access import role_required
from tracker.database import get_session
from tracker.experiments import service
from tracker.experiments.blueprint import _experiment_or_404, bp
from tracker.experiments.cumulative import latest_figures, shrinking
from tracker.experiments.forms import ResultsUploadForm
from tracker.experiments.status_page import _results_form, _status_page
from tracker.models import Experiment, Role
from tracker.rules import RuleError
from tracker.translation import _


def _refused(experiment: Experiment) -> ResponseReturnValue | None:
    """The service's answer when the experiment takes no results now, flashed."""
    try:
        service.check_takes_results(experiment)
    except RuleError as error:
        flash(error.first_message(), "error")
        return redirect(url_for("experiments.detail", experiment_id=experiment.id))
    return None


@bp.route("/<int:experiment_id>/results", methods=["POST"])
@role_required(Role.editor)
def results(experiment_id: int) -> ResponseReturnValue:
    session = get_session()
    experiment = _experiment_or_404(session, experiment_id)
    if (refused := _refused(experiment)) is not None:
        return refused
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
    flash(_("The results are saved and analysed."), "success")
    return redirect(url_for("experiments.detail", experiment_id=experiment_id) + "#analysis")


@bp.route("/<int:experiment_id>/results.csv", methods=["POST"])
@role_required(Role.editor)
def upload(experiment_id: int) -> ResponseReturnValue:
    from tracker.csvio.reader import ImportRefused
    from tracker.csvio.results import import_results

    session = get_session()
    experiment = _experiment_or_404(session, experiment_id)
    if (refused := _refused(experiment)) is not None:
        return refused
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
            upload_error=_("Choose a CSV file to import."),
        )
    try:
        import_results(
            session,
            upload_file.stream,
            user_id=current_user.id,
            source=upload_file.filename,
            experiment_id=experiment_id,
        )
    except ImportRefused as exc:
        session.rollback()
        more = [_("… and %(more)s more.", more=exc.more)] if exc.more else []
        return _status_page(
            session,
            experiment,
            upload_form=form,
            status=422,
            upload_error=exc.summary(),
            upload_problems=[*exc.messages, *more],
        )
    session.commit()
    flash(_("The file is imported and analysed."), "success")
    return redirect(url_for("experiments.detail", experiment_id=experiment_id) + "#analysis")
