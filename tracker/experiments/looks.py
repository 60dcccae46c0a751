"""Each saved result set is a look: the boundary it is held to is worked out once,
from the experiment's design and its earlier looks, and stored with the analysis so
that it never changes after it was shown."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlmodel import Session, col, select

from tracker.models import Analysis, Experiment


def design_of(experiment: Experiment) -> Any:
    """The experiment's design as the core's ``experiments.design.Design``."""
    from experiments.design import Design

    kind = str(getattr(experiment.design_kind, "value", experiment.design_kind))
    spending = str(getattr(experiment.design_spending, "value", experiment.design_spending))
    looks = experiment.design_looks if kind == "group_sequential" else 1
    return Design(kind, spending, max(looks, 2) if kind == "group_sequential" else 1)  # type: ignore[arg-type]


def look_from_stored(stored: Mapping[str, Any] | None) -> Any:
    """A stored look as the core's ``Look``, or ``None`` for an analysis made before
    looks were stored."""
    from experiments.design import Look

    if not stored:
        return None
    return Look(
        number=int(stored["number"]),
        information=float(stored["information"]),
        critical_z=float(stored["critical_z"]),
        nominal_alpha=float(stored["nominal_alpha"]),
    )


def earlier_looks(session: Session, *, experiment_id: int) -> list[Any]:
    """The experiment's stored looks, oldest first (one query)."""
    stored = session.exec(
        select(Analysis.look)
        .where(Analysis.experiment_id == experiment_id, Analysis.is_primary)
        .order_by(col(Analysis.result_set_id))
    ).all()
    return [look for look in map(look_from_stored, stored) if look is not None]


def take_look(session: Session, *, experiment: Experiment, observed_total: float) -> Any:
    """The look a new result set of ``observed_total`` units makes, with its boundary.
    A result set with no new data repeats the last look and spends no more alpha."""
    from experiments.design import Look, next_look

    design = design_of(experiment)
    alternative = str(getattr(experiment.alternative, "value", experiment.alternative))
    earlier = [
        look
        for look in earlier_looks(session, experiment_id=experiment.id or 0)
        if look.information > 0
    ]
    planned = experiment.planned_total
    if not planned or observed_total <= 0:
        # Nothing to measure information against: the fixed test, and not final.
        fixed = next_look(
            type(design)("fixed"),
            earlier=(),
            information=1.0,
            units=1.0,
            planned_total=1.0,
            alpha=experiment.alpha,
            alternative=alternative,
        )
        number = (earlier[-1].number + 1) if earlier else 1
        return Look(number, 0.0, fixed.critical_z, fixed.nominal_alpha)
    return next_look(
        design,
        earlier=earlier,
        information=observed_total / planned,
        units=observed_total,
        planned_total=planned,
        alpha=experiment.alpha,
        alternative=alternative,
    )


def add_conditional_power(
    session: Session,
    stored: dict[str, Any],
    *,
    experiment: Experiment,
    look: Any,
    lower_is_better: bool,
) -> None:
    """Give each stored comparison of the primary metric its conditional power: the
    chance of ending significant at the maximum on the current trend and under the
    planned effect (pointing the good way for the metric)."""
    from experiments.design import final_boundary, planned_drift
    from experiments.stats import conditional_power

    planned = experiment.planned_total
    if not planned or look.information <= 0:
        return
    design = design_of(experiment)
    alternative = str(getattr(experiment.alternative, "value", experiment.alternative))
    final = final_boundary(
        design,
        earlier=earlier_looks(session, experiment_id=experiment.id or 0),
        look=look,
        planned_total=planned,
        alpha=experiment.alpha,
        alternative=alternative,
    )
    drift = planned_drift(
        design, alpha=experiment.alpha, power=experiment.power, alternative=alternative
    )
    if lower_is_better or (experiment.mde or 0) < 0:
        drift = -drift
    for variant in stored.get("variants", []):
        statistic = variant.get("statistic")
        if statistic is None:
            continue
        power = conditional_power(
            statistic, look.information, final_critical_z=final, planned_drift=drift
        )
        variant["conditional_power"] = {
            "current_trend": power.current_trend,
            "planned_effect": power.planned_effect,
        }


