"""Looking every week without fooling yourselves: group-sequential boundaries spent by
information fraction (Lan and DeMets), the sample-size inflation they cost, conditional
power, and the always-valid confidence sequence GrowthBook uses.

The boundaries come from recursive numerical integration of the score process over
the earlier continuation regions (Armitage, McPherson and Rowe, 1969; Jennison and
Turnbull, 2000, chapter 19). The conventions, with their references, are in
``experiments/STATISTICS.md``.

>>> [round(z, 4) for z in spending_bounds([0.2, 0.4, 0.6, 0.8, 1.0], spending="pocock")]
[2.438, 2.4268, 2.4102, 2.3966, 2.386]
>>> round(sequential_inflation(5), 3)
1.025
>>> round(always_valid_interval(0.0, 0.1, 1000, tuning_n=5000)[1], 6)
0.336389
"""

from __future__ import annotations

import functools
import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import NDArray
from scipy import optimize, special

from experiments.stats import checks

__all__ = [
    "SPENDING",
    "ConditionalPower",
    "Spending",
    "alpha_spent",
    "always_valid_critical_z",
    "always_valid_interval",
    "always_valid_p_value",
    "conditional_power",
    "crossing_probabilities",
    "design_drift",
    "nominal_alpha",
    "sequential_inflation",
    "spending_bounds",
]

Spending = Literal["obrien-fleming", "pocock"]
SPENDING: tuple[Spending, ...] = ("obrien-fleming", "pocock")

# Grid spacing in standard deviations of the narrowest normal kernel, and the most
# points one continuation region may hold (Simpson's rule: the error falls as h^4).
_POINTS_PER_SD = 16
_MAX_POINTS = 6001
# Beyond this many standard deviations the density is below 1e-22: not integrated.
_TAIL_SD = 10.0
# Looks closer than this (in information) carry no new information worth a boundary.
_MIN_STEP = 1e-4
_ROW_CHUNK = 512

Floats = NDArray[np.float64]


def alpha_spent(
    information: float, *, alpha: float = 0.05, spending: Spending = "obrien-fleming"
) -> float:
    """The Lan-DeMets spending function: the alpha spent by information ``information``.

    ``"obrien-fleming"``: each side spends 2 - 2 Phi(z_{1-a/2} / sqrt(t)) of its
    a = alpha / 2, the symmetric two-sided convention of ldbounds, gsDesign and rpact;
    ``"pocock"``: alpha ln(1 + (e - 1) t). A fraction above 1 spends all of ``alpha``.

    >>> round(alpha_spent(0.5), 5), alpha_spent(1.0), round(alpha_spent(0.5, spending="pocock"), 5)
    (0.00305, 0.05, 0.03101)
    """
    checks.alpha_and_power(alpha)
    _check_spending(spending)
    t = min(1.0, checks.positive("information", information))
    if t >= 1.0:
        return alpha
    if spending == "obrien-fleming":
        z = float(special.ndtri(1.0 - alpha / 4.0))
        return float(4.0 * special.ndtr(-z / math.sqrt(t)))
    return alpha * math.log(1.0 + (math.e - 1.0) * t)


def spending_bounds(
    information: Sequence[float],
    *,
    alpha: float = 0.05,
    spending: Spending = "obrien-fleming",
) -> tuple[float, ...]:
    """The two-sided critical values |z| for looks at the given information fractions.

    ``information`` is increasing, each fraction in (0, 1] (a fraction above 1 is
    taken as 1, so only the last look may reach it; the last may be below 1 when the
    test stops early). Under no difference, the chance of first crossing at look k is
    ``alpha_spent(t_k) - alpha_spent(t_{k-1})``, so the boundaries together spend
    exactly ``alpha_spent`` of the last look.

    >>> [round(z, 4) for z in spending_bounds([0.2, 0.4, 0.6, 0.8, 1.0])]
    [4.8769, 3.357, 2.6803, 2.2898, 2.031]
    >>> [round(z, 6) for z in spending_bounds([1.0])]
    [1.959964]
    """
    checks.alpha_and_power(alpha)
    _check_spending(spending)
    fractions = _fractions(information)
    spent = [alpha_spent(t, alpha=alpha, spending=spending) for t in fractions]
    bounds: list[float] = []
    density: _Density | None = None
    previous_spent = 0.0
    for k, (t, total) in enumerate(zip(fractions, spent, strict=True)):
        target = total - previous_spent
        previous_spent = total
        if density is None:
            c = float(-special.ndtri(target / 2.0)) if target > 0 else math.inf
        else:
            c = _solve_bound(density, t, target)
        bounds.append(c)
        if k + 1 < len(fractions):
            density = _advance(density, t, c, drift=0.0, step=_step(fractions, k))
    return tuple(bounds)


