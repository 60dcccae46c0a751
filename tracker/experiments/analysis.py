"""The stored analysis: when results are entered, each metric's comparison of every
variant with control is computed once, with its warnings and the lift chart, and kept
in ``Analysis`` rows so that no page recomputes it."""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping, Sequence
from typing import Any

from sqlmodel import Session

from tracker.models import (
    Analysis,
    Arm,
    Direction,
    Experiment,
    Metric,
    MetricKind,
    ResultSet,
    ResultSnapshot,
    SufficientStatistics,
)


def to_stats(kind: str, figures: SufficientStatistics) -> Any:
    """One arm's figures as the engine's Proportion, Mean or Rate."""
    from experiments.stats import Mean, Proportion, Rate

    if kind == "proportion":
        return Proportion(int(figures.successes or 0), int(figures.trials or 0))
    if kind == "mean":
        return Mean(int(figures.n or 0), float(figures.mean or 0.0), float(figures.sd or 0.0))
    return Rate(int(figures.events or 0), float(figures.exposure or 0.0))


def sample_size(kind: str, figures: SufficientStatistics) -> float:
    """The units behind one arm's figures: trials, n or exposure."""
    value = {"proportion": figures.trials, "mean": figures.n, "rate": figures.exposure}[kind]
    return float(value or 0)


def _finite(value: float | None) -> float | None:
    """JSON has no infinity: an unbounded side is stored as null."""
    if value is None or not math.isfinite(value):
        return None
    return float(value)


def _interval(bounds: Sequence[float] | None) -> list[float | None] | None:
    return None if bounds is None else [_finite(bound) for bound in bounds]


def _compare(control: Any, variants: dict[str, Any], *, alpha: float, alternative: str) -> Any:
    """compare_arms with Holm's correction; a one-sided design is compared one-sided."""
    from experiments.stats import ArmsComparison, adjust_p_values, compare, compare_arms

    if alternative == "two-sided":
        return compare_arms(control, variants, alpha=alpha, correction="holm")
    singles = {
        name: compare(control, variant, alpha=alpha, alternative=alternative)  # type: ignore[arg-type]
        for name, variant in variants.items()
    }
    adjusted = adjust_p_values([single.p_value for single in singles.values()], "holm")
    comparisons = {
        name: dataclasses.replace(single, adjusted_p_value=p, significant=p < alpha)
        for (name, single), p in zip(singles.items(), adjusted, strict=True)
    }
    # The multiple-variants caveat comes from the engine itself.
    caveats = compare_arms(control, variants, alpha=alpha).warnings if len(variants) > 1 else ()
    return ArmsComparison(comparisons=comparisons, correction="holm", warnings=caveats)


