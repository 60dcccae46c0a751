"""Plan an experiment: the sample size an effect needs, and the effect a sample can see."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

from scipy import optimize, special

from experiments.stats import checks
from experiments.stats.results import SampleSize
from experiments.stats.sequential import Spending, sequential_inflation

__all__ = [
    "minimum_detectable_effect_mean",
    "minimum_detectable_effect_proportion",
    "sample_size_mean",
    "sample_size_proportion",
    "sample_size_rate",
]

_ALTERNATIVES = ("two-sided", "larger", "smaller")


def sample_size_proportion(
    baseline: float,
    mde: float,
    *,
    relative: bool = False,
    alpha: float = 0.05,
    power: float = 0.8,
    ratio: float = 1.0,
    alternative: str = "two-sided",
    looks: int | Sequence[float] = 1,
    spending: Spending = "obrien-fleming",
) -> SampleSize:
    """Trials per arm to detect a change of ``mde`` from a ``baseline`` proportion.

    ``mde`` is absolute (0.02 is two percentage points) unless ``relative`` is true,
    when it is a fraction of the baseline (0.1 is a 10% lift). ``ratio`` is the
    variant's size over control's. The figures equal statsmodels'
    ``samplesize_proportions_2indep_onetail`` (variance pooled under the null,
    unpooled under the alternative), rounded up.

    >>> sample_size_proportion(0.10, 0.02)
    SampleSize(control=3841, variant=3841, total=7682)
    >>> sample_size_proportion(0.10, 0.2, relative=True, ratio=2.0)
    SampleSize(control=2911, variant=5822, total=8733)

    With ``looks`` (a number of equally spaced looks, or the planned information
    fractions) the size is the group-sequential design's maximum: the fixed size times
    :func:`~experiments.stats.sequential.sequential_inflation` for ``spending``.

    >>> sample_size_proportion(0.10, 0.02, looks=5)
    SampleSize(control=3936, variant=3936, total=7872)
    """
    alpha_tail, power = _check_plan(alpha, power, ratio, alternative)
    p2 = checks.share("baseline", baseline)
    diff = _effect(mde, baseline, relative, alternative)
    p1 = checks.share("baseline + mde", p2 + diff)
    variant = _proportion_nobs(p1, p2, 1.0 / ratio, alpha_tail, power)
    variant *= _inflation(looks, spending, alpha, power, alternative)
    return _sizes(control=variant / ratio, variant=variant)


def _proportion_nobs(p1: float, p2: float, sm_ratio: float, alpha: float, power: float) -> float:
    """statsmodels' one-tail sample size of sample 1 (the variant); sample 2 (control)
    has ``sm_ratio`` times as many."""
    pooled = (p1 + p2 * sm_ratio) / (1.0 + sm_ratio)
    std_null = math.sqrt(pooled * (1.0 - pooled) + pooled * (1.0 - pooled) / sm_ratio)
    std_alt = math.sqrt(p1 * (1.0 - p1) + p2 * (1.0 - p2) / sm_ratio)
    return _one_tail_nobs(p1 - p2, alpha, power, std_null, std_alt)


def _one_tail_nobs(
    effect: float, alpha: float, power: float, std_null: float, std_alt: float
) -> float:
    """statsmodels' ``normal_sample_size_one_tail``."""
    crit_power = float(special.ndtri(1.0 - power))
    crit = float(special.ndtri(1.0 - alpha))
    return (max(crit * std_null - crit_power * std_alt, 0.0) / effect) ** 2


def sample_size_mean(
    sd: float,
    mde: float,
    *,
    baseline: float | None = None,
    relative: bool = False,
    alpha: float = 0.05,
    power: float = 0.8,
    ratio: float = 1.0,
    alternative: str = "two-sided",
    looks: int | Sequence[float] = 1,
    spending: Spending = "obrien-fleming",
) -> SampleSize:
    """Units per arm to detect a change of ``mde`` in a mean with standard deviation
    ``sd``, as statsmodels' ``TTestIndPower`` with ``effect_size = mde / sd``.

    With ``relative=True``, ``mde`` is a fraction of ``baseline`` (which is then needed).
    ``looks`` and ``spending`` inflate the size to a group-sequential maximum, as in
    :func:`sample_size_proportion`.

    >>> sample_size_mean(20.0, 5.0)
    SampleSize(control=253, variant=253, total=506)
    >>> sample_size_mean(20.0, 0.05, baseline=100.0, relative=True, alternative="larger")
    SampleSize(control=199, variant=199, total=398)
    """
    _check_plan(alpha, power, ratio, alternative)
    scale = checks.positive("sd", sd)
    effect = _effect(mde, _baseline_for(baseline, relative), relative, alternative)
    d = abs(effect) / scale
    side = "two-sided" if alternative == "two-sided" else "larger"

    def shortfall(nobs1: float) -> float:
        return _t_power(d, nobs1, ratio, alpha, side) - power

    control = _solve_increasing(shortfall, 2.0)
    control *= _inflation(looks, spending, alpha, power, alternative)
    return _sizes(control=control, variant=control * ratio)


