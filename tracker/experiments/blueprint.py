"""The experiments blueprint and the small helpers its route modules share."""

from __future__ import annotations

from flask import Blueprint
from flask_babel import lazy_gettext as _l
from sqlmodel import Session

from tracker.models import Experiment
from tracker.parsing import arg_id

bp = Blueprint("experiments", __name__, url_prefix="/experiments")

UNITS = {"proportion": _l("trials"), "mean": _l("units"), "rate": _l("units of exposure")}


def _sentence(message: str | BaseException) -> str:
    """The engine's message as a sentence for the page ('mde must...' -> 'The MDE must...')."""
    from tracker.experiments.service import plan_message

    return plan_message(message)


def _int_arg(name: str) -> int | None:
    return arg_id(name)


def _experiment_or_404(session: Session, experiment_id: int) -> Experiment:
    """The live experiment; the service's not-found answers 404 with its message."""
    from tracker.experiments.service import live_experiment

    return live_experiment(session, experiment_id)
