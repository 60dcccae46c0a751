"""Revloop's statistics engine: compare arms, plan sample sizes, check the traffic split.

A pure library on numpy and scipy (statsmodels only checks it, in the tests), usable
from a notebook with neither the web app nor the database. The conventions, with their
references, are in ``experiments/STATISTICS.md``.

>>> from experiments.stats import Proportion, compare
>>> print(compare(Proportion(100, 1000), Proportion(130, 1000)).summary(variant_name="B"))
B converts 30.0% better than control (95% CI +1.8% to +66.1%); p = 0.035, significant at alpha 0.05.

Importing the package is cheap: each name below is loaded from its module when first
used (PEP 562), so code that needs only the result types, such as a report reading
stored analyses, does not pay for SciPy.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from experiments.stats.comparison import compare, compare_arms
    from experiments.stats.difference import Significance, significance
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
    "Significance",
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
    "significance",
    "spending_bounds",
    "srm_check",
]

_HOMES = {
    "Arm": "experiments.stats.inputs",
    "ArmsComparison": "experiments.stats.results",
    "Caveat": "experiments.stats.results",
    "Comparison": "experiments.stats.results",
    "ConditionalPower": "experiments.stats.sequential",
    "InsufficientDataError": "experiments.stats.inputs",
    "Mean": "experiments.stats.inputs",
    "Phrase": "experiments.stats.results",
    "Proportion": "experiments.stats.inputs",
    "Rate": "experiments.stats.inputs",
    "SampleSize": "experiments.stats.results",
    "Significance": "experiments.stats.difference",
    "Spending": "experiments.stats.sequential",
    "SrmResult": "experiments.stats.results",
    "adjust_p_values": "experiments.stats.multiplicity",
    "always_valid_interval": "experiments.stats.sequential",
    "always_valid_p_value": "experiments.stats.sequential",
    "compare": "experiments.stats.comparison",
    "compare_arms": "experiments.stats.comparison",
    "conditional_power": "experiments.stats.sequential",
    "minimum_detectable_effect_mean": "experiments.stats.sample_size",
    "minimum_detectable_effect_proportion": "experiments.stats.sample_size",
    "nominal_alpha": "experiments.stats.sequential",
    "sample_size_mean": "experiments.stats.sample_size",
    "sample_size_proportion": "experiments.stats.sample_size",
    "sample_size_rate": "experiments.stats.sample_size",
    "sequential_inflation": "experiments.stats.sequential",
    "significance": "experiments.stats.difference",
    "spending_bounds": "experiments.stats.sequential",
    "srm_check": "experiments.stats.srm",
}


def __getattr__(name: str) -> Any:
    """Load ``name`` from the module that defines it, once (it is then a package attribute)."""
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
