"""What shipped winners are worth: lifts shrunk for the winner's curse, their
annual value with an interval, and whether the gain held after shipping.

The model (normal-normal, empirical Bayes). Each decided experiment ``i``
measured a relative lift ``y_i`` with standard error ``s_i`` (read from its
95% interval). The true lifts are drawn from the programme's distribution::

    y_i | theta_i ~ Normal(theta_i, s_i**2)
    theta_i       ~ Normal(mu, tau**2)

``mu`` and ``tau**2`` are estimated from all decided experiments by the
method of moments (DerSimonian and Laird, 1986). The posterior of each true
lift is then Normal with::

    B_i     = tau**2 / (tau**2 + s_i**2)        (how much the data are trusted)
    shrunk  = mu + B_i * (y_i - mu)
    sd      = sqrt(B_i * s_i**2)

so a noisy lift moves most of the way to the programme mean and a precise
one barely moves. This is the James-Stein adjustment GrowthBook applies to
its experiment impact, with per-experiment variances. Selecting winners
because they measured high inflates their raw lifts (the winner's curse);
the shrunk lifts do not carry that bias.

>>> fit = fit_programme([0.30, 0.02, -0.01, 0.05], [0.10, 0.02, 0.02, 0.03])
>>> round(fit.mean, 4), round(fit.tau2, 5)
(0.0369, 0.00202)
>>> shrunk = fit.shrink(0.30, 0.10)
>>> round(shrunk.lift, 4)
0.081
"""

from __future__ import annotations

import enum
import math
from collections.abc import Sequence
from dataclasses import dataclass

from experiments.calibration import Z95
from experiments.stats import Mean, Proportion, Rate

WEEKS_PER_YEAR = 52
WEEKS_TO_TELL = 4


@dataclass(frozen=True, slots=True)
class ShrunkLift:
    """A lift after shrinkage toward the programme mean.

    Attributes:
        raw: the measured relative lift.
        lift: the posterior mean of the true lift.
        sd: its posterior standard deviation.
        interval: its 95% interval, ``lift -/+ 1.96 sd``.
        weight: ``B``, the share of the distance from the mean that is kept.
    """

    raw: float
    lift: float
    sd: float
    interval: tuple[float, float]
    weight: float


@dataclass(frozen=True, slots=True)
class ProgrammeFit:
    """The programme's distribution of true lifts.

    Attributes:
        mean: ``mu``, the precision-weighted mean lift.
        tau2: ``tau**2``, the spread of true lifts beyond what noise explains.
        k: how many experiments were fitted.
    """

    mean: float
    tau2: float
    k: int

    def shrink(self, lift: float, se: float) -> ShrunkLift:
        """The posterior of one experiment's true lift (see the module docstring).

        >>> round(ProgrammeFit(mean=0.0, tau2=0.01, k=10).shrink(0.2, 0.1).lift, 6)
        0.1
        """
        if not se > 0 or math.isinf(se):
            raise ValueError(f"a lift's standard error must be positive and finite, not {se}")
        weight = self.tau2 / (self.tau2 + se * se)
        shrunk = self.mean + weight * (lift - self.mean)
        sd = math.sqrt(weight) * se
        return ShrunkLift(
            raw=lift,
            lift=shrunk,
            sd=sd,
            interval=(shrunk - Z95 * sd, shrunk + Z95 * sd),
            weight=weight,
        )


def se_from_interval(interval: tuple[float, float], z: float = Z95) -> float:
    """The standard error behind a symmetric-enough 95% interval.

    >>> round(se_from_interval((0.0, 0.392)), 4)
    0.1
    """
    low, high = interval
    if not (math.isfinite(low) and math.isfinite(high)) or high <= low:
        raise ValueError(f"need a finite interval with low < high, not {interval}")
    return (high - low) / (2 * z)


def fit_programme(lifts: Sequence[float], ses: Sequence[float]) -> ProgrammeFit:
    """Estimate ``mu`` and ``tau**2`` by DerSimonian-Laird's method of moments.

    >>> fit_programme([0.1, 0.1, 0.1], [0.05, 0.05, 0.05])
    ProgrammeFit(mean=0.1, tau2=0.0, k=3)
    """
    if len(lifts) != len(ses):
        raise ValueError(f"lifts and standard errors must pair up: {len(lifts)}, {len(ses)}")
    if not lifts:
        raise ValueError("fitting the programme needs at least one decided experiment")
    for se in ses:
        if not se > 0 or math.isinf(se):
            raise ValueError(f"a lift's standard error must be positive and finite, not {se}")
    weights = [1 / (se * se) for se in ses]
    total = sum(weights)
    fixed = sum(w * y for w, y in zip(weights, lifts, strict=True)) / total
    q = sum(w * (y - fixed) ** 2 for w, y in zip(weights, lifts, strict=True))
    scale = total - sum(w * w for w in weights) / total
    k = len(lifts)
    tau2 = max(0.0, (q - (k - 1)) / scale) if k > 1 and scale > 0 else 0.0
    random = [1 / (se * se + tau2) for se in ses]
    mean = sum(w * y for w, y in zip(random, lifts, strict=True)) / sum(random)
    return ProgrammeFit(mean=round(mean, 12), tau2=round(tau2, 12), k=k)


