"""What the team's history says: ``GET /insights/calibration`` (forecasts
against outcomes over a range of weeks) and ``GET /insights/impact`` (the
impact ledger). The same numbers as the Insights page: both call
``tracker.insights``."""

from __future__ import annotations

from flask import Response, request

from experiments.cycles import IsoWeek
from tracker.api.errors import invalid
from tracker.api.io import answer
from tracker.api.openapi import Query, operation
from tracker.api.schemas import Answer
from tracker.cycles.service import current_cycle, team_today
from tracker.database import get_session
from tracker.insights.calibration import calibration_report
from tracker.insights.ledger import impact_ledger
from tracker.insights.routes import week_range

WEEK = {"type": "string", "pattern": r"^[0-9]{4}-W[0-9]{1,2}$", "examples": ["2026-W27"]}


class CalibrationBinPublic(Answer):
    low: float
    high: float
    n: int
    won: int


class TeamCalibration(Answer):
    brier: float | None
    reference_brier: float | None
    skill: float | None
    n: int
    bins: list[CalibrationBinPublic]
    lift_ratio_median: float | None


class ScorerCalibration(Answer):
    email: str
    brier: float
    n: int


class CalibrationPublic(Answer):
    team: TeamCalibration
    scorers: list[ScorerCalibration]


class ImpactItem(Answer):
    experiment_id: int
    lift: float | None
    shrunk_lift: float | None
    shrunk_lift_ci: tuple[float, float] | None
    annual_value: float | None
    annual_value_ci: tuple[float, float] | None
    persistence: str


class ImpactPublic(Answer):
    items: list[ImpactItem]
    total: float | None
    total_ci: tuple[float, float] | None
    currency: str


@operation(
    "/insights/calibration",
    "GET",
    summary="Forecasts against outcomes for experiments decided in a range of weeks",
    answer=CalibrationPublic,
    query=(
        Query("from", WEEK, "The first ISO week (default: 51 weeks before `to`)."),
        Query("to", WEEK, "The last ISO week (default: the current week)."),
    ),
    tag="insights",
)
def calibration() -> Response:
    session = get_session()
    current = IsoWeek.parse(current_cycle(session=session, today=team_today(session)).iso_week)
    weeks = week_range(request.args.to_dict(), current=current)
    if weeks.errors:
        raise invalid(weeks.errors)
    report = calibration_report(session=session, first=weeks.first, last=weeks.last)
    return answer(
        CalibrationPublic(
            team=TeamCalibration(
                brier=report.brier,
                reference_brier=report.reference_brier,
                skill=report.skill,
                n=report.n,
                bins=[
                    CalibrationBinPublic(low=b.low, high=b.high, n=b.n, won=b.won)
                    for b in report.bins
                ],
                lift_ratio_median=report.lift_ratio_median,
            ),
            scorers=[
                ScorerCalibration(email=s.email, brier=s.brier, n=s.n) for s in report.scorers
            ],
        )
    )


@operation(
    "/insights/impact",
    "GET",
    summary="The impact ledger: shipped winners, shrunk lifts and annual values",
    answer=ImpactPublic,
    tag="insights",
)
def impact() -> Response:
    ledger = impact_ledger(session=get_session())
    items = [
        ImpactItem(
            experiment_id=line.decided.experiment.id or 0,
            lift=line.decided.lift,
            shrunk_lift=line.shrunk.lift if line.shrunk else None,
            shrunk_lift_ci=line.shrunk.interval if line.shrunk else None,
            annual_value=line.value.value if line.value else None,
            annual_value_ci=line.value.interval if line.value else None,
            persistence=line.persistence.value,
        )
        for line in ledger.lines
    ]
    return answer(
        ImpactPublic(
            items=items,
            total=ledger.total.value if ledger.total else None,
            total_ci=ledger.total.interval if ledger.total else None,
            currency=ledger.currency,
        )
    )
