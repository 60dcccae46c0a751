"""What happens to an experiment: its design saved, started, stopped, results entered
and analysed, decided, deleted. Each function adds to the caller's session and writes
the change log; the view commits.

Every rule about an experiment lives here and refuses with ``tracker.rules.RuleError``:
which status may take results, start, stop or be decided, the reason an early
decision needs, the version the person read, and the team's date on which it
starts and stops. The pages, the API, the meeting page, CSV import and the command
line call these functions and never check again.

``start``, ``stop`` and ``decide`` are where an experiment starts and is decided:
anything that must follow those moves (a webhook, say) belongs at their end."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import delete, func
from sqlmodel import Session, col, select

from tracker import notifications
from tracker.changelog import record_event, record_update, snapshot
from tracker.models import (
    Analysis,
    Arm,
    DecisionAction,
    Experiment,
    ExperimentStatus,
    Guardrail,
    Hypothesis,
    HypothesisStatus,
    Metric,
    MetricKind,
    Outcome,
    Reading,
    ResultSet,
    ResultSnapshot,
)
from tracker.models.types import utcnow
from tracker.rules import expect_version, invalid, not_found, wrong_state

BASELINE_READINGS = 4
TAKES_RESULTS = (ExperimentStatus.running, ExperimentStatus.stopped)
MAY_START = (ExperimentStatus.draft, ExperimentStatus.stopped)
DESIGN_FIELDS = (
    "title",
    "owner_id",
    "primary_metric_id",
    "baseline",
    "baseline_sd",
    "mde",
    "mde_relative",
    "alpha",
    "power",
    "alternative",
    "planned_control",
    "planned_variant",
    "planned_total",
    "weekly_volume",
)
# Changing these once the experiment runs needs a reason.
LOCKED_FIELDS = frozenset(
    {
        "primary_metric_id",
        "baseline",
        "baseline_sd",
        "mde",
        "mde_relative",
        "alpha",
        "power",
        "alternative",
        "planned_control",
        "planned_variant",
        "planned_total",
        "arms",
    }
)
HYPOTHESIS_AFTER = {
    Outcome.won: HypothesisStatus.validated,
    Outcome.lost: HypothesisStatus.invalidated,
    Outcome.inconclusive: HypothesisStatus.inconclusive,
}


@dataclass
class Design:
    """A checked design, as the form gives it."""

    title: str
    owner_id: int | None
    primary_metric_id: int
    guardrail_ids: list[int]
    arms: list[dict[str, Any]]
    baseline: float | None
    baseline_sd: float | None
    mde: float
    mde_relative: bool
    alpha: float
    power: float
    alternative: str


# --- reading the metric's recent level ----------------------------------------------


def metric_baseline(session: Session, metric: Metric) -> Any:
    """The metric's baseline pooled from its last four readings, or ``None``."""
    from experiments.planning import baseline_from
    from tracker.experiments.analysis import to_stats

    readings = session.exec(
        select(Reading)
        .where(Reading.metric_id == metric.id)
        .order_by(col(Reading.period_start).desc())
        .limit(BASELINE_READINGS)
    ).all()
    kind = MetricKind(metric.kind).value
    arms = []
    for reading in readings:
        try:
            arms.append(to_stats(kind, reading))
        except (TypeError, ValueError):
            continue  # a reading without this kind's figures does not count
    return baseline_from(arms)


def plan_for(kind: str, design: Design) -> Any:
    """The planned sample size (experiments.planning.Plan); ValueError says why not."""
    from experiments.planning import plan_sample_size

    if design.baseline is None:
        raise ValueError("Enter the baseline: the metric has no readings to take it from.")
    if kind == "mean" and design.baseline_sd is None:
        raise ValueError("Enter the standard deviation of the metric.")
    return plan_sample_size(
        kind,
        baseline=design.baseline,
        sd=design.baseline_sd,
        mde=design.mde,
        shares=[float(arm["share"]) for arm in design.arms],
        relative=design.mde_relative,
        alpha=design.alpha,
        power=design.power,
        alternative=design.alternative,
    )


# --- the design ---------------------------------------------------------------------


def arms_of(session: Session, experiment_id: int) -> list[Arm]:
    return list(
        session.exec(
            select(Arm).where(Arm.experiment_id == experiment_id).order_by(col(Arm.position))
        ).all()
    )


def guardrail_ids_of(session: Session, experiment_id: int) -> list[int]:
    return list(
        session.exec(
            select(Guardrail.metric_id).where(Guardrail.experiment_id == experiment_id)
        ).all()
    )


def _arms_text(arms: Sequence[Mapping[str, Any]]) -> str:
    return ", ".join(f"{arm['name']} {float(arm['share']):g}" for arm in arms)


