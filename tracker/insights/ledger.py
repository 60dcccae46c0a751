"""The impact ledger: every shipped winner with its lift shrunk for the
winner's curse, its annual value with an interval, and whether the gain held.

``impact_ledger`` is the one function to call (the Insights page, the
executive dashboard, the API and the retrospective); it runs a fixed number
of queries whatever the history. The model is in ``experiments/impact.py``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlmodel import Session

from experiments.impact import (
    AnnualValue,
    Persistence,
    ProgrammeFit,
    ShrunkLift,
    annual_value,
    fit_programme,
    persistence,
    se_from_interval,
    total_value,
)
from tracker.insights.queries import Decided, decided_experiments, readings_by_metric
from tracker.models import DecisionAction, MetricKind, Reading, TeamSettings

BASELINE_WEEKS = 4


@dataclass(frozen=True)
class LedgerLine:
    """One shipped winner.

    Attributes:
        decided: the experiment, its metric and its measured lift.
        shrunk: the lift after shrinkage (None without a usable interval).
        weekly_volume: the metric's mean weekly volume over the four readings
            before the ship date, in its units (None without readings).
        value: the annual value (None without a unit value, volume or shrunk lift).
        persistence: held, faded or too early to tell.
    """

    decided: Decided
    shrunk: ShrunkLift | None
    weekly_volume: float | None
    value: AnnualValue | None
    persistence: Persistence


@dataclass(frozen=True)
class ImpactLedger:
    """Attributes:
    lines: the shipped winners, newest decision first.
    total: the sum of their annual values (None when none has a value).
    fit: the programme's fitted distribution of lifts (None with no decided lift).
    currency: the team's currency code.
    srm_excluded: shipped winners left out for a sample-ratio mismatch.
    """

    lines: list[LedgerLine]
    total: AnnualValue | None
    fit: ProgrammeFit | None
    currency: str
    srm_excluded: int


def impact_ledger(*, session: Session) -> ImpactLedger:
    """The ledger over every decision so far (the shrinkage needs them all)."""
    decided = decided_experiments(session=session)
    fit = _fit(decided)
    winners = [d for d in decided if d.experiment.action == DecisionAction.ship and d.won]
    excluded = sum(
        1
        for d in decided
        if d.experiment.action == DecisionAction.ship and d.srm and d.experiment.outcome == "won"
    )
    readings = readings_by_metric(
        session=session, metric_ids={d.metric.id for d in winners if d.metric.id}
    )
    lines = [_line(d, fit, readings.get(d.metric.id or 0, [])) for d in reversed(winners)]
    values = [line.value for line in lines if line.value is not None]
    settings = session.get(TeamSettings, 1)
    return ImpactLedger(
        lines=lines,
        total=total_value(values) if values else None,
        fit=fit,
        currency=settings.currency if settings else "USD",
        srm_excluded=excluded,
    )


def _improvement(decided: Decided) -> tuple[float, float] | None:
    """The lift as an improvement (negated where lower is better) and its se."""
    if decided.lift is None or decided.lift_ci is None:
        return None
    try:
        se = se_from_interval(decided.lift_ci)
    except ValueError:
        return None
    sign = -1.0 if decided.lower_is_better else 1.0
    return sign * decided.lift, se


def _fit(decided: Sequence[Decided]) -> ProgrammeFit | None:
    """Fit every decided experiment's improvement, SRM-flagged ones excepted."""
    usable = [pair for d in decided if not d.srm and (pair := _improvement(d)) is not None]
    if not usable:
        return None
    return fit_programme([p[0] for p in usable], [p[1] for p in usable])


def _line(decided: Decided, fit: ProgrammeFit | None, readings: list[Reading]) -> LedgerLine:
    shipped = decided.experiment.decided_at.date()  # type: ignore[union-attr]
    before = [r for r in readings if r.period_end < shipped][-BASELINE_WEEKS:]
    after = [r for r in readings if r.period_start >= shipped]
    kind = MetricKind(decided.metric.kind)
    shrunk = _shrunk(decided, fit)
    volume = _weekly_volume(kind, before)
    value = None
    if shrunk is not None and volume is not None and decided.metric.unit_value is not None:
        value = annual_value(
            shrunk,
            weekly_volume=volume,
            unit_value=decided.metric.unit_value,
            lower_is_better=decided.lower_is_better,
        )
    return LedgerLine(
        decided=decided,
        shrunk=shrunk,
        weekly_volume=volume,
        value=value,
        persistence=_persistence(kind, before, after, lower_is_better=decided.lower_is_better),
    )


def _shrunk(decided: Decided, fit: ProgrammeFit | None) -> ShrunkLift | None:
    """The shrunk lift in the metric's own sign."""
    improvement = _improvement(decided)
    if improvement is None or fit is None:
        return None
    shrunk = fit.shrink(*improvement)
    sign = -1.0 if decided.lower_is_better else 1.0
    low, high = sorted((sign * shrunk.interval[0], sign * shrunk.interval[1]))
    return ShrunkLift(
        raw=decided.lift or 0.0,
        lift=sign * shrunk.lift,
        sd=shrunk.sd,
        interval=(low, high),
        weight=shrunk.weight,
    )


def _weekly_volume(kind: MetricKind, readings: list[Reading]) -> float | None:
    """Units a week: successes, mean x n, or events, averaged over the readings."""
    volumes = []
    for reading in readings:
        if kind is MetricKind.proportion and reading.successes is not None:
            volumes.append(float(reading.successes))
        elif kind is MetricKind.mean and reading.mean is not None and reading.n:
            volumes.append(float(reading.mean) * reading.n)
        elif kind is MetricKind.rate and reading.events is not None:
            volumes.append(float(reading.events))
    return sum(volumes) / len(volumes) if volumes else None


def _persistence(
    kind: MetricKind, before: list[Reading], after: list[Reading], *, lower_is_better: bool
) -> Persistence:
    from tracker.experiments.analysis import to_stats

    try:
        return persistence(
            [to_stats(kind.value, r) for r in before],
            [to_stats(kind.value, r) for r in after],
            lower_is_better=lower_is_better,
        )
    except (ValueError, TypeError):
        return Persistence.too_early
