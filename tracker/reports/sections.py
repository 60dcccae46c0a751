"""One experiment's section of the retrospective: its hypothesis, design, results,
guardrails, verdict, trust and decision, written from the stored analyses."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from zoneinfo import ZoneInfo

from tracker.backlog.statement import statement
from tracker.metrics.format import format_value, rate_scale, whole_percent
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
from tracker.reports.caveats import caveat_sentence
from tracker.reports.language import ENGLISH, Wording, wording_for
from tracker.reports.queries import Rows
from tracker.reports.records import ExperimentSection, GuardrailRow, LearningRow, ResultRow
from tracker.reports.wording import count, isolate, local_date, percent, unbroken

ARABIC_IF, ARABIC_BECAUSE = "إذا", "لأن"


def user_name(rows: Rows, user_id: int | None, wording: Wording = ENGLISH) -> str:
    user = rows.users.get(user_id or 0)
    return user.display_name if user else wording.gettext("Unassigned")


def _outcome(hypothesis: Hypothesis, metric: str, wording: Wording) -> str:
    """ "MQL to SQL conversion will rise by 10%", the metric's name isolated."""
    said = statement(hypothesis, metric)
    name = isolate(said.metric)
    if said.effect and said.verb == "rise":
        return wording.gettext(
            "%(metric)s will rise by %(effect)s", metric=name, effect=said.effect
        )
    if said.effect:
        return wording.gettext(
            "%(metric)s will fall by %(effect)s", metric=name, effect=said.effect
        )
    if said.verb == "rise":
        return wording.gettext("%(metric)s will rise", metric=name)
    return wording.gettext("%(metric)s will fall", metric=name)


def hypothesis_parts(
    hypothesis: Hypothesis | None, metric: str, wording: Wording = ENGLISH
) -> list[tuple[str, bool]]:
    """The backlog statement as parts, (text, typed by a person): the typed parts
    are laid out in their own direction. The connectives are in the report's
    language, or in Arabic when the hypothesis is written in a right-to-left
    script: "إذا <change>، فإن <outcome>، لأن <rationale>"."""
    if hypothesis is None:
        return []
    said = statement(hypothesis, metric or wording.gettext("the metric"))
    words = wording_for("ar") if said.own_words else wording
    change, rationale = said.change, said.rationale.rstrip(".")
    opening = words.gettext("If we ")
    if said.own_words and change.startswith(ARABIC_IF):
        opening = ""
    parts = [(opening, False), (change, True)]
    parts.append(
        (
            words.gettext(", then %(outcome)s", outcome=_outcome(hypothesis, said.metric, words)),
            False,
        )
    )
    if rationale:
        because = words.gettext(", because ")
        if said.own_words and rationale.startswith(ARABIC_BECAUSE):
            because = "، "
        parts += [(because, False), (rationale, True)]
    return [(text, typed) for text, typed in [*parts, (".", False)] if text]


def _design(
    experiment: Experiment, metric: Metric | None, wording: Wording
) -> list[tuple[str, str]]:
    kind = metric.kind if metric else MetricKind.proportion
    unit = metric.unit if metric else ""
    baseline = experiment.baseline
    if baseline is not None and kind == MetricKind.rate:
        baseline *= rate_scale(unit=unit)
    # in hundredths, with a true minus sign
    effect = None if experiment.mde is None else f"{experiment.mde * 100:g}".replace("-", "−")
    if effect is None:
        mde = "—"
    elif experiment.mde_relative:
        mde = wording.gettext("%(share)s relative", share=f"{effect}%")
    elif kind == MetricKind.proportion:
        mde = wording.gettext("%(points)s pp", points=effect)
    else:
        mde = format_value(kind=kind, unit=unit, value=experiment.mde)
    planned = experiment.planned_total
    actual = count(experiment.observed_total)
    if planned:
        share = whole_percent(experiment.observed_total / planned)
        actual = wording.gettext(
            "%(observed)s of %(planned)s planned (%(share)s)",
            observed=actual,
            planned=count(planned),
            share=share,
        )
    return [
        (wording.gettext("Baseline"), unbroken(format_value(kind=kind, unit=unit, value=baseline))),
        (wording.gettext("Minimum detectable effect"), unbroken(mde)),
        (wording.gettext("Alpha"), f"{experiment.alpha:g}"),
        (wording.gettext("Power"), whole_percent(experiment.power)),
        (wording.gettext("Sample"), actual),
    ]


def _bound(value: float | None, infinite: str) -> str:
    return infinite if value is None else percent(value)


def _interval(bounds: Sequence[float | None] | None, wording: Wording) -> str:
    """ "+3.5% to +26.1%": a figure, laid out left to right in every language
    (so the Arabic catalogue writes it "+3.5% … +26.1%", without a word); the
    template puts it in parentheses."""
    low, high = [*list(bounds or []), None, None][:2]
    return wording.gettext("%(low)s to %(high)s", low=_bound(low, "−∞"), high=_bound(high, "+∞"))


