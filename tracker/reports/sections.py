"""One experiment's section of the retrospective: its hypothesis, design, results,
guardrails, verdict, trust and decision, written from the stored analyses."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from zoneinfo import ZoneInfo

from tracker.backlog.statement import statement
from tracker.metrics.format import format_value, rate_scale
from tracker.models import (
    Analysis,
    Arm,
    Experiment,
    ExperimentStatus,
    Hypothesis,
    Metric,
    MetricKind,
    Outcome,
)
from tracker.reports.queries import Rows
from tracker.reports.records import ExperimentSection, GuardrailRow, LearningRow, ResultRow
from tracker.reports.wording import count, local_date, percent, short_date, unbroken

ARABIC_IF, ARABIC_THEN, ARABIC_BECAUSE = "إذا", "فإن", "لأن"
SRM_NOTE = (
    "Not trustworthy: the arms' sample sizes do not match their planned shares "
    "(sample-ratio mismatch, p = {p}), so the traffic split was broken and the "
    "result may be biased. It is not counted as a win."
)


def user_name(rows: Rows, user_id: int | None, default: str = "Unassigned") -> str:
    user = rows.users.get(user_id or 0)
    return user.display_name if user else default


def hypothesis_parts(hypothesis: Hypothesis | None, metric: str) -> list[tuple[str, bool]]:
    """The backlog statement as parts, (text, set apart): the parts a person typed
    (and the English outcome inside an Arabic statement) are set apart, to be laid
    out in their own direction. A hypothesis written in a right-to-left script
    reads in its own language: "إذا <change>، فإن <outcome>، لأن <rationale>"."""
    if hypothesis is None:
        return []
    said = statement(hypothesis, metric)
    if said.own_words:
        parts: list[tuple[str, bool]] = []
        if not said.change.startswith(ARABIC_IF):
            parts.append((f"{ARABIC_IF} ", False))
        parts += [(said.change, True), (f"، {ARABIC_THEN} ", False), (said.outcome, True)]
        if said.rationale:
            because = "" if said.rationale.startswith(ARABIC_BECAUSE) else f"{ARABIC_BECAUSE} "
            parts += [(f"، {because}", False), (said.rationale.rstrip("."), True)]
        return [*parts, (".", False)]
    parts = [("If we ", False), (said.change, True), (f", then {said.outcome}", False)]
    if said.rationale:
        parts += [(", because ", False), (said.rationale, True)]
    return [*parts, (".", False)]


def _design(experiment: Experiment, metric: Metric | None) -> list[tuple[str, str]]:
    kind = metric.kind if metric else MetricKind.proportion
    unit = metric.unit if metric else ""
    baseline = experiment.baseline
    if baseline is not None and kind == MetricKind.rate:
        baseline *= rate_scale(unit=unit)
    if experiment.mde is None:
        mde = "—"
    elif experiment.mde_relative:
        mde = f"{experiment.mde * 100:g}% relative"
    elif kind == MetricKind.proportion:
        mde = f"{experiment.mde * 100:g} pp"
    else:
        mde = format_value(kind=kind, unit=unit, value=experiment.mde)
    planned = experiment.planned_total
    actual = count(experiment.observed_total)
    if planned:
        share = experiment.observed_total / planned
        actual = f"{actual} of {count(planned)} planned ({share:.0%})"
    return [
        ("Baseline", unbroken(format_value(kind=kind, unit=unit, value=baseline))),
        ("Minimum detectable effect", unbroken(mde)),
        ("Alpha · power", f"{experiment.alpha:g} · {experiment.power:.0%}"),
        ("Sample", actual),
    ]


def _bound(value: float | None, infinite: str) -> str:
    return infinite if value is None else percent(value)


def _interval(bounds: Sequence[float | None] | None) -> str:
    low, high = [*list(bounds or []), None, None][:2]
    return f"{_bound(low, '−∞')} to {_bound(high, '+∞')}"


def _p(value: float) -> str:
    return "< 0.001" if value < 0.001 else f"{value:.3f}"


def _results(
    analysis: Analysis | None, arms: Sequence[Arm], metric: Metric | None
) -> tuple[list[ResultRow], str]:
    if analysis is None:
        return [], "No results were recorded."
    stored = analysis.comparisons or {}
    kind = stored.get("kind") or (metric.kind if metric else "proportion")
    unit = metric.unit if metric else ""
    scale = rate_scale(unit=unit) if kind == "rate" else 1.0
    estimates = stored.get("estimates") or {}
    variants = {v.get("name"): v for v in stored.get("variants") or []}
    names = [arm.name for arm in sorted(arms, key=lambda a: (not a.is_control, a.position))]
    names += [name for name in estimates if name not in names]
    rows = []
    for name in names:
        if name not in estimates:
            continue
        estimate = estimates[name].get("estimate")
        value = unbroken(
            format_value(kind=kind, unit=unit, value=None if estimate is None else estimate * scale)
        )
        variant = variants.get(name)
        size = count(estimates[name].get("size"))
        if variant is None:
            rows.append(ResultRow(name, True, size, value, tone="flat"))
            continue
        tone = "flat"
        if variant.get("significant"):
            tone = "good" if variant.get("good_direction") else "bad"
        chance = variant.get("chance_to_beat_control")
        p_value = variant.get("adjusted_p_value") or variant.get("p_value")
        rows.append(
            ResultRow(
                arm=name,
                is_control=False,
                size=size,
                value=value,
                lift=percent(variant.get("lift")),
                interval=_interval(variant.get("lift_ci")),
                p_value="—" if p_value is None else _p(p_value),
                chance="—" if chance is None else f"{chance:.0%}",
                tone=tone,
            )
        )
    return rows, ""


def _best_variant(analysis: Analysis | None) -> dict[str, Any] | None:
    """The variant the verdict speaks of (the one with the best chance)."""
    if analysis is None:
        return None
    variants = (analysis.comparisons or {}).get("variants") or []
    if not variants:
        return None
    verdict = (analysis.comparisons or {}).get("verdict")
    for variant in variants:
        if variant.get("summary") == verdict:
            return dict(variant)
    return dict(max(variants, key=lambda v: v.get("chance_to_beat_control") or 0))


def _guardrail(metric: Metric | None, analysis: Analysis | None) -> GuardrailRow:
    """A guardrail's verdict: worse when any variant made it significantly worse."""
    name = metric.name if metric else "A deleted metric"
    direction = "lower" if metric is not None and metric.direction == "lower" else "higher"
    variants = ((analysis.comparisons or {}).get("variants") or []) if analysis else []
    if not variants:
        return GuardrailRow(name, direction, "no data", "—", "", "flat")
    worse = [v for v in variants if v.get("significant") and not v.get("good_direction")]
    better = [v for v in variants if v.get("significant") and v.get("good_direction")]
    shown = (worse or better or variants)[0]
    verdict, tone = (
        ("worse", "bad") if worse else ("better", "good") if better else ("held", "flat")
    )
    return GuardrailRow(
        metric=name,
        direction=direction,
        verdict=verdict,
        lift=percent(shown.get("lift")),
        interval=_interval(shown.get("lift_ci")),
        tone=tone,
    )


