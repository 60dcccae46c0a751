"""Adjust p-values for comparing several variants with one control."""

from __future__ import annotations

import math
from collections.abc import Sequence

__all__ = ["CORRECTIONS", "adjust_p_values"]

CORRECTIONS = ("holm", "fdr_bh", "bonferroni", "none")


def adjust_p_values(p_values: Sequence[float], method: str = "holm") -> list[float]:
    """The adjusted p-values, in the input's order.

    ``method`` is ``"holm"`` (Holm's step-down, controls the family-wise error),
    ``"fdr_bh"`` (Benjamini-Hochberg, controls the false discovery rate),
    ``"bonferroni"`` or ``"none"``. The values equal statsmodels'
    ``multipletests(p_values, method=method)[1]``.

    >>> adjust_p_values([0.01, 0.04, 0.03], "holm")
    [0.03, 0.06, 0.06]
    >>> adjust_p_values([0.01, 0.04, 0.03], "fdr_bh")
    [0.03, 0.04, 0.04]
    """
    if method not in CORRECTIONS:
        raise ValueError(
            f"method must be one of {', '.join(map(repr, CORRECTIONS))}, got {method!r}"
        )
    values = [_p_value(p) for p in p_values]
    count = len(values)
    if method == "none" or count == 0:
        return values
    if method == "bonferroni":
        return [min(1.0, p * count) for p in values]
    order = sorted(range(count), key=values.__getitem__)
    adjusted = [0.0] * count
    if method == "holm":
        running = 0.0
        for rank, index in enumerate(order):
            running = max(running, min(1.0, (count - rank) * values[index]))
            adjusted[index] = running
        return adjusted
    running = 1.0
    for rank in range(count - 1, -1, -1):
        index = order[rank]
        running = min(running, values[index] * count / (rank + 1))
        adjusted[index] = running
    return adjusted


def _p_value(p: object) -> float:
    if isinstance(p, bool) or not isinstance(p, (int, float)):
        raise TypeError(f"p_values must be numbers between 0 and 1, got {p!r}")
    value = float(p)
    if not (math.isfinite(value) and 0.0 <= value <= 1.0):
        raise ValueError(f"p_values must be between 0 and 1, got {value}")
    return value
