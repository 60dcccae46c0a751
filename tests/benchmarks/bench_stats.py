"""Median time of the statistics engine beside the same statsmodels calls made directly.

Run with ``python tests/benchmarks/bench_stats.py``; it is not collected by pytest.
Targets: ``compare`` at or under 0.4 ms for proportions and means, 1 ms for rates.
"""

from __future__ import annotations

import statistics
import sys
import time
import warnings
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from experiments.stats import Mean, Proportion, Rate, compare, compare_arms

TARGETS_MS = {"proportion": 0.4, "mean": 0.4, "rate": 1.0}


def median_ms(call: Callable[[], object], repeats: int = 41, number: int = 50) -> float:
    """The median over ``repeats`` runs of the mean time of ``number`` calls, in ms."""
    call()  # warm up: lazy imports and caches
    runs = []
    for _ in range(repeats):
        start = time.perf_counter()
        for _ in range(number):
            call()
        runs.append((time.perf_counter() - start) / number * 1e3)
    return statistics.median(runs)


def statsmodels_proportions() -> object:
    from statsmodels.stats import proportion as smp

    smp.test_proportions_2indep(130, 1000, 100, 1000, method="score", correction=False)
    smp.confint_proportions_2indep(130, 1000, 100, 1000, method="score", correction=False)
    return smp.confint_proportions_2indep(
        130, 1000, 100, 1000, method="score", compare="ratio", correction=False
    )


def statsmodels_means() -> object:
    """Welch with statsmodels' generic t helpers (CompareMeans needs raw data)."""
    from statsmodels.stats import weightstats

    v1, v2 = 21.0**2 / 200, 20.0**2 / 200
    std = (v1 + v2) ** 0.5
    df = (v1 + v2) ** 2 / (v1**2 / 199 + v2**2 / 199)
    weightstats._tstat_generic(104.2, 100.0, std, df, "two-sided", 0)
    return weightstats._tconfint_generic(4.2, std, df, 0.05, "two-sided")


def statsmodels_rates() -> object:
    from statsmodels.stats import rates

    rates.test_poisson_2indep(120, 2400.0, 150, 2500.0, method="score")
    rates.confint_poisson_2indep(120, 2400.0, 150, 2500.0, method="score", compare="ratio")
    return rates.confint_poisson_2indep(120, 2400.0, 150, 2500.0, method="score", compare="diff")


def main() -> None:
    warnings.simplefilter("ignore")
    cases: list[tuple[str, Callable[[], object], Callable[[], object] | None]] = [
        (
            "proportion",
            lambda: compare(Proportion(100, 1000), Proportion(130, 1000)),
            statsmodels_proportions,
        ),
        (
            "mean",
            lambda: compare(Mean(200, 100.0, 20.0), Mean(200, 104.2, 21.0)),
            statsmodels_means,
        ),
        ("rate", lambda: compare(Rate(150, 2500.0), Rate(120, 2400.0)), statsmodels_rates),
        (
            "proportion, 4 variants (compare_arms)",
            lambda: compare_arms(
                Proportion(100, 1000),
                {name: Proportion(100 + 10 * i, 1000) for i, name in enumerate("BCDE", 1)},
            ),
            lambda: [statsmodels_proportions() for _ in range(4)],
        ),
    ]
    print(f"{'comparison':40} {'engine':>10} {'direct':>10}  target")
    failures = 0
    for name, ours, theirs in cases:
        ours_ms = median_ms(ours)
        theirs_ms = median_ms(theirs, repeats=11, number=5) if theirs else float("nan")
        target = TARGETS_MS.get(name)
        verdict = ""
        if target is not None:
            met = ours_ms <= target
            failures += not met
            verdict = f"{'met' if met else 'MISSED'} (<= {target} ms)"
        print(f"{name:40} {ours_ms:8.3f}ms {theirs_ms:8.3f}ms  {verdict}")
    print(
        "direct: statsmodels score test + score intervals (proportions, rates),"
        " statsmodels' generic t test and t interval (means)"
    )
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
