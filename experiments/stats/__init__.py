"""Revloop's statistics engine: compare arms, plan sample sizes, check the traffic split.

A pure library on numpy and scipy (statsmodels only checks it, in the tests), usable
from a notebook with neither the web app nor the database. The conventions, with their
references, are in ``experiments/STATISTICS.md``.

>>> from experiments.stats import Proportion, compare
>>> print(compare(Proportion(100, 1000), Proportion(130, 1000)).summary(variant_name="B"))
B converts 30.0% better than control (95% CI +1.8% to +66.1%); p = 0.035, significant at alpha 0.05.
"""

from experiments.stats.compare import compare, compare_arms
from experiments.stats.inputs import Arm, InsufficientDataError, Mean, Proportion, Rate
from experiments.stats.multiplicity import adjust_p_values
from experiments.stats.results import (
    ArmsComparison,
    Caveat,
    Comparison,
    Phrase,
    SampleSize,
    SrmResult,
)
from experiments.stats.sample_size import (
    minimum_detectable_effect_mean,
    minimum_detectable_effect_proportion,
    sample_size_mean,
    sample_size_proportion,
    sample_size_rate,
)
from experiments.stats.sequential import (
    ConditionalPower,
    Spending,
    always_valid_interval,
    always_valid_p_value,
    conditional_power,
    nominal_alpha,
    sequential_inflation,
    spending_bounds,
)
from experiments.stats.srm import srm_check

__all__ = [
    "Arm",
    "ArmsComparison",
    "Caveat",
    "Comparison",
    "ConditionalPower",
    "InsufficientDataError",
    "Mean",
    "Phrase",
    "Proportion",
    "Rate",
    "SampleSize",
    "Spending",
    "SrmResult",
    "adjust_p_values",
    "always_valid_interval",
    "always_valid_p_value",
    "compare",
    "compare_arms",
    "conditional_power",
    "minimum_detectable_effect_mean",
    "minimum_detectable_effect_proportion",
    "nominal_alpha",
    "sample_size_mean",
    "sample_size_proportion",
    "sample_size_rate",
    "sequential_inflation",
    "spending_bounds",
    "srm_check",
]