def locked_changes(
    experiment: Experiment, design: Design, plan: Any, old_arms: list[Arm]
) -> set[str]:
    """The locked fields the design would change."""
    changed = set()
    proposed = {
        "primary_metric_id": design.primary_metric_id,
        "baseline": design.baseline,
        "baseline_sd": design.baseline_sd,
        "mde": design.mde,
        "mde_relative": design.mde_relative,
        "alpha": design.alpha,
        "power": design.power,
        "alternative": design.alternative,
        "planned_control": plan.control,
        "planned_variant": plan.variant,
        "planned_total": plan.total,
    }
    for name, value in proposed.items():
        current = getattr(experiment, name)
        current = getattr(current, "value", current)
        if current != value:
            changed.add(name)
    before = [{"name": arm.name, "share": arm.share} for arm in old_arms]
    if _arms_text(before) != _arms_text(design.arms):
        changed.add("arms")
    return changed


def check_design_change(
    session: Session, experiment: Experiment, design: Design, plan: Any, *, reason: str
) -> None:
    """A design may change until the decision; an arm with results stays, and a
    running or stopped experiment's locked fields change only with a reason."""
    if experiment.status == ExperimentStatus.decided:
        raise wrong_state("The experiment is decided; its design can no longer change.", "status")
    old_arms = arms_of(session, experiment.id or 0)
    dropped = arms_removed_with_results(session, old_arms, len(design.arms))
    if dropped:
        raise invalid(
            {
                "arms": f"{', '.join(dropped)} already has results, so it cannot be removed;"
                " stop the experiment and start a new one instead."
            }
        )
    if experiment.status != ExperimentStatus.draft and not reason.strip():
        changed = locked_changes(experiment, design, plan, old_arms)
        if changed:
            names = ", ".join(sorted(name.replace("_", " ") for name in changed))
            raise invalid(
                {
                    "reason": f"The experiment is {ExperimentStatus(experiment.status).value}, so"
                    f" its design is locked: say why you change it ({names})."
                }
            )


def save_design(
    session: Session,
    experiment: Experiment,
    design: Design,
    *,
    plan: Any,
    weekly_volume: float | None,
    user_id: int | None,
    reason: str = "",
    version: int | str | None = None,
) -> None:
    """Create or change the experiment's design, logging each changed field."""
    from tracker.models import Alternative

    creating = experiment.id is None
    if not creating:
        expect_version("experiment", experiment, version)
        check_design_change(session, experiment, design, plan, reason=reason)
    before = snapshot(experiment, DESIGN_FIELDS)
    old_arms = [] if creating else arms_of(session, experiment.id or 0)
    old_guardrails = [] if creating else guardrail_ids_of(session, experiment.id or 0)
    experiment.title = design.title
    experiment.owner_id = design.owner_id
    experiment.primary_metric_id = design.primary_metric_id
    experiment.baseline = design.baseline
    experiment.baseline_sd = design.baseline_sd
    experiment.mde = design.mde
    experiment.mde_relative = design.mde_relative
    experiment.alpha = design.alpha
    experiment.power = design.power
    experiment.alternative = Alternative(design.alternative)
    experiment.planned_control = plan.control
    experiment.planned_variant = plan.variant
    experiment.planned_total = plan.total
    experiment.weekly_volume = weekly_volume
    experiment.updated_at = utcnow()
    if creating:
        session.add(experiment)
        session.flush()
        record_event(session, experiment, "create", user_id=user_id)
    else:
        experiment.version += 1
        record_update(session, experiment, before, user_id=user_id, reason=reason)
    _save_arms(session, experiment, old_arms, design.arms, user_id=user_id, reason=reason)
    _save_guardrails(session, experiment, old_guardrails, design.guardrail_ids, user_id=user_id)


def _save_arms(
    session: Session,
    experiment: Experiment,
    old: list[Arm],
    new: list[dict[str, Any]],
    *,
    user_id: int | None,
    reason: str,
) -> None:
    old_text = _arms_text([{"name": arm.name, "share": arm.share} for arm in old])
    new_text = _arms_text(new)
    if old_text == new_text:
        return
    # Rename through temporary names first so that swapping two names cannot
    # trip the unique (experiment, name) constraint.
    for arm in old[: len(new)]:
        arm.name = f"\x00{arm.id}"
    session.flush()
    for position, row in enumerate(new):
        if position < len(old):
            arm = old[position]
        else:
            arm = Arm(experiment_id=experiment.id or 0, name="", share=0.0)
            session.add(arm)
        arm.name = str(row["name"])
        arm.share = float(row["share"])
        arm.is_control = position == 0
        arm.position = position
    for arm in old[len(new) :]:
        session.delete(arm)
    if old:
        record_event(
            session,
            experiment,
            "update",
            user_id=user_id,
            reason=reason,
            field="arms",
            old_value=old_text,
            new_value=new_text,
        )


