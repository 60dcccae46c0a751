"""How good a team's forecasts are: Brier scores, skill against the base rate,
calibration bins with Wilson intervals, and rank correlations with an interval.

A *forecast* is the probability a scorer gave, when the hypothesis was
scored, that its experiment would end as a win. Once the experiment is
decided its *outcome* is 1 (won) or 0 (lost or inconclusive).

>>> forecasts, outcomes = [0.9, 0.2, 0.6, 0.4], [1, 0, 1, 0]
>>> round(brier_score(forecasts, outcomes), 4)
0.0925
>>> round(reference_brier(outcomes, base_rate=0.5), 4)
0.25
>>> round(skill_score(0.0925, 0.25), 2)
0.63
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

Z95 = 1.959963984540054
BIN_EDGES = (0.0, 0.2, 0.4, 0.6, 0.8, 1.0)
# below this many decided experiments a rank correlation is not worth reading
MIN_FOR_CORRELATION = 10


def _check_pairs(forecasts: Sequence[float], outcomes: Sequence[int]) -> None:
    if len(forecasts) != len(outcomes):
        raise ValueError(
            f"forecasts and outcomes must pair up: {len(forecasts)} forecasts, "
            f"{len(outcomes)} outcomes"
        )
    if not forecasts:
        raise ValueError("a Brier score needs at least one decided forecast")
    for forecast in forecasts:
        if not 0.0 <= forecast <= 1.0 or math.isnan(forecast):
            raise ValueError(f"a forecast is a probability between 0 and 1, not {forecast}")
    for outcome in outcomes:
        if outcome not in (0, 1):
            raise ValueError(f"an outcome is 1 (won) or 0 (lost or inconclusive), not {outcome}")


def brier_score(forecasts: Sequence[float], outcomes: Sequence[int]) -> float:
    """The mean squared gap between forecast and outcome: 0 is perfect, 0.25
    is what always saying 50% earns, 1 is always certain and always wrong.

    >>> brier_score([1.0, 0.0], [1, 0])
    0.0
    >>> brier_score([0.7], [0])
    0.48999999999999994
    """
    _check_pairs(forecasts, outcomes)
    return sum((f - o) ** 2 for f, o in zip(forecasts, outcomes, strict=True)) / len(forecasts)


def base_rate(outcomes: Sequence[int]) -> float:
    """The share of outcomes that were wins.

    >>> base_rate([1, 0, 0, 1, 0])
    0.4
    """
    if not outcomes:
        raise ValueError("a base rate needs at least one outcome")
    return sum(outcomes) / len(outcomes)


def reference_brier(outcomes: Sequence[int], *, base_rate: float | None = None) -> float:
    """The Brier score of always forecasting ``base_rate`` (by default the
    share of these outcomes that won: the forecaster who knows only the
    team's win rate).

    >>> reference_brier([1, 0, 0, 0])
    0.1875
    >>> reference_brier([1, 0, 0, 0], base_rate=0.5)
    0.25
    """
    rate = _base_rate(outcomes) if base_rate is None else base_rate
    return brier_score([rate] * len(outcomes), outcomes)


_base_rate = base_rate


def skill_score(brier: float, reference: float) -> float:
    """``1 - brier / reference``: 1 is perfect, 0 is no better than the base
    rate, below 0 is worse than it.

    >>> round(skill_score(0.15, 0.2), 6)
    0.25
    """
    if reference <= 0:
        raise ValueError(
            "the reference Brier score is 0 (every outcome was the same), so skill is undefined"
        )
    return 1.0 - brier / reference


def wilson_interval(successes: int, trials: int, z: float = Z95) -> tuple[float, float]:
    """Wilson's score interval for a proportion (95% by default).

    >>> low, high = wilson_interval(3, 7)
    >>> round(low, 3), round(high, 3)
    (0.158, 0.75)
    >>> wilson_interval(0, 0)
    (0.0, 1.0)
    """
    if trials < 0 or not 0 <= successes <= max(trials, 0):
        raise ValueError(f"need 0 <= successes <= trials, got {successes} of {trials}")
    if trials == 0:
        return (0.0, 1.0)
    share = successes / trials
    denominator = 1 + z * z / trials
    centre = (share + z * z / (2 * trials)) / denominator
    half = z * math.sqrt(share * (1 - share) / trials + z * z / (4 * trials * trials)) / denominator
    # the bounds are exact at 0 and at n: rounding must not move them off
    low = 0.0 if successes == 0 else max(0.0, centre - half)
    high = 1.0 if successes == trials else min(1.0, centre + half)
    return (low, high)


@dataclass(frozen=True, slots=True)
class CalibrationBin:
    """Forecasts that fell in ``[low, high)`` (the last bin includes 1).

    Attributes:
        low, high: the bin's edges as probabilities.
        n: how many decided forecasts fell in it.
        won: how many of those ended as a win.
        mean_forecast: their average forecast (None when the bin is empty).
        share_won: ``won / n`` (None when empty).
        interval: the 95% Wilson interval of ``share_won``.
    """

    low: float
    high: float
    n: int
    won: int
    mean_forecast: float | None
    share_won: float | None
    interval: tuple[float, float]


def calibration_bins(
    forecasts: Sequence[float], outcomes: Sequence[int], edges: Sequence[float] = BIN_EDGES
) -> list[CalibrationBin]:
    """Forecasts grouped in bins (0-20%, ..., 80-100%) against the share that won.

    >>> bins = calibration_bins([0.1, 0.15, 0.7, 0.75, 0.95], [0, 1, 1, 0, 1])
    >>> [(b.n, b.won) for b in bins]
    [(2, 1), (0, 0), (0, 0), (2, 1), (1, 1)]
    >>> bins[0].share_won, bins[1].share_won
    (0.5, None)
    """
    if forecasts:
        _check_pairs(forecasts, outcomes)
    groups: list[list[tuple[float, int]]] = [[] for _ in range(len(edges) - 1)]
    for forecast, outcome in zip(forecasts, outcomes, strict=True):
        index = next((i for i in range(len(edges) - 1) if forecast < edges[i + 1]), len(edges) - 2)
        groups[index].append((forecast, outcome))
    bins = []
    for i, group in enumerate(groups):
        n, won = len(group), sum(o for _, o in group)
        bins.append(
            CalibrationBin(
                low=edges[i],
                high=edges[i + 1],
                n=n,
                won=won,
                mean_forecast=sum(f for f, _ in group) / n if n else None,
                share_won=won / n if n else None,
                interval=wilson_interval(won, n),
            )
        )
    return bins


@dataclass(frozen=True, slots=True)
class RankCorrelation:
    """Spearman's rank correlation with a 95% interval.

    The interval is Fisher's z transform of rho with the Bonett-Wright (2000)
    standard error ``sqrt((1 + rho**2 / 2) / (n - 3))``, which holds its
    coverage for Spearman's rho where Fisher's ``1 / sqrt(n - 3)`` is too narrow.

    Attributes:
        rho: the rank correlation (None when either side has no spread or n < 4).
        interval: its 95% interval (None with rho).
        n: how many pairs.
        too_few: True below ``MIN_FOR_CORRELATION`` pairs: too few decisions to tell.
    """

    rho: float | None
    interval: tuple[float, float] | None
    n: int
    too_few: bool

    @property
    def clear(self) -> bool:
        """Enough pairs, and the interval excludes zero."""
        return (
            not self.too_few
            and self.interval is not None
            and (self.interval[0] > 0 or self.interval[1] < 0)
        )


def _ranks(values: Sequence[float]) -> list[float]:
    """Ranks from 1, ties sharing their average rank."""
    order = sorted(range(len(values)), key=lambda i: values[i])
    ranks = [0.0] * len(values)
    start = 0
    while start < len(order):
        end = start
        while end + 1 < len(order) and values[order[end + 1]] == values[order[start]]:
            end += 1
        for k in range(start, end + 1):
            ranks[order[k]] = (start + end) / 2 + 1
        start = end + 1
    return ranks


def _pearson(x: Sequence[float], y: Sequence[float]) -> float | None:
    mx, my = sum(x) / len(x), sum(y) / len(y)
    sxy = sum((a - mx) * (b - my) for a, b in zip(x, y, strict=True))
    sxx = sum((a - mx) ** 2 for a in x)
    syy = sum((b - my) ** 2 for b in y)
    if sxx == 0 or syy == 0:
        return None
    return max(-1.0, min(1.0, sxy / math.sqrt(sxx * syy)))


def rank_correlation(x: Sequence[float], y: Sequence[float]) -> RankCorrelation:
    """Spearman's rho between ``x`` and ``y`` with its 95% interval.

    >>> result = rank_correlation([1, 2, 3, 4, 5], [2, 1, 4, 3, 5])
    >>> result.rho, result.too_few
    (0.8, True)
    >>> [round(v, 3) for v in result.interval]
    [-0.457, 0.991]
    """
    if len(x) != len(y):
        raise ValueError(f"x and y must pair up: {len(x)} against {len(y)}")
    n = len(x)
    rho = _pearson(_ranks(x), _ranks(y)) if n >= 4 else None
    interval = None
    if rho is not None:
        se = math.sqrt((1 + rho * rho / 2) / (n - 3))
        z = math.atanh(max(-0.999999, min(0.999999, rho)))
        # at |rho| = 1 the transform is infinite; the clamp keeps rho inside
        interval = (min(rho, math.tanh(z - Z95 * se)), max(rho, math.tanh(z + Z95 * se)))
    return RankCorrelation(rho=rho, interval=interval, n=n, too_few=n < MIN_FOR_CORRELATION)


def median_ratio(expected: Sequence[float], measured: Sequence[float]) -> float | None:
    """The median of expected / measured over pairs whose measured lift is in
    the expected direction and not zero (a ratio against a loss says nothing
    about size). None when no pair qualifies.

    >>> median_ratio([0.12, 0.10, 0.05], [0.303, 0.05, -0.02])
    1.198019801980198
    """
    ratios = sorted(
        e / m
        for e, m in zip(expected, measured, strict=True)
        if m != 0 and e != 0 and (e > 0) == (m > 0)
    )
    if not ratios:
        return None
    middle = len(ratios) // 2
    if len(ratios) % 2:
        return ratios[middle]
    return (ratios[middle - 1] + ratios[middle]) / 2
