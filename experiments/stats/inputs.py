"""The inputs of a comparison: one arm's sufficient statistics.

Each kind is a frozen dataclass checked when it is made, built from raw values with
``from_values`` and merged with ``+`` exactly as if the raw data had been pooled.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterable
from dataclasses import dataclass

__all__ = ["Arm", "InsufficientDataError", "Mean", "Proportion", "Rate"]


class InsufficientDataError(ValueError):
    """The data cannot answer the question yet (for example, no conversions in either
    arm). The message says what is missing and what to do."""


def _count(name: str, value: object, minimum: int) -> int:
    """``value`` as an ``int`` no smaller than ``minimum``, or a message naming ``name``."""
    if isinstance(value, bool) or not isinstance(value, (numbers.Integral, float)):
        raise TypeError(f"{name} must be a whole number, got {value!r}")
    if isinstance(value, float) and not value.is_integer():
        raise TypeError(f"{name} must be a whole number, got {value!r}")
    count = int(value)
    if count < minimum:
        rule = "zero or more" if minimum == 0 else f"at least {minimum}"
        raise ValueError(f"{name} must be {rule}, got {count}")
    return count


def _real(name: str, value: object) -> float:
    """``value`` as a finite ``float``, or a message naming ``name``."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a number, got {value!r}")
    number = float(value)
    if not math.isfinite(number):
        raise ValueError(f"{name} must be a finite number, got {number}")
    return number


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
        trials = _count("trials", self.trials, 1)
        successes = _count("successes", self.successes, 0)
        if successes > trials:
            raise ValueError(
                f"successes ({successes}) must not be above trials ({trials}):"
                " each trial converts at most once"
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
        n = _count("n", self.n, 0)
        if n < 2:
            raise ValueError(f"n must be at least 2 to estimate a standard deviation, got {n}")
        mean = _real("mean", self.mean)
        sd = _real("sd", self.sd)
        if sd < 0:
            raise ValueError(f"sd must be zero or more, got {sd}")
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
        numbers_ = [_real("values", value) for value in values]
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
        events = _count("events", self.events, 0)
        exposure = _real("exposure", self.exposure)
        if exposure <= 0:
            raise ValueError(f"exposure must be above zero, got {exposure}")
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
        counts = [_count("values", value, 0) for value in values]
        if not counts:
            raise ValueError("values must hold at least one unit's count, got none")
        if exposures is None:
            return cls(sum(counts), float(len(counts)))
        spans = [_real("exposures", value) for value in exposures]
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
