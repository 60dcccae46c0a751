"""The plain sentences the Insights page, the executive dashboard and the
retrospective put beside the numbers."""

from __future__ import annotations

from experiments.calibration import MIN_FOR_CORRELATION, RankCorrelation
from tracker.insights.calibration import CalibrationReport


def ratio_sentence(ratio: float | None) -> str:
    """How expected lifts compare with measured ones.

    >>> ratio_sentence(2.1)
    'Your expected lifts run 2.1 times the measured ones.'
    >>> ratio_sentence(0.5)
    'Your expected lifts run 0.5 times the measured ones: the team expects less than it gets.'
    """
    if ratio is None:
        return (
            "No decided experiment yet has both an expected and a measured lift "
            "in the same direction."
        )
    text = f"Your expected lifts run {ratio:.1f} times the measured ones"
    if ratio < 0.9:
        return text + ": the team expects less than it gets."
    return text + "."


def correlation_sentence(name: str, result: RankCorrelation | None) -> str:
    """What an ICE score's rank correlation with the outcome says, or that
    there are too few decisions to tell.

    >>> correlation_sentence("Impact", RankCorrelation(0.8, (-0.5, 0.99), 5, True))
    'Too few decisions to tell how Impact relates to winning: 5 of the 10 needed.'
    """
    if result is None or result.too_few:
        n = result.n if result else 0
        return (
            f"Too few decisions to tell how {name} relates to winning: "
            f"{n} of the {MIN_FOR_CORRELATION} needed."
        )
    if result.rho is None or result.interval is None:
        return f"Every decision had the same {name} or the same outcome, so nothing can be told."
    low, high = result.interval
    figures = f"(rank correlation {result.rho:+.2f}, 95% CI {low:+.2f} to {high:+.2f})"
    if result.clear and result.rho > 0:
        return f"Higher {name} scores went with more wins {figures}."
    if result.clear:
        return f"Higher {name} scores went with fewer wins {figures}: rethink how it is scored."
    return f"No clear relation between {name} and winning {figures}."


def calibration_line(report: CalibrationReport) -> str:
    """The calibration in one line, for the executive dashboard."""
    if report.brier is None:
        return "No decided experiment had a forecast yet."
    skill = (
        f"skill {report.skill:+.2f} against always forecasting the team's win rate"
        if report.skill is not None
        else "skill undefined (every outcome was the same)"
    )
    return f"Brier {report.brier:.3f} over {report.n} forecasts, {skill}."