def look_record(look: Any, design: Any, experiment: Experiment) -> dict[str, Any]:
    """What is stored with the primary analysis: the look, its design, and the weeks
    the maximum was then still away."""
    from experiments.planning import weeks_to_reach

    record: dict[str, Any] = {**look.as_dict(), "design": design.as_dict()}
    if experiment.planned_total:
        record["weeks_left"] = weeks_to_reach(
            experiment.planned_total,
            observed=look.information * experiment.planned_total,
            weekly_volume=experiment.weekly_volume,
        )
    return record


def record_verdict(analysis: Analysis, experiment: Experiment) -> None:
    """Store the verdict's code and English sentence with the primary analysis (for
    the CSV export and the cards), and the code on the experiment (for the rules)."""
    from tracker.experiments.verdicts import shown_verdict

    shown = shown_verdict(analysis, planned_total=experiment.planned_total)
    if shown is None:
        return
    analysis.comparisons["verdict"] = shown.sentence()
    analysis.comparisons["verdict_code"] = shown.code
    analysis.preliminary = not (shown.crossed or shown.verdict.look.final)
    experiment.latest_verdict = shown.code


def set_design(experiment: Experiment, design: Any) -> None:
    """Copy a checked design's kind, spending and looks onto the experiment."""
    from tracker.models import DesignKind, Spending

    experiment.design_kind = DesignKind(design.design_kind)
    experiment.design_spending = Spending(design.spending)
    experiment.design_looks = (
        design.planned_looks if design.design_kind == "group_sequential" else 1
    )


def plan_design_args(args: Mapping[str, str]) -> dict[str, Any]:
    """The design's kind, spending and looks from the live preview's query string
    (anything unknown falls back to the default: weekly looks, O'Brien-Fleming, 5)."""
    kind = args.get("design_kind", "group_sequential")
    if kind not in ("group_sequential", "fixed", "always_valid"):
        kind = "group_sequential"
    spending = args.get("design_spending", "obrien-fleming")
    if spending not in ("obrien-fleming", "pocock"):
        spending = "obrien-fleming"
    try:
        looks = min(20, max(2, int(args.get("design_looks", "5"))))
    except ValueError:
        looks = 5
    return {"design_kind": kind, "spending": spending, "planned_looks": looks}


def design_args(sent: Any, experiment: Experiment | None = None) -> dict[str, Any]:
    """The design fields of ``service.Design`` from an API body's ``design`` (or, when
    none was sent, from the experiment as it is)."""
    if sent is None:
        if experiment is None:
            return {}
        design = design_of(experiment)
        return {
            "design_kind": design.kind,
            "spending": design.spending,
            "planned_looks": design.planned_looks,
        }
    return {
        "design_kind": sent.kind,
        "spending": sent.spending,
        "planned_looks": sent.planned_looks if sent.kind == "group_sequential" else 1,
    }


def analysis_look(primary: Analysis | None, experiment: Experiment) -> dict[str, Any]:
    """The API's design, look and verdict of the latest primary analysis."""
    import math

    from tracker.experiments.verdicts import shown_verdict

    answer: dict[str, Any] = {
        "design": design_of(experiment).as_dict(),
        "look": None,
        "verdict": None,
    }
    if primary is None:
        return answer
    shown = shown_verdict(primary, planned_total=experiment.planned_total, alpha=experiment.alpha)
    if shown is not None:
        look = shown.verdict.look
        answer["design"] = shown.verdict.design.as_dict()
        answer["look"] = {
            "number": look.number,
            "information": look.information,
            "critical_z": look.critical_z if math.isfinite(look.critical_z) else None,
            "nominal_alpha": look.nominal_alpha,
        }
        answer["verdict"] = shown.as_dict()
    return answer