def nominal_alpha(critical_z: float) -> float:
    """The two-sided level a look is tested at: 2 - 2 Phi(c).

    >>> round(nominal_alpha(1.959964), 4)
    0.05
    """
    return float(2.0 * special.ndtr(-critical_z))


def crossing_probabilities(
    information: Sequence[float], bounds: Sequence[float], *, drift: float = 0.0
) -> tuple[float, ...]:
    """The chance of first crossing (either side) at each look, when the z statistic at
    full information has mean ``drift``; with no drift they are the alpha spent per look.

    >>> bounds = spending_bounds([0.5, 1.0])
    >>> [round(p, 5) for p in crossing_probabilities([0.5, 1.0], bounds)]
    [0.00305, 0.04695]
    """
    fractions = _fractions(information)
    if len(bounds) != len(fractions):
        raise ValueError("bounds must give one critical value per look")
    probabilities: list[float] = []
    density: _Density | None = None
    for k, (t, c) in enumerate(zip(fractions, bounds, strict=True)):
        if density is None:
            mean, sd = drift * t, math.sqrt(t)
            b = c * sd
            p = float(special.ndtr((mean - b) / sd) + special.ndtr((-b - mean) / sd))
        else:
            p = _crossing(density, t, c, drift)
        probabilities.append(p)
        if k + 1 < len(fractions):
            density = _advance(density, t, c, drift=drift, step=_step(fractions, k))
    return tuple(probabilities)


def design_drift(
    information: Sequence[float] | int,
    *,
    alpha: float = 0.05,
    power: float = 0.8,
    spending: Spending = "obrien-fleming",
) -> float:
    """The mean of z at full information that gives the design its power: with one
    look it is z_{1-alpha/2} + z_{power} (nearly), with more looks a little more.

    >>> round(design_drift(1), 4)
    2.8016
    """
    fractions = _checked_design(information, alpha, power, spending)
    return _design_drift(fractions, float(alpha), float(power), spending)


@functools.lru_cache(maxsize=256)
def _design_drift(
    fractions: tuple[float, ...], alpha: float, power: float, spending: Spending
) -> float:
    """Cached: every saved result set of a weekly design asks for the same drift."""
    bounds = spending_bounds(fractions, alpha=alpha, spending=spending)

    def shortfall(drift: float) -> float:
        return math.fsum(crossing_probabilities(fractions, bounds, drift=drift)) - power

    guess = float(special.ndtri(1.0 - alpha / 2.0) + special.ndtri(power))
    high = guess * 1.5 + 1.0
    while shortfall(high) < 0:
        high *= 2.0
    root: float = optimize.brentq(shortfall, 0.0, high, xtol=1e-10)
    return root


def sequential_inflation(
    looks: Sequence[float] | int,
    *,
    alpha: float = 0.05,
    power: float = 0.8,
    spending: Spending = "obrien-fleming",
) -> float:
    """The maximum sample size of the design over the fixed design's, for ``looks``
    equally spaced looks or a sequence of planned information fractions.

    >>> round(sequential_inflation(5, spending="pocock"), 3)
    1.212
    >>> sequential_inflation(1)
    1.0
    """
    fractions = _checked_design(looks, alpha, power, spending)
    if len(fractions) == 1 and fractions[0] == 1.0:
        return 1.0
    sequential = design_drift(fractions, alpha=alpha, power=power, spending=spending)
    fixed = design_drift((1.0,), alpha=alpha, power=power, spending=spending)
    return (sequential / fixed) ** 2


@dataclass(frozen=True, slots=True)
class ConditionalPower:
    """The chance the test ends significant at the planned maximum, given the data so far.

    Attributes:
        current_trend: if the effect is what the data estimate now.
        planned_effect: if the effect is the one the design was planned for.
    """

    current_trend: float
    planned_effect: float