def _save_guardrails(
    session: Session,
    experiment: Experiment,
    old: list[int],
    new: list[int],
    *,
    user_id: int | None,
) -> None:
    wanted = [
        metric_id for metric_id in dict.fromkeys(new) if metric_id != experiment.primary_metric_id
    ]
    if sorted(old) == sorted(wanted):
        return
    session.exec(delete(Guardrail).where(col(Guardrail.experiment_id) == experiment.id))  # type: ignore[call-overload]
    session.add_all(Guardrail(experiment_id=experiment.id or 0, metric_id=m) for m in wanted)
    if old or wanted:
        rows = session.exec(select(Metric.id, Metric.name).where(col(Metric.id).in_(old + wanted)))
        names = {metric_id: name for metric_id, name in rows.all()}
        record_event(
            session,
            experiment,
            "update",
            user_id=user_id,
            field="guardrails",
            old_value=", ".join(sorted(names.get(m, str(m)) for m in old)) or None,
            new_value=", ".join(sorted(names.get(m, str(m)) for m in wanted)) or None,
        )


def arms_removed_with_results(session: Session, old: list[Arm], new_count: int) -> list[str]:
    """Names of arms a design would drop although they have results."""
    dropped = {arm.id: arm.name for arm in old[new_count:]}
    if not dropped:
        return []
    used = session.exec(
        select(ResultSnapshot.arm_id).where(col(ResultSnapshot.arm_id).in_(dropped)).distinct()
    ).all()
    return [dropped[arm_id] for arm_id in used]


# --- looking up and guarding ---------------------------------------------------------


def live_experiment(
    session: Session, experiment_id: int | None, field: str | None = None
) -> Experiment:
    """The experiment that is not deleted, or RuleError ``not_found``."""
    experiment = session.get(Experiment, experiment_id) if experiment_id else None
    if experiment is None or experiment.deleted_at is not None:
        raise not_found("experiment", field)
    return experiment


def is_preliminary(experiment: Experiment) -> bool:
    """Before the planned sample size (or without one) a decision is early."""
    from experiments.planning import preliminary_warning

    return preliminary_warning(experiment.observed_total, experiment.planned_total) is not None


def check_takes_results(experiment: Experiment) -> None:
    """Results are entered while the experiment runs, or after it stopped."""
    if experiment.status not in TAKES_RESULTS:
        status = ExperimentStatus(experiment.status).value
        raise wrong_state(
            f"The experiment is {status}: only a running or stopped experiment takes results"
            + (", so start it first." if status == "draft" else "."),
            "results",
        )


def check_decidable(experiment: Experiment, *, early_reason: str) -> None:
    if experiment.status not in TAKES_RESULTS:
        status = ExperimentStatus(experiment.status).value
        raise wrong_state(
            f"The experiment is {status}: only a running or stopped experiment can be decided.",
            "outcome",
        )
    if is_preliminary(experiment) and not early_reason.strip():
        raise invalid(
            {
                "early_decision_reason": "The planned sample size is not reached yet: "
                "say why you decide early."
            }
        )


def _today(session: Session, today: date | None) -> date:
    """The team's date (its time zone), whichever door the move came through."""
    from tracker.cycles.service import team_today

    return today or team_today(session)


def _hypothesis_of(session: Session, experiment: Experiment) -> Hypothesis | None:
    if not experiment.hypothesis_id:
        return None
    return session.get(Hypothesis, experiment.hypothesis_id)


def start(
    session: Session,
    experiment: Experiment,
    *,
    user_id: int | None,
    version: int | str | None = None,
    today: date | None = None,
) -> None:
    """Start a draft or stopped experiment on the team's date."""
    expect_version("experiment", experiment, version)
    if experiment.status not in MAY_START:
        raise wrong_state(
            f"The experiment is {ExperimentStatus(experiment.status).value}; only a draft or"
            " a stopped experiment can start.",
            "status",
        )
    arms = arms_of(session, experiment.id or 0)
    missing = missing_to_start(experiment, arms, session.get(Metric, experiment.primary_metric_id))
    if missing:
        raise invalid(
            {"status": "The experiment cannot start yet: it needs " + "; ".join(missing) + "."}
        )
    change_status(
        session,
        experiment,
        ExperimentStatus.running,
        user_id=user_id,
        today=_today(session, today),
        hypothesis=_hypothesis_of(session, experiment),
    )


def stop(
    session: Session,
    experiment: Experiment,
    *,
    user_id: int | None,
    version: int | str | None = None,
    today: date | None = None,
) -> None:
    """Stop a running experiment on the team's date."""
    expect_version("experiment", experiment, version)
    if experiment.status != ExperimentStatus.running:
        raise wrong_state("Only a running experiment can be stopped.", "status")
    change_status(
        session, experiment, ExperimentStatus.stopped, user_id=user_id, today=_today(session, today)
    )


