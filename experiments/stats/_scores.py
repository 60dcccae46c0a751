"""Score statistics, their constrained estimates and their inverted intervals.

Plain ``math`` on floats: these run on every page that shows an experiment, and a
scalar root search over ``math`` is many times faster than numpy on arrays of one.
Group 1 is always the variant and group 2 the control.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from scipy import optimize

INF = math.inf
_XTOL = 1e-15


def _root(func: Callable[[float], float], lo: float, hi: float) -> float:
    """The root of ``func`` between ``lo`` and ``hi``, where the signs differ."""
    root: float = optimize.brentq(func, lo, hi, xtol=_XTOL, rtol=4 * 2.220446049250313e-16)
    return root


def _root_above(func: Callable[[float], float], start: float, step: float) -> float:
    """The first root of a function positive at ``start`` and negative far above it."""
    lo, hi = start, start + step
    while func(hi) > 0:
        lo, step = hi, step * 2
        hi = lo + step
    return _root(func, lo, hi)


def _root_below(func: Callable[[float], float], start: float, step: float) -> float:
    """The first root of a function negative at ``start`` and positive far below it."""
    lo, hi = start - step, start
    while func(lo) < 0:
        hi, step = lo, step * 2
        lo = hi - step
    return _root(func, lo, hi)


# --- two proportions, difference p1 - p2 (Farrington-Manning / Miettinen-Nurminen) ---


def diff_cmle(x1: int, n1: int, x2: int, n2: int, delta: float) -> tuple[float, float]:
    """Maximum-likelihood (p1, p2) under the constraint p1 - p2 = delta.

    The closed-form root of the likelihood's cubic, Farrington and Manning (1990),
    equations (13)-(14); Miettinen and Nurminen (1985) give the same cubic.
    """
    if delta >= 1.0:
        return 1.0, 0.0
    if delta <= -1.0:
        return 0.0, 1.0
    p1h, p2h = x1 / n1, x2 / n2
    theta = n2 / n1
    a = 1.0 + theta
    b = -(1.0 + theta + p1h + theta * p2h + delta * (theta + 2.0))
    c = delta * delta + delta * (2.0 * p1h + theta + 1.0) + p1h + theta * p2h
    d = -p1h * delta * (1.0 + delta)
    b3a = b / (3.0 * a)
    v = b3a**3 - b * c / (6.0 * a * a) + d / (2.0 * a)
    u_sq = b3a * b3a - c / (3.0 * a)
    if u_sq <= 0.0:
        p1 = -b3a
    else:
        u = math.copysign(math.sqrt(u_sq), v) if v != 0.0 else math.sqrt(u_sq)
        cos_arg = max(-1.0, min(1.0, v / u**3))
        w = (math.pi + math.acos(cos_arg)) / 3.0
        p1 = 2.0 * u * math.cos(w) - b3a
    # The constrained estimate lies where both p1 and p1 - delta are probabilities.
    p1 = min(max(p1, max(0.0, delta)), min(1.0, 1.0 + delta))
    return p1, p1 - delta


def diff_se(x1: int, n1: int, x2: int, n2: int, delta: float) -> float:
    """Standard error of p1 - p2 at the constrained estimate for ``delta``."""
    p1, p2 = diff_cmle(x1, n1, x2, n2, delta)
    var = p1 * (1.0 - p1) / n1 + p2 * (1.0 - p2) / n2
    return math.sqrt(max(var, 0.0))


def diff_interval(
    x1: int, n1: int, x2: int, n2: int, z_low: float, z_upp: float
) -> tuple[float, float]:
    """Score interval of p1 - p2: the deltas where the score statistic equals the critical
    values. ``z_low`` is the critical value for the lower bound, ``z_upp`` for the upper
    bound; an infinite critical value gives an infinite (one-sided) bound.
    """
    est = x1 / n1 - x2 / n2
    low = -INF
    if math.isfinite(z_low):
        if est <= -1.0:
            low = -1.0
        else:

            def f_low(delta: float) -> float:
                return (est - delta) - z_low * diff_se(x1, n1, x2, n2, delta)

            low = _root(f_low, -1.0, _nudge_if_root(f_low, est, -1.0))
    upp = INF
    if math.isfinite(z_upp):
        if est >= 1.0:
            upp = 1.0
        else:

            def f_upp(delta: float) -> float:
                return (est - delta) + z_upp * diff_se(x1, n1, x2, n2, delta)

            upp = _root(f_upp, _nudge_if_root(f_upp, est, 1.0), 1.0)
    return low, upp


def _nudge_if_root(func: Callable[[float], float], at: float, toward: float) -> float:
    """``at``, or a point just beside it toward ``toward`` when ``func(at)`` is exactly 0.

    That happens when both arms sit at 0% or 100%: the standard error at the estimate
    is zero, but the bound lies strictly beyond it.
    """
    if func(at) != 0.0:
        return at
    step = 1e-12 * max(1.0, abs(at))
    return at + math.copysign(step, toward - at)


# --- two proportions, ratio p1 / p2 (Koopman; Miettinen-Nurminen without n/(n-1)) ---


def ratio_cmle(x1: int, n1: int, x2: int, n2: int, ratio: float) -> tuple[float, float]:
    """Maximum-likelihood (p1, p2) under the constraint p1 = ratio * p2.

    The root of the quadratic ``a p2^2 + b p2 + c = 0`` with ``a = ratio (n1 + n2)``,
    ``b = -(ratio n1 + x1 + n2 + ratio x2)``, ``c = x1 + x2`` (Miettinen and Nurminen,
    1985), written in the form that stays accurate as ``ratio`` nears zero.
    """
    a = ratio * (n1 + n2)
    b = -(ratio * n1 + x1 + n2 + ratio * x2)
    c = float(x1 + x2)
    disc = max(b * b - 4.0 * a * c, 0.0)
    p2 = 2.0 * c / (-b + math.sqrt(disc))
    p2 = min(p2, 1.0, 1.0 / ratio if ratio > 0 else 1.0)
    return ratio * p2, p2


def ratio_num_se(x1: int, n1: int, x2: int, n2: int, ratio: float) -> tuple[float, float]:
    """Numerator ``p1_hat - ratio * p2_hat`` of the ratio score statistic and its
    standard error at the constrained estimate."""
    p1, p2 = ratio_cmle(x1, n1, x2, n2, ratio)
    var = p1 * (1.0 - p1) / n1 + ratio * ratio * p2 * (1.0 - p2) / n2
    return x1 / n1 - ratio * (x2 / n2), math.sqrt(max(var, 0.0))


def ratio_interval(
    x1: int, n1: int, x2: int, n2: int, z_low: float, z_upp: float
) -> tuple[float, float]:
    """Score interval of p1 / p2 (needs x2 > 0), as :func:`diff_interval`."""
    est = (x1 / n1) / (x2 / n2)
    low = 0.0
    if not math.isfinite(z_low):
        low = -INF
    elif x1 > 0:

        def f_low(ratio: float) -> float:
            num, se = ratio_num_se(x1, n1, x2, n2, ratio)
            return num - z_low * se

        low = _root(f_low, 0.0, est)
    upp = INF
    if math.isfinite(z_upp):

        def f_upp(ratio: float) -> float:
            num, se = ratio_num_se(x1, n1, x2, n2, ratio)
            return num + z_upp * se

        start = _nudge_if_root(f_upp, est, INF)
        upp = _root_above(f_upp, start, max(est, 1e-3))
    return low, upp


# --- two Poisson rates (statsmodels test_poisson_2indep, method="score") ---


def poisson_ratio_interval(
    y1: int, e1: float, y2: int, e2: float, z_low: float, z_upp: float
) -> tuple[float, float]:
    """Score interval of rate1 / rate2, in closed form (needs y2 > 0).

    The statistic ``(y1 - y2 r e1/e2) / sqrt((y1 + y2) r e1/e2)`` equals ``z`` where
    ``s = sqrt(r e1/e2)`` solves ``y2 s^2 + z sqrt(y1 + y2) s - y1 = 0``.
    """
    total = y1 + y2
    scale = e2 / e1
    low = -INF
    if math.isfinite(z_low):
        b = z_low * math.sqrt(total)
        s = 2.0 * y1 / (b + math.sqrt(b * b + 4.0 * y1 * y2))
        low = s * s * scale
    upp = INF
    if math.isfinite(z_upp):
        b = z_upp * math.sqrt(total)
        s = (b + math.sqrt(b * b + 4.0 * y1 * y2)) / (2.0 * y2)
        upp = s * s * scale
    return low, upp


def poisson_diff_num_se(y1: int, e1: float, y2: int, e2: float, delta: float) -> float:
    """Standard error of rate1 - rate2 at the constrained estimate for ``delta``
    (the estimate of statsmodels' ``_score_diff``)."""
    total_exposure = e1 + e2
    dt = (y1 + y2) / total_exposure - delta
    r2 = 0.5 * (dt + math.sqrt(max(dt * dt + 4.0 * delta * y2 / total_exposure, 0.0)))
    r1 = r2 + delta
    return math.sqrt(max(r1 / e1 + r2 / e2, 0.0))


def poisson_diff_interval(
    y1: int, e1: float, y2: int, e2: float, z_low: float, z_upp: float
) -> tuple[float, float]:
    """Score interval of rate1 - rate2, found with a root search."""
    est = y1 / e1 - y2 / e2
    step = max(poisson_diff_num_se(y1, e1, y2, e2, est), 1e-12)
    low = -INF
    if math.isfinite(z_low):

        def f_low(delta: float) -> float:
            return (est - delta) - z_low * poisson_diff_num_se(y1, e1, y2, e2, delta)

        low = _root_below(f_low, est, z_low * step)
    upp = INF
    if math.isfinite(z_upp):

        def f_upp(delta: float) -> float:
            return (est - delta) + z_upp * poisson_diff_num_se(y1, e1, y2, e2, delta)

        upp = _root_above(f_upp, est, z_upp * step)
    return low, upp