def conditional_power(
    z: float,
    information: float,
    *,
    final_critical_z: float,
    planned_drift: float,
) -> ConditionalPower:
    """The meeting's "is it worth continuing?": from z at ``information`` (a fraction of
    the maximum), the chance that |z| at the maximum reaches ``final_critical_z``.

    ``planned_drift`` is the mean of z at the maximum under the planned effect, signed
    the way the planned effect points (see :func:`design_drift`). The later looks'
    boundaries are ignored (Lan, Simon and Halperin, 1982; Jennison and Turnbull,
    2000, section 10.6), which makes the figure slightly conservative.

    >>> cp = conditional_power(1.0, 0.5, final_critical_z=2.0, planned_drift=2.8)
    >>> round(cp.current_trend, 3), round(cp.planned_effect, 3)
    (0.204, 0.56)
    """
    z = checks.finite("z", z)
    t = min(1.0, checks.positive("information", information))
    if t >= 1.0:
        reached = 1.0 if abs(z) >= final_critical_z else 0.0
        return ConditionalPower(current_trend=reached, planned_effect=reached)
    score = z * math.sqrt(t)

    def chance(drift: float) -> float:
        mean, sd = score + drift * (1.0 - t), math.sqrt(1.0 - t)
        upper = special.ndtr((mean - final_critical_z) / sd)
        lower = special.ndtr((-final_critical_z - mean) / sd)
        return float(min(1.0, upper + lower))

    return ConditionalPower(
        current_trend=chance(score / t),
        planned_effect=chance(checks.finite("planned_drift", planned_drift)),
    )


# --- always valid ----------------------------------------------------------------------


def _rho_squared(alpha: float, tuning_n: float) -> float:
    # Waudby-Smith et al. (2023), eq. 161, as gbstats' sequential_rho (two-sided).
    log_term = -2.0 * math.log(alpha)
    return (log_term + math.log(log_term + 1.0)) / tuning_n


def always_valid_critical_z(n: float, *, tuning_n: float, alpha: float = 0.05) -> float:
    """The half-width of the confidence sequence in standard errors after ``n`` units.

    >>> round(always_valid_critical_z(400, tuning_n=400), 4)
    3.0352
    """
    checks.alpha_and_power(alpha)
    n = checks.positive("n", n)
    rho2 = _rho_squared(alpha, checks.positive("tuning_n", tuning_n))
    grown = n * rho2 + 1.0
    return math.sqrt(2.0 * grown * math.log(math.sqrt(grown) / alpha) / (n * rho2))


def always_valid_interval(
    estimate: float, standard_error: float, n: float, *, tuning_n: float, alpha: float = 0.05
) -> tuple[float, float]:
    """The asymptotic confidence sequence of Waudby-Smith et al. (2023, eq. 9), as
    GrowthBook's gbstats computes it: valid at every look, whenever one stops.

    ``n`` is the units behind the estimate so far (both arms); ``tuning_n`` is the
    size at which the sequence is narrowest (Revloop: the planned total).

    >>> [round(b, 6) for b in always_valid_interval(0.0, 0.1, 400, tuning_n=5000)]
    [-0.408586, 0.408586]
    >>> [round(b, 6) for b in always_valid_interval(0.0, 0.1, 400, tuning_n=400)]
    [-0.303521, 0.303521]
    """
    estimate = checks.finite("estimate", estimate)
    se = checks.positive("standard_error", standard_error)
    half = se * always_valid_critical_z(n, tuning_n=tuning_n, alpha=alpha)
    return estimate - half, estimate + half


def always_valid_p_value(
    estimate: float, standard_error: float, n: float, *, tuning_n: float, alpha: float = 0.05
) -> float:
    """The always-valid p-value of no difference (gbstats: one over the e-value of
    Waudby-Smith et al., eq. 155); below ``alpha`` exactly when the interval of
    :func:`always_valid_interval` excludes zero.

    >>> round(always_valid_p_value(0.35, 0.1, 1000, tuning_n=5000), 4)
    0.0375
    """
    checks.alpha_and_power(alpha)
    estimate = checks.finite("estimate", estimate)
    se = checks.positive("standard_error", standard_error)
    n = checks.positive("n", n)
    rho2 = _rho_squared(alpha, checks.positive("tuning_n", tuning_n))
    grown = n * rho2 + 1.0
    # log of the e-value, so that a huge statistic neither overflows nor rounds to 0
    log_e = rho2 * n * (estimate / se) ** 2 / (2.0 * grown) - 0.5 * math.log(grown)
    return min(1.0, math.exp(-log_e)) if log_e > -700 else 1.0


# --- the recursion ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Density:
    """The sub-density of the score S_k = Z_k sqrt(t_k) over the continuation region
    at look k, on a grid, with Simpson weights folded in."""

    t: float
    points: Floats
    weighted: Floats  # density times Simpson weight


def _grid(low: float, high: float, step: float) -> tuple[Floats, Floats]:
    intervals = max(2, math.ceil((high - low) / step))
    intervals += intervals % 2
    intervals = min(intervals, _MAX_POINTS - 1)
    points = np.linspace(low, high, intervals + 1)
    weights = np.ones(intervals + 1)
    weights[1:-1:2] = 4.0
    weights[2:-1:2] = 2.0
    weights *= (high - low) / (3.0 * intervals)
    return points, weights


