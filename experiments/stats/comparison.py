"""Compare a variant with control: proportions, means and rates.

Every convention here is stated in ``experiments/STATISTICS.md`` with its reference.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from scipy import special

from experiments.stats import _bayes, _scores, difference
from experiments.stats.difference import check_alpha, check_alternative, check_kinds
from experiments.stats.inputs import Arm, Mean, Proportion, Rate
from experiments.stats.multiplicity import CORRECTIONS, adjust_p_values
from experiments.stats.results import N_, Alternative, ArmsComparison, Caveat, Comparison

__all__ = ["compare", "compare_arms"]

_ALTERNATIVES = ("two-sided", "larger", "smaller")
INF = math.inf

SMALL_SAMPLE = Caveat(
    "small_sample",
    N_(
        "Fewer than 5 expected successes or failures in an arm: the normal approximation is"
        " unreliable; rely on the exact p-value (Fisher) and keep collecting data."
    ),
)
FEW_EVENTS = Caveat(
    "small_sample",
    N_(
        "Fewer than 5 expected events in an arm: the normal approximation is unreliable;"
        " keep collecting data before deciding."
    ),
)
UNBOUNDED_LIFT = Caveat(
    "unbounded_lift",
    N_(
        "Control's mean is not clearly away from zero, so the interval of the relative lift"
        " is unbounded; judge the experiment on the absolute difference and its interval."
    ),
)
LIFT_UNDEFINED = Caveat(
    "lift_undefined",
    N_(
        "Control's estimate is zero, so a relative lift is undefined; read the absolute"
        " difference instead, and keep collecting data if control should not be zero."
    ),
)


def compare(
    control: Arm,
    variant: Arm,
    *,
    alpha: float = 0.05,
    alternative: Alternative = "two-sided",
) -> Comparison:
    """Compare one variant with control, both of one kind.

    ``alternative`` is ``"two-sided"``, ``"larger"`` (variant above control) or
    ``"smaller"``; a one-sided test gives a one-sided p-value and a one-sided interval.
    ``alpha`` is the significance level, between 0 and 0.5.

    ``chance_to_beat_control`` is the probability that the variant's true value is
    *above* control's. For a metric where lower is better (days to close, escalations
    per ticket), the chance that the variant is better is one minus it.

    >>> result = compare(Proportion(100, 1000), Proportion(130, 1000))
    >>> round(result.p_value, 4), result.significant, round(result.lift, 3)
    (0.0355, True, 0.3)
    >>> [round(bound, 4) for bound in result.difference_ci]
    [0.002, 0.0582]
    >>> round(result.chance_to_beat_control, 3)
    0.982
    >>> print(compare(Mean(40, 10.0, 3.0), Mean(40, 11.0, 3.5)).summary())
    ... # doctest: +NORMALIZE_WHITESPACE
    Variant's mean is 10.0% higher than control's (95% CI -4.3% to +26.2%);
    p = 0.17, not significant at alpha 0.05.
    """
    check_alpha(alpha)
    check_alternative(alternative)
    check_kinds(control, variant)
    if isinstance(control, Proportion):
        assert isinstance(variant, Proportion)
        result = _compare_proportions(control, variant, alpha, alternative)
    elif isinstance(control, Mean):
        assert isinstance(variant, Mean)
        result = _compare_means(control, variant, alpha, alternative)
    else:
        assert isinstance(variant, Rate)
        result = _compare_rates(control, variant, alpha, alternative)
    _refuse_nan(result)
    return result


def _refuse_nan(result: Comparison) -> None:
    """A last guard: figures so extreme that floating point gives up (an exposure of
    1e-320, say) raise instead of showing a silent nan."""
    numbers = [
        result.control_estimate,
        result.variant_estimate,
        result.difference,
        *result.difference_ci,
        result.p_value,
        result.statistic,
        result.chance_to_beat_control,
        *((result.lift, *result.lift_ci) if result.lift_ci is not None else ()),
    ]
    if any(math.isnan(number) for number in numbers if number is not None):
        raise ValueError(
            "control and variant hold figures too extreme to compare in floating point"
            " (check the units: exposure, means and standard deviations)"
        )


def compare_arms(
    control: Arm,
    variants: Mapping[str, Arm],
    *,
    alpha: float = 0.05,
    correction: str = "holm",
) -> ArmsComparison:
    """Compare every variant with control, adjusting the p-values across variants.

    ``correction`` is ``"holm"``, ``"fdr_bh"``, ``"bonferroni"`` or ``"none"``;
    ``significant`` is judged on the adjusted p-value. The intervals are each
    variant's own, not adjusted.

    >>> arms = compare_arms(
    ...     Proportion(100, 1000), {"B": Proportion(130, 1000), "C": Proportion(125, 1000)}
    ... )
    >>> [round(c.adjusted_p_value, 4) for c in arms.comparisons.values()]
    [0.071, 0.0769]
    >>> [c.significant for c in arms.comparisons.values()]
    [False, False]
    >>> [caveat.code for caveat in arms.warnings]
    ['multiple_variants']
    """
    check_alpha(alpha)
    if correction not in CORRECTIONS:
        raise ValueError(
            f"correction must be one of {', '.join(map(repr, CORRECTIONS))}, got {correction!r}"
        )
    if not isinstance(variants, Mapping) or not variants:
        raise ValueError("variants must map at least one variant's name to its figures")
    singles = {}
    for name, variant in variants.items():
        if not isinstance(name, str) or not name:
            raise TypeError(f"variants must be keyed by non-empty names, got {name!r}")
        singles[name] = compare(control, variant, alpha=alpha)
    adjusted = adjust_p_values([c.p_value for c in singles.values()], correction)
    comparisons = {
        name: _with_adjusted(single, p_adjusted)
        for (name, single), p_adjusted in zip(singles.items(), adjusted, strict=True)
    }
    caveats: tuple[Caveat, ...] = ()
    if len(comparisons) >= 2:
        caveats = (_multiple_variants(correction, len(comparisons)),)
    return ArmsComparison(
        comparisons=MappingProxyType(comparisons), correction=correction, warnings=caveats
    )


def _with_adjusted(single: Comparison, p_adjusted: float) -> Comparison:
    fields = {name: getattr(single, name) for name in Comparison.__dataclass_fields__}
    fields.update(adjusted_p_value=p_adjusted, significant=p_adjusted < single.alpha)
    return Comparison(**fields)


def _multiple_variants(correction: str, count: int) -> Caveat:
    if correction == "none":
        return Caveat(
            "multiple_variants",
            N_(
                "%(count)s variants are compared with control: the p-values were NOT"
                " adjusted, so the chance of a false winner grows with each variant;"
                " prefer correction='holm'."
            ),
            {"count": str(count)},
        )
    templates = {
        "holm": N_(
            "%(count)s variants are compared with control: the p-values were adjusted with"
            " Holm's method and significance is judged on the adjusted p-value; the"
            " intervals are each variant's own."
        ),
        "fdr_bh": N_(
            "%(count)s variants are compared with control: the p-values were adjusted with"
            " the Benjamini-Hochberg false discovery rate and significance is judged on the"
            " adjusted p-value; the intervals are each variant's own."
        ),
        "bonferroni": N_(
            "%(count)s variants are compared with control: the p-values were adjusted with"
            " Bonferroni's method and significance is judged on the adjusted p-value; the"
            " intervals are each variant's own."
        ),
    }
    return Caveat("multiple_variants", templates[correction], {"count": str(count)})


def _critical_values(alpha: float, alternative: str) -> tuple[float, float]:
    """Normal critical values for the lower and the upper bound (infinite: no bound).
    Written from the tail, so that a look's tiny nominal alpha keeps its precision."""
    if alternative == "two-sided":
        z = float(-special.ndtri(alpha / 2.0))
        return z, z
    z = float(-special.ndtri(alpha))
    return (z, INF) if alternative == "larger" else (INF, z)


