"""Saving an experiment's design: the checks a change of design must pass (an arm with
results stays; a running experiment's locked fields change only with a reason) and
the save itself, which logs each changed field, its arms and its guardrails."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import delete
from sqlmodel import Session, col, select

from tracker.changelog import record_created, record_event, record_update, snapshot
from tracker.experiments.guards import status_word
from tracker.experiments.planner import Design
from tracker.models import Arm, Experiment, ExperimentStatus, Guardrail, Metric, ResultSnapshot
from tracker.models.types import utcnow
from tracker.rules import expect_version, invalid, wrong_state
from tracker.translation import _, listed, ngettext

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
    "design_kind",
    "design_spending",
    "design_looks",
)
# Changing these once the experiment runs needs a reason.
LOCKED_FIELDS = (frozenset(DESIGN_FIELDS) - {"title", "owner_id", "weekly_volume"}) | {"arms"}


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
        "design_kind": design.design_kind,
        "design_spending": design.spending,
        "design_looks": design.planned_looks,
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
        raise wrong_state(
            _("The experiment is decided; its design can no longer change."), "status"
        )
    old_arms = arms_of(session, experiment.id or 0)
    dropped = arms_removed_with_results(session, old_arms, len(design.arms))
    if dropped:
        raise invalid(
            {
                "arms": ngettext(
                    "%(arms)s already has results, so it cannot be removed; stop the"
                    " experiment and start a new one instead.",
                    "%(arms)s already have results, so they cannot be removed; stop the"
                    " experiment and start a new one instead.",
                    len(dropped),
                    arms=", ".join(dropped),
                )
            }
        )
    if experiment.status != ExperimentStatus.draft and not reason.strip():
        changed = locked_changes(experiment, design, plan, old_arms)
        if changed:
            names = _locked_names(changed)
            raise invalid(
                {
                    "reason": _(
                        "The experiment is %(status)s, so its design is locked: say why you"
                        " change it (%(fields)s).",
                        status=status_word(experiment),
                        fields=names,
                    )
                }
            )


def _locked_names(changed: set[str]) -> str:
    """The changed locked fields as the reader calls them ("alpha, power" or
    "مستوى الدلالة، القوة"), listed in the reader's language."""
    from tracker.changes.labels import field_label

    return listed(sorted(field_label("experiment", name) for name in changed))


def arms_removed_with_results(session: Session, old: list[Arm], new_count: int) -> list[str]:
    """Names of arms a design would drop although they have results."""
    dropped = {arm.id: arm.name for arm in old[new_count:]}
    if not dropped:
        return []
    used = session.exec(
        select(ResultSnapshot.arm_id).where(col(ResultSnapshot.arm_id).in_(dropped)).distinct()
    ).all()
    return [dropped[arm_id] for arm_id in used]


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
    """Create or change the experiment's design, logging each changed field.
    ``weekly_volume`` is the metric's recent volume; once the experiment has
    started it keeps the one it started with."""
    from tracker.experiments.looks import set_design
    from tracker.models import Alternative

    creating = experiment.id is None
    if not creating:
        expect_version("experiment", experiment, version)
        check_design_change(session, experiment, design, plan, reason=reason)
        if experiment.status != ExperimentStatus.draft and experiment.weekly_volume is not None:
            weekly_volume = experiment.weekly_volume  # the duration was promised at the start
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
    experiment.fixed_total = plan.fixed_total or plan.total
    set_design(experiment, design)
    experiment.weekly_volume = weekly_volume
    experiment.updated_at = utcnow()
    if creating:
        record_created(session, experiment, user_id=user_id)
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
    # trip the unique (experiment, name) constraint. An arm's name is trimmed, so a
    # name with spaces around it is no arm's; and every database can store it
    # (PostgreSQL refuses a NUL in text).
    for arm in old[: len(new)]:
        arm.name = f" {arm.id} "
    session.flush()
    for position, row in enumerate(new):
        if position < len(old):
            arm = old[position]
        else:
            arm = Arm(experiment_id=experiment.id or 0, name="", share=0.0)
            session.add(arm)
        arm.name = str(row["name"]).strip()
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
    session.exec(delete(Guardrail).where(col(Guardrail.experiment_id) == experiment.id))
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