def analyse_metric(
    *,
    metric: Metric,
    arms: Sequence[Arm],
    figures: Mapping[int, SufficientStatistics],
    alpha: float,
    alternative: str,
    judged: bool = True,
) -> tuple[dict[str, Any], list[dict[str, str]]]:
    """Compare every variant with control on one metric: the stored comparisons and
    the warnings of the engine (small samples, unbounded lifts, several variants).
    ``judged`` is false when the design does not judge this look (a fixed design
    before its planned size): the sentences then do not call anything significant."""
    from experiments.planning import chance_better
    from experiments.stats import Caveat, InsufficientDataError

    kind = MetricKind(metric.kind).value
    lower_is_better = metric.direction == Direction.lower
    control = next(arm for arm in arms if arm.is_control)
    variants = [arm for arm in arms if not arm.is_control]
    estimates = {}
    for arm in arms:
        stats = figures[arm.id or 0]
        estimates[arm.name] = {
            "estimate": _finite(to_stats(kind, stats).estimate),
            "size": sample_size(kind, stats),
        }
    stored: dict[str, Any] = {
        "kind": kind,
        "control": control.name,
        "lower_is_better": lower_is_better,
        "estimates": estimates,
        "variants": [],
        "verdict": "",
    }
    try:
        result = _compare(
            to_stats(kind, figures[control.id or 0]),
            {arm.name: to_stats(kind, figures[arm.id or 0]) for arm in variants},
            alpha=alpha,
            alternative=alternative,
        )
    except (InsufficientDataError, ValueError) as exc:
        message = str(exc)
        message = message[:1].upper() + message[1:]
        stored["verdict"] = message
        return stored, [Caveat("insufficient_data", message).as_dict()]
    warnings: dict[str, dict[str, Any]] = {}
    best: tuple[float, str] | None = None
    for arm in variants:
        comparison = result.comparisons[arm.name]
        chance = chance_better(comparison, lower_is_better=lower_is_better)
        good = comparison.difference < 0 if lower_is_better else comparison.difference > 0
        phrase = comparison.summary_phrase(
            variant_name=arm.name, control_name=control.name, preliminary=not judged
        )
        sentence = phrase.text()
        stored["variants"].append(
            {
                "name": arm.name,
                "arm_id": arm.id,
                "control_estimate": _finite(comparison.control_estimate),
                "variant_estimate": _finite(comparison.variant_estimate),
                "difference": _finite(comparison.difference),
                "difference_ci": _interval(comparison.difference_ci),
                "lift": _finite(comparison.lift),
                "lift_ci": _interval(comparison.lift_ci),
                "p_value": comparison.p_value,
                "statistic": _finite(comparison.statistic),
                "adjusted_p_value": comparison.adjusted_p_value,
                "exact_p_value": comparison.exact_p_value,
                "chance_to_beat_control": chance,
                "significant": comparison.significant,
                "good_direction": good and comparison.difference != 0,
                "method": comparison.method,
                "summary": sentence,
                "sentence": phrase.as_dict(),
            }
        )
        for caveat in comparison.warnings:
            warnings.setdefault(caveat.code, caveat.as_dict())
        if best is None or chance > best[0]:
            best = (chance, sentence)
    for caveat in result.warnings:
        warnings.setdefault(caveat.code, caveat.as_dict())
    stored["verdict"] = best[1] if best else ""
    return stored, list(warnings.values())


