"""The experiments blueprint and the small helpers its route modules share."""

from __future__ import annotations

from flask import Blueprint, abort
from sqlmodel import Session

from tracker.models import Experiment
from tracker.models.live import is_live
from tracker.parsing import arg_id

bp = Blueprint("experiments", __name__, url_prefix="/experiments")

UNITS = {"proportion": "trials", "mean": "units", "rate": "units of exposure"}


def _sentence(message: str) -> str:
    """The engine's message as a sentence for the page ('mde must...' -> 'The MDE must...')."""
    if message.startswith("mde"):
        message = "The MDE" + message[3:]
    message = message[:1].upper() + message[1:]
    return message if message.endswith(".") else message + "."


def _int_arg(name: str) -> int | None:
    return arg_id(name)


def _experiment_or_404(session: Session, experiment_id: int) -> Experiment:
    experiment = session.get(Experiment, experiment_id)
    if not is_live(experiment):
        abort(404)
    return experiment