def _reported(test: difference.Significance, **fields: Any) -> Comparison:
    """The comparison with ``test``'s figures: one test, reported whole."""
    return Comparison(
        difference=test.difference,
        p_value=test.p_value,
        statistic=test.statistic,
        df=test.df,
        alpha=test.alpha,
        significant=test.significant,
        **fields,
    )


def _minus_one(interval: tuple[float, float]) -> tuple[float, float]:
    return interval[0] - 1.0, interval[1] - 1.0


# --- proportions ---------------------------------------------------------------------


def _compare_proportions(
    control: Proportion, variant: Proportion, alpha: float, alternative: Alternative
) -> Comparison:
    test = difference.proportions(control, variant, alpha, alternative)
    x1, n1, x2, n2 = variant.successes, variant.trials, control.successes, control.trials
    p1, p2 = x1 / n1, x2 / n2
    pooled = (x1 + x2) / (n1 + n2)
    z_low, z_upp = _critical_values(alpha, alternative)
    difference_ci = _scores.diff_interval(x1, n1, x2, n2, z_low, z_upp)
    caveats: list[Caveat] = []
    lift: float | None = None
    lift_ci: tuple[float, float] | None = None
    if x2 == 0:
        caveats.append(LIFT_UNDEFINED)
    else:
        lift = p1 / p2 - 1.0
        lift_ci = _minus_one(_scores.ratio_interval(x1, n1, x2, n2, z_low, z_upp))
    exact_p_value = None
    if min(n1, n2) * min(pooled, 1.0 - pooled) < 5.0:
        caveats.append(SMALL_SAMPLE)
        exact_p_value = _fisher_p_value(x1, n1, x2, n2, alternative)
    chance = _bayes.beta_chance_above(1.0 + x1, 1.0 + n1 - x1, 1.0 + x2, 1.0 + n2 - x2)
    return _reported(
        test,
        kind="proportion",
        control_estimate=p2,
        variant_estimate=p1,
        difference_ci=difference_ci,
        lift=lift,
        lift_ci=lift_ci,
        alternative=alternative,
        method="Score test of two proportions (pooled z-test)",
        chance_to_beat_control=chance,
        warnings=tuple(caveats),
        exact_p_value=exact_p_value,
    )