def _t_power(d: float, nobs1: float, ratio: float, alpha: float, alternative: str) -> float:
    """statsmodels' ``TTestIndPower().power``: sample 1 has ``nobs1`` units and sample 2
    ``ratio`` times as many, with a pooled-variance t-test."""
    nobs2 = nobs1 * ratio
    df = nobs1 + nobs2 - 2.0
    nc = d * math.sqrt(1.0 / (1.0 / nobs1 + 1.0 / nobs2))
    alpha_tail = alpha / 2.0 if alternative == "two-sided" else alpha
    crit_upp = float(special.stdtrit(df, 1.0 - alpha_tail))
    result = 1.0 - float(special.nctdtr(df, nc, crit_upp))
    if alternative == "two-sided":
        result += float(special.nctdtr(df, nc, -crit_upp))
    return result


def sample_size_rate(
    baseline_rate: float,
    mde: float,
    *,
    relative: bool = False,
    alpha: float = 0.05,
    power: float = 0.8,
    ratio: float = 1.0,
    alternative: str = "two-sided",
    looks: int | Sequence[float] = 1,
    spending: Spending = "obrien-fleming",
) -> SampleSize:
    """Units of exposure per arm to detect a change of ``mde`` in a Poisson rate.

    The power is statsmodels' ``power_poisson_ratio_2indep`` for the log rate ratio,
    with the variance under the null taken at the constrained (score) estimate, as in
    the score test :func:`compare` uses (``method_var="score"``); the size is the
    one-tail solution, like the one for proportions. ``looks`` and ``spending`` inflate
    it to a group-sequential maximum, as in :func:`sample_size_proportion`.

    >>> sample_size_rate(0.05, 0.2, relative=True)
    SampleSize(control=8608, variant=8608, total=17216)
    """
    alpha_tail, power = _check_plan(alpha, power, ratio, alternative)
    rate2 = checks.positive("baseline_rate", baseline_rate)
    effect = _effect(mde, rate2, relative, alternative)
    rate1 = checks.positive("baseline_rate + mde", rate2 + effect)
    nobs_ratio = 1.0 / ratio  # statsmodels: control's exposure over the variant's
    std_alt = math.sqrt(1.0 / rate1 + 1.0 / (nobs_ratio * rate2))
    std_null = math.sqrt(
        (1.0 + 1.0 / nobs_ratio) ** 2 / (1.0 / nobs_ratio * (rate1 + nobs_ratio * rate2))
    )
    variant = _one_tail_nobs(math.log(rate1 / rate2), alpha_tail, power, std_null, std_alt)
    variant *= _inflation(looks, spending, alpha, power, alternative)
    return _sizes(control=variant * nobs_ratio, variant=variant)


def minimum_detectable_effect_proportion(
    baseline: float,
    n_per_arm: int,
    *,
    alpha: float = 0.05,
    power: float = 0.8,
    ratio: float = 1.0,
    relative: bool = False,
) -> float:
    """With ``n_per_arm`` control trials (and ``ratio`` times as many in the variant),
    the smallest rise from ``baseline`` a two-sided test sees with the given power: the
    inverse of :func:`sample_size_proportion`. Absolute, or a fraction of the baseline
    when ``relative`` is true.

    >>> round(minimum_detectable_effect_proportion(0.10, 3841), 4)
    0.02
    """
    alpha_tail, power = _check_plan(alpha, power, ratio, "two-sided")
    p2 = checks.share("baseline", baseline)
    control = _units("n_per_arm", n_per_arm)
    target = control * ratio

    def excess(diff: float) -> float:
        return _proportion_nobs(p2 + diff, p2, 1.0 / ratio, alpha_tail, power) - target

    ceiling = (1.0 - p2) * (1.0 - 1e-12)
    if excess(ceiling) > 0:
        raise ValueError(
            f"n_per_arm ({control}) is too small to detect even a rise to 100% from a"
            f" baseline of {p2}: plan for more trials"
        )
    diff: float = optimize.brentq(excess, 1e-9 * p2, ceiling, xtol=1e-15, rtol=1e-14)
    return diff / p2 if relative else diff


