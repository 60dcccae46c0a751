"""What happens to an experiment: its design saved, started, stopped, results entered
and analysed, decided, deleted. Each function adds to the caller's session and writes
the change log; the view commits.

Every rule about an experiment lives in this family and refuses with
``tracker.rules.RuleError``: which status may take results, start, stop or be
decided, the reason an early decision needs, the version the person read, and the
team's date on which it starts and stops. The pages, the API, the meeting page, CSV
import and the command line import them from here and never check again.

The family, by job: ``planner`` (the design read and planned), ``redesign`` (a
design checked and saved), ``guards`` (what a status allows), ``recording`` (results
kept and analysed) and this module, the moves between statuses.

``start``, ``stop`` and ``decide`` are where an experiment starts and is decided:
anything that must follow those moves (a webhook, say) belongs at their end."""

from __future__ import annotations

from datetime import date
from typing import Any, Unpack

from sqlalchemy import func
from sqlmodel import Session, select

from tracker import notifications
from tracker.changelog import record_event, record_update, snapshot
from tracker.experiments.guards import (
    MAY_START,
    TAKES_RESULTS,
    check_decidable,
    check_takes_results,
    is_preliminary,
    live_experiment,
    missing_to_start,
    status_word,
)
from tracker.experiments.planner import (
    BASELINE_READINGS,
    Design,
    metric_baseline,
    plan_for,
    plan_message,
    planned_design,
)
from tracker.experiments.recording import experiment_metrics, save_results
from tracker.experiments.redesign import (
    DESIGN_FIELDS,
    LOCKED_FIELDS,
    arms_of,
    arms_removed_with_results,
    check_design_change,
    guardrail_ids_of,
    locked_changes,
    save_design,
)
from tracker.models import (
    DecisionAction,
    Experiment,
    ExperimentStatus,
    Hypothesis,
    HypothesisStatus,
    Metric,
    Outcome,
)
from tracker.models.live import live
from tracker.models.types import utcnow
from tracker.rules import Edit, checked_edit, invalid, wrong_state
from tracker.translation import _

__all__ = [
    "BASELINE_READINGS",
    "DESIGN_FIELDS",
    "HYPOTHESIS_AFTER",
    "LOCKED_FIELDS",
    "MAY_START",
    "TAKES_RESULTS",
    "Design",
    "Move",
    "arms_of",
    "arms_removed_with_results",
    "change_status",
    "check_decidable",
    "check_design_change",
    "check_takes_results",
    "count_by_status",
    "decide",
    "experiment_metrics",
    "guardrail_ids_of",
    "is_preliminary",
    "live_experiment",
    "locked_changes",
    "metric_baseline",
    "missing_to_start",
    "plan_for",
    "plan_message",
    "planned_design",
    "record_decision",
    "save_design",
    "save_results",
    "soft_delete",
    "start",
    "stop",
]

HYPOTHESIS_AFTER = {
    Outcome.won: HypothesisStatus.validated,
    Outcome.lost: HypothesisStatus.invalidated,
    Outcome.inconclusive: HypothesisStatus.inconclusive,
}


class Move(Edit, total=False):
    """An edit (who, and the version they read) and the day the move happens on
    (the team's date unless given), the same for every move."""

    today: date | None


def _mover(session: Session, experiment: Experiment, move: Move) -> tuple[int | None, date]:
    """The move's person and the team's date (its time zone, whichever door the move
    came through), once the version they read is the experiment's."""
    from tracker.cycles.service import team_today

    user_id = checked_edit("experiment", experiment, move)
    return user_id, move.get("today") or team_today(session)


def _hypothesis_of(session: Session, experiment: Experiment) -> Hypothesis | None:
    if not experiment.hypothesis_id:
        return None
    return session.get(Hypothesis, experiment.hypothesis_id)


def start(session: Session, experiment: Experiment, **move: Unpack[Move]) -> None:
    """Start a draft or stopped experiment on the team's date."""
    user_id, today = _mover(session, experiment, move)
    if experiment.status not in MAY_START:
        raise wrong_state(
            _(
                "The experiment is %(status)s; only a draft or a stopped experiment can start.",
                status=status_word(experiment),
            ),
            "status",
        )
    arms = arms_of(session, experiment.id or 0)
    missing = missing_to_start(experiment, arms, session.get(Metric, experiment.primary_metric_id))
    if missing:
        raise invalid(
            {
                "status": _(
                    "The experiment cannot start yet: it needs %(missing)s.",
                    missing="; ".join(missing),
                )
            }
        )
    change_status(
        session,
        experiment,
        ExperimentStatus.running,
        user_id=user_id,
        today=today,
        hypothesis=_hypothesis_of(session, experiment),
    )


