"""The sample-ratio mismatch check: did traffic split as planned?"""

from __future__ import annotations

import math
import numbers
from collections.abc import Sequence

from scipy import special

from experiments.stats.results import SrmResult

__all__ = ["srm_check"]


def srm_check(
    observed: Sequence[int], weights: Sequence[float], *, threshold: float = 0.001
) -> SrmResult:
    """Chi-square goodness of fit of the observed arm sizes against the planned weights.

    A mismatch (p below ``threshold``) means the assignment or the counting is broken;
    no comparison of these arms should be trusted until it is explained.

    >>> result = srm_check([5000, 5200], [0.5, 0.5])
    >>> round(result.statistic, 3), round(result.p_value, 4), result.mismatch
    (3.922, 0.0477, False)
    >>> srm_check([5000, 5600], [1, 1]).mismatch
    True
    """
    counts = [_count(value) for value in observed]
    planned = [_weight(value) for value in weights]
    if len(counts) < 2:
        raise ValueError(f"observed must hold at least two arms' sizes, got {len(counts)}")
    if len(planned) != len(counts):
        raise ValueError(
            f"weights must give one weight per arm: {len(planned)} weights for {len(counts)} arms"
        )
    if isinstance(threshold, bool) or not isinstance(threshold, (int, float)):
        raise TypeError(f"threshold must be a number between 0 and 1, got {threshold!r}")
    if not 0.0 < threshold < 1.0:
        raise ValueError(f"threshold must be between 0 and 1 (such as 0.001), got {threshold}")
    total = sum(counts)
    if total == 0:
        raise ValueError("observed must hold at least one unit in some arm, got only zeros")
    weight_sum = math.fsum(planned)
    expected = tuple(total * weight / weight_sum for weight in planned)
    statistic = math.fsum(
        (count - expect) ** 2 / expect for count, expect in zip(counts, expected, strict=True)
    )
    p_value = float(special.chdtrc(len(counts) - 1, statistic))
    return SrmResult(
        statistic=statistic, p_value=p_value, expected=expected, mismatch=p_value < threshold
    )


def _count(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"observed must hold whole numbers of units, got {value!r}")
    if int(value) < 0:
        raise ValueError(f"observed must hold counts of zero or more, got {value}")
    return int(value)


def _weight(value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"weights must be numbers, got {value!r}")
    weight = float(value)
    if not (math.isfinite(weight) and weight > 0):
        raise ValueError(f"weights must be finite and above zero, got {weight}")
    return weight