def analyse_result_set(
    session: Session,
    *,
    experiment: Experiment,
    result_set: ResultSet,
    arms: Sequence[Arm],
    metrics: Sequence[Metric],
    snapshots: Sequence[ResultSnapshot],
    draw_chart: bool = True,
) -> list[Analysis]:
    """Compute, store and return one Analysis per metric of ``result_set`` (the
    primary metric first), and bring the experiment's progress up to date.
    The caller owns the transaction."""
    from experiments.planning import (
        guardrail_worse_warning,
        preliminary_warning,
        srm_warning,
    )
    from experiments.stats import srm_check
    from tracker.experiments.looks import (
        add_conditional_power,
        design_of,
        look_record,
        record_verdict,
        take_look,
    )

    arms = sorted(arms, key=lambda arm: (not arm.is_control, arm.position, arm.id or 0))
    by_metric: dict[int, dict[int, SufficientStatistics]] = {}
    for snap in snapshots:
        by_metric.setdefault(snap.metric_id, {})[snap.arm_id] = snap
    primary = next(metric for metric in metrics if metric.id == experiment.primary_metric_id)
    primary_kind = MetricKind(primary.kind).value
    primary_figures = by_metric.get(primary.id or 0, {})
    sizes = {arm.name: sample_size(primary_kind, primary_figures[arm.id or 0]) for arm in arms}
    observed_total = math.fsum(sizes.values())
    look = take_look(session, experiment=experiment, observed_total=observed_total)
    design = design_of(experiment)
    # A sequential design's looks are judged by their boundary, not called preliminary.
    preliminary = (
        preliminary_warning(observed_total, experiment.planned_total)
        if design.kind == "fixed"
        else None
    )

    analyses: list[Analysis] = []
    chart_rows: list[dict[str, Any]] = []
    guardrail_warnings: list[dict[str, str]] = []
    guardrails_worse: list[list[str]] = []
    for metric in sorted(metrics, key=lambda m: m.id != primary.id):
        figures = by_metric.get(metric.id or 0)
        if not figures or any((arm.id or 0) not in figures for arm in arms):
            continue  # a guardrail without figures this time
        is_primary = metric.id == primary.id
        stored, warnings = analyse_metric(
            metric=metric,
            arms=arms,
            figures=figures,
            # the primary metric at the look's nominal level; guardrails, which
            # only warn, at the design's alpha
            alpha=look.nominal_alpha if is_primary else experiment.alpha,
            alternative=experiment.alternative.value if is_primary else "two-sided",
            judged=not is_primary or design.kind != "fixed" or look.final,
        )
        stored["metric"] = metric.name
        srm = None
        if is_primary:
            counts = {name: round(size) for name, size in sizes.items()}
            if sum(counts.values()) > 0:
                check = srm_check(list(counts.values()), [arm.share for arm in arms])
                srm = {
                    "statistic": check.statistic,
                    "p_value": check.p_value,
                    "expected": list(check.expected),
                    "observed": counts,
                    "mismatch": check.mismatch,
                }
                mismatch = srm_warning(check, counts)
                if mismatch:
                    warnings.insert(0, mismatch.as_dict())
            if preliminary:
                warnings.append(preliminary.as_dict())
            add_conditional_power(
                session,
                stored,
                experiment=experiment,
                look=look,
                lower_is_better=stored["lower_is_better"],
            )
        else:
            for variant in stored["variants"]:
                if variant["significant"] and not variant["good_direction"]:
                    warning = guardrail_worse_warning(
                        metric.name, variant["name"], _as_comparison(variant)
                    ).as_dict()
                    warnings.append(warning)
                    guardrail_warnings.append(warning)
                    guardrails_worse.append([metric.name, variant["name"]])
        for variant in stored["variants"]:
            chart_rows.append(
                {
                    "metric": metric.name,
                    "variant": variant["name"],
                    "lift": variant["lift"],
                    "low": (variant["lift_ci"] or [None, None])[0],
                    "high": (variant["lift_ci"] or [None, None])[1],
                    "good": variant["good_direction"],
                    "significant": variant["significant"],
                }
            )
        analysis = Analysis(
            result_set_id=result_set.id or 0,
            experiment_id=experiment.id or 0,
            metric_id=metric.id or 0,
            is_primary=is_primary,
            preliminary=preliminary is not None,
            comparisons=stored,
            warnings=warnings,
            srm=srm,
            look=look_record(look, design, experiment) if is_primary else None,
        )
        analyses.append(analysis)
    if analyses and analyses[0].is_primary:
        primary_analysis = analyses[0]
        # The primary analysis carries the guardrails' alarms too: it is what
        # the board and the weekly review read.
        primary_analysis.warnings = primary_analysis.warnings + [
            dict(w) for w in guardrail_warnings
        ]
        if draw_chart:
            primary_analysis.chart_svg = _lift_chart(chart_rows, experiment.title)
        primary_analysis.comparisons["guardrails_worse"] = guardrails_worse
        record_verdict(primary_analysis, experiment)
    session.add_all(analyses)
    experiment.observed_total = observed_total
    experiment.latest_result_set_id = result_set.id
    return analyses


def _as_comparison(variant: Mapping[str, Any]) -> Any:
    """Enough of a Comparison for the guardrail sentence."""

    @dataclasses.dataclass
    class _Stored:
        p_value: float
        adjusted_p_value: float | None

    return _Stored(variant["p_value"], variant["adjusted_p_value"])


def _lift_chart(rows: list[dict[str, Any]], title: str) -> str:
    if not rows:
        return ""
    from tracker.charts.lift import LiftRow, lift_chart

    return lift_chart(
        [
            LiftRow(
                label=f"{row['metric']} · {row['variant']}",
                lift=row["lift"],
                low=row["low"],
                high=row["high"],
                good=row["good"],
                significant=row["significant"],
            )
            for row in rows
        ],
        title=title,
    )
