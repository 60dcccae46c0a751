"""The argument checks the statistics share: one checker for a number, a count, a
share, alpha and power, whichever function takes them.

A refusal is an ``ArgumentError``: a ``ValueError`` (or, for a value of the wrong
type, a ``TypeError``) whose text names the argument, and which also carries the
argument's ``name``, the ``rule`` it broke and the numbers involved, so that an
application can write the sentence in its reader's language without reading the
English text.

>>> positive("sd", 0.0)
Traceback (most recent call last):
...
experiments.stats.checks.ArgumentValueError: sd must be above zero, got 0.0
>>> try:
...     count("n", 1, 2, why="to estimate a standard deviation")
... except ValueError as exc:
...     exc.name, exc.rule, exc.numbers["minimum"]
('n', 'at_least', 2)
"""

from __future__ import annotations

import math
import numbers as _numbers
from typing import Any

__all__ = [
    "ArgumentError",
    "ArgumentTypeError",
    "ArgumentValueError",
    "alpha_and_power",
    "count",
    "finite",
    "positive",
    "share",
]


class ArgumentError(Exception):
    """An argument a function refuses.

    Attributes:
        name: the argument (``"successes"``, ``"alpha"``).
        rule: what it broke: ``number``, ``whole``, ``finite``, ``at_least``,
            ``above_zero``, ``share``, ``alpha``, ``power`` or ``not_above``.
        numbers: the values the sentence needs (``value``, ``minimum``...), and
            ``why``, a phrase marked with ``N_`` for a catalogue, where a rule has one.
    """

    def __init__(self, message: str, *, name: str, rule: str, **values: Any) -> None:
        super().__init__(message)
        self.name = name
        self.rule = rule
        self.numbers = values


class ArgumentValueError(ArgumentError, ValueError):
    """A value out of its range."""


class ArgumentTypeError(ArgumentError, TypeError):
    """A value of the wrong type (text where a number goes, say)."""


def _is_number(value: object) -> bool:
    return not isinstance(value, bool) and isinstance(value, _numbers.Real)


def finite(name: str, value: object) -> float:
    """``value`` as a finite ``float``."""
    if not _is_number(value):
        raise ArgumentTypeError(
            f"{name} must be a number, got {value!r}", name=name, rule="number", value=value
        )
    number = float(value)  # type: ignore[arg-type]
    if not math.isfinite(number):
        raise ArgumentValueError(
            f"{name} must be a finite number, got {number}", name=name, rule="finite", value=number
        )
    return number


def positive(name: str, value: object) -> float:
    """``value`` as a finite ``float`` above zero."""
    number = finite(name, value)
    if number <= 0.0:
        raise ArgumentValueError(
            f"{name} must be above zero, got {number}", name=name, rule="above_zero", value=number
        )
    return number


def at_least(name: str, number: float, minimum: float, *, why: str = "") -> None:
    """Refuse ``number`` below ``minimum`` (``why`` ends the sentence)."""
    if number < minimum:
        rule = "zero or more" if minimum == 0 else f"at least {minimum}"
        reason = f" {why}" if why else ""
        raise ArgumentValueError(
            f"{name} must be {rule}{reason}, got {number}",
            name=name,
            rule="at_least",
            value=number,
            minimum=minimum,
            why=why,
        )


def count(name: str, value: object, minimum: int = 0, *, why: str = "") -> int:
    """``value`` as an ``int`` no smaller than ``minimum`` (a float only when whole)."""
    whole = isinstance(value, _numbers.Integral) or (
        isinstance(value, float) and value.is_integer()
    )
    if isinstance(value, bool) or not whole:
        raise ArgumentTypeError(
            f"{name} must be a whole number, got {value!r}", name=name, rule="whole", value=value
        )
    number: int = int(value)  # type: ignore[call-overload]
    at_least(name, number, minimum, why=why)
    return number


def not_above(name: str, number: float, other: str, limit: float, *, why: str = "") -> None:
    """Refuse ``number`` above ``limit``, the value of the argument ``other``."""
    if number > limit:
        reason = f": {why}" if why else ""
        raise ArgumentValueError(
            f"{name} ({number}) must not be above {other} ({limit}){reason}",
            name=name,
            rule="not_above",
            value=number,
            limit=limit,
            other=other,
            why=why,
        )


def share(name: str, value: object) -> float:
    """``value`` as a proportion strictly between 0 and 1."""
    number = finite(name, value)
    if not 0.0 < number < 1.0:
        raise ArgumentValueError(
            f"{name} must be a proportion strictly between 0 and 1, got {number}",
            name=name,
            rule="share",
            value=number,
        )
    return number


def alpha_and_power(alpha: object, power: object = None) -> tuple[float, float | None]:
    """``alpha`` between 0 and 0.5 and, when given, ``power`` between alpha and 1."""
    level = finite("alpha", alpha)
    if not 0.0 < level < 0.5:
        raise ArgumentValueError(
            f"alpha must be between 0 and 0.5 (such as 0.05), got {alpha}",
            name="alpha",
            rule="alpha",
            value=level,
        )
    if power is None:
        return level, None
    chance = finite("power", power)
    if not level < chance < 1.0:
        raise ArgumentValueError(
            f"power must be between alpha and 1 (such as 0.8), got {power}",
            name="power",
            rule="power",
            value=chance,
            alpha=level,
        )
    return level, chance
