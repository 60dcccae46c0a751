"""Planning an experiment and reading its progress: the baseline from recent readings,
the planned sample size for a split of traffic, the weeks it should take, and the rules
behind the warnings an analysis carries.

Pure: the standard library and :mod:`experiments.stats`, no web, no database.

>>> from experiments.stats import Proportion
>>> baseline_from([Proportion(30, 300), Proportion(50, 500)])
Baseline(value=0.1, sd=None, volume=400.0)
>>> weeks_to_reach(7682, observed=2000, weekly_volume=1500)
3.8
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from experiments.stats import Caveat, Comparison, Mean, Proportion, Rate, SrmResult
from experiments.stats.results import N_, Gettext, _identity

__all__ = [
    "SHARE_TOLERANCE",
    "Baseline",
    "Plan",
    "baseline_from",
    "chance_better",
    "guardrail_worse_warning",
    "is_worse",
    "plan_sample_size",
    "preliminary_warning",
    "progress",
    "shares_problem",
    "srm_warning",
    "weeks_to_reach",
]

SHARE_TOLERANCE = 1e-6


@dataclass(frozen=True, slots=True)
class Baseline:
    """A metric's recent level, pooled from its latest readings.

    Attributes:
        value: the pooled proportion, mean or rate per unit of exposure.
        sd: the pooled standard deviation for a mean, else ``None``.
        volume: the mean trials, units or exposure per reading (one a week).
    """

    value: float
    sd: float | None
    volume: float


@dataclass(frozen=True, slots=True)
class Plan:
    """The planned sample size for a split of traffic.

    Attributes:
        control: the units control needs.
        variant: the units each variant needs (at the smallest variant share).
        total: the units across all arms so that every arm reaches its need; for a
            group-sequential design, its maximum.
        fixed_total: the total a single look at the end would need.
        inflation: ``total`` over ``fixed_total`` before rounding (1 for one look).
    """

    control: int
    variant: int
    total: int
    fixed_total: int = field(default=0, repr=False)
    inflation: float = field(default=1.0, repr=False)


def baseline_from(readings: Sequence[Proportion | Mean | Rate]) -> Baseline | None:
    """Pool readings of one kind with ``+`` (exactly as if the raw data were pooled).

    >>> baseline_from([Mean(10, 5.0, 1.0), Mean(10, 7.0, 1.0)]).value
    6.0
    >>> baseline_from([Rate(3, 100.0), Rate(5, 300.0)])
    Baseline(value=0.02, sd=None, volume=200.0)
    >>> baseline_from([]) is None
    True
    """
    if not readings:
        return None
    pooled = readings[0]
    for reading in readings[1:]:
        pooled = pooled + reading
    volume = math.fsum(_size(reading) for reading in readings) / len(readings)
    if isinstance(pooled, Mean):
        return Baseline(value=pooled.mean, sd=pooled.sd, volume=volume)
    return Baseline(value=pooled.estimate, sd=None, volume=volume)


def _size(arm: Proportion | Mean | Rate) -> float:
    if isinstance(arm, Proportion):
        return float(arm.trials)
    if isinstance(arm, Mean):
        return float(arm.n)
    return arm.exposure


def shares_problem(shares: Sequence[float], *, gettext: Gettext = _identity) -> str | None:
    """What is wrong with the planned traffic shares, or ``None``, in the language of
    ``gettext`` (an application's translation function; English by default).

    >>> shares_problem([0.5, 0.5]) is None
    True
    >>> shares_problem([0.5, 0.4])
    'The shares add up to 0.9; they must add up to 1 (for example 0.5 and 0.5).'
    >>> shares_problem([1.0])
    'An experiment needs a control and at least one variant.'
    """
    _ = gettext
    if len(shares) < 2:
        return _("An experiment needs a control and at least one variant.")
    if any(not math.isfinite(share) or share <= 0 for share in shares):
        return _("Every share must be above zero.")
    total = math.fsum(shares)
    if abs(total - 1.0) > SHARE_TOLERANCE:
        return _(
            "The shares add up to %(total)s; they must add up to 1 (for example 0.5 and 0.5)."
        ) % {"total": f"{total:.6g}"}
    return None


def plan_sample_size(
    kind: str,
    *,
    baseline: float,
    mde: float,
    shares: Sequence[float],
    sd: float | None = None,
    relative: bool = False,
    alpha: float = 0.05,
    power: float = 0.8,
    alternative: str = "two-sided",
    looks: int = 1,
    spending: str = "obrien-fleming",
) -> Plan:
    """The planned sample size for control (``shares[0]``) and the variants.

    The variant's size over control's (``ratio``) comes from the smallest variant
    share, the arm that needs the longest; the total is what all arms together must
    collect so that each arm reaches its size at its share. Raises ``ValueError`` with
    the engine's message when an input cannot be planned.

    >>> plan_sample_size("proportion", baseline=0.1, mde=0.02, shares=[0.5, 0.5])
    Plan(control=3841, variant=3841, total=7682)
    >>> plan_sample_size("proportion", baseline=0.1, mde=0.02, shares=[0.25] * 4)
    Plan(control=3841, variant=3841, total=15364)

    With ``looks`` above 1 the plan is a group-sequential design's: the sizes are its
    maximum, and ``fixed_total`` keeps what one look at the end would need.

    >>> weekly = plan_sample_size("proportion", baseline=0.1, mde=0.02, shares=[0.5, 0.5],
    ...                           looks=5)
    >>> weekly, weekly.fixed_total, round(weekly.inflation, 3)
    (Plan(control=3936, variant=3936, total=7872), 7682, 1.025)
    """
    from experiments.stats import sample_size_mean, sample_size_proportion, sample_size_rate

    problem = shares_problem(shares)
    if problem:
        raise ValueError(problem)
    control_share, smallest = shares[0], min(shares[1:])
    ratio = smallest / control_share
    common: dict[str, object] = {
        "alpha": alpha,
        "power": power,
        "ratio": ratio,
        "alternative": alternative,
    }
    if kind == "proportion":
        size = sample_size_proportion(baseline, mde, relative=relative, **common)  # type: ignore[arg-type]
    elif kind == "mean":
        if sd is None:
            raise ValueError("A mean metric needs its standard deviation to plan.")
        size = sample_size_mean(sd, mde, baseline=baseline, relative=relative, **common)  # type: ignore[arg-type]
    elif kind == "rate":
        size = sample_size_rate(baseline, mde, relative=relative, **common)  # type: ignore[arg-type]
    else:
        raise ValueError(f"kind must be 'proportion', 'mean' or 'rate', got {kind!r}")
    needed = max(size.control / control_share, size.variant / smallest)
    # Shares that are not exact binary fractions must not add one phantom unit.
    fixed_total = math.ceil(needed * (1.0 - 1e-12))
    if looks <= 1:
        return Plan(size.control, size.variant, fixed_total, fixed_total=fixed_total)
    from experiments.stats import sequential_inflation

    level = alpha if alternative == "two-sided" else 2.0 * alpha
    inflation = sequential_inflation(looks, alpha=level, power=power, spending=spending)  # type: ignore[arg-type]
    control = math.ceil(size.control * inflation * (1.0 - 1e-12))
    variant = math.ceil(size.variant * inflation * (1.0 - 1e-12))
    total = math.ceil(needed * inflation * (1.0 - 1e-12))
    return Plan(control, variant, total, fixed_total=fixed_total, inflation=inflation)


def weeks_to_reach(
    planned: float, *, observed: float = 0.0, weekly_volume: float | None
) -> float | None:
    """Weeks still needed at the current volume (one decimal), ``None`` without a volume.

    >>> weeks_to_reach(1000, weekly_volume=300)
    3.4
    >>> weeks_to_reach(1000, observed=1200, weekly_volume=300)
    0.0
    >>> weeks_to_reach(1000, weekly_volume=0) is None
    True
    """
    if weekly_volume is None or not weekly_volume > 0 or not math.isfinite(weekly_volume):
        return None
    remaining = max(0.0, planned - observed)
    return math.ceil(10 * remaining / weekly_volume - 1e-9) / 10


# Beyond two months a test mostly measures the season, returning visitors
# and cookie churn, not the change: a design that long deserves a second look.
LONG_DESIGN_WEEKS = 8.0


def too_long(weeks: float | None) -> bool:
    """Whether a design's expected duration is longer than is wise to run.

    >>> too_long(26.0), too_long(8.0), too_long(None)
    (True, False, False)
    """
    return weeks is not None and weeks > LONG_DESIGN_WEEKS


def progress(observed: float, planned: int | None) -> float:
    """The share of the planned sample size collected, from 0 to 1.

    >>> progress(250, 1000), progress(2000, 1000), progress(10, None)
    (0.25, 1.0, 0.0)
    """
    if not planned or planned <= 0:
        return 0.0
    return max(0.0, min(1.0, observed / planned))


def chance_better(comparison: Comparison, *, lower_is_better: bool) -> float:
    """The chance that the variant is *better* than control: the engine gives the
    chance that it is above, so a lower-is-better metric takes one minus it."""
    chance = comparison.chance_to_beat_control
    return 1.0 - chance if lower_is_better else chance


def is_worse(comparison: Comparison, *, lower_is_better: bool) -> bool:
    """Whether the variant is significantly worse than control on this metric."""
    if not comparison.significant:
        return False
    return comparison.difference > 0 if lower_is_better else comparison.difference < 0


def srm_warning(result: SrmResult, observed: Mapping[str, int]) -> Caveat | None:
    """The sample-ratio mismatch warning, or ``None`` when the split looks as planned.

    >>> from experiments.stats import srm_check
    >>> srm_warning(srm_check([5000, 5600], [0.5, 0.5]), {"Control": 5000, "B": 5600}).code
    'srm'
    """
    if not result.mismatch:
        return None
    parts = ", ".join(
        f"{name} {count:,} ({expected:,.0f})"
        for (name, count), expected in zip(observed.items(), result.expected, strict=True)
    )
    return Caveat(
        "srm",
        N_(
            "Sample-ratio mismatch: the arms' sizes, with the expected ones in brackets"
            " (%(sizes)s), do not match the planned split (p = %(p)s). Check the assignment"
            " before trusting the result: a broken split biases every comparison."
        ),
        {"sizes": parts, "p": f"{result.p_value:.2g}"},
    )


def is_preliminary(observed: float, planned: int | None) -> bool:
    """Whether results are preliminary: no planned sample size, or not reached yet.

    >>> is_preliminary(500, 1000), is_preliminary(1000, 1000), is_preliminary(5000, None)
    (True, False, True)
    """
    return not planned or observed < planned


def preliminary_warning(observed: float, planned: int | None) -> Caveat | None:
    """The warning while the planned sample size is not yet reached.

    >>> preliminary_warning(500, 1000).code
    'preliminary'
    >>> preliminary_warning(1000, 1000) is None
    True
    """
    if not is_preliminary(observed, planned):
        return None
    if not planned:
        return Caveat(
            "preliminary",
            N_(
                "No planned sample size, so the results are preliminary: plan the sample size"
                " in the design before deciding."
            ),
        )
    return Caveat(
        "preliminary",
        N_(
            "Preliminary: %(observed)s of the planned %(planned)s collected (%(share)s%%)."
            " Don't stop early on this result: peeking before the planned sample size"
            " inflates the chance of a false winner."
        ),
        {
            "observed": f"{observed:,.0f}",
            "planned": f"{planned:,}",
            "share": f"{100 * observed / planned:.0f}",
        },
    )


def guardrail_worse_warning(metric: str, variant: str, comparison: Comparison) -> Caveat:
    """A guardrail metric that a variant made significantly worse."""
    return Caveat(
        "guardrail_worse",
        N_(
            "Guardrail %(metric)s is significantly worse in %(variant)s (p = %(p)s). Look"
            " into it before shipping: a win on the primary metric may cost more than it"
            " gains."
        ),
        {
            "metric": metric,
            "variant": variant,
            "p": f"{comparison.adjusted_p_value or comparison.p_value:.2g}",
        },
    )
