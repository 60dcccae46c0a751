"""How good the team's forecasts are over a range of weeks: the numbers the
Insights page, the API and (later) the retrospective all read.

``calibration_report`` is the one function to call; it runs a fixed number
of queries whatever the history.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from sqlmodel import Session

from experiments.calibration import (
    CalibrationBin,
    RankCorrelation,
    brier_score,
    calibration_bins,
    median_ratio,
    rank_correlation,
    reference_brier,
    skill_score,
)
from experiments.cycles import IsoWeek
from tracker.insights.queries import Decided, decided_experiments, scorer_emails


@dataclass(frozen=True)
class ScorerScore:
    """One scorer's Brier score over their decided forecasts."""

    user_id: int
    email: str
    brier: float
    n: int


@dataclass(frozen=True)
class LiftPair:
    """A decided experiment's expected and measured lift (relative, signed)."""

    experiment_id: int
    title: str
    expected: float
    measured: float


@dataclass(frozen=True)
class CalibrationReport:
    """Attributes:
    first, last: the range's ISO weeks (decisions made in them count).
    n: decided experiments with a forecast.
    decided: decided experiments in the range, forecast or not.
    brier: the team's Brier score (None without forecasts).
    base_rate: the team's win rate over every decision up to the range's end.
    reference_brier: the Brier score of always forecasting ``base_rate``.
    skill: 1 - brier / reference_brier (None when undefined).
    bins: the calibration chart's five bins.
    scorers: each scorer's Brier score, best first.
    lift_pairs: expected against measured lifts.
    lift_ratio_median: the median of expected / measured (None when none qualify).
    impact, confidence: rank correlations of the ICE scores with the outcome.
    """

    first: IsoWeek
    last: IsoWeek
    n: int
    decided: int
    brier: float | None
    base_rate: float | None
    reference_brier: float | None
    skill: float | None
    bins: list[CalibrationBin]
    scorers: list[ScorerScore]
    lift_pairs: list[LiftPair] = field(default_factory=list)
    lift_ratio_median: float | None = None
    impact: RankCorrelation | None = None
    confidence: RankCorrelation | None = None


def calibration_report(*, session: Session, first: IsoWeek, last: IsoWeek) -> CalibrationReport:
    """Forecasts against outcomes for the experiments decided in ``first``..``last``."""
    history = decided_experiments(session=session, end=last.sunday)
    in_range = [d for d in history if d.experiment.decided_at.date() >= first.monday]  # type: ignore[union-attr]
    forecast = [d for d in in_range if _forecast(d) is not None]
    forecasts = [_forecast(d) or 0.0 for d in forecast]
    outcomes = [int(d.won) for d in forecast]
    past = [int(d.won) for d in history]
    rate = sum(past) / len(past) if past else None
    brier = brier_score(forecasts, outcomes) if forecasts else None
    reference = (
        reference_brier(outcomes, base_rate=rate) if forecasts and rate is not None else None
    )
    skill = (
        skill_score(brier, reference)
        if brier is not None and reference is not None and reference > 0
        else None
    )
    pairs = _lift_pairs(in_range)
    return CalibrationReport(
        first=first,
        last=last,
        n=len(forecast),
        decided=len(in_range),
        brier=brier,
        base_rate=rate,
        reference_brier=reference,
        skill=skill,
        bins=calibration_bins(forecasts, outcomes),
        scorers=_scorers(session, forecast),
        lift_pairs=pairs,
        lift_ratio_median=median_ratio([p.expected for p in pairs], [p.measured for p in pairs]),
        impact=_ice_correlation(in_range, "impact"),
        confidence=_ice_correlation(in_range, "confidence"),
    )


def _forecast(decided: Decided) -> float | None:
    return decided.hypothesis.forecast_win_probability if decided.hypothesis else None


def _scorers(session: Session, forecast: list[Decided]) -> list[ScorerScore]:
    grouped: dict[int, list[Decided]] = defaultdict(list)
    for decided in forecast:
        scorer = decided.hypothesis.forecast_by_id if decided.hypothesis else None
        if scorer is not None:
            grouped[scorer].append(decided)
    emails = scorer_emails(session=session, user_ids=set(grouped))
    scores = [
        ScorerScore(
            user_id=user_id,
            email=emails.get(user_id, ""),
            brier=brier_score([_forecast(d) or 0.0 for d in items], [int(d.won) for d in items]),
            n=len(items),
        )
        for user_id, items in grouped.items()
    ]
    return sorted(scores, key=lambda s: (s.brier, -s.n, s.email))


def _lift_pairs(decided: list[Decided]) -> list[LiftPair]:
    pairs = []
    for item in decided:
        expected = item.expected_lift
        if expected is None or item.lift is None:
            continue
        pairs.append(
            LiftPair(
                experiment_id=item.experiment.id or 0,
                title=item.experiment.title,
                expected=expected,
                measured=item.lift,
            )
        )
    return pairs


def _ice_correlation(decided: list[Decided], name: str) -> RankCorrelation:
    pairs = [
        (float(d.hypothesis.scores[name]), float(d.won))
        for d in decided
        if d.hypothesis is not None
        and d.hypothesis.priority_model.value == "ice"
        and isinstance(d.hypothesis.scores.get(name), int | float)
    ]
    return rank_correlation([p[0] for p in pairs], [p[1] for p in pairs])