def minimum_detectable_effect_mean(
    sd: float,
    n_per_arm: int,
    *,
    baseline: float | None = None,
    alpha: float = 0.05,
    power: float = 0.8,
    ratio: float = 1.0,
    relative: bool = False,
) -> float:
    """With ``n_per_arm`` control units (and ``ratio`` times as many in the variant),
    the smallest change in a mean with standard deviation ``sd`` a two-sided t-test
    sees with the given power: the inverse of :func:`sample_size_mean`. Absolute, or a
    fraction of ``baseline`` when ``relative`` is true.

    >>> round(minimum_detectable_effect_mean(20.0, 253), 2)
    4.99
    """
    _check_plan(alpha, power, ratio, "two-sided")
    scale = checks.positive("sd", sd)
    base = _baseline_for(baseline, relative)
    control = _units("n_per_arm", n_per_arm)

    def shortfall(d: float) -> float:
        return _t_power(d, control, ratio, alpha, "two-sided") - power

    d = _solve_increasing(shortfall, 1e-9)
    effect = d * scale
    return effect / abs(base) if relative else effect


# --- checks and helpers ----------------------------------------------------------------


def _inflation(
    looks: int | Sequence[float], spending: Spending, alpha: float, power: float, alternative: str
) -> float:
    """The group-sequential maximum over the fixed size. A one-sided test at alpha
    uses the symmetric two-sided boundaries at 2 alpha, whose upper side it keeps."""
    if looks == 1:
        return 1.0
    level = alpha if alternative == "two-sided" else 2.0 * alpha
    return sequential_inflation(looks, alpha=level, power=power, spending=spending)


def _solve_increasing(func: Callable[[float], float], start: float) -> float:
    """The root of an increasing function, from ``start`` (returned if already >= 0)."""
    if func(start) >= 0:
        return start
    low, high = start, 2.0 * start
    while func(high) < 0:
        low, high = high, 2.0 * high
    root: float = optimize.brentq(func, low, high, xtol=1e-12, rtol=1e-14)
    return root


def _sizes(*, control: float, variant: float) -> SampleSize:
    # A hair of tolerance keeps 392.00000000000006 from becoming 393.
    control_n = max(1, math.ceil(control * (1.0 - 1e-13)))
    variant_n = max(1, math.ceil(variant * (1.0 - 1e-13)))
    return SampleSize(control=control_n, variant=variant_n, total=control_n + variant_n)


def _check_plan(alpha: float, power: float, ratio: float, alternative: str) -> tuple[float, float]:
    """Check the shared settings; return the one-tail alpha and the power."""
    level, _ = checks.alpha_and_power(alpha, power)
    if not math.isfinite(checks.finite("ratio", ratio)) or ratio <= 0:
        raise ValueError(f"ratio (variant size over control size) must be above zero, got {ratio}")
    if alternative not in _ALTERNATIVES:
        raise ValueError(
            f"alternative must be 'two-sided', 'larger' or 'smaller', got {alternative!r}"
        )
    return (level / 2.0 if alternative == "two-sided" else level), float(power)


def _units(name: str, value: object) -> int:
    if isinstance(value, float):  # a count of units is never written as a float here
        raise TypeError(f"{name} must be a whole number, got {value!r}")
    return checks.count(name, value, 2)


def _baseline_for(baseline: float | None, relative: bool) -> float:
    if baseline is None:
        if relative:
            raise ValueError("baseline is needed when relative=True: mde is a fraction of it")
        return 1.0
    number = checks.finite("baseline", baseline)
    if relative and number == 0.0:
        raise ValueError("baseline must not be zero when relative=True")
    return number


def _effect(mde: float, baseline: float, relative: bool, alternative: str) -> float:
    """The absolute effect; its sign must suit a one-sided alternative."""
    effect = checks.finite("mde", mde)
    if effect == 0.0:
        raise ValueError("mde must not be zero: no sample can detect no effect")
    if relative:
        effect *= abs(baseline)
    if (alternative == "larger" and effect < 0) or (alternative == "smaller" and effect > 0):
        raise ValueError(
            f"mde ({mde}) points the other way from alternative={alternative!r}: use a"
            " positive mde with 'larger' and a negative one with 'smaller'"
        )
    return effect