@dataclass(frozen=True, slots=True)
class AnnualValue:
    """What a lift is worth over a year.

    Attributes:
        value: ``lift * weekly_volume * unit_value * 52`` (signed so that an
            improvement is positive when lower is better).
        interval: the same product over the lift's interval.
        se: the value's standard error, to add values together.
    """

    value: float
    interval: tuple[float, float]
    se: float


def annual_value(
    shrunk: ShrunkLift,
    *,
    weekly_volume: float,
    unit_value: float,
    lower_is_better: bool = False,
) -> AnnualValue:
    """Shrunk lift times baseline weekly volume times unit value times 52.

    ``weekly_volume`` is the metric's weekly level in its own units (won
    deals a week for a win rate, revenue a week for a deal size), so a
    relative lift of it is the extra units a week.

    >>> lift = ShrunkLift(raw=0.3, lift=0.1, sd=0.05, interval=(0.002, 0.198), weight=0.3)
    >>> result = annual_value(lift, weekly_volume=20, unit_value=1000)
    >>> round(result.value), [round(v) for v in result.interval]
    (104000, [2080, 205920])
    """
    if weekly_volume < 0 or not math.isfinite(weekly_volume):
        raise ValueError(f"the weekly volume must be zero or more, not {weekly_volume}")
    if not math.isfinite(unit_value):
        raise ValueError(f"the unit value must be a number, not {unit_value}")
    sign = -1.0 if lower_is_better else 1.0
    scale = sign * weekly_volume * unit_value * WEEKS_PER_YEAR
    ends = sorted((shrunk.interval[0] * scale, shrunk.interval[1] * scale))
    return AnnualValue(
        value=shrunk.lift * scale, interval=(ends[0], ends[1]), se=abs(scale) * shrunk.sd
    )


def total_value(values: Sequence[AnnualValue]) -> AnnualValue:
    """The sum of values, its interval from their standard errors added in
    quadrature (treating the winners' posteriors as independent).

    >>> a = AnnualValue(value=100.0, interval=(2.0, 198.0), se=50.0)
    >>> total = total_value([a, a])
    >>> total.value, [round(v, 1) for v in total.interval]
    (200.0, [61.4, 338.6])
    """
    value = sum(v.value for v in values)
    se = math.sqrt(sum(v.se * v.se for v in values))
    return AnnualValue(value=value, interval=(value - Z95 * se, value + Z95 * se), se=se)


class Persistence(enum.StrEnum):
    """Whether a shipped gain is still there."""

    held = "held"
    faded = "faded"
    too_early = "too early to tell"


Figures = Proportion | Mean | Rate


def persistence(
    before: Sequence[Figures],
    after: Sequence[Figures],
    *,
    lower_is_better: bool = False,
    weeks_to_tell: int = WEEKS_TO_TELL,
) -> Persistence:
    """Compare the metric's post-ship level with its pre-ship baseline by the
    same noise test the weekly review uses (the test ``compare`` reports, asked of
    ``significance`` at alpha 0.05): "held" when the level after shipping is better
    than before by more than chance explains, "faded" when it is not, and "too early to tell"
    until ``weeks_to_tell`` weekly readings exist after the ship date (or
    there is no reading before it).

    >>> before = [Proportion(100, 1000)] * 4
    >>> persistence(before, [Proportion(130, 1000)] * 4)
    <Persistence.held: 'held'>
    >>> persistence(before, [Proportion(101, 1000)] * 4)
    <Persistence.faded: 'faded'>
    >>> persistence(before, [Proportion(130, 1000)] * 3)
    <Persistence.too_early: 'too early to tell'>
    """
    if len(after) < weeks_to_tell or not before:
        return Persistence.too_early
    from experiments.stats import significance

    pre, post = _pool(before), _pool(after)
    result = significance(pre, post)
    better = result.difference < 0 if lower_is_better else result.difference > 0
    return Persistence.held if result.significant and better else Persistence.faded


def _pool(readings: Sequence[Figures]) -> Figures:
    first = readings[0]
    for reading in readings:
        if type(reading) is not type(first):
            raise ValueError("readings before and after shipping must be of one kind")
    pooled: Figures = first
    for reading in readings[1:]:
        pooled = pooled + reading
    return pooled
