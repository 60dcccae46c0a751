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
from experiments.stats.srm import srm_check

__all__ = [
    "Arm",
    "ArmsComparison",
    "Caveat",
    "Comparison",
    "InsufficientDataError",
    "Mean",
    "Proportion",
    "Rate",
    "SampleSize",
    "SrmResult",
    "adjust_p_values",
    "compare",
    "compare_arms",
    "minimum_detectable_effect_mean",
    "minimum_detectable_effect_proportion",
    "sample_size_mean",
    "sample_size_proportion",
    "sample_size_rate",
    "srm_check",
]