def _trust(analysis: Analysis | None) -> tuple[bool, str]:
    """An experiment whose arms' sizes fail the sample-ratio check is not trusted."""
    srm = (analysis.srm if analysis else None) or {}
    if not srm.get("mismatch"):
        return True, ""
    p_value = srm.get("p_value")
    return False, SRM_NOTE.format(p="—" if p_value is None else _p(float(p_value)))


def experiment_section(
    number: int,
    experiment: Experiment,
    rows: Rows,
    learnings: dict[int, LearningRow],
    zone: ZoneInfo,
) -> ExperimentSection:
    experiment_id = experiment.id or 0
    metric = rows.metrics.get(experiment.primary_metric_id)
    hypothesis = rows.hypotheses.get(experiment.hypothesis_id or 0)
    analysis = rows.analyses.get(experiment_id)
    arms = rows.arms.get(experiment_id, [])
    results, note = _results(analysis, arms, metric)
    decided_on = local_date(experiment.decided_at, zone)
    area = rows.areas.get(hypothesis.area_id if hypothesis else metric.area_id if metric else 0)
    best = _best_variant(analysis)
    planned = experiment.planned_total
    lift_ci = (best or {}).get("lift_ci") or [None, None]
    trustworthy, trust_note = _trust(analysis)
    section = ExperimentSection(
        number=number,
        anchor=f"experiment-{experiment_id}",
        title=experiment.title,
        status=ExperimentStatus(experiment.status).value,
        owner=user_name(rows, experiment.owner_id),
        area=area.name if area else "",
        metric=metric.name if metric else "—",
        direction=("higher" if metric is None or metric.direction == "higher" else "lower"),
        hypothesis_title=hypothesis.title if hypothesis else "",
        hypothesis=hypothesis_parts(hypothesis, metric.name if metric else "the metric"),
        design=_design(experiment, metric),
        progress=(min(experiment.observed_total / planned, 1.0) if planned else None),
        started_on=short_date(experiment.started_on),
        decided_on=short_date(decided_on),
        days=(decided_on - experiment.started_on).days
        if decided_on and experiment.started_on
        else None,
        results=results,
        results_note=note,
        verdict=((analysis.comparisons or {}).get("verdict") or "") if analysis else "",
        warnings=[w.get("message", "") for w in (analysis.warnings if analysis else [])],
        preliminary=bool(analysis and analysis.preliminary),
        chart_svg=analysis.chart_svg if analysis else "",
        outcome=Outcome(experiment.outcome).value if experiment.outcome else "",
        action=experiment.action.value if experiment.action else "",
        rationale=experiment.rationale,
        early_reason=experiment.early_decision_reason,
        learnings=[learnings[i] for i in rows.links.get(experiment_id, []) if i in learnings],
        guardrails=[
            _guardrail(
                rows.metrics.get(metric_id), rows.guardrail_analyses.get((experiment_id, metric_id))
            )
            for metric_id in rows.guardrails.get(experiment_id, [])
        ],
        trustworthy=trustworthy,
        trust_note=trust_note,
        decided_iso=decided_on.isoformat() if decided_on else "",
        lift=(best or {}).get("lift"),
        lift_low=lift_ci[0],
        lift_high=lift_ci[1],
    )
    for row in section.learnings:
        row.experiments.append(experiment.title)
    return section
