"""How an experiment is looked at: its design kind, and the boundary each look is held to.

Pure: the standard library and :mod:`experiments.stats`, no web, no database.

A **fixed** design is judged once, at its planned size. A **group-sequential** design
("weekly looks") spends alpha by information fraction (Lan and DeMets), so every weekly
look is held to a boundary and together they reject a true null at rate alpha. An
**always-valid** design uses GrowthBook's confidence sequence, valid whenever one stops.

>>> design = Design("group_sequential", planned_looks=5)
>>> first = next_look(design, earlier=(), information=0.2, units=1000, planned_total=5000)
>>> first.number, round(first.critical_z, 4)
(1, 4.8769)
>>> again = next_look(design, earlier=(first,), information=0.2, units=1000, planned_total=5000)
>>> again == first
True
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

__all__ = [
    "DESIGN_KINDS",
    "Design",
    "DesignKind",
    "Look",
    "next_look",
]

DesignKind = Literal["fixed", "group_sequential", "always_valid"]
DESIGN_KINDS: tuple[DesignKind, ...] = ("group_sequential", "fixed", "always_valid")
# An information step smaller than this is no new data: the look is the one before.
NO_NEW_DATA = 1e-3
# compare() needs a level above zero; a boundary beyond 37 standard errors is tested there.
SMALLEST_LEVEL = 1e-300


@dataclass(frozen=True, slots=True)
class Design:
    """How an experiment will be looked at.

    Attributes:
        kind: ``"group_sequential"`` (weekly looks), ``"fixed"`` (one look at the
            planned size) or ``"always_valid"`` (any time).
        spending: the Lan-DeMets spending function of a group-sequential design,
            ``"obrien-fleming"`` or ``"pocock"``.
        planned_looks: the looks a group-sequential design plans for (its maximum
            size is inflated for them); 1 for the other kinds.
    """

    kind: DesignKind = "group_sequential"
    spending: Literal["obrien-fleming", "pocock"] = "obrien-fleming"
    planned_looks: int = 1

    def __post_init__(self) -> None:
        if self.kind not in DESIGN_KINDS:
            raise ValueError(
                f"kind must be 'group_sequential', 'fixed' or 'always_valid', got {self.kind!r}"
            )
        if self.spending not in ("obrien-fleming", "pocock"):
            raise ValueError(
                f"spending must be 'obrien-fleming' or 'pocock', got {self.spending!r}"
            )
        if isinstance(self.planned_looks, bool) or not isinstance(self.planned_looks, int):
            raise TypeError(f"planned_looks must be a whole number, got {self.planned_looks!r}")
        if not 1 <= self.planned_looks <= 20:
            raise ValueError(f"planned_looks must be between 1 and 20, got {self.planned_looks}")
        if self.kind == "group_sequential" and self.planned_looks < 2:
            raise ValueError("weekly looks need at least 2 planned looks")

    def inflation(self, *, alpha: float, power: float, alternative: str = "two-sided") -> float:
        """The maximum sample size over the fixed design's (1 unless group-sequential).

        >>> round(Design("group_sequential", planned_looks=5).inflation(alpha=0.05, power=0.8), 3)
        1.025
        >>> Design("fixed").inflation(alpha=0.05, power=0.8)
        1.0
        """
        from experiments.stats import sequential_inflation

        if self.kind != "group_sequential":
            return 1.0
        level = alpha if alternative == "two-sided" else 2.0 * alpha
        return sequential_inflation(
            self.planned_looks, alpha=level, power=power, spending=self.spending
        )

    def as_dict(self) -> dict[str, object]:
        return {"kind": self.kind, "spending": self.spending, "planned_looks": self.planned_looks}


@dataclass(frozen=True, slots=True)
class Look:
    """One look at an experiment's results, with the boundary it is held to.

    Attributes:
        number: 1 for the first look; a look with no new data keeps its number.
        information: the observed size over the planned maximum (may pass 1).
        critical_z: the |z| the look must reach to stop.
        nominal_alpha: the level ``compare`` tests the look at: 2 - 2 Phi(c), or
            1 - Phi(c) for a one-sided design.
    """

    number: int
    information: float
    critical_z: float
    nominal_alpha: float

    @property
    def final(self) -> bool:
        """Whether the look is at (or past) the planned maximum."""
        return self.information >= 1.0 - 1e-9

    def as_dict(self) -> dict[str, float | int]:
        return {
            "number": self.number,
            "information": self.information,
            "critical_z": self.critical_z,
            "nominal_alpha": self.nominal_alpha,
        }


def next_look(
    design: Design,
    *,
    earlier: Sequence[Look],
    information: float,
    units: float,
    planned_total: float,
    alpha: float = 0.05,
    alternative: str = "two-sided",
) -> Look:
    """The look a new result set makes, after the ``earlier`` looks (oldest first).

    ``information`` is the observed size over the planned maximum; ``units`` the
    observed size itself (the confidence sequence needs it). When the information has
    not grown since the last look there is no new data, and the last look is returned
    as it was: looking twice does not spend alpha twice. Once a look reached the
    maximum, later ones keep its boundary.

    >>> fixed = next_look(Design("fixed"), earlier=(), information=0.5, units=500,
    ...                   planned_total=1000)
    >>> round(fixed.critical_z, 4), fixed.nominal_alpha
    (1.96, 0.05)
    """
    from experiments.stats import nominal_alpha, spending_bounds
    from experiments.stats.sequential import always_valid_critical_z

    if not math.isfinite(information) or information <= 0:
        raise ValueError(f"information must be above zero, got {information}")
    one_sided = alternative != "two-sided"
    level = 2.0 * alpha if one_sided else alpha
    # Result sets that repeated a look carry it again: count each look once.
    earlier = list({look.number: look for look in earlier}.values())
    last = earlier[-1] if earlier else None
    if last is not None and (information - last.information < NO_NEW_DATA or last.final):
        return last
    number = (last.number + 1) if last else 1
    if design.kind == "fixed":
        critical = _normal_quantile(level)
    elif design.kind == "always_valid":
        critical = always_valid_critical_z(units, tuning_n=planned_total, alpha=level)
    else:
        fractions = [look.information for look in earlier] + [min(1.0, information)]
        critical = spending_bounds(fractions, alpha=level, spending=design.spending)[-1]
    nominal = nominal_alpha(critical) / (2.0 if one_sided else 1.0)
    if design.kind == "fixed":
        nominal = alpha  # exactly the design's level, not a round trip through Phi
    return Look(
        number=number,
        information=information,
        critical_z=critical,
        nominal_alpha=max(nominal, SMALLEST_LEVEL),
    )


def _normal_quantile(two_sided_alpha: float) -> float:
    from scipy import special

    return float(-special.ndtri(two_sided_alpha / 2.0))
