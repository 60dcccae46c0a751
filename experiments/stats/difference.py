"""Whether a variant differs from control: the test statistic and its p-value, no intervals.

``compare`` reports a difference in full (its intervals, the lift, the chance to beat
control) and takes its statistic and p-value from here, so the test is written once. A
question that needs only the verdict, such as whether a shipped gain held, asks
``significance`` and gets the very same test without loading SciPy's optimiser:
proportions and rates need only the normal tail (the standard library's ``erfc``, the
function SciPy's ``ndtr`` is written with) and means Student's t (``_student``).

>>> from experiments.stats.inputs import Proportion
>>> test = significance(Proportion(100, 1000), Proportion(130, 1000))
>>> round(test.p_value, 4), test.significant, round(test.difference, 2)
(0.0355, True, 0.03)
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from experiments.stats._student import t_cdf
from experiments.stats.inputs import Arm, InsufficientDataError, Mean, Proportion, Rate
from experiments.stats.results import N_, Alternative

__all__ = ["Significance", "significance"]

ALTERNATIVES = ("two-sided", "larger", "smaller")


@dataclass(frozen=True, slots=True)
class Significance:
    """One test of variant against control.

    Attributes:
        difference: the variant's estimate minus control's.
        statistic: z (proportions, rates) or Welch's t (means).
        df: the degrees of freedom of t; ``None`` for a z statistic.
        standard_error: the standard error the statistic divides by.
        p_value: the p-value for the alternative tested.
        alpha: the significance level.
        significant: ``p_value < alpha``.
    """

    difference: float
    statistic: float
    df: float | None
    standard_error: float
    p_value: float
    alpha: float
    significant: bool


def significance(
    control: Arm,
    variant: Arm,
    *,
    alpha: float = 0.05,
    alternative: Alternative = "two-sided",
) -> Significance:
    """Test variant against control, both of one kind, as ``compare`` does."""
    check_alpha(alpha)
    check_alternative(alternative)
    check_kinds(control, variant)
    if isinstance(control, Proportion):
        assert isinstance(variant, Proportion)
        return proportions(control, variant, alpha, alternative)
    if isinstance(control, Mean):
        assert isinstance(variant, Mean)
        return means(control, variant, alpha, alternative)
    assert isinstance(variant, Rate)
    return rates(control, variant, alpha, alternative)


def normal_p_value(z: float, alternative: str) -> float:
    """The normal tail beyond ``z``: ``ndtr(x) = erfc(-x / sqrt 2) / 2``, exact in the tails."""
    if alternative == "two-sided":
        return math.erfc(abs(z) / math.sqrt(2.0))
    x = -z if alternative == "larger" else z
    return 0.5 * math.erfc(-x / math.sqrt(2.0))


def proportions(
    control: Proportion, variant: Proportion, alpha: float, alternative: str
) -> Significance:
    """The score test of two proportions at no difference: the pooled z-test."""
    x1, n1, x2, n2 = variant.successes, variant.trials, control.successes, control.trials
    if x1 + x2 == 0:
        raise InsufficientDataError(
            N_(
                "No successes in either arm yet, so nothing can be compared: keep the"
                " experiment running until some trials convert."
            )
        )
    if x1 + x2 == n1 + n2:
        raise InsufficientDataError(
            N_(
                "Every trial succeeded in both arms, so nothing can be compared: check the"
                " figures (successes and trials may be swapped) or keep collecting data."
            )
        )
    pooled = (x1 + x2) / (n1 + n2)
    se = math.sqrt(pooled * (1.0 - pooled) * (1.0 / n1 + 1.0 / n2))
    difference = x1 / n1 - x2 / n2
    return _normal(difference, difference / se, se, alpha, alternative)


def means(control: Mean, variant: Mean, alpha: float, alternative: str) -> Significance:
    """Welch's t-test."""
    se1, se2 = variant.sd / math.sqrt(variant.n), control.sd / math.sqrt(control.n)
    se = math.hypot(se1, se2)
    if se == 0.0:
        raise InsufficientDataError(
            N_(
                "Both arms have a standard deviation of zero, so the difference has no"
                " measurable uncertainty: check the figures, or collect more varied data."
            )
        )
    # Welch-Satterthwaite, written with each arm's share of the variance so that tiny
    # or huge standard deviations neither underflow nor overflow.
    w1, w2 = (se1 / se) ** 2, (se2 / se) ** 2
    df = 1.0 / (w1 * w1 / (variant.n - 1) + w2 * w2 / (control.n - 1))
    difference = variant.mean - control.mean
    t = difference / se
    if alternative == "two-sided":
        p_value = 2.0 * t_cdf(-abs(t), df)
    else:
        p_value = t_cdf(-t if alternative == "larger" else t, df)
    return Significance(difference, t, df, se, p_value, alpha, p_value < alpha)


def rates(control: Rate, variant: Rate, alpha: float, alternative: str) -> Significance:
    """The score test of two Poisson rates (statsmodels' ``test_poisson_2indep``,
    ``method="score"``, written the same way)."""
    y1, e1, y2, e2 = variant.events, variant.exposure, control.events, control.exposure
    if y1 + y2 == 0:
        raise InsufficientDataError(
            N_(
                "No events in either arm yet, so nothing can be compared: keep the experiment"
                " running until some events are recorded."
            )
        )
    r1, r2 = y1 / e1, y2 / e2
    if not (math.isfinite(r1) and math.isfinite(r2)):
        raise ValueError(
            "exposure is too small for floating point (a rate overflows): express the"
            " exposure in larger units"
        )
    r_d = 1.0 / (e2 / e1)
    se = math.sqrt((y1 + y2) * r_d)
    return _normal(r1 - r2, (y1 - y2 * r_d) / se, se, alpha, alternative)


def _normal(difference: float, z: float, se: float, alpha: float, alternative: str) -> Significance:
    p_value = normal_p_value(z, alternative)
    return Significance(difference, z, None, se, p_value, alpha, p_value < alpha)


def check_alpha(alpha: float) -> None:
    if isinstance(alpha, bool) or not isinstance(alpha, (int, float)):
        raise TypeError(f"alpha must be a number between 0 and 0.5, got {alpha!r}")
    if not 0.0 < alpha < 0.5:
        raise ValueError(f"alpha must be between 0 and 0.5 (such as 0.05), got {alpha}")


def check_alternative(alternative: str) -> None:
    if alternative not in ALTERNATIVES:
        raise ValueError(
            "alternative must be 'two-sided', 'larger' (variant above control) or"
            f" 'smaller', got {alternative!r}"
        )


def check_kinds(control: object, variant: object) -> None:
    if type(control) is not type(variant) or not isinstance(control, (Proportion, Mean, Rate)):
        raise TypeError(
            "control and variant must be of one kind (both Proportion, both Mean or both"
            f" Rate), got {type(control).__name__} and {type(variant).__name__}"
        )
