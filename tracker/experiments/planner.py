"""An experiment's design read and planned: the form's values as a ``Design``, the
metric's recent level as its baseline, and the planned sample size from the core's
``experiments.planning``. Every door plans a design through ``planned_design``, which
refuses with ``tracker.rules.RuleError`` naming the field."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlmodel import Session, col, select

from tracker.models import Metric, MetricKind, Reading
from tracker.rules import invalid
from tracker.translation import N_, _, translate

BASELINE_READINGS = 4


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
    # how it will be looked at (experiments.design); code that does not say is fixed
    design_kind: str = "fixed"
    spending: str = "obrien-fleming"
    planned_looks: int = 1


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
        raise ValueError(_("Enter the baseline: the metric has no readings to take it from."))
    if kind == "mean" and design.baseline_sd is None:
        raise ValueError(_("Enter the standard deviation of the metric."))
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
        looks=design.planned_looks if design.design_kind == "group_sequential" else 1,
        spending=design.spending,
    )


# The engine's fixed refusals, as plan_message writes them, for the catalogue.
FIXED_REFUSALS = (
    N_("The MDE must not be zero: no sample can detect no effect."),
    N_("A mean metric needs its standard deviation to plan."),
    N_("Baseline must not be zero when relative=True."),
    N_("Baseline is needed when relative=True: mde is a fraction of it."),
)


def plan_message(message: str | BaseException) -> str:
    """The engine's refusal as a sentence: one of its argument checks or fixed
    refusals in the reader's language, else its own text ('mde must...' -> 'The MDE
    must...')."""
    from experiments.stats.checks import ArgumentError
    from tracker.figures import argument_message

    if isinstance(message, ArgumentError):
        return argument_message(message)
    message = str(message) or _("The design cannot be planned.")
    if message.startswith("mde"):
        message = "The MDE" + message[3:]
    message = message[:1].upper() + message[1:]
    message = message if message.endswith(".") else message + "."
    return translate(message) if message in FIXED_REFUSALS else message


def planned_design(
    session: Session, metric: Metric, design: Design
) -> tuple[Design, Any, float | None]:
    """The design with its baseline taken from the metric's readings where the
    person left it out, its plan and the metric's weekly volume; RuleError naming
    the field otherwise. Every door plans a design here."""
    from experiments.planning import shares_problem

    kind = MetricKind(metric.kind).value
    problem = shares_problem([float(arm["share"]) for arm in design.arms], gettext=translate)
    if problem:
        raise invalid({"arms": problem})
    recent = metric_baseline(session, metric)
    if design.baseline is None and recent is not None:
        design.baseline = recent.value
    if kind == "mean" and design.baseline_sd is None and recent is not None:
        design.baseline_sd = recent.sd
    if design.baseline is None:
        raise invalid(
            {
                "baseline": _(
                    "%(metric)s has no readings yet: enter its baseline (its recent level).",
                    metric=metric.name,
                )
            }
        )
    if kind == "proportion" and not 0 < design.baseline < 1:
        raise invalid({"baseline": _("A proportion's baseline is between 0 and 1, such as 0.12.")})
    if kind == "rate" and design.baseline <= 0:
        raise invalid({"baseline": _("A rate's baseline is above zero.")})
    if kind == "mean" and not design.baseline_sd:
        raise invalid({"baseline_sd": _("Enter the standard deviation of the metric.")})
    if design.mde == 0:
        raise invalid({"mde": _("The minimum detectable effect must not be zero.")})
    try:
        plan = plan_for(kind, design)
    except (ValueError, TypeError, ArithmeticError) as exc:
        raise invalid({"mde": plan_message(exc)}) from None
    return design, plan, recent.volume if recent else None
