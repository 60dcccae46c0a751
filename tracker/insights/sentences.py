"""The plain sentences the Insights page, the executive dashboard and the
retrospective put beside the numbers, in the reader's language."""

from __future__ import annotations

from experiments.calibration import MIN_FOR_CORRELATION, RankCorrelation
from tracker.bidi import ltr
from tracker.insights.calibration import CalibrationReport
from tracker.translation import _, ngettext


def ratio_sentence(ratio: float | None) -> str:
    """How expected lifts compare with measured ones.

    >>> ratio_sentence(2.1)
    'Your expected lifts run 2.1 times the measured ones.'
    >>> ratio_sentence(0.5)
    'Your expected lifts run 0.5 times the measured ones: the team expects less than it gets.'
    """
    if ratio is None:
        return _(
            "No decided experiment yet has both an expected and a measured lift "
            "in the same direction."
        )
    if ratio < 0.9:
        return _(
            "Your expected lifts run %(ratio)s times the measured ones: "
            "the team expects less than it gets.",
            ratio=ltr(f"{ratio:.1f}"),
        )
    return _(
        "Your expected lifts run %(ratio)s times the measured ones.", ratio=ltr(f"{ratio:.1f}")
    )


def correlation_sentence(name: str, result: RankCorrelation | None) -> str:
    """What an ICE score's rank correlation with the outcome says, or that
    there are too few decisions to tell. ``name`` is the score's name, already
    in the reader's language.

    >>> correlation_sentence("Impact", RankCorrelation(0.8, (-0.5, 0.99), 5, True))
    'Too few decisions to tell how Impact relates to winning: 5 of the 10 needed.'
    """
    if result is None or result.too_few:
        n = result.n if result else 0
        return _(
            "Too few decisions to tell how %(name)s relates to winning: "
            "%(n)s of the %(needed)s needed.",
            name=name,
            n=n,
            needed=MIN_FOR_CORRELATION,
        )
    if result.rho is None or result.interval is None:
        return _(
            "Every decision had the same %(name)s or the same outcome, so nothing can be told.",
            name=name,
        )
    low, high = result.interval
    figures = _(
        "(rank correlation %(rho)s, 95%% CI %(low)s to %(high)s)",
        rho=ltr(f"{result.rho:+.2f}"),
        low=ltr(f"{low:+.2f}"),
        high=ltr(f"{high:+.2f}"),
    )
    if result.clear and result.rho > 0:
        return _(
            "Higher %(name)s scores went with more wins %(figures)s.", name=name, figures=figures
        )
    if result.clear:
        return _(
            "Higher %(name)s scores went with fewer wins %(figures)s: rethink how it is scored.",
            name=name,
            figures=figures,
        )
    return _(
        "No clear relation between %(name)s and winning %(figures)s.", name=name, figures=figures
    )


def calibration_line(report: CalibrationReport) -> str:
    """The calibration in one line, for the executive dashboard."""
    if report.brier is None:
        return _("No decided experiment had a forecast yet.")
    if report.skill is not None:
        return ngettext(
            "Brier %(brier)s over %(num)d forecast, skill %(skill)s against always "
            "forecasting the team's win rate.",
            "Brier %(brier)s over %(num)d forecasts, skill %(skill)s against always "
            "forecasting the team's win rate.",
            report.n,
            brier=ltr(f"{report.brier:.3f}"),
            skill=ltr(f"{report.skill:+.2f}"),
        )
    return ngettext(
        "Brier %(brier)s over %(num)d forecast, skill undefined (every outcome was the same).",
        "Brier %(brier)s over %(num)d forecasts, skill undefined (every outcome was the same).",
        report.n,
        brier=ltr(f"{report.brier:.3f}"),
    )