def _fisher_p_value(x1: int, n1: int, x2: int, n2: int, alternative: str) -> float:
    from scipy.stats import fisher_exact

    side = {"two-sided": "two-sided", "larger": "greater", "smaller": "less"}[alternative]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = fisher_exact([[x1, n1 - x1], [x2, n2 - x2]], alternative=side)
    return min(1.0, float(result.pvalue))


# --- means -----------------------------------------------------------------------------


def _compare_means(
    control: Mean, variant: Mean, alpha: float, alternative: Alternative
) -> Comparison:
    test = difference.means(control, variant, alpha, alternative)
    m1, m2 = variant.mean, control.mean
    se1, se2 = variant.sd / math.sqrt(variant.n), control.sd / math.sqrt(control.n)
    df, se, t = test.df, test.standard_error, test.statistic
    assert df is not None
    if alternative == "two-sided":
        q = float(-special.stdtrit(df, alpha / 2.0))
        q_low, q_upp = q, q
    else:
        q = float(-special.stdtrit(df, alpha))
        q_low, q_upp = (q, INF) if alternative == "larger" else (INF, q)
    difference_ci = (test.difference - q_low * se, test.difference + q_upp * se)
    caveats: list[Caveat] = []
    lift: float | None = None
    lift_ci: tuple[float, float] | None = None
    if m2 == 0.0 or not math.isfinite(m1 / m2):
        caveats.append(LIFT_UNDEFINED)
    else:
        lift = m1 / m2 - 1.0
        ratio_ci = _fieller(m1, se1, m2, se2, q, alternative)
        if ratio_ci is None:
            caveats.append(UNBOUNDED_LIFT)
            lift_ci = (-INF, INF)
        else:
            lift_ci = _minus_one(ratio_ci)
    return _reported(
        test,
        kind="mean",
        control_estimate=m2,
        variant_estimate=m1,
        difference_ci=difference_ci,
        lift=lift,
        lift_ci=lift_ci,
        alternative=alternative,
        method="Welch's t-test",
        chance_to_beat_control=float(special.ndtr(t)),
        warnings=tuple(caveats),
    )


def _fieller(
    m1: float, se1: float, m2: float, se2: float, q: float, alternative: str
) -> tuple[float, float] | None:
    """Fieller's interval of m1 / m2 for independent means: the ratios r where
    ``(m1 - r m2)^2 <= q^2 (se1^2 + r^2 se2^2)``. ``None`` when it is unbounded, that is when
    control's mean is within ``q`` standard errors of zero."""
    # Fieller's g: the interval is bounded only when g < 1. Written around the estimate
    # m1 / m2 so that no square of a mean can under- or overflow.
    root_g = q * se2 / abs(m2)
    if root_g >= 1.0:
        return None
    g = root_g * root_g
    estimate = m1 / m2
    half = q * math.hypot(se2 * estimate, se1 * math.sqrt(1.0 - g)) / abs(m2)
    low, high = (estimate - half) / (1.0 - g), (estimate + half) / (1.0 - g)
    if alternative == "two-sided":
        return low, high
    # One side only: the bound where the statistic equals +q ('larger') or -q
    # ('smaller'); which root that is depends on the sign of control's mean.
    if (alternative == "larger") == (m2 > 0):
        return low, INF
    return -INF, high


# --- rates -----------------------------------------------------------------------------


def _compare_rates(
    control: Rate, variant: Rate, alpha: float, alternative: Alternative
) -> Comparison:
    test = difference.rates(control, variant, alpha, alternative)
    y1, e1, y2, e2 = variant.events, variant.exposure, control.events, control.exposure
    r1, r2 = y1 / e1, y2 / e2
    z_low, z_upp = _critical_values(alpha, alternative)
    difference_ci = _scores.poisson_diff_interval(y1, e1, y2, e2, z_low, z_upp)
    caveats: list[Caveat] = []
    lift: float | None = None
    lift_ci: tuple[float, float] | None = None
    if y2 == 0:
        caveats.append(LIFT_UNDEFINED)
    else:
        lift = r1 / r2 - 1.0
        lift_ci = _minus_one(_scores.poisson_ratio_interval(y1, e1, y2, e2, z_low, z_upp))
    if (y1 + y2) * min(e1, e2) / (e1 + e2) < 5.0:
        caveats.append(FEW_EVENTS)
    chance = float(special.ndtr((r1 - r2) / math.sqrt(r1 / e1 + r2 / e2)))
    return _reported(
        test,
        kind="rate",
        control_estimate=r2,
        variant_estimate=r1,
        difference_ci=difference_ci,
        lift=lift,
        lift_ci=lift_ci,
        alternative=alternative,
        method="Score test of two Poisson rates (rate ratio)",
        chance_to_beat_control=chance,
        warnings=tuple(caveats),
    )