def _p(value: float) -> str:
    return "< 0.001" if value < 0.001 else f"{value:.3f}"


def _results(
    analysis: Analysis | None, arms: Sequence[Arm], metric: Metric | None, wording: Wording
) -> tuple[list[ResultRow], str]:
    if analysis is None:
        return [], wording.gettext("No results were recorded.")
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
                interval=_interval(variant.get("lift_ci"), wording),
                p_value="—" if p_value is None else _p(p_value),
                chance="—" if chance is None else whole_percent(chance),
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


def _guardrail(metric: Metric | None, analysis: Analysis | None, wording: Wording) -> GuardrailRow:
    """A guardrail's verdict: worse when any variant made it significantly worse."""
    name = metric.name if metric else wording.gettext("A deleted metric")
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
        interval=_interval(shown.get("lift_ci"), wording),
        tone=tone,
    )


def _verdict(analysis: Analysis | None, experiment: Experiment, wording: Wording) -> str:
    """The verdict every page shows (tracker.experiments.verdicts), in its sentence."""
    if analysis is None:
        return ""
    from tracker.experiments.verdicts import shown_verdict

    shown = shown_verdict(analysis, planned_total=experiment.planned_total, alpha=experiment.alpha)
    if shown is None:
        return str((analysis.comparisons or {}).get("verdict") or "")
    return shown.sentence(wording.gettext)


def _trust(analysis: Analysis | None, wording: Wording) -> tuple[bool, str]:
    """An experiment whose arms' sizes fail the sample-ratio check is not trusted."""
    srm = (analysis.srm if analysis else None) or {}
    if not srm.get("mismatch"):
        return True, ""
    p_value = srm.get("p_value")
    return False, wording.gettext(
        "The arms' sample sizes do not match their planned shares "
        "(sample-ratio mismatch, p = %(p)s), so the traffic split was broken and the "
        "result may be biased. It is not counted as a win.",
        p=isolate("—" if p_value is None else _p(float(p_value))),
    )


def experiment_section(
    number: int,
    experiment: Experiment,
    rows: Rows,
    learnings: dict[int, LearningRow],
    zone: ZoneInfo,
    wording: Wording = ENGLISH,
) -> ExperimentSection:
    experiment_id = experiment.id or 0
    metric = rows.metrics.get(experiment.primary_metric_id)
    hypothesis = rows.hypotheses.get(experiment.hypothesis_id or 0)
    analysis = rows.analyses.get(experiment_id)
    arms = rows.arms.get(experiment_id, [])
    results, note = _results(analysis, arms, metric, wording)
    decided_on = local_date(experiment.decided_at, zone)
    area = rows.areas.get(hypothesis.area_id if hypothesis else metric.area_id if metric else 0)
    best = _best_variant(analysis)
    planned = experiment.planned_total
    lift_ci = (best or {}).get("lift_ci") or [None, None]
    trustworthy, trust_note = _trust(analysis, wording)
    section = ExperimentSection(
        number=number,
        anchor=f"experiment-{experiment_id}",
        title=experiment.title,
        status=ExperimentStatus(experiment.status).value,
        owner=user_name(rows, experiment.owner_id, wording),
        area=area.name if area else "",
        metric=metric.name if metric else "—",
        direction=("higher" if metric is None or metric.direction == "higher" else "lower"),
        hypothesis_title=hypothesis.title if hypothesis else "",
        hypothesis=hypothesis_parts(hypothesis, metric.name if metric else "", wording),
        design=_design(experiment, metric, wording),
        progress=(min(experiment.observed_total / planned, 1.0) if planned else None),
        started_on=wording.day(experiment.started_on),
        decided_on=wording.day(decided_on),
        days=(decided_on - experiment.started_on).days
        if decided_on and experiment.started_on
        else None,
        results=results,
        results_note=note,
        verdict=_verdict(analysis, experiment, wording),
        warnings=[caveat_sentence(w, wording) for w in (analysis.warnings if analysis else [])],
        preliminary=bool(analysis and analysis.preliminary),
        chart_svg=analysis.chart_svg if analysis else "",
        outcome=Outcome(experiment.outcome).value if experiment.outcome else "",
        action=experiment.action.value if experiment.action else "",
        rationale=experiment.rationale,
        early_reason=experiment.early_decision_reason,
        learnings=[learnings[i] for i in rows.links.get(experiment_id, []) if i in learnings],
        guardrails=[
            _guardrail(
                rows.metrics.get(metric_id),
                rows.guardrail_analyses.get((experiment_id, metric_id)),
                wording,
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