def record_decision(
    session: Session,
    experiment: Experiment,
    *,
    outcome: Outcome | str,
    action: DecisionAction | str,
    rationale: str,
    early_reason: str,
    user_id: int | None,
    version: int | str | None = None,
    today: date | None = None,
) -> None:
    """Decide a running or stopped experiment; an early decision needs its reason."""
    expect_version("experiment", experiment, version)
    check_decidable(experiment, early_reason=early_reason)
    decide(
        session,
        experiment,
        outcome=Outcome(outcome),
        action=DecisionAction(action),
        rationale=rationale.strip(),
        early_reason=early_reason.strip() if is_preliminary(experiment) else "",
        user_id=user_id,
        today=_today(session, today),
        hypothesis=_hypothesis_of(session, experiment),
    )


# --- status -------------------------------------------------------------------------


def missing_to_start(
    experiment: Experiment, arms: Sequence[Arm], metric: Metric | None
) -> list[str]:
    """What the experiment lacks before it may start, in words."""
    from experiments.planning import shares_problem

    missing = []
    if metric is None or metric.deleted_at is not None:
        missing.append("a primary metric")
    if len(arms) < 2:
        missing.append("at least two arms (a control and a variant)")
    elif shares_problem([arm.share for arm in arms]):
        missing.append("traffic shares that add up to 1")
    if not experiment.planned_total:
        missing.append("a planned sample size (set the baseline and the MDE in the design)")
    return missing


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
        notifications.experiment_started(session, experiment)
    elif status == ExperimentStatus.stopped:
        experiment.stopped_on = today
    experiment.version += 1
    experiment.updated_at = utcnow()
    record_update(session, experiment, before, user_id=user_id)


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
    experiment.version += 1
    experiment.updated_at = utcnow()
    record_update(session, experiment, before, user_id=user_id, reason=early_reason)
    _set_hypothesis_status(session, hypothesis, HYPOTHESIS_AFTER[outcome], user_id)
    notifications.experiment_decided(session, experiment)


def soft_delete(session: Session, experiment: Experiment, *, user_id: int | None) -> None:
    experiment.deleted_at = utcnow()
    experiment.version += 1
    record_event(session, experiment, "delete", user_id=user_id)


# --- results ------------------------------------------------------------------------


def experiment_metrics(session: Session, experiment: Experiment) -> list[Metric]:
    """The primary metric, then the guardrails, in one query."""
    guarded = select(Guardrail.metric_id).where(Guardrail.experiment_id == experiment.id)
    metrics = session.exec(
        select(Metric).where(
            (col(Metric.id) == experiment.primary_metric_id) | col(Metric.id).in_(guarded)
        )
    ).all()
    return sorted(metrics, key=lambda m: (m.id != experiment.primary_metric_id, m.name.lower()))


def save_results(
    session: Session,
    experiment: Experiment,
    figures: Mapping[tuple[int, int], Mapping[str, float | int]],
    *,
    arms: Sequence[Arm],
    metrics: Sequence[Metric],
    user_id: int | None,
    note: str = "",
    recorded_at: Any = None,
    draw_chart: bool = True,
) -> tuple[ResultSet, list[Analysis]]:
    """Keep one result set (a snapshot per arm and metric) and its analyses."""
    from tracker.experiments.analysis import analyse_result_set

    check_takes_results(experiment)

    result_set = ResultSet(experiment_id=experiment.id or 0, entered_by_id=user_id, note=note)
    if recorded_at is not None:
        result_set.recorded_at = recorded_at
    session.add(result_set)
    session.flush()
    snapshots = [
        ResultSnapshot(
            result_set_id=result_set.id or 0,
            experiment_id=experiment.id or 0,
            arm_id=arm_id,
            metric_id=metric_id,
            **dict(values),
        )
        for (arm_id, metric_id), values in figures.items()
    ]
    session.add_all(snapshots)
    analyses = analyse_result_set(
        session,
        experiment=experiment,
        result_set=result_set,
        arms=arms,
        metrics=[m for m in metrics if any(key[1] == m.id for key in figures)],
        snapshots=snapshots,
        draw_chart=draw_chart,
    )
    experiment.version += 1
    experiment.updated_at = utcnow()
    planned = f" of {experiment.planned_total:,}" if experiment.planned_total else ""
    record_event(
        session,
        experiment,
        "update",
        user_id=user_id,
        field="results",
        new_value=f"{experiment.observed_total:,.0f}{planned} observed",
        reason=note,
    )
    notifications.results_saved(session, experiment, analyses)
    return result_set, analyses


def count_by_status(session: Session) -> dict[str, int]:
    rows = session.exec(
        select(Experiment.status, func.count())
        .where(col(Experiment.deleted_at).is_(None))
        .group_by(Experiment.status)
    ).all()
    return {str(getattr(status, "value", status)): count for status, count in rows}
