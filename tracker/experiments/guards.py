"""What an experiment's status allows: which experiment may take results, start or be
decided, when a decision is early, and what it lacks before it may start. The moves
(``tracker.experiments.service``) and results entry call these; no door checks again."""

from __future__ import annotations

from collections.abc import Sequence

from sqlmodel import Session

from tracker.models import Arm, Experiment, ExperimentStatus, Metric
from tracker.models.live import is_live
from tracker.rules import invalid, live_one, wrong_state
from tracker.translation import N_, _, translate

TAKES_RESULTS = (ExperimentStatus.running, ExperimentStatus.stopped)
MAY_START = (ExperimentStatus.draft, ExperimentStatus.stopped)
# The statuses as a sentence names them, for the catalogue.
STATUSES = {
    "draft": N_("draft"),
    "running": N_("running"),
    "stopped": N_("stopped"),
    "decided": N_("decided"),
}


def live_experiment(
    session: Session, experiment_id: int | None, field: str | None = None
) -> Experiment:
    """The experiment that is not deleted, or RuleError ``not_found``."""
    return live_one(session, Experiment, experiment_id, "experiment", field)


def is_preliminary(experiment: Experiment) -> bool:
    """Before the planned sample size (or without one) a decision is early, unless
    the latest look crossed its boundary."""
    from tracker.experiments.verdicts import decided_early

    return decided_early(experiment)


def status_word(experiment: Experiment) -> str:
    """The experiment's status as a sentence says it."""
    return translate(STATUSES[ExperimentStatus(experiment.status).value])


def check_takes_results(experiment: Experiment) -> None:
    """Results are entered while the experiment runs, or after it stopped."""
    if experiment.status not in TAKES_RESULTS:
        names = {"status": status_word(experiment)}
        raise wrong_state(
            _(
                "The experiment is %(status)s: only a running or stopped experiment takes"
                " results, so start it first.",
                **names,
            )
            if experiment.status == ExperimentStatus.draft
            else _(
                "The experiment is %(status)s: only a running or stopped experiment takes results.",
                **names,
            ),
            "results",
        )


def check_decidable(experiment: Experiment, *, early_reason: str) -> None:
    if experiment.status not in TAKES_RESULTS:
        raise wrong_state(
            _(
                "The experiment is %(status)s: only a running or stopped experiment can be"
                " decided.",
                status=status_word(experiment),
            ),
            "outcome",
        )
    if is_preliminary(experiment) and not early_reason.strip():
        raise invalid(
            {
                "early_decision_reason": _(
                    "The planned sample size is not reached yet: say why you decide early."
                )
            }
        )


def missing_to_start(
    experiment: Experiment, arms: Sequence[Arm], metric: Metric | None
) -> list[str]:
    """What the experiment lacks before it may start, in words."""
    from experiments.planning import shares_problem

    missing = []
    if not is_live(metric):
        missing.append(_("a primary metric"))
    if len(arms) < 2:
        missing.append(_("at least two arms (a control and a variant)"))
    elif shares_problem([arm.share for arm in arms]):
        missing.append(_("traffic shares that add up to 1"))
    if not experiment.planned_total:
        missing.append(_("a planned sample size (set the baseline and the MDE in the design)"))
    return missing
