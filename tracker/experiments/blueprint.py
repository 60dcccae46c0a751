"""The experiments blueprint and the small helpers its route modules share."""

from __future__ import annotations

from flask import Blueprint, abort, request
from sqlmodel import Session

from tracker.models import Experiment

bp = Blueprint("experiments", __name__, url_prefix="/experiments")

UNITS = {"proportion": "trials", "mean": "units", "rate": "units of exposure"}


def _sentence(message: str) -> str:
    """The engine's message as a sentence for the page ('mde must...' -> 'The MDE must...')."""
    if message.startswith("mde"):
        message = "The MDE" + message[3:]
    message = message[:1].upper() + message[1:]
    return message if message.endswith(".") else message + "."


def _int_arg(name: str) -> int | None:
    value = request.args.get(name, "")
    return int(value) if value.isdigit() else None


def _experiment_or_404(session: Session, experiment_id: int) -> Experiment:
    experiment = session.get(Experiment, experiment_id)
    if experiment is None or experiment.deleted_at is not None:
        abort(404)
    return experiment