def _region(t: float, c: float, drift: float) -> tuple[float, float]:
    sd = math.sqrt(t)
    b = c * sd if math.isfinite(c) else math.inf
    return max(-b, drift * t - _TAIL_SD * sd), min(b, drift * t + _TAIL_SD * sd)


def _advance(
    density: _Density | None, t: float, c: float, *, drift: float, step: float
) -> _Density:
    """The density at look t over |S| < c sqrt(t), from the one at the previous look."""
    low, high = _region(t, c, drift)
    points, weights = _grid(low, high, step)
    if density is None:
        sd = math.sqrt(t)
        values = np.exp(-0.5 * ((points - drift * t) / sd) ** 2) / (sd * math.sqrt(2 * math.pi))
    else:
        gap = t - density.t
        sd = math.sqrt(gap)
        values = np.empty_like(points)
        shift = drift * gap
        for start in range(0, points.size, _ROW_CHUNK):
            rows = points[start : start + _ROW_CHUNK]
            # Only the earlier points within reach of the kernel matter (a band).
            first, last = np.searchsorted(
                density.points,
                [rows[0] - shift - _TAIL_SD * sd, rows[-1] - shift + _TAIL_SD * sd],
            )
            earlier = density.points[first:last]
            kernel = np.exp(-0.5 * ((rows[:, None] - earlier[None, :] - shift) / sd) ** 2)
            values[start : start + _ROW_CHUNK] = kernel @ density.weighted[first:last]
        values /= sd * math.sqrt(2 * math.pi)
    return _Density(t=t, points=points, weighted=values * weights)


def _crossing(density: _Density, t: float, c: float, drift: float) -> float:
    gap = t - density.t
    sd = math.sqrt(gap)
    b = c * math.sqrt(t)
    mean = density.points + drift * gap
    tails = special.ndtr((mean - b) / sd) + special.ndtr((-b - mean) / sd)
    return float(np.dot(density.weighted, tails))


def _solve_bound(density: _Density, t: float, target: float) -> float:
    """The critical value at look t whose first-crossing chance is ``target``."""
    if target <= 0.0:
        return math.inf
    continuing = _crossing(density, t, 0.0, 0.0)
    if target >= continuing:
        return 0.0
    log_target = math.log(target)

    def excess(c: float) -> float:
        p = _crossing(density, t, c, 0.0)
        return (math.log(p) if p > 0 else -1e300) - log_target

    high = 10.0
    while excess(high) > 0:
        high *= 2.0
    root: float = optimize.brentq(excess, 0.0, high, xtol=1e-10)
    return root


def _step(fractions: Sequence[float], k: int) -> float:
    """The grid spacing at look k: a fraction of the standard deviation of the
    narrower of the kernels into and out of it."""
    into = fractions[k] - (fractions[k - 1] if k else 0.0)
    out = fractions[k + 1] - fractions[k] if k + 1 < len(fractions) else into
    return math.sqrt(min(into, out)) / _POINTS_PER_SD


# --- checks ----------------------------------------------------------------------------


def _fractions(information: Sequence[float]) -> tuple[float, ...]:
    if isinstance(information, (str, bytes)) or not isinstance(information, Sequence):
        raise TypeError("information must be a sequence of fractions, such as [0.5, 1.0]")
    if not information:
        raise ValueError("information must hold at least one look")
    fractions = tuple(min(1.0, checks.positive("information", t)) for t in information)
    for earlier, later in itertools.pairwise(fractions):
        if later - earlier < _MIN_STEP:
            raise ValueError(
                "information must increase from look to look (by at least 0.0001), and"
                f" only the last look may reach 1; got {earlier:g} then {later:g}"
            )
    return fractions


def _planned(looks: Sequence[float] | int) -> tuple[float, ...]:
    if isinstance(looks, bool):
        raise TypeError(f"looks must be a whole number or a sequence of fractions, got {looks!r}")
    if isinstance(looks, int):
        if not 1 <= looks <= 50:
            raise ValueError(f"looks must be between 1 and 50, got {looks}")
        return tuple(k / looks for k in range(1, looks + 1))
    fractions = _fractions(looks)
    if fractions[-1] != 1.0:
        raise ValueError("a planned design's last look must be at the maximum (fraction 1)")
    return fractions


def _checked_design(
    looks: Sequence[float] | int, alpha: float, power: float, spending: str
) -> tuple[float, ...]:
    """A planned design's information fractions, once its settings are checked."""
    fractions = _planned(looks)
    checks.alpha_and_power(alpha, power)
    _check_spending(spending)
    return fractions


def _check_spending(spending: str) -> None:
    if spending not in SPENDING:
        raise ValueError(f"spending must be 'obrien-fleming' or 'pocock', got {spending!r}")
