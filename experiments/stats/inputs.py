"""The inputs of a comparison: one arm's sufficient statistics.

Each kind is a frozen dataclass checked when it is made, built from raw values with
``from_values`` and merged with ``+`` exactly as if the raw data had been pooled.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

from experiments.stats import checks
from experiments.stats.results import N_

__all__ = ["Arm", "InsufficientDataError", "Mean", "Proportion", "Rate"]


class InsufficientDataError(ValueError):
    """The data cannot answer the question yet (for example, no conversions in either
    arm). The message says what is missing and what to do."""


@dataclass(frozen=True, slots=True)
class Proportion:
    """Successes out of trials in one arm, such as SQLs out of MQLs.

    Attributes:
        successes: the number of trials that converted, from 0 to ``trials``.
        trials: the number of trials, at least 1.

    >>> Proportion(30, 200) + Proportion(12, 100)
    Proportion(successes=42, trials=300)
    >>> Proportion.from_values([1, 0, True, False])
    Proportion(successes=2, trials=4)
    """

    successes: int
    trials: int

    def __post_init__(self) -> None:
        trials = checks.count("trials", self.trials, 1)
        successes = checks.count("successes", self.successes, 0)
        checks.not_above(
            "successes", successes, "trials", trials, why=N_("each trial converts at most once")
        )
        object.__setattr__(self, "successes", successes)
        object.__setattr__(self, "trials", trials)

    @property
    def estimate(self) -> float:
        """The observed proportion, successes / trials."""
        return self.successes / self.trials

    @classmethod
    def from_values(cls, values: Iterable[object]) -> Proportion:
        """One arm from its raw outcomes: 0 and 1, or booleans."""
        successes = trials = 0
        for value in values:
            if value is True or value is False or value in (0, 1):
                successes += int(value)
                trials += 1
            else:
                raise ValueError(f"values must be 0 or 1 (or booleans), got {value!r}")
        if trials == 0:
            raise ValueError("values must hold at least one outcome, got none")
        return cls(successes, trials)

    def __add__(self, other: object) -> Proportion:
        if not isinstance(other, Proportion):
            return NotImplemented
        return Proportion(self.successes + other.successes, self.trials + other.trials)


@dataclass(frozen=True, slots=True)
class Mean:
    """The mean of a number per unit in one arm, such as deal size or days to close.

    Attributes:
        n: the number of units, at least 2.
        mean: their mean.
        sd: their sample standard deviation (``n - 1`` denominator), zero or more.

    >>> Mean.from_values([1.0, 2.0, 3.0])
    Mean(n=3, mean=2.0, sd=1.0)
    >>> Mean.from_values([1.0, 2.0]) + Mean.from_values([3.0, 4.0]) == Mean.from_values(
    ...     [1.0, 2.0, 3.0, 4.0]
    ... )
    True
    """

    n: int
    mean: float
    sd: float

    def __post_init__(self) -> None:
        n = checks.count("n", self.n, 2, why=N_("to estimate a standard deviation"))
        mean = checks.finite("mean", self.mean)
        sd = checks.finite("sd", self.sd)
        checks.at_least("sd", sd, 0)
        object.__setattr__(self, "n", n)
        object.__setattr__(self, "mean", mean)
        object.__setattr__(self, "sd", sd)

    @property
    def estimate(self) -> float:
        """The observed mean."""
        return self.mean

    @classmethod
    def from_values(cls, values: Iterable[float]) -> Mean:
        """One arm from its raw numbers (at least two, all finite)."""
        numbers_ = [checks.finite("values", value) for value in values]
        n = len(numbers_)
        if n < 2:
            raise ValueError(f"values must hold at least 2 numbers, got {n}")
        mean = math.fsum(numbers_) / n
        sum_sq = math.fsum((value - mean) ** 2 for value in numbers_)
        return cls(n, mean, math.sqrt(sum_sq / (n - 1)))

    def __add__(self, other: object) -> Mean:
        if not isinstance(other, Mean):
            return NotImplemented
        n = self.n + other.n
        delta = other.mean - self.mean
        mean = self.mean + delta * other.n / n
        # Chan, Golub and LeVeque's pairwise update of the sums of squared deviations.
        sum_sq = (
            (self.n - 1) * self.sd**2
            + (other.n - 1) * other.sd**2
            + delta * delta * self.n * other.n / n
        )
        return Mean(n, mean, math.sqrt(sum_sq / (n - 1)))


@dataclass(frozen=True, slots=True)
class Rate:
    """Events over exposure in one arm, such as escalations per ticket.

    Attributes:
        events: the number of events, zero or more.
        exposure: the exposure they happened in (tickets, rep-weeks), above zero.

    >>> Rate(12, 400) + Rate(3, 100)
    Rate(events=15, exposure=500.0)
    >>> Rate.from_values([0, 2, 1])
    Rate(events=3, exposure=3.0)
    """

    events: int
    exposure: float

    def __post_init__(self) -> None:
        events = checks.count("events", self.events, 0)
        exposure = checks.positive("exposure", self.exposure)
        object.__setattr__(self, "events", events)
        object.__setattr__(self, "exposure", exposure)

    @property
    def estimate(self) -> float:
        """The observed rate, events / exposure."""
        return self.events / self.exposure

    @classmethod
    def from_values(
        cls, values: Iterable[object], exposures: Iterable[float] | None = None
    ) -> Rate:
        """One arm from the event count of each unit; each unit's exposure is 1 unless
        ``exposures`` gives them."""
        counts = [checks.count("values", value, 0) for value in values]
        if not counts:
            raise ValueError("values must hold at least one unit's count, got none")
        if exposures is None:
            return cls(sum(counts), float(len(counts)))
        spans = [checks.finite("exposures", value) for value in exposures]
        if len(spans) != len(counts):
            raise ValueError(
                f"exposures must give one exposure per value: {len(spans)} exposures"
                f" for {len(counts)} values"
            )
        return cls(sum(counts), math.fsum(spans))

    def __add__(self, other: object) -> Rate:
        if not isinstance(other, Rate):
            return NotImplemented
        return Rate(self.events + other.events, self.exposure + other.exposure)


Arm = Proportion | Mean | Rate
"""The sufficient statistics of one arm, of any kind."""