def stop(session: Session, experiment: Experiment, **move: Unpack[Move]) -> None:
    """Stop a running experiment on the team's date."""
    user_id, today = _mover(session, experiment, move)
    if experiment.status != ExperimentStatus.running:
        raise wrong_state(_("Only a running experiment can be stopped."), "status")
    change_status(session, experiment, ExperimentStatus.stopped, user_id=user_id, today=today)


def record_decision(
    session: Session,
    experiment: Experiment,
    *,
    outcome: Outcome | str,
    action: DecisionAction | str,
    rationale: str,
    early_reason: str,
    **move: Unpack[Move],
) -> None:
    """Decide a running or stopped experiment; an early decision needs its reason."""
    user_id, today = _mover(session, experiment, move)
    check_decidable(experiment, early_reason=early_reason)
    decide(
        session,
        experiment,
        outcome=Outcome(outcome),
        action=DecisionAction(action),
        rationale=rationale.strip(),
        early_reason=early_reason.strip() if is_preliminary(experiment) else "",
        user_id=user_id,
        today=today,
        hypothesis=_hypothesis_of(session, experiment),
    )


def _set_hypothesis_status(
    session: Session, hypothesis: Hypothesis | None, status: HypothesisStatus, user_id: int | None
) -> None:
    if hypothesis is None or hypothesis.status == status:
        return
    before = snapshot(hypothesis, ["status"])
    hypothesis.status = status
    hypothesis.version += 1
    hypothesis.updated_at = utcnow()
    record_update(session, hypothesis, before, user_id=user_id)


def change_status(
    session: Session,
    experiment: Experiment,
    status: ExperimentStatus,
    *,
    user_id: int | None,
    today: date,
    hypothesis: Hypothesis | None = None,
) -> None:
    before = snapshot(experiment, ["status", "started_on", "stopped_on"])
    experiment.status = status
    if status == ExperimentStatus.running:
        experiment.started_on = experiment.started_on or today
        experiment.stopped_on = None
        _set_hypothesis_status(session, hypothesis, HypothesisStatus.testing, user_id)
    elif status == ExperimentStatus.stopped:
        experiment.stopped_on = today
    experiment.updated_at = utcnow()  # the UPDATE carries the version check and bump
    record_update(session, experiment, before, user_id=user_id)
    if status == ExperimentStatus.running:
        # after every change: its query flushes them, in one versioned UPDATE
        notifications.experiment_started(session, experiment)


def decide(
    session: Session,
    experiment: Experiment,
    *,
    outcome: Outcome,
    action: Any,
    rationale: str,
    early_reason: str,
    user_id: int | None,
    today: date,
    hypothesis: Hypothesis | None,
) -> None:
    fields = ["status", "outcome", "action", "rationale", "early_decision_reason", "stopped_on"]
    before = snapshot(experiment, fields)
    experiment.status = ExperimentStatus.decided
    experiment.outcome = outcome
    experiment.action = action
    experiment.rationale = rationale
    experiment.early_decision_reason = early_reason
    experiment.stopped_on = experiment.stopped_on or today
    experiment.decided_at = utcnow()
    experiment.decided_by_id = user_id
    experiment.updated_at = utcnow()
    record_update(session, experiment, before, user_id=user_id, reason=early_reason)
    _set_hypothesis_status(session, hypothesis, HYPOTHESIS_AFTER[outcome], user_id)
    notifications.experiment_decided(session, experiment)


def soft_delete(session: Session, experiment: Experiment, *, user_id: int | None) -> None:
    experiment.deleted_at = utcnow()
    record_event(session, experiment, "delete", user_id=user_id)


def count_by_status(session: Session) -> dict[str, int]:
    rows = session.exec(
        select(Experiment.status, func.count()).where(live(Experiment)).group_by(Experiment.status)
    ).all()
    return {str(getattr(status, "value", status)): count for status, count in rows}
