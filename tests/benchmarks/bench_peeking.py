"""What weekly looks cost: the false-positive rate and the power of each design.

Run with ``python tests/benchmarks/bench_peeking.py``; it is not collected by pytest.
A seeded simulation of a conversion-rate experiment (baseline 10%, planned to see a
rise to 12% with 80% power at alpha 0.05, two arms of equal size), looked at 2, 5 and
10 times at equal steps. For each design it prints how often a true null is rejected
(target: alpha, within Monte Carlo error) and how often the planned effect is found:

- naive peeking: the fixed design, stopping at the first look with p < 0.05;
- fixed: one look at the planned size;
- O'Brien-Fleming and Pocock: group-sequential, Lan-DeMets spending, looks to the
  inflated maximum;
- always valid: GrowthBook's confidence sequence tuned to the planned total.

Every look uses the pooled two-proportion z statistic, the score test ``compare``
uses for proportions. About a minute on one core.
"""

from __future__ import annotations

import math
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from experiments.stats import sample_size_proportion, spending_bounds
from experiments.stats.sequential import always_valid_critical_z

BASELINE, EFFECT, ALPHA, POWER = 0.10, 0.02, 0.05, 0.8
SIMULATIONS = 50_000
LOOKS = (2, 5, 10)
SEED = 14


def z_statistics(
    rng: np.random.Generator, per_arm: int, looks: int, rate: float
) -> tuple[np.ndarray, np.ndarray]:
    """The pooled z statistic at each look of each simulated experiment, and the units
    per arm behind each look."""
    steps = np.diff(np.round(np.linspace(0, per_arm, looks + 1)).astype(int))
    control = np.cumsum(rng.binomial(steps, BASELINE, size=(SIMULATIONS, looks)), axis=1)
    variant = np.cumsum(rng.binomial(steps, rate, size=(SIMULATIONS, looks)), axis=1)
    n = np.cumsum(steps)
    pooled = (control + variant) / (2 * n)
    spread = np.sqrt(np.maximum(pooled * (1 - pooled), 1e-12) * 2 / n)
    return (variant - control) / n / spread, n


def rejected(z: np.ndarray, critical: np.ndarray) -> float:
    """The share of experiments whose |z| reaches the look's critical value at any look."""
    return float((np.abs(z) >= critical).any(axis=1).mean())


def main() -> None:
    started = time.perf_counter()
    rng = np.random.default_rng(SEED)
    fixed = sample_size_proportion(BASELINE, EFFECT, alpha=ALPHA, power=POWER).control
    error = 1.96 * math.sqrt(ALPHA * (1 - ALPHA) / SIMULATIONS)
    print(
        f"Conversion {BASELINE:.0%} -> {BASELINE + EFFECT:.0%}, alpha {ALPHA}, power {POWER},"
        f" fixed size {fixed:,} per arm; {SIMULATIONS:,} simulations per cell,"
        f" 95% Monte Carlo error on a 5% rate: +/- {error:.2%}.\n"
    )
    header = f"{'design':<32}{'looks':>6}{'max per arm':>13}{'false positives':>17}{'power':>8}"
    print(header)
    print("-" * len(header))
    for looks in LOOKS:
        fractions = [k / looks for k in range(1, looks + 1)]
        designs: list[tuple[str, int, np.ndarray]] = []
        naive = np.full(looks, 1.959964)
        designs.append(("naive peeking (p < 0.05)", fixed, naive))
        designs.append(
            ("fixed, one look at the end", fixed, np.r_[np.full(looks - 1, np.inf), 1.959964])
        )
        for spending, name in (("obrien-fleming", "O'Brien-Fleming"), ("pocock", "Pocock")):
            maximum = sample_size_proportion(
                BASELINE, EFFECT, alpha=ALPHA, power=POWER, looks=looks, spending=spending
            ).control
            bounds = np.array(spending_bounds(fractions, alpha=ALPHA, spending=spending))
            designs.append((f"weekly looks, {name}", maximum, bounds))
        for name, per_arm, critical in designs:
            rates = []
            for rate in (BASELINE, BASELINE + EFFECT):
                z, n = z_statistics(rng, per_arm, looks, rate)
                rates.append(rejected(z, critical))
            print(f"{name:<32}{looks:>6}{per_arm:>13,}{rates[0]:>17.2%}{rates[1]:>8.1%}")
        # always valid: the confidence sequence's critical z at each look's total units
        rates = []
        for rate in (BASELINE, BASELINE + EFFECT):
            z, n = z_statistics(rng, fixed, looks, rate)
            critical = np.array(
                [always_valid_critical_z(2 * units, tuning_n=2 * fixed, alpha=ALPHA) for units in n]
            )
            rates.append(rejected(z, critical))
        name = "any time (always valid)"
        print(f"{name:<32}{looks:>6}{fixed:>13,}{rates[0]:>17.2%}{rates[1]:>8.1%}")
        print()
    print(f"{time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
